//! The web console's static files under `/_mediamock/console/`, embedded in the binary.
//! Serving them is unauthenticated because they are read-only and hold nothing secret: every
//! action the console takes is an ordinary SigV4-signed API call from the browser,
//! authenticated and authorized like an SDK's.

use crate::response::{self, Body};
use hyper::Response;

/// The console's route under the admin prefix (`/_mediamock/console/`).
pub const ROUTE: &str = "console";

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

/// The console's files; `""` is the page itself.
const ASSETS: &[Asset] = &[
    Asset {
        name: "",
        content_type: "text/html; charset=utf-8",
        body: include_bytes!("../console/index.html"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../console/app.js"),
    },
    Asset {
        name: "api.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../console/api.js"),
    },
    Asset {
        name: "sigv4.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_bytes!("../console/sigv4.js"),
    },
    Asset {
        name: "console.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../console/console.css"),
    },
];

/// Only the console's own files and same-origin API calls: API data rendered in the page can
/// never run as script, load from elsewhere, or frame the console.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The answer to `method` on `route` (the path after the admin prefix), if it is the
/// console's: a file, a redirect to the console's root, or AWS-style 404/405 errors.
pub fn serve(method: &str, route: &str, request_id: &str) -> Option<Response<Body>> {
    let name = if route == ROUTE {
        // Relative asset URLs resolve against the directory, so the page lives at `console/`.
        return Some(response::build(
            308,
            vec![("location".into(), "/_mediamock/console/".into())],
            Vec::new(),
            request_id,
        ));
    } else {
        route.strip_prefix(ROUTE)?.strip_prefix('/')?
    };
    if method != "GET" && method != "HEAD" {
        return Some(error(
            405,
            "MethodNotAllowed",
            &format!("the console's files are read-only; {method} is not allowed"),
            request_id,
        ));
    }
    let Some(asset) = ASSETS.iter().find(|a| a.name == name) else {
        return Some(error(
            404,
            "NotFound",
            &format!("the console has no file '{name}'"),
            request_id,
        ));
    };
    let body = if method == "HEAD" {
        Vec::new()
    } else {
        asset.body.to_vec()
    };
    let mut r = response::build(
        200,
        vec![
            ("content-type".into(), asset.content_type.into()),
            ("content-security-policy".into(), CSP.into()),
            ("x-content-type-options".into(), "nosniff".into()),
            ("referrer-policy".into(), "no-referrer".into()),
            ("cache-control".into(), "no-cache".into()),
        ],
        body,
        request_id,
    );
    if method == "HEAD" {
        if let Ok(v) = asset.body.len().to_string().parse() {
            r.headers_mut().insert(hyper::header::CONTENT_LENGTH, v);
        }
    }
    Some(r)
}

fn error(status: u16, code: &str, message: &str, request_id: &str) -> Response<Body> {
    response::json(
        status,
        &serde_json::json!({"code": code, "message": message}),
        request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(route: &str) -> Response<Body> {
        serve("GET", route, "r").expect("a console route")
    }

    #[test]
    fn serves_each_file_with_its_type_and_a_strict_policy() {
        for (route, kind) in [
            ("console/", "text/html"),
            ("console/app.js", "text/javascript"),
            ("console/sigv4.js", "text/javascript"),
            ("console/api.js", "text/javascript"),
            ("console/console.css", "text/css"),
        ] {
            let r = get(route);
            assert_eq!(r.status(), 200, "{route}");
            let h = r.headers();
            assert!(
                h["content-type"].to_str().unwrap().starts_with(kind),
                "{route}"
            );
            assert!(h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("script-src 'self'"));
            assert_eq!(h["x-content-type-options"], "nosniff");
        }
    }

    #[test]
    fn the_bare_route_redirects_and_other_paths_are_not_the_consoles() {
        let r = get("console");
        assert_eq!(r.status(), 308);
        assert_eq!(r.headers()["location"], "/_mediamock/console/");
        assert_eq!(get("console/../state").status(), 404);
        assert_eq!(get("console/missing.js").status(), 404);
        assert!(serve("GET", "consoles", "r").is_none());
        assert!(serve("GET", "decisions", "r").is_none());
    }

    #[test]
    fn files_are_read_only() {
        for method in ["POST", "PUT", "DELETE"] {
            assert_eq!(serve(method, "console/app.js", "r").unwrap().status(), 405);
        }
        let head = serve("HEAD", "console/", "r").unwrap();
        assert_eq!(head.status(), 200);
        assert_eq!(
            head.headers()["content-length"],
            ASSETS[0].body.len().to_string()
        );
    }

    /// API data (names, policy documents) is another user's input: the console renders it as
    /// text, never as markup, and loads no script from elsewhere.
    #[test]
    fn no_asset_renders_markup_from_data_or_loads_remote_code() {
        for a in ASSETS {
            let text = std::str::from_utf8(a.body).unwrap();
            for banned in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "http://",
                "https://",
            ] {
                assert!(!text.contains(banned), "{} contains {banned}", a.name);
            }
        }
    }
}
