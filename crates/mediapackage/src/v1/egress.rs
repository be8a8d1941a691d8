//! v1 egress: `GET`/`HEAD` on `/out/v1/INTERNAL_ID/FILE` serves the endpoint's synthetic
//! documents. AWS does not IAM-authorize v1 playback (see the override table); the endpoint's
//! own settings decide: origination, the IP allow list, CDN authorization.

use super::model::{EndpointConfig, OriginEndpoint};
use super::MediaPackage;
use crate::v2::manifests;
use crate::v2::model as v2;
use service::{ObjectRequest, ObjectResponse, RequestContext, ServiceError};
use std::net::IpAddr;

fn forbidden(why: &str) -> ObjectResponse {
    ObjectResponse {
        status: 403,
        content_type: "text/plain",
        body: why.as_bytes().to_vec(),
    }
}

fn not_found() -> ObjectResponse {
    ObjectResponse {
        status: 404,
        content_type: "text/plain",
        body: b"Not Found".to_vec(),
    }
}

/// Whether `ip` is in `cidr` (`a.b.c.d/n`, IPv6 likewise; a bare address is a /32 or /128).
fn contains(cidr: &str, ip: IpAddr) -> bool {
    let (net, bits) = cidr
        .split_once('/')
        .unwrap_or((cidr, if cidr.contains(':') { "128" } else { "32" }));
    let (Ok(net), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u32>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) if bits <= 32 => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) if bits <= 128 => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// The endpoint's package as the v2 document generator's configuration; of a CMAF package,
/// only the HLS manifest `cmaf_manifest` (its files live under `/out/v1/INTERNAL/ID/`).
fn as_documents(c: &EndpointConfig, cmaf_manifest: &str) -> v2::OriginEndpoint {
    let name = c.manifest_file().to_string();
    let mut cfg = v2::EndpointConfig::default();
    let hls = |n: String, window: Option<i64>| v2::HlsManifest {
        manifest_name: n,
        manifest_window_seconds: window,
        ..Default::default()
    };
    if let Some(p) = &c.hls_package {
        cfg.container_type = "TS".into();
        cfg.hls_manifests = vec![hls(name.clone(), p.playlist_window_seconds)];
        cfg.segment.segment_duration_seconds = p.segment_duration_seconds;
    } else if let Some(p) = &c.cmaf_package {
        cfg.container_type = "CMAF".into();
        cfg.hls_manifests = c
            .cmaf_hls_manifests()
            .iter()
            .filter(|m| m.id == cmaf_manifest)
            .map(|m| hls(m.file_name(&name).to_string(), m.playlist_window_seconds))
            .collect();
        cfg.segment.segment_duration_seconds = p.segment_duration_seconds;
        cfg.segment.segment_name = p.segment_prefix.clone();
    } else if let Some(p) = &c.dash_package {
        cfg.container_type = "CMAF".into();
        cfg.dash_manifests = vec![v2::DashManifest {
            manifest_name: name.clone(),
            manifest_window_seconds: p.manifest_window_seconds,
            ..Default::default()
        }];
        cfg.segment.segment_duration_seconds = p.segment_duration_seconds;
    } else if let Some(p) = &c.mss_package {
        cfg.container_type = "ISM".into();
        cfg.mss_manifests = vec![v2::MssManifest {
            manifest_name: name.clone(),
            manifest_window_seconds: p.manifest_window_seconds,
            ..Default::default()
        }];
        cfg.segment.segment_duration_seconds = p.segment_duration_seconds;
    }
    cfg.segment.segment_name.get_or_insert(name);
    v2::OriginEndpoint {
        group: String::new(),
        channel: String::new(),
        name: String::new(),
        config: cfg,
        created_at: 0.0,
        modified_at: 0.0,
        reset_at: None,
        etag: String::new(),
        cdn_auth: None,
    }
}

impl MediaPackage {
    /// `/out/v1/INTERNAL/FILE` of an endpoint this server has.
    pub(super) fn egress_route(&self, method: &str, path: &str) -> Option<ObjectRequest> {
        let action = match method {
            "GET" => "GetObject",
            "HEAD" => "GetHeadObject",
            _ => return None,
        };
        let (internal, file) = path.strip_prefix("/out/v1/")?.split_once('/')?;
        if internal.len() != 32
            || !internal.bytes().all(|b| b.is_ascii_hexdigit())
            || file.is_empty()
        {
            return None;
        }
        let arn = self.state.read().by_internal.get(internal)?.clone();
        let region = arn.split(':').nth(3)?.to_string();
        Some(ObjectRequest {
            action,
            region,
            input: crate::data_plane::object_input(&arn, file),
        })
    }

    pub(super) fn serve_egress(
        &self,
        ctx: &RequestContext,
        req: &ObjectRequest,
    ) -> Result<ObjectResponse, ServiceError> {
        let (arn, file) = crate::data_plane::object_of(req);
        let state = self.state.read();
        let Some(e) = state.endpoints.get(arn) else {
            return Ok(not_found());
        };
        let e: &OriginEndpoint = &e.value;
        let c = &e.config;
        if c.origination.as_deref() == Some("DENY") {
            return Ok(forbidden("Origination is denied for this origin endpoint"));
        }
        if let Some(list) = c.whitelist.as_ref().filter(|l| !l.is_empty()) {
            let allowed = ctx
                .source_ip
                .is_some_and(|ip| list.iter().any(|cidr| contains(cidr, ip)));
            if !allowed {
                return Ok(forbidden(
                    "The client address is not in the origin endpoint's allow list",
                ));
            }
        }
        if c.authorization.is_some() {
            // The CDN identifier lives in Secrets Manager, which mediamock does not emulate:
            // such an endpoint cannot be verified, so it is refused rather than served.
            return Ok(forbidden(
                "CDN authorization is required for this origin endpoint",
            ));
        }
        // A CMAF endpoint's files are under its HLS manifests' IDs: `ID/NAME.m3u8`.
        let (manifest, file) = match &c.cmaf_package {
            Some(_) => file.split_once('/').unwrap_or(("", file)),
            None => ("", file),
        };
        Ok(
            match manifests::document(&as_documents(c, manifest), file, self.runtime.clock.now()) {
                Some(doc) => ObjectResponse {
                    status: 200,
                    content_type: doc.content_type,
                    body: doc.body,
                },
                None => not_found(),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_containment() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(contains("127.0.0.0/8", ip("127.0.0.1")));
        assert!(!contains("10.0.0.0/8", ip("127.0.0.1")));
        assert!(contains("192.0.2.7", ip("192.0.2.7")));
        assert!(contains("0.0.0.0/0", ip("8.8.8.8")));
        assert!(contains("2001:db8::/32", ip("2001:db8::1")));
        assert!(!contains("2001:db8::/32", ip("127.0.0.1")));
        assert!(!contains("nonsense", ip("127.0.0.1")));
    }
}
