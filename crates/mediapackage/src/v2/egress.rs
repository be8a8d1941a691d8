//! The v2 data plane: egress (`GET`/`HEAD` on `/out/v1/ACCOUNT/REGION/G/C/E/FILE`, authorized
//! as `GetObject`/`GetHeadObject` on the endpoint) and ingest (`PUT`/`POST` on
//! `/in/v1/ACCOUNT/REGION/G/N/C/FILE`, authorized as `PutObject` on the channel). The server
//! authorizes through the same stage as API calls before [`MediaPackageV2::serve_data_plane`].

use super::arns::{channel_arn, endpoint_arn};
use super::forced_errors;
use super::manifests;
use super::MediaPackageV2;
use service::{ObjectRequest, ObjectResponse, RequestContext, ServiceError};

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The five `/`-separated segments of `rest` and the remainder (the file), if it has them.
fn six_segments(rest: &str) -> Option<[&str; 6]> {
    let mut parts = rest.splitn(6, '/');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

/// Which data-plane request `method path` is, if any.
pub fn route(method: &str, path: &str) -> Option<ObjectRequest> {
    let path = path.split('?').next().unwrap_or(path);
    if let Some(rest) = path.strip_prefix("/out/v1/") {
        let action = match method {
            "GET" => "GetObject",
            "HEAD" => "GetHeadObject",
            _ => return None,
        };
        let [account, region, g, c, e, file] = six_segments(rest)?;
        if !service::is_account_id(account)
            || !valid_name(region)
            || ![g, c, e].iter().all(|n| valid_name(n))
            || file.is_empty()
        {
            return None;
        }
        return Some(ObjectRequest {
            action,
            region: region.to_string(),
            input: crate::data_plane::object_input(&endpoint_arn(region, account, g, c, e), file),
        });
    }
    if let Some(rest) = path.strip_prefix("/in/v1/") {
        if method != "PUT" && method != "POST" {
            return None;
        }
        let [account, region, g, index, c, file] = six_segments(rest)?;
        if !service::is_account_id(account)
            || !valid_name(region)
            || !valid_name(g)
            || !valid_name(c)
            || !(index == "1" || index == "2")
            || file.is_empty()
        {
            return None;
        }
        return Some(ObjectRequest {
            action: "PutObject",
            region: region.to_string(),
            input: crate::data_plane::object_input(&channel_arn(region, account, g, c), file),
        });
    }
    None
}

fn not_found() -> ObjectResponse {
    ObjectResponse {
        status: 404,
        content_type: "text/plain",
        body: b"Not Found".to_vec(),
    }
}

impl MediaPackageV2 {
    /// Serves an authorized data-plane request. The resource is looked up by its full ARN: the
    /// caller may be anonymous or another account, which the authorize stage has allowed.
    pub(super) fn serve_data_plane(
        &self,
        _ctx: &RequestContext,
        req: &ObjectRequest,
    ) -> Result<ObjectResponse, ServiceError> {
        let (arn, file) = crate::data_plane::object_of(req);
        let state = self.state.read();
        match req.action {
            "GetObject" | "GetHeadObject" => {
                let Some(e) = state.endpoints.get(arn) else {
                    return Ok(not_found());
                };
                if e.value.config.force_endpoint_error_configuration.is_some() {
                    // Ingest freshness is on the lifecycle clock, which tests step by hand.
                    let last = self.ingest.last(forced_errors::channel_of(arn));
                    let now = self.runtime.clock.lifecycle_now();
                    if forced_errors::forced(&e.value, last, now) {
                        return Ok(not_found());
                    }
                }
                Ok(
                    match manifests::document(&e.value, file, self.runtime.clock.now()) {
                        Some(doc) => ObjectResponse {
                            status: 200,
                            content_type: doc.content_type,
                            body: doc.body,
                        },
                        None => not_found(),
                    },
                )
            }
            "PutObject" => Ok(match state.channels.get(arn) {
                // Content is accepted and dropped: the synthetic egress does not replay it,
                // but its arrival keeps the channel's manifests fresh.
                Some(_) => {
                    self.ingest.record(arn, self.runtime.clock.lifecycle_now());
                    ObjectResponse {
                        status: 201,
                        content_type: "text/plain",
                        body: Vec::new(),
                    }
                }
                None => not_found(),
            }),
            other => Err(ServiceError::not_implemented("mediapackagev2", other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_egress_and_ingest_paths() {
        let r = route("GET", "/out/v1/111111111111/us-east-1/g/c/e/index.m3u8").unwrap();
        assert_eq!(r.action, "GetObject");
        assert_eq!(r.input["Arn"], "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g/channel/c/originEndpoint/e");
        assert_eq!(r.input["File"], "index.m3u8");
        assert_eq!(
            route("HEAD", "/out/v1/111111111111/us-east-1/g/c/e/x.mpd")
                .unwrap()
                .action,
            "GetHeadObject"
        );
        assert_eq!(
            route("PUT", "/in/v1/111111111111/us-east-1/g/2/c/index")
                .unwrap()
                .action,
            "PutObject"
        );
        assert!(route("DELETE", "/out/v1/111111111111/us-east-1/g/c/e/index.m3u8").is_none());
        assert!(route("GET", "/out/v1/1111/us-east-1/g/c/e/index.m3u8").is_none());
        assert!(route("GET", "/out/v1/111111111111/us-east-1/g/c/e/").is_none());
        assert!(route("GET", "/out/v1/111111111111/us-east-1/g/../e/x").is_none());
        assert!(route("PUT", "/in/v1/111111111111/us-east-1/g/3/c/index").is_none());
        // CMAF ingest puts each stream's files under the input's URL.
        let cmaf = route(
            "PUT",
            "/in/v1/111111111111/us-east-1/g/1/c/Streams(video.cmfv)/Segment(1)",
        )
        .unwrap();
        assert_eq!(cmaf.input["File"], "Streams(video.cmfv)/Segment(1)");
        assert!(route("GET", "/channelGroup").is_none());
    }
}
