//! The rules the model's documentation and the User Guide set for router inputs and outputs
//! beyond what the model's shapes check: two same-protocol sources for failover and merge
//! inputs, a naming or switching mode that agrees with its configuration, distinct PMT and PCR
//! PIDs, a maximum bitrate within the tier, a configuration type kept on update, and which
//! outputs can take which inputs.

use crate::error::bad_request;
use crate::model::{union_key, Doc};
use serde_json::Value;
use service::ServiceError;

/// The protocol configurations of a router input's configuration: one for a standard input,
/// the list of a failover or merge input.
fn protocol_configurations(configuration: &Doc) -> Vec<&Value> {
    let Some(kind) = union_key(configuration) else {
        return Vec::new();
    };
    let c = &configuration[kind];
    match kind {
        "Standard" => c.get("ProtocolConfiguration").into_iter().collect(),
        "Failover" | "Merge" => c
            .get("ProtocolConfigurations")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A router input's configuration: failover and merge inputs take "exactly two protocol
/// configurations … Both must use the same protocol type", and an RTMP push input's
/// `NamingType`, when given, "must match the naming configuration" (the model's words).
pub fn input_configuration(configuration: &Doc) -> Result<(), ServiceError> {
    if let Some(kind @ ("Failover" | "Merge")) = union_key(configuration) {
        let list = protocol_configurations(configuration);
        if list.len() != 2 {
            return Err(bad_request(format!(
                "A {} router input needs exactly two protocol configurations; {} given.",
                kind.to_ascii_lowercase(),
                list.len()
            )));
        }
        if union_key(list[0]) != union_key(list[1]) {
            return Err(bad_request(format!(
                "Both protocol configurations of a {} router input must use the same protocol.",
                kind.to_ascii_lowercase()
            )));
        }
    }
    for p in protocol_configurations(configuration) {
        let Some(rtmp) = p.get("RtmpPush") else {
            continue;
        };
        let given = rtmp.get("NamingType").and_then(Value::as_str);
        let configured = rtmp.get("NamingConfiguration").and_then(union_key);
        if let (Some(given), Some(configured)) = (given, configured) {
            if !given.eq_ignore_ascii_case(configured) {
                return Err(bad_request(format!(
                    "NamingType {given} does not match the naming configuration ({configured})."
                )));
            }
        }
    }
    Ok(())
}

/// A router output's fabric configuration: its `SwitchingMode`, when given, "must match the
/// switching configuration" (`IMMEDIATE` ↔ `Immediate`, `KEY_FRAME` ↔ `KeyFrame`).
pub fn fabric_configuration(fabric: &Doc) -> Result<(), ServiceError> {
    let given = fabric.get("SwitchingMode").and_then(Value::as_str);
    let configured = fabric.get("SwitchingConfiguration").and_then(union_key);
    if let (Some(given), Some(configured)) = (given, configured) {
        if given.replace('_', "") != configured.to_ascii_uppercase() {
            return Err(bad_request(format!(
                "SwitchingMode {given} does not match the switching configuration ({configured})."
            )));
        }
    }
    Ok(())
}

/// A router output's processors: a PMT PID and a PCR PID that are both set "must be
/// different" (the model's words on each).
pub fn processors(processors: &Doc) -> Result<(), ServiceError> {
    let Some(map) = processors.get("SingleProgramTransportStreamPidMap") else {
        return Ok(());
    };
    let set = |member: &str| {
        map.get(member)
            .and_then(|p| p.get("Set"))
            .and_then(Value::as_i64)
    };
    match (set("ProgramMapTablePid"), set("ProgramClockReferencePid")) {
        (Some(pmt), Some(pcr)) if pmt == pcr => Err(bad_request(format!(
            "The PMT PID and the PCR PID must be different; both are {pmt}."
        ))),
        _ => Ok(()),
    }
}

/// The most a tier carries, in bits per second (`INPUT_50` → 50 Mbps).
fn tier_limit(tier: &str) -> Option<i64> {
    let mbps: i64 = tier.rsplit('_').next()?.parse().ok()?;
    Some(mbps * 1_000_000)
}

/// "The maximum bitrate must fall within the limits of your selected tier" (User Guide,
/// Creating a router I/O).
pub fn bitrate_within_tier(bitrate: Option<i64>, tier: Option<&str>) -> Result<(), ServiceError> {
    let (Some(bitrate), Some(tier)) = (bitrate, tier) else {
        return Ok(());
    };
    match tier_limit(tier) {
        Some(limit) if bitrate > limit => Err(bad_request(format!(
            "MaximumBitrate {bitrate} exceeds the {} Mbps of tier {tier}.",
            limit / 1_000_000
        ))),
        _ => Ok(()),
    }
}

/// An update's configuration keeps the stored one's type: "Changing the type of the
/// configuration is not supported" (the model, on every UpdateRouter* request).
pub fn same_configuration_type(stored: &Doc, new: &Doc, noun: &str) -> Result<(), ServiceError> {
    match (union_key(stored), union_key(new)) {
        (Some(old), Some(new)) if old != new => Err(bad_request(format!(
            "Changing the type of the {} configuration is not supported: it is {old}, not {new}.",
            noun.to_ascii_lowercase()
        ))),
        _ => Ok(()),
    }
}

/// What TakeRouterInput compares of an input or output.
pub struct Routable<'a> {
    /// Its region.
    pub region: &'a str,
    /// `REGIONAL` or `GLOBAL`.
    pub scope: &'a str,
    /// Its maximum bitrate.
    pub bitrate: i64,
}

/// Whether an output can take an input (User Guide, Using the router matrix view): a
/// REGIONAL input or output pairs only within its Region, and an output takes only inputs
/// of an equal or lesser maximum bitrate.
pub fn compatible(input: &Routable, output: &Routable) -> Result<(), ServiceError> {
    if input.region != output.region && (input.scope != "GLOBAL" || output.scope != "GLOBAL") {
        return Err(bad_request(format!(
            "The router input in {} and the router output in {} are in different Regions; \
             both need the GLOBAL routing scope to be routed across Regions.",
            input.region, output.region
        )));
    }
    if input.bitrate > output.bitrate {
        return Err(bad_request(format!(
            "The router input's maximum bitrate ({}) is more than the router output's ({}).",
            input.bitrate, output.bitrate
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn failover_and_merge_inputs_take_two_configurations_of_one_protocol() {
        let with = |kind: &str, list: Value| json!({ kind: {"ProtocolConfigurations": list}});
        let rtp = |port: i64| json!({"Rtp": {"Port": port}});
        let srt = json!({"SrtListener": {"Port": 5001}});
        for kind in ["Failover", "Merge"] {
            assert!(input_configuration(&with(kind, json!([rtp(5000), rtp(5002)]))).is_ok());
            for list in [
                json!([rtp(5000)]),
                json!([rtp(1), rtp(2), rtp(3)]),
                json!([]),
            ] {
                let e = input_configuration(&with(kind, list)).unwrap_err();
                assert!(e.message.contains("exactly two"), "{e}");
            }
            let e = input_configuration(&with(kind, json!([rtp(5000), srt]))).unwrap_err();
            assert!(e.message.contains("same protocol"), "{e}");
        }
    }

    #[test]
    fn naming_and_switching_modes_match_their_configurations() {
        let rtmp = |ty: &str, naming: Value| json!({"Standard": {"ProtocolConfiguration": {"RtmpPush": {"Port": 1935, "NamingType": ty, "NamingConfiguration": naming}}}});
        let manual = json!({"Manual": {"ApplicationName": "a", "StreamName": "b"}});
        assert!(input_configuration(&rtmp("MANUAL", manual.clone())).is_ok());
        assert!(input_configuration(&rtmp("AUTOMATIC", json!({"Automatic": {}}))).is_ok());
        let e = input_configuration(&rtmp("AUTOMATIC", manual)).unwrap_err();
        assert_eq!(e.code, "BadRequestException");
        let fabric = |mode: &str, config: Value| json!({"RecoveryLatencyMode": "BALANCED", "SwitchingMode": mode, "SwitchingConfiguration": config});
        assert!(fabric_configuration(&fabric("KEY_FRAME", json!({"KeyFrame": {}}))).is_ok());
        assert!(fabric_configuration(&fabric("IMMEDIATE", json!({"Immediate": {}}))).is_ok());
        assert!(fabric_configuration(&json!({"SwitchingMode": "KEY_FRAME"})).is_ok());
        assert!(fabric_configuration(&fabric("IMMEDIATE", json!({"KeyFrame": {}}))).is_err());
    }

    #[test]
    fn pmt_and_pcr_pids_differ_and_bitrates_fit_their_tier() {
        let pids = |pmt: i64, pcr: i64| json!({"SingleProgramTransportStreamPidMap": {"ProgramMapTablePid": {"Set": pmt}, "ProgramClockReferencePid": {"Set": pcr}}});
        assert!(processors(&pids(100, 101)).is_ok());
        assert!(processors(&pids(100, 100)).is_err());
        assert!(bitrate_within_tier(Some(50_000_000), Some("INPUT_50")).is_ok());
        assert!(bitrate_within_tier(Some(50_000_001), Some("INPUT_50")).is_err());
        assert!(bitrate_within_tier(Some(500_000_000), Some("OUTPUT_500")).is_ok());
        assert!(bitrate_within_tier(Some(21_000_000), Some("OUTPUT_20")).is_err());
    }

    #[test]
    fn takes_pair_regions_by_scope_and_bitrates_upwards() {
        let r = |region, scope, bitrate| Routable {
            region,
            scope,
            bitrate,
        };
        assert!(compatible(
            &r("us-west-2", "REGIONAL", 10),
            &r("us-west-2", "REGIONAL", 10)
        )
        .is_ok());
        assert!(compatible(&r("us-west-2", "GLOBAL", 10), &r("us-east-1", "GLOBAL", 20)).is_ok());
        assert!(compatible(
            &r("us-west-2", "GLOBAL", 10),
            &r("us-east-1", "REGIONAL", 20)
        )
        .is_err());
        assert!(compatible(
            &r("us-west-2", "REGIONAL", 20),
            &r("us-west-2", "GLOBAL", 10)
        )
        .is_err());
    }
}
