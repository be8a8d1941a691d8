//! What the benchmark asks: an IAM user whose attached policy must be evaluated, the
//! resources the measured requests read, and the requests themselves, one per kind.

use crate::client::{encode, Client, Keys, Request};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;

/// The kinds of request measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// IVS GetChannel.
    GetChannel,
    /// IVS ListChannels, first page, with many channels present.
    ListChannels,
    /// MediaConnect DescribeFlow.
    DescribeFlow,
    /// MediaConvert CreateJob.
    CreateJob,
    /// MediaPackage v2 GetOriginEndpoint.
    GetOriginEndpoint,
    /// Anonymous MediaPackage v2 egress GET of an HLS manifest.
    Egress,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::GetChannel,
        Kind::ListChannels,
        Kind::DescribeFlow,
        Kind::CreateJob,
        Kind::GetOriginEndpoint,
        Kind::Egress,
    ];

    /// The kinds measured on moto's server. moto has no MediaConvert and no MediaPackage v2
    /// origin endpoints or egress; it has DescribeFlow, but with IAM auth on it answers every
    /// signed GET of a flow ARN with SignatureDoesNotMatch (SDK-encoded or raw `:`), so it is
    /// left out rather than reported as errors.
    pub const MOTO: [Kind; 2] = [Kind::GetChannel, Kind::ListChannels];

    /// How the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::GetChannel => "IVS GetChannel",
            Kind::ListChannels => "IVS ListChannels (1st page)",
            Kind::DescribeFlow => "MediaConnect DescribeFlow",
            Kind::CreateJob => "MediaConvert CreateJob",
            Kind::GetOriginEndpoint => "MediaPackage v2 GetOriginEndpoint",
            Kind::Egress => "MediaPackage v2 egress GET (anonymous)",
        }
    }
}

/// The user's attached (managed) policy: service-wide allows, a scoped PassRole and an
/// explicit deny, so every request goes through a real evaluation.
const USER_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Media","Effect":"Allow","Action":["ivs:*","mediaconnect:*","mediaconvert:*","mediapackagev2:*"],"Resource":"*"},{"Sid":"PassJobRole","Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::*:role/bench-mediaconvert"},{"Sid":"KeepChannels","Effect":"Deny","Action":"ivs:DeleteChannel","Resource":"*"}]}"#;

/// Trust and S3 access of MediaConvert's job role.
const JOB_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"mediaconvert.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const JOB_S3: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::media-in/*"},{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::media-out/*"}]}"#;

/// How many IAM calls `user` makes (moto lets that many through unauthenticated).
pub const BOOTSTRAP_CALLS: u32 = 4;

/// Sends `req` and insists on a 2xx; returns the body.
async fn call(c: &mut Client, req: &Request, keys: &Keys) -> Result<String, String> {
    let (status, body) = c.send(req, keys).await?;
    let text = String::from_utf8_lossy(&body).into_owned();
    if (200..300).contains(&status) {
        Ok(text)
    } else {
        Err(format!("{} {}: {status} {text}", req.method, req.path))
    }
}

/// The text between `open` and `close` in `xml`.
fn between(xml: &str, open: &str, close: &str) -> Option<String> {
    let rest = xml.split(open).nth(1)?;
    Some(rest.split(close).next()?.to_string())
}

fn json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{e}: {text}"))
}

/// Creates IAM user `bench` with the attached policy and an access key (as `admin`).
pub async fn user(addr: SocketAddr, admin: &Keys) -> Result<Keys, String> {
    let mut c = Client::connect(addr).await?;
    call(
        &mut c,
        &Request::iam(&[("Action", "CreateUser"), ("UserName", "bench")]),
        admin,
    )
    .await?;
    let created = call(
        &mut c,
        &Request::iam(&[
            ("Action", "CreatePolicy"),
            ("PolicyName", "bench-media"),
            ("PolicyDocument", USER_POLICY),
        ]),
        admin,
    )
    .await?;
    let arn = between(&created, "<Arn>", "</Arn>").ok_or("CreatePolicy: no Arn")?;
    call(
        &mut c,
        &Request::iam(&[
            ("Action", "AttachUserPolicy"),
            ("UserName", "bench"),
            ("PolicyArn", &arn),
        ]),
        admin,
    )
    .await?;
    let key = call(
        &mut c,
        &Request::iam(&[("Action", "CreateAccessKey"), ("UserName", "bench")]),
        admin,
    )
    .await?;
    Ok(Keys {
        id: between(&key, "<AccessKeyId>", "</AccessKeyId>").ok_or("no AccessKeyId")?,
        secret: between(&key, "<SecretAccessKey>", "</SecretAccessKey>")
            .ok_or("no SecretAccessKey")?,
    })
}

/// Creates the role MediaConvert jobs run as (as `admin`); returns its ARN.
pub async fn job_role(addr: SocketAddr, admin: &Keys) -> Result<String, String> {
    let mut c = Client::connect(addr).await?;
    let created = call(
        &mut c,
        &Request::iam(&[
            ("Action", "CreateRole"),
            ("RoleName", "bench-mediaconvert"),
            ("AssumeRolePolicyDocument", JOB_TRUST),
        ]),
        admin,
    )
    .await?;
    call(
        &mut c,
        &Request::iam(&[
            ("Action", "PutRolePolicy"),
            ("RoleName", "bench-mediaconvert"),
            ("PolicyName", "s3"),
            ("PolicyDocument", JOB_S3),
        ]),
        admin,
    )
    .await?;
    between(&created, "<Arn>", "</Arn>").ok_or_else(|| "CreateRole: no Arn".into())
}

/// Creates `count` IVS channels from 16 connections; returns the first one's ARN.
pub async fn channels(addr: SocketAddr, keys: &Keys, count: usize) -> Result<String, String> {
    let first = {
        let mut c = Client::connect(addr).await?;
        let text = call(
            &mut c,
            &Request::json("ivs", "POST", "/CreateChannel", r#"{"name":"bench-0"}"#),
            keys,
        )
        .await?;
        json(&text)?["channel"]["arn"]
            .as_str()
            .ok_or("CreateChannel: no arn")?
            .to_string()
    };
    let keys = Arc::new(keys.clone());
    let workers = 16.min(count.max(1));
    let mut tasks = Vec::new();
    for w in 0..workers {
        let keys = keys.clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(addr).await?;
            for i in (1 + w..count).step_by(workers) {
                let body = format!(r#"{{"name":"bench-{i}"}}"#);
                call(
                    &mut c,
                    &Request::json("ivs", "POST", "/CreateChannel", &body),
                    &keys,
                )
                .await?;
            }
            Ok::<_, String>(())
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(first)
}

/// Creates MediaConnect flow `bench`; returns its ARN.
pub async fn flow(addr: SocketAddr, keys: &Keys) -> Result<String, String> {
    let mut c = Client::connect(addr).await?;
    let body = r#"{"name":"bench","source":{"name":"src","protocol":"rtp","ingestPort":5000,"whitelistCidr":"10.0.0.0/16"}}"#;
    let text = call(
        &mut c,
        &Request::json("mediaconnect", "POST", "/v1/flows", body),
        keys,
    )
    .await?;
    Ok(json(&text)?["flow"]["flowArn"]
        .as_str()
        .ok_or("CreateFlow: no flowArn")?
        .to_string())
}

/// Creates MediaPackage v2 group `g`, channel `c`, endpoint `e` (HLS manifest `index`) and
/// a policy that lets anyone read it; returns the manifest's egress path.
pub async fn origin_endpoint(addr: SocketAddr, keys: &Keys) -> Result<String, String> {
    let mut c = Client::connect(addr).await?;
    call(
        &mut c,
        &Request::json(
            "mediapackagev2",
            "POST",
            "/channelGroup",
            r#"{"ChannelGroupName":"g"}"#,
        ),
        keys,
    )
    .await?;
    call(
        &mut c,
        &Request::json(
            "mediapackagev2",
            "POST",
            "/channelGroup/g/channel",
            r#"{"ChannelName":"c","InputType":"CMAF"}"#,
        ),
        keys,
    )
    .await?;
    let text = call(
        &mut c,
        &Request::json(
            "mediapackagev2",
            "POST",
            "/channelGroup/g/channel/c/originEndpoint",
            r#"{"OriginEndpointName":"e","ContainerType":"CMAF","HlsManifests":[{"ManifestName":"index"}]}"#,
        ),
        keys,
    )
    .await?;
    let e = json(&text)?;
    let arn = e["Arn"].as_str().ok_or("CreateOriginEndpoint: no Arn")?;
    let url = e["HlsManifests"][0]["Url"]
        .as_str()
        .ok_or("no manifest Url")?;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":"mediapackagev2:GetObject","Resource":"{arn}"}}]}}"#
    );
    let body = serde_json::json!({ "Policy": policy }).to_string();
    call(
        &mut c,
        &Request::json(
            "mediapackagev2",
            "POST",
            "/channelGroup/g/channel/c/originEndpoint/e/policy",
            &body,
        ),
        keys,
    )
    .await?;
    let rest = url.split("://").nth(1).unwrap_or(url);
    Ok(rest[rest.find('/').unwrap_or(rest.len())..].to_string())
}

/// The resources the measured requests read, by kind.
#[derive(Default)]
pub struct Resources {
    /// ARN of an IVS channel.
    pub channel: Option<String>,
    /// ARN of a MediaConnect flow.
    pub flow: Option<String>,
    /// ARN of MediaConvert's job role.
    pub job_role: Option<String>,
    /// Egress path of an HLS manifest.
    pub egress: Option<String>,
}

/// Where [`job_body`]'s input file name takes a job's own number (see
/// [`Request::with_serial`]).
pub const JOB_SERIAL: &str = "{serial}";

/// A MediaConvert CreateJob body running as `role`: one MP4 output of one S3 input, whose
/// name holds [`JOB_SERIAL`].
pub fn job_body(role: &str) -> String {
    serde_json::json!({
        "role": role,
        "settings": {
            "inputs": [{"fileInput": format!("s3://media-in/a-{JOB_SERIAL}.mp4")}],
            "outputGroups": [{
                "outputGroupSettings": {
                    "type": "FILE_GROUP_SETTINGS",
                    "fileGroupSettings": {"destination": "s3://media-out/"}
                },
                "outputs": [{
                    "nameModifier": "_720p",
                    "containerSettings": {"container": "MP4"},
                    "videoDescription": {"width": 1280, "height": 720, "codecSettings": {"codec": "H_264"}}
                }]
            }]
        }
    })
    .to_string()
}

/// The request measured for `kind`, if its resource exists.
pub fn request(kind: Kind, r: &Resources) -> Option<Request> {
    Some(match kind {
        Kind::GetChannel => {
            let body = serde_json::json!({ "arn": r.channel.as_deref()? }).to_string();
            Request::json("ivs", "POST", "/GetChannel", &body)
        }
        Kind::ListChannels => Request::json("ivs", "POST", "/ListChannels", "{}"),
        Kind::DescribeFlow => {
            let path = format!("/v1/flows/{}", encode(r.flow.as_deref()?));
            Request::json("mediaconnect", "GET", &path, "")
        }
        Kind::CreateJob => Request::json(
            "mediaconvert",
            "POST",
            "/2017-08-29/jobs",
            &job_body(r.job_role.as_deref()?),
        )
        .with_serial(JOB_SERIAL),
        Kind::GetOriginEndpoint => Request::json(
            "mediapackagev2",
            "GET",
            "/channelGroup/g/channel/c/originEndpoint/e",
            "",
        ),
        Kind::Egress => Request::anonymous_get(r.egress.as_deref()?),
    })
}
