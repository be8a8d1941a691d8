//! Every embedded model, decompressed and compiled once.

use crate::http::HttpRequest;
use crate::model::{Model, Protocol};
use crate::query;
use service::embedded::gunzip;
use std::sync::OnceLock;

macro_rules! embedded {
    ($svc:literal) => {
        (
            $svc,
            include_bytes!(concat!("../models/botocore/", $svc, "/service-2.json.gz")).as_slice(),
            include_bytes!(concat!(
                "../models/botocore/",
                $svc,
                "/paginators-1.json.gz"
            ))
            .as_slice(),
        )
    };
}

/// `(directory, service-2.json.gz, paginators-1.json.gz)` of each vendored model.
const MODELS: [(&str, &[u8], &[u8]); 7] = [
    embedded!("ivs"),
    embedded!("mediaconnect"),
    embedded!("mediaconvert"),
    embedded!("mediapackage"),
    embedded!("mediapackagev2"),
    embedded!("iam"),
    embedded!("sts"),
];

/// One embedded model: its compressed sources, compiled on first use.
#[derive(Debug)]
struct Entry {
    name: &'static str,
    service: &'static [u8],
    paginators: &'static [u8],
    compiled: OnceLock<Option<Model>>,
}

impl Entry {
    fn get(&self) -> Option<&Model> {
        self.compiled
            .get_or_init(|| {
                // The JSON text and its parse are garbage once the model is built.
                service::scratch::scratch(|| {
                    let service = gunzip(self.service)?;
                    let paginators = gunzip(self.paginators);
                    Model::compile(&service, paginators.as_deref()).ok()
                })
            })
            .as_ref()
    }
}

/// The models, by signing name. Each compiles on first use (or on [`Registry::warm`]), so
/// the server answers its first request milliseconds after it starts and keeps only the
/// models its clients use.
#[derive(Debug)]
pub struct Registry {
    models: Vec<Entry>,
}

impl Registry {
    /// All embedded models, each compiled once on first use. A model that fails to compile is
    /// left out (the registry tests prove all seven compile).
    pub fn embedded() -> Registry {
        let models = MODELS
            .iter()
            .map(|(name, service, paginators)| Entry {
                name,
                service,
                paginators,
                compiled: OnceLock::new(),
            })
            .collect();
        Registry { models }
    }

    /// Compiles every model now (tests; the server compiles each on its service's first request).
    pub fn warm(&self) {
        for e in &self.models {
            e.get();
        }
    }

    /// The signing names of every embedded model, without compiling any.
    pub fn signing_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.models.iter().map(|e| e.name)
    }

    /// The process-wide registry, compiled on first use.
    pub fn shared() -> &'static Registry {
        static SHARED: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
        SHARED.get_or_init(Registry::embedded)
    }

    /// The model signed as `signing_name`.
    pub fn model(&self, signing_name: &str) -> Option<&Model> {
        self.models
            .iter()
            .find(|e| e.name == signing_name)
            .and_then(Entry::get)
    }

    /// Every model.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().filter_map(Entry::get)
    }

    /// For an unsigned request whose body has not been read yet: whether it may be for an
    /// operation AWS serves unsigned (`authtype: none`), so that the body is worth reading.
    /// Rest-json operations route by method and path; a query-protocol action may be named in
    /// a POST's body, so a POST to `/` of a model with any unsigned operation may be one.
    pub fn may_serve_unsigned(&self, headers_only: &HttpRequest) -> bool {
        self.models().any(|m| match m.protocol() {
            Protocol::RestJson => m.route(headers_only).is_some_and(|op| op.allows_unsigned()),
            Protocol::Query => {
                m.operations().any(|op| op.allows_unsigned())
                    && headers_only.path == "/"
                    && match query::params(headers_only).get("Action") {
                        Some(action) => m.operation(action).is_some_and(|op| op.allows_unsigned()),
                        None => headers_only.method.eq_ignore_ascii_case("POST"),
                    }
            }
        })
    }

    /// For a request whose credential scope cannot be read: the signing name of the service it
    /// most likely targets.
    pub fn guess_service(&self, req: &HttpRequest) -> Option<&str> {
        let params = query::params(req);
        if let Some(action) = params.get("Action") {
            let sts = self
                .model("sts")
                .is_some_and(|m| m.operation(action).is_some());
            return Some(if sts { "sts" } else { "iam" });
        }
        let candidates: Vec<&Model> = self
            .models()
            .filter(|m| m.protocol() == Protocol::RestJson && m.route(req).is_some())
            .collect();
        // Several services share paths like `/tags/{resourceArn}`; the ARN names its service.
        let decoded = crate::http::decode(req.path, false);
        candidates
            .iter()
            .find(|m| decoded.contains(&format!(":{}:", m.signing_name())))
            .or(candidates.first())
            .map(|m| m.signing_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_seven_models_compile() {
        let r = Registry::embedded();
        let mut names: Vec<&str> = r.models().map(|m| m.signing_name()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "iam",
                "ivs",
                "mediaconnect",
                "mediaconvert",
                "mediapackage",
                "mediapackagev2",
                "sts"
            ]
        );
        assert_eq!(r.model("iam").unwrap().operation_names().count(), 180);
        assert_eq!(r.model("sts").unwrap().protocol(), Protocol::Query);
        assert_eq!(r.model("ivs").unwrap().api_version(), "2020-07-14");
        let lazy: Vec<&str> = Registry::embedded().signing_names().collect();
        assert_eq!(lazy.len(), 7);
        for name in lazy {
            assert_eq!(r.model(name).unwrap().signing_name(), name);
        }
    }

    #[test]
    fn validation_error_codes_per_service() {
        let r = Registry::embedded();
        let code = |s: &str| r.model(s).unwrap().validation_error_code().to_string();
        assert_eq!(code("mediaconnect"), "BadRequestException");
        assert_eq!(code("mediaconvert"), "BadRequestException");
        assert_eq!(code("ivs"), "ValidationException");
        assert_eq!(code("mediapackagev2"), "ValidationException");
        assert_eq!(code("mediapackage"), "UnprocessableEntityException");
        assert_eq!(code("iam"), "ValidationError");
        assert_eq!(code("sts"), "ValidationError");
    }

    #[test]
    fn guesses_the_service() {
        let r = Registry::embedded();
        let req = |method, path, query, body: &'static [u8]| HttpRequest {
            method,
            path,
            query,
            headers: &[],
            body,
        };
        assert_eq!(
            r.guess_service(&req(
                "POST",
                "/",
                "",
                b"Action=GetCallerIdentity&Version=2011-06-15"
            )),
            Some("sts")
        );
        assert_eq!(
            r.guess_service(&req("GET", "/", "Action=ListUsers", b"")),
            Some("iam")
        );
        assert_eq!(
            r.guess_service(&req("POST", "/CreateChannel", "", b"{}")),
            Some("ivs")
        );
        assert_eq!(
            r.guess_service(&req("GET", "/v1/flows", "", b"")),
            Some("mediaconnect")
        );
        assert_eq!(
            r.guess_service(&req("GET", "/nowhere/at/all", "", b"")),
            None
        );
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn only_known_patterns_are_left_unchecked() {
        let r = Registry::embedded();
        let mut skipped: Vec<String> = r
            .models()
            .flat_map(|m| m.shapes.iter())
            .filter_map(|s| s.pattern.as_ref())
            .filter(|p| p.matcher().is_none())
            .map(|p| p.source.clone())
            .collect();
        skipped.sort();
        skipped.dedup();
        assert_eq!(
            skipped,
            ["arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]/[a-zA-Z0-9-]+"]
        );
    }
}
