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
    /// `source:3-…:NAME`
    Source,
    /// `output:2-…:NAME`
    Output,
    /// `entitlement:1-…:NAME`
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

    /// The digit AWS puts before a fresh ID of this type (`1-` flows, `2-` outputs, …).
    fn id_prefix(self) -> &'static str {
        match self {
            Kind::Output => "2",
            Kind::Source => "3",
            _ => "1",
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

/// A fresh resource ID in AWS's shape: `D-` + 16 + `-` + 12 alphanumerics.
pub fn new_id(ids: &IdGen, kind: Kind) -> String {
    format!("{}-{}-{}", kind.id_prefix(), ids.alnum(16), ids.hex(12))
}

/// A fresh ARN of `kind` named `name`.
pub fn new_arn(ids: &IdGen, region: &str, account: &str, kind: Kind, name: &str) -> String {
    format!(
        "{}{}:{name}",
        prefix(region, account, kind),
        new_id(ids, kind)
    )
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
        let arn = new_arn(&ids, "us-west-2", "111122223333", Kind::Output, "NYC");
        assert!(arn.starts_with("arn:aws:mediaconnect:us-west-2:111122223333:output:2-"));
        assert!(arn.ends_with(":NYC"));
        let p = parse(&arn).unwrap();
        assert_eq!(
            (p.region, p.account, p.kind),
            ("us-west-2", "111122223333", "output")
        );
        let id = p.rest.split(':').next().unwrap();
        assert_eq!(id.len(), 2 + 16 + 1 + 12);
        assert!(parse("arn:aws:ivs:us-west-2:1:channel/x").is_none());
    }

    #[test]
    fn sub_resource_arns_name_their_flow() {
        let flow = "arn:aws:mediaconnect:us-west-2:111122223333:flow:1-abc-def:Game";
        assert_eq!(parent_flow(&media_stream(flow, "v")), Some(flow));
        assert_eq!(parent_flow(&vpc_interface(flow, "eth")), Some(flow));
        assert_eq!(parent_flow(flow), None);
    }
}
