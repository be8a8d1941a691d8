//! The AWS CLI's documented examples for the media services (aws/aws-cli,
//! awscli/examples/{ivs,mediaconnect,mediaconvert,mediapackage}/*.rst), replayed with the AWS
//! SDK for Rust: each example's "Output:" is AWS's own answer, so these tests compare the
//! forms mediamock answers (member presence, defaults, ID shapes) with it. IDs and times
//! differ from the examples; their forms must not.

use crate::common;

use aws_sdk_mediapackage as mp;
use common::TestServer;

/// A version-4 UUID's 32 hex digits without hyphens, the form of every MediaPackage v1 ID
/// in AWS's answers.
fn is_uuid4_hex(id: &str) -> bool {
    id.len() == 32
        && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && id.as_bytes()[12] == b'4'
        && matches!(id.as_bytes()[16], b'8' | b'9' | b'a' | b'b')
}

/// awscli/examples/mediapackage/create-channel.rst and create-origin-endpoint.rst: the
/// channel `sportschannel` answers `channels/6d345804ec3f46c9b454a91d4a80d0e0`, its ingest
/// endpoints `6d345804…` (the channel's own) and `2daa32878af24803b24183727211b8ff`, the
/// endpoint `origin_endpoints/1dc6718be36f4f34bb9cd86bc50925e6`: version-4 UUIDs' hex digits.
#[tokio::test]
async fn mediapackage_ids_are_uuid4_hex_as_in_the_create_examples() {
    let server = TestServer::start().await;
    let client = mp::Client::new(&server.root_config().await);
    for n in 0..8 {
        let channel_id = format!("sportschannel{n}");
        let ch = client
            .create_channel()
            .id(&channel_id)
            .tags("region", "west")
            .send()
            .await
            .unwrap();
        let arn = ch.arn().unwrap();
        let internal = arn.rsplit('/').next().unwrap();
        assert!(arn.starts_with("arn:aws:mediapackage:us-west-2:000000000000:channels/"));
        assert!(is_uuid4_hex(internal), "{arn}");
        let ingest = ch.hls_ingest().unwrap().ingest_endpoints();
        assert_eq!(ingest.len(), 2);
        assert_eq!(ingest[0].id(), Some(internal));
        for e in ingest {
            let id = e.id().unwrap();
            assert!(is_uuid4_hex(id), "{id}");
            assert!(e
                .url()
                .unwrap()
                .ends_with(&format!("/in/v2/{internal}/{id}/channel")));
        }
        let ep = client
            .create_origin_endpoint()
            .channel_id(&channel_id)
            .id(format!("cmaf_sports{n}"))
            .cmaf_package(
                mp::types::CmafPackageCreateOrUpdateParameters::builder()
                    .hls_manifests(
                        mp::types::HlsManifestCreateOrUpdateParameters::builder()
                            .id("cmaf_sports_endpoint")
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let arn = ep.arn().unwrap();
        let internal = arn.rsplit('/').next().unwrap();
        assert!(arn.starts_with("arn:aws:mediapackage:us-west-2:000000000000:origin_endpoints/"));
        assert!(is_uuid4_hex(internal), "{arn}");
        let url = ep.cmaf_package().unwrap().hls_manifests()[0].url().unwrap();
        assert!(
            url.ends_with(&format!(
                "/out/v1/{internal}/cmaf_sports_endpoint/index.m3u8"
            )),
            "{url}"
        );
    }
}
