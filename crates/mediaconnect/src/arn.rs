//! MediaConnect's ARNs and resource IDs, in the formats of the Service Authorization
//! Reference: `arn:aws:mediaconnect:REGION:ACCOUNT:TYPE:ID:NAME` for flows, sources, outputs,
//! entitlements, bridges and gateways; `FLOW_ARN/mediaStream/NAME` and
//! `FLOW_ARN/vpcInterface/NAME` for a flow's media streams and VPC interfaces.

use service::IdGen;

/// The resource types that have ARNs of the `TYPE:ID:NAME` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `flow:1-…:NAME`
    Flow,
    /// `source:FLOW_ID:NAME`
    Source,
    /// `output:FLOW_ID:NAME`
    Output,
    /// `entitlement:FLOW_ID:NAME`
    Entitlement,
    /// `bridge:1-…:NAME`
    Bridge,
    /// `gateway:1-…:NAME`
    Gateway,
}

impl Kind {
    /// The ARN's resource-type segment.
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Flow => "flow",
            Kind::Source => "source",
            Kind::Output => "output",
            Kind::Entitlement => "entitlement",
            Kind::Bridge => "bridge",
            Kind::Gateway => "gateway",
        }
    }
}

/// The parts of a `arn:aws:mediaconnect:REGION:ACCOUNT:TYPE:ID:NAME` ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    /// The region.
    pub region: &'a str,
    /// The owning account.
    pub account: &'a str,
    /// The resource-type segment (`flow`, `output`, …).
    pub kind: &'a str,
    /// Everything after the type segment (`ID:NAME`, or `ID:NAME/mediaStream/X`).
    pub rest: &'a str,
}

/// Splits a MediaConnect ARN; `None` for anything else.
pub fn parse(arn: &str) -> Option<Parsed<'_>> {
    let rest = arn.strip_prefix("arn:aws:mediaconnect:")?;
    let mut parts = rest.splitn(4, ':');
    let region = parts.next()?;
    let account = parts.next()?;
    let kind = parts.next()?;
    let rest = parts.next().unwrap_or("");
    Some(Parsed {
        region,
        account,
        kind,
        rest,
    })
}

/// `arn:aws:mediaconnect:REGION:ACCOUNT:TYPE:`, the prefix every ARN of `kind` in an account
/// and region starts with (stores are ordered by ARN, so this is also a range).
pub fn prefix(region: &str, account: &str, kind: Kind) -> String {
    format!(
        "arn:aws:mediaconnect:{region}:{account}:{}:",
        kind.segment()
    )
}

/// A fresh resource ID in AWS's shape: `1-` + 16 alphanumerics + `-` + 12 hex digits.
pub fn new_id(ids: &IdGen) -> String {
    format!("1-{}-{}", ids.alnum(16), ids.hex(12))
}

/// A fresh ARN of `kind` named `name`.
pub fn new_arn(ids: &IdGen, region: &str, account: &str, kind: Kind, name: &str) -> String {
    format!("{}{}:{name}", prefix(region, account, kind), new_id(ids))
}

/// The ARN of the source, output or entitlement (`kind`) named `name` of the flow `flow_arn`.
/// AWS gives a flow's parts the flow's own ID: the User Guide's CLI example of a CDI flow
/// answers `flow:1-DwtfUlYOUVABAQNR-c94d84ce4215:AwardsShow` with
/// `source:1-DwtfUlYOUVABAQNR-c94d84ce4215:jxs-input` and
/// `output:1-DwtfUlYOUVABAQNR-c94d84ce4215:cdi-output`, and AWS's getting-started tutorial
/// shows the same for a source, an output and an entitlement. A name is unique among its
/// kind in a flow, so the ARN is too.
pub fn part_arn(flow_arn: &str, kind: Kind, name: &str) -> String {
    match parse(flow_arn) {
        Some(p) => {
            let id = p.rest.split(':').next().unwrap_or_default();
            format!("{}{id}:{name}", prefix(p.region, p.account, kind))
        }
        None => format!("{flow_arn}:{}:{name}", kind.segment()),
    }
}

/// The ARN of a flow's media stream (per the reference's `MediaStream` resource type).
pub fn media_stream(flow_arn: &str, name: &str) -> String {
    format!("{flow_arn}/mediaStream/{name}")
}

/// The ARN of a flow's VPC interface (per the reference's `VpcInterface` resource type).
pub fn vpc_interface(flow_arn: &str, name: &str) -> String {
    format!("{flow_arn}/vpcInterface/{name}")
}

/// The flow ARN a `…/mediaStream/X` or `…/vpcInterface/X` ARN belongs to.
pub fn parent_flow(arn: &str) -> Option<&str> {
    let (flow, _) = arn.split_once('/')?;
    parse(flow).filter(|p| p.kind == "flow").map(|_| flow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_parses_arns() {
        let ids = IdGen::new(Some(1));
        let arn = new_arn(&ids, "us-west-2", "111122223333", Kind::Flow, "NYC");
        assert!(arn.starts_with("arn:aws:mediaconnect:us-west-2:111122223333:flow:1-"));
        assert!(arn.ends_with(":NYC"));
        let p = parse(&arn).unwrap();
        assert_eq!(
            (p.region, p.account, p.kind),
            ("us-west-2", "111122223333", "flow")
        );
        let id = p.rest.split(':').next().unwrap();
        assert_eq!(id.len(), 2 + 16 + 1 + 12);
        assert!(parse("arn:aws:ivs:us-west-2:1:channel/x").is_none());
    }

    #[test]
    fn a_flows_parts_take_its_id() {
        let flow = "arn:aws:mediaconnect:us-west-2:111122223333:flow:1-DwtfUlYOUVABAQNR-c94d84ce4215:AwardsShow";
        assert_eq!(
            part_arn(flow, Kind::Source, "jxs-input"),
            "arn:aws:mediaconnect:us-west-2:111122223333:source:1-DwtfUlYOUVABAQNR-c94d84ce4215:jxs-input"
        );
        assert_eq!(
            part_arn(flow, Kind::Output, "cdi-output"),
            "arn:aws:mediaconnect:us-west-2:111122223333:output:1-DwtfUlYOUVABAQNR-c94d84ce4215:cdi-output"
        );
        assert_eq!(
            part_arn(flow, Kind::Entitlement, "PhillyTeam"),
            "arn:aws:mediaconnect:us-west-2:111122223333:entitlement:1-DwtfUlYOUVABAQNR-c94d84ce4215:PhillyTeam"
        );
    }

    #[test]
    fn sub_resource_arns_name_their_flow() {
        let flow = "arn:aws:mediaconnect:us-west-2:111122223333:flow:1-abc-def:Game";
        assert_eq!(parent_flow(&media_stream(flow, "v")), Some(flow));
        assert_eq!(parent_flow(&vpc_interface(flow, "eth")), Some(flow));
        assert_eq!(parent_flow(flow), None);
    }
}
