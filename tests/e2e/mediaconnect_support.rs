//! Builders the MediaConnect end-to-end files share: the role MediaConnect assumes for a
//! flow's VPC interfaces, and a flow's one video media stream with a source receiving it.

use crate::common::TestServer;
use aws_sdk_mediaconnect::types as t;

/// A role `name` MediaConnect may assume (for a flow's VPC interfaces, SPEKE, keys); its ARN.
pub async fn mediaconnect_role(server: &TestServer, name: &str) -> String {
    server
        .iam_root()
        .await
        .create_role()
        .role_name(name)
        .assume_role_policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconnect.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#)
        .send()
        .await
        .unwrap()
        .role
        .unwrap()
        .arn
}

/// Media stream 1, `video`: 1080p at a 90 kHz clock.
pub fn video_stream() -> t::AddMediaStreamRequest {
    t::AddMediaStreamRequest::builder()
        .media_stream_id(1)
        .media_stream_name("video")
        .media_stream_type(t::MediaStreamType::Video)
        .clock_rate(90000)
        .video_format("1080p")
        .build()
}

/// Source `name` of `protocol` receiving [`video_stream`] as `encoding` on port 5000 of VPC
/// interface `interface`, with the 100 ms sync buffer CDI and JPEG XS sources need.
pub fn video_source(
    name: &str,
    protocol: t::Protocol,
    encoding: t::EncodingName,
    interface: &str,
) -> t::SetSourceRequest {
    t::SetSourceRequest::builder()
        .name(name)
        .protocol(protocol)
        .max_sync_buffer(100)
        .vpc_interface_name(interface)
        .media_stream_source_configurations(
            t::MediaStreamSourceConfigurationRequest::builder()
                .encoding_name(encoding)
                .media_stream_name("video")
                .input_configurations(
                    t::InputConfigurationRequest::builder()
                        .input_port(5000)
                        .interface(t::InterfaceRequest::builder().name(interface).build())
                        .build(),
                )
                .build(),
        )
        .build()
}
