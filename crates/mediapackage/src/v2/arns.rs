//! v2 ARNs (`arn:aws:mediapackagev2:REGION:ACCOUNT:channelGroup/G/channel/C/originEndpoint/E/
//! harvestJob/J`) and which resource a request's names point at.

use kit::input::opt_str;
use serde_json::Value;
use service::RequestContext;

/// The four v2 resource types, by their reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Group,
    Channel,
    Endpoint,
    Job,
}

impl Kind {
    /// The Service Authorization Reference's name of the type.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Group => "ChannelGroup",
            Kind::Channel => "Channel",
            Kind::Endpoint => "OriginEndpoint",
            Kind::Job => "HarvestJob",
        }
    }

    /// The type of a v2 ARN, by its resource path's shape.
    pub fn of_arn(arn: &str) -> Option<Kind> {
        let Some(["arn", _, "mediapackagev2", _, _, path]) = service::arn_parts(arn) else {
            return None;
        };
        // `channelGroup/G[/channel/C[/originEndpoint/E[/harvestJob/J]]]`, no segment empty.
        const WORDS: [&str; 4] = ["channelGroup", "channel", "originEndpoint", "harvestJob"];
        const KINDS: [Kind; 4] = [Kind::Group, Kind::Channel, Kind::Endpoint, Kind::Job];
        let mut segments = path.split('/');
        let mut kind = None;
        for (word, k) in WORDS.iter().zip(KINDS) {
            match (segments.next(), segments.next()) {
                (None, _) if kind.is_some() => return kind,
                (Some(w), Some(name)) if w == *word && !name.is_empty() => kind = Some(k),
                _ => return None,
            }
        }
        match segments.next() {
            None => kind,
            Some(_) => None,
        }
    }
}

/// The names a request carries (path labels and body members).
#[derive(Debug, Default, Clone, Copy)]
pub struct Names<'a> {
    pub group: Option<&'a str>,
    pub channel: Option<&'a str>,
    pub endpoint: Option<&'a str>,
    pub job: Option<&'a str>,
}

impl<'a> Names<'a> {
    pub fn read(input: &'a Value) -> Self {
        Names {
            group: opt_str(input, "ChannelGroupName"),
            channel: opt_str(input, "ChannelName"),
            endpoint: opt_str(input, "OriginEndpointName"),
            job: opt_str(input, "HarvestJobName"),
        }
    }

    /// The most specific resource these names build whose type `wanted` accepts.
    pub fn most_specific(
        &self,
        ctx: &RequestContext,
        wanted: impl Fn(Kind) -> bool,
    ) -> Option<(Kind, String)> {
        let (r, a) = (ctx.region.as_str(), ctx.account());
        let g = self.group?;
        // Most specific first; only the one chosen is built.
        let (c, e, j) = (self.channel, self.endpoint, self.job);
        if let (Some(c), Some(e), Some(j)) = (c, e, j) {
            if wanted(Kind::Job) {
                return Some((Kind::Job, job_arn(r, a, g, c, e, j)));
            }
        }
        if let (Some(c), Some(e)) = (c, e) {
            if wanted(Kind::Endpoint) {
                return Some((Kind::Endpoint, endpoint_arn(r, a, g, c, e)));
            }
        }
        if let Some(c) = c {
            if wanted(Kind::Channel) {
                return Some((Kind::Channel, channel_arn(r, a, g, c)));
            }
        }
        wanted(Kind::Group).then(|| (Kind::Group, group_arn(r, a, g)))
    }
}

/// `arn:aws:mediapackagev2:REGION:ACCOUNT:` followed by `path`, built in one allocation (the
/// data plane builds one per request).
fn arn_of(region: &str, account: &str, path: &[&str]) -> String {
    // The longest path (a harvest job's) has 8 parts.
    let mut parts = [
        "arn:aws:mediapackagev2:",
        region,
        ":",
        account,
        ":",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ];
    let n = 5 + path.len().min(8);
    parts[5..n].copy_from_slice(&path[..n - 5]);
    service::concat(&parts[..n])
}

pub fn group_arn(region: &str, account: &str, group: &str) -> String {
    arn_of(region, account, &["channelGroup/", group])
}

pub fn channel_arn(region: &str, account: &str, group: &str, channel: &str) -> String {
    arn_of(
        region,
        account,
        &["channelGroup/", group, "/channel/", channel],
    )
}

pub fn endpoint_arn(region: &str, account: &str, g: &str, c: &str, e: &str) -> String {
    arn_of(
        region,
        account,
        &["channelGroup/", g, "/channel/", c, "/originEndpoint/", e],
    )
}

pub fn job_arn(region: &str, account: &str, g: &str, c: &str, e: &str, j: &str) -> String {
    arn_of(
        region,
        account,
        &[
            "channelGroup/",
            g,
            "/channel/",
            c,
            "/originEndpoint/",
            e,
            "/harvestJob/",
            j,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use service::Principal;
    use std::sync::Arc;

    #[test]
    fn kinds_by_shape() {
        let e = endpoint_arn("us-east-1", "111111111111", "g", "c", "e");
        assert_eq!(Kind::of_arn(&e), Some(Kind::Endpoint));
        assert_eq!(Kind::of_arn(&format!("{e}/harvestJob/j")), Some(Kind::Job));
        assert_eq!(
            Kind::of_arn("arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g"),
            Some(Kind::Group)
        );
        assert_eq!(
            Kind::of_arn("arn:aws:mediapackagev2:us-east-1:1:channelGroup//channel/c"),
            None
        );
        assert_eq!(
            Kind::of_arn("arn:aws:mediapackage:us-east-1:1:channels/x"),
            None
        );
    }

    #[test]
    fn arns_are_typed_by_their_path() {
        let p = "arn:aws:mediapackagev2:us-east-1:111111111111:";
        let cases = [
            ("channelGroup/g", Some(Kind::Group)),
            ("channelGroup/g/channel/c", Some(Kind::Channel)),
            (
                "channelGroup/g/channel/c/originEndpoint/e",
                Some(Kind::Endpoint),
            ),
            (
                "channelGroup/g/channel/c/originEndpoint/e/harvestJob/j",
                Some(Kind::Job),
            ),
            (
                "channelGroup/g/channel/c/originEndpoint/e/harvestJob/j/x",
                None,
            ),
            ("channelGroup/g/", None),
            ("channelGroup/", None),
            ("channelGroup/g/channel", None),
            ("channelGroup/g/channel//originEndpoint/e", None),
            ("channelGroup/g/chanel/c", None),
            ("channel/c", None),
            ("", None),
        ];
        for (path, kind) in cases {
            assert_eq!(Kind::of_arn(&format!("{p}{path}")), kind, "{path}");
        }
        assert_eq!(
            Kind::of_arn("arn:aws:mediapackage:us-east-1:1:channelGroup/g"),
            None
        );
        assert_eq!(
            Kind::of_arn("urn:aws:mediapackagev2:us-east-1:1:channelGroup/g"),
            None
        );
        assert_eq!(Kind::of_arn("arn:aws:mediapackagev2:us-east-1"), None);
    }

    #[test]
    fn names_build_the_most_specific_wanted_arn() {
        let ctx = RequestContext::new(
            "r",
            Arc::new(Principal::root("111111111111", "k")),
            "us-east-1",
        );
        let names = Names {
            group: Some("g"),
            channel: Some("c"),
            endpoint: Some("e"),
            job: Some("j"),
        };
        let p = "arn:aws:mediapackagev2:us-east-1:111111111111:channelGroup/g";
        assert_eq!(
            names.most_specific(&ctx, |_| true),
            Some((
                Kind::Job,
                format!("{p}/channel/c/originEndpoint/e/harvestJob/j")
            ))
        );
        assert_eq!(
            names.most_specific(&ctx, |k| k != Kind::Job),
            Some((Kind::Endpoint, format!("{p}/channel/c/originEndpoint/e")))
        );
        assert_eq!(
            names.most_specific(&ctx, |k| k == Kind::Channel),
            Some((Kind::Channel, format!("{p}/channel/c")))
        );
        assert_eq!(
            names.most_specific(&ctx, |k| k == Kind::Group),
            Some((Kind::Group, p.to_string()))
        );
        assert_eq!(names.most_specific(&ctx, |_| false), None);
        let no_endpoint = Names {
            endpoint: None,
            ..names
        };
        assert_eq!(
            no_endpoint.most_specific(&ctx, |k| k != Kind::Channel),
            Some((Kind::Group, p.to_string()))
        );
        assert_eq!(Names::default().most_specific(&ctx, |_| true), None);
    }
}
