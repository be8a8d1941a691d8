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
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        if parts.len() != 6 || parts[0] != "arn" || parts[2] != "mediapackagev2" {
            return None;
        }
        let path: Vec<&str> = parts[5].split('/').collect();
        let named = |i: usize, word: &str| path.get(i) == Some(&word);
        let ok = path.iter().all(|p| !p.is_empty());
        match path.len() {
            2 if ok && named(0, "channelGroup") => Some(Kind::Group),
            4 if ok && named(0, "channelGroup") && named(2, "channel") => Some(Kind::Channel),
            6 if ok
                && named(0, "channelGroup")
                && named(2, "channel")
                && named(4, "originEndpoint") =>
            {
                Some(Kind::Endpoint)
            }
            8 if ok
                && named(0, "channelGroup")
                && named(2, "channel")
                && named(4, "originEndpoint")
                && named(6, "harvestJob") =>
            {
                Some(Kind::Job)
            }
            _ => None,
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
        let candidates = [
            (
                Kind::Job,
                self.channel
                    .zip(self.endpoint)
                    .zip(self.job)
                    .map(|((c, e), j)| job_arn(r, a, g, c, e, j)),
            ),
            (
                Kind::Endpoint,
                self.channel
                    .zip(self.endpoint)
                    .map(|(c, e)| endpoint_arn(r, a, g, c, e)),
            ),
            (Kind::Channel, self.channel.map(|c| channel_arn(r, a, g, c))),
            (Kind::Group, Some(group_arn(r, a, g))),
        ];
        candidates
            .into_iter()
            .find_map(|(k, arn)| arn.filter(|_| wanted(k)).map(|arn| (k, arn)))
    }
}

pub fn group_arn(region: &str, account: &str, group: &str) -> String {
    format!("arn:aws:mediapackagev2:{region}:{account}:channelGroup/{group}")
}

pub fn channel_arn(region: &str, account: &str, group: &str, channel: &str) -> String {
    format!("{}/channel/{channel}", group_arn(region, account, group))
}

pub fn endpoint_arn(region: &str, account: &str, g: &str, c: &str, e: &str) -> String {
    format!("{}/originEndpoint/{e}", channel_arn(region, account, g, c))
}

pub fn job_arn(region: &str, account: &str, g: &str, c: &str, e: &str, j: &str) -> String {
    format!("{}/harvestJob/{j}", endpoint_arn(region, account, g, c, e))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
