//! MediaConnect's resource quotas, from AWS's "Quotas in AWS Elemental MediaConnect" page
//! (https://docs.aws.amazon.com/mediaconnect/latest/ug/quotas.html); configuration may set
//! other values (`[quotas.mediaconnect]` in the config file). Each is answered with the
//! operation's own 420 shape (`CreateFlow420Exception`, `CreateBridge420Exception`,
//! `RouterInputServiceQuotaExceededException`, …), as the model defines.

use kit::{Quota, QuotaReached};
use service::ServiceError;

/// Flows per account and region.
pub(crate) const FLOWS: Quota = Quota::new("mediaconnect", "Flows", 20);
/// Outputs per (transport stream) flow.
pub(crate) const OUTPUTS_PER_FLOW: Quota = Quota::new("mediaconnect", "OutputsPerFlow", 50);
/// Outputs per CDI flow ("Outputs: 50 per transport stream flow, 10 per CDI flow").
pub(crate) const OUTPUTS_PER_CDI_FLOW: Quota = Quota::new("mediaconnect", "OutputsPerCdiFlow", 10);
/// Entitlements granted per flow.
pub(crate) const ENTITLEMENTS_PER_FLOW: Quota =
    Quota::new("mediaconnect", "EntitlementsPerFlow", 50);

/// Bridges per gateway.
pub(crate) const BRIDGES_PER_GATEWAY: Quota = Quota::new("mediaconnect", "BridgesPerGateway", 40);
/// Router inputs per account and region.
pub(crate) const ROUTER_INPUTS: Quota = Quota::new("mediaconnect", "RouterInputs", 20);
/// Router outputs per account and region.
pub(crate) const ROUTER_OUTPUTS: Quota = Quota::new("mediaconnect", "RouterOutputs", 20);
/// Router network interfaces per account and region.
pub(crate) const ROUTER_NETWORK_INTERFACES: Quota =
    Quota::new("mediaconnect", "RouterNetworkInterfaces", 10);

/// Every quota MediaConnect enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[
    FLOWS,
    OUTPUTS_PER_FLOW,
    OUTPUTS_PER_CDI_FLOW,
    ENTITLEMENTS_PER_FLOW,
    BRIDGES_PER_GATEWAY,
    ROUTER_INPUTS,
    ROUTER_OUTPUTS,
    ROUTER_NETWORK_INTERFACES,
];

/// The quota error `code` (the operation's 420 shape) naming the quota and its value.
pub(crate) fn exceeded(code: &'static str) -> impl Fn(QuotaReached) -> ServiceError {
    move |reached| {
        let what = match reached.quota.name {
            "Flows" => format!(
                "You have reached the limit of {} flows in this region.",
                reached.limit
            ),
            "OutputsPerFlow" => format!("A flow can have at most {} outputs.", reached.limit),
            "OutputsPerCdiFlow" => {
                format!("A CDI flow can have at most {} outputs.", reached.limit)
            }
            "EntitlementsPerFlow" => {
                format!("A flow can grant at most {} entitlements.", reached.limit)
            }
            "BridgesPerGateway" => format!("A gateway can have at most {} bridges.", reached.limit),
            // The router shapes' model sentence, then the quota's name and value.
            "RouterInputs" => format!(
                "The request to create a new router input would exceed the service quotas for the account. Quota: RouterInputs, limit: {}",
                reached.limit
            ),
            "RouterOutputs" => format!(
                "The request to create a new router output would exceed the service quotas (limits) set for the account. Quota: RouterOutputs, limit: {}",
                reached.limit
            ),
            other => format!(
                "The request to create a new router network interface would exceed the service quotas (limits) set for the account. Quota: {other}, limit: {}",
                reached.limit
            ),
        };
        ServiceError::new(code, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use service::Runtime;

    #[test]
    fn flows_quota_per_account_and_region_as_configured() {
        let mc = mc_with(|rt| {
            rt.quotas
                .entry("mediaconnect".into())
                .or_default()
                .insert("Flows".into(), 2);
        });
        let first = flow(&mc, "a");
        flow(&mc, "b");
        let body = json!({"Name": "c", "Source": rtp_source("src")});
        let e = err(&mc, "CreateFlow", body.clone(), "CreateFlow420Exception");
        assert_eq!(e, "You have reached the limit of 2 flows in this region.");
        let listed = ok(&mc, "ListFlows", json!({}));
        assert_eq!(
            listed["Flows"].as_array().unwrap().len(),
            2,
            "nothing created"
        );
        call_as(&mc, OTHER, "CreateFlow", body.clone()).unwrap();
        ok(&mc, "DeleteFlow", json!({"FlowArn": first}));
        ok(&mc, "CreateFlow", body);
    }

    #[test]
    fn outputs_quota_as_configured() {
        let mc = mc_with(|rt| {
            rt.quotas
                .entry("mediaconnect".into())
                .or_default()
                .insert("OutputsPerFlow".into(), 1);
        });
        let arn = flow(&mc, "a");
        let output = |n: &str| json!({"Name": n, "Protocol": "rtp", "Destination": "198.51.100.2", "Port": 5000});
        ok(
            &mc,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [output("o1")]}),
        );
        let e = err(
            &mc,
            "AddFlowOutputs",
            json!({"FlowArn": arn, "Outputs": [output("o2")]}),
            "AddFlowOutputs420Exception",
        );
        assert_eq!(e, "A flow can have at most 1 outputs.");
    }

    /// A service whose configuration sets `name` to `value`.
    fn mc_quota(name: &str, value: u64) -> std::sync::Arc<crate::MediaConnect> {
        mc_with(|rt| {
            rt.quotas
                .entry("mediaconnect".into())
                .or_default()
                .insert(name.into(), value);
        })
    }

    #[test]
    fn router_quotas_per_kind_with_each_kinds_shape() {
        let mc = mc_quota("RouterNetworkInterfaces", 1);
        let public = json!({"Name": "ni", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}});
        let ni = ok(&mc, "CreateRouterNetworkInterface", public.clone());
        let e = err(
            &mc,
            "CreateRouterNetworkInterface",
            public.clone(),
            "RouterNetworkInterfaceServiceQuotaExceededException",
        );
        assert!(
            e.ends_with("Quota: RouterNetworkInterfaces, limit: 1"),
            "{e}"
        );
        call_as(&mc, OTHER, "CreateRouterNetworkInterface", public).unwrap();
        // Inputs and outputs count apart from interfaces and from each other.
        let ni_arn = ni["RouterNetworkInterface"]["Arn"].as_str().unwrap();
        let input = |n: &str| {
            json!({"Name": n, "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "INPUT_20",
            "Configuration": {"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": {"Rtp": {"Port": 5000}}}}})
        };
        let output = |n: &str| {
            json!({"Name": n, "MaximumBitrate": 10000000, "RoutingScope": "REGIONAL", "Tier": "OUTPUT_20",
            "Configuration": {"Standard": {"NetworkInterfaceArn": ni_arn, "ProtocolConfiguration": {"Rtp": {"DestinationAddress": "198.51.100.1", "DestinationPort": 5000}}}}})
        };
        let mc2 = mc_quota("RouterInputs", 1);
        let ni2 = ok(
            &mc2,
            "CreateRouterNetworkInterface",
            json!({"Name": "ni", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}}),
        );
        let ni2_arn = ni2["RouterNetworkInterface"]["Arn"].as_str().unwrap();
        let on = |mut v: serde_json::Value| {
            v["Configuration"]["Standard"]["NetworkInterfaceArn"] = json!(ni2_arn);
            v
        };
        let first = ok(&mc2, "CreateRouterInput", on(input("a")));
        let e = err(
            &mc2,
            "CreateRouterInput",
            on(input("b")),
            "RouterInputServiceQuotaExceededException",
        );
        assert_eq!(e, "The request to create a new router input would exceed the service quotas for the account. Quota: RouterInputs, limit: 1");
        ok(&mc2, "CreateRouterOutput", on(output("o1")));
        ok(&mc2, "CreateRouterOutput", on(output("o2")));
        // Deleting the input frees room.
        ok(
            &mc2,
            "DeleteRouterInput",
            json!({"Arn": first["RouterInput"]["Arn"]}),
        );
        ok(&mc2, "CreateRouterInput", on(input("c")));
        let mc3 = mc_quota("RouterOutputs", 0);
        let ni3 = ok(
            &mc3,
            "CreateRouterNetworkInterface",
            json!({"Name": "ni", "Configuration": {"Public": {"AllowRules": [{"Cidr": "0.0.0.0/0"}]}}}),
        );
        let mut out = output("o");
        out["Configuration"]["Standard"]["NetworkInterfaceArn"] =
            ni3["RouterNetworkInterface"]["Arn"].clone();
        let e = err(
            &mc3,
            "CreateRouterOutput",
            out,
            "RouterOutputServiceQuotaExceededException",
        );
        assert!(e.ends_with("Quota: RouterOutputs, limit: 0"), "{e}");
    }

    #[test]
    fn bridges_quota_per_gateway() {
        let mc = mc_quota("BridgesPerGateway", 1);
        let gateway = |name: &str| {
            ok(
                &mc,
                "CreateGateway",
                json!({"Name": name, "EgressCidrBlocks": ["203.0.113.0/24"],
                    "Networks": [{"Name": "lan", "CidrBlock": "10.0.0.0/16"}]}),
            )["Gateway"]["GatewayArn"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let (a, b) = (gateway("a"), gateway("b"));
        let bridge = |gw: &str, name: &str| {
            json!({"Name": name, "PlacementArn": gw,
            "IngressGatewayBridge": {"MaxBitrate": 10000000, "MaxOutputs": 2},
            "Sources": [{"NetworkSource": {"Name": "cam", "MulticastIp": "224.0.0.1", "NetworkName": "lan", "Port": 5000, "Protocol": "rtp"}}]})
        };
        ok(&mc, "CreateBridge", bridge(&a, "one"));
        let e = err(
            &mc,
            "CreateBridge",
            bridge(&a, "two"),
            "CreateBridge420Exception",
        );
        assert_eq!(e, "A gateway can have at most 1 bridges.");
        // Another gateway has its own room.
        ok(&mc, "CreateBridge", bridge(&b, "two"));
    }

    #[test]
    fn a_flow_has_at_most_two_ena_and_one_efa_vpc_interfaces() {
        let mc = mc();
        let arn = flow(&mc, "a");
        let vpc = |name: &str, kind: &str| {
            json!({"FlowArn": arn, "VpcInterfaces": [{"Name": name, "NetworkInterfaceType": kind,
                "RoleArn": format!("arn:aws:iam::{ACCOUNT}:role/mc"), "SecurityGroupIds": ["sg-1"], "SubnetId": "subnet-1"}]})
        };
        ok(&mc, "AddFlowVpcInterfaces", vpc("e1", "ena"));
        ok(&mc, "AddFlowVpcInterfaces", vpc("e2", "ena"));
        ok(&mc, "AddFlowVpcInterfaces", vpc("f1", "efa"));
        let e = err(
            &mc,
            "AddFlowVpcInterfaces",
            vpc("e3", "ena"),
            "BadRequestException",
        );
        assert!(
            e.starts_with("A flow can have at most 2 ENA VPC interfaces and 1 EFA"),
            "{e}"
        );
        err(
            &mc,
            "AddFlowVpcInterfaces",
            vpc("f2", "efa"),
            "BadRequestException",
        );
        let d = ok(&mc, "DescribeFlow", json!({"FlowArn": arn}));
        assert_eq!(d["Flow"]["VpcInterfaces"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn default_quotas_are_aws_documented_values() {
        let rt = Runtime::for_tests();
        let values: Vec<(&str, u64)> = QUOTAS.iter().map(|q| (q.name, q.limit(&rt))).collect();
        assert_eq!(
            values,
            [
                ("Flows", 20),
                ("OutputsPerFlow", 50),
                ("OutputsPerCdiFlow", 10),
                ("EntitlementsPerFlow", 50),
                ("BridgesPerGateway", 40),
                ("RouterInputs", 20),
                ("RouterOutputs", 20),
                ("RouterNetworkInterfaces", 10)
            ]
        );
    }
}
