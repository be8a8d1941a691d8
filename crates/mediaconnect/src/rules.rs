//! Checks MediaConnect applies to names, addresses, ports and schedules, with its messages.

use crate::error::bad_request;
use service::ServiceError;
use std::net::IpAddr;

/// Protocols a flow source may use.
pub const SOURCE_PROTOCOLS: &[&str] = &[
    "zixi-push",
    "rtp-fec",
    "rtp",
    "rist",
    "st2110-jpegxs",
    "cdi",
    "srt-listener",
    "srt-caller",
    "fujitsu-qos",
    "udp",
    "ndi-speed-hq",
    "rtmp-push",
];

/// Refuses the Fujitsu QoS protocol: the model, on every `Protocol` member, says "Elemental
/// MediaConnect no longer supports the Fujitsu QoS protocol. This reference is maintained for
/// legacy purposes only."
pub fn supported_protocol(protocol: &str) -> Result<(), ServiceError> {
    if protocol == "fujitsu-qos" {
        return Err(bad_request(
            "Elemental MediaConnect no longer supports the Fujitsu QoS protocol (fujitsu-qos).",
        ));
    }
    Ok(())
}

/// A present, non-empty name.
pub fn name<'a>(what: &str, name: Option<&'a str>) -> Result<&'a str, ServiceError> {
    match name.map(str::trim) {
        Some(n) if !n.is_empty() => {
            if n.contains(':') || n.contains('/') {
                return Err(bad_request(format!(
                    "{what} name {n} is not valid: names cannot contain ':' or '/'."
                )));
            }
            Ok(name.unwrap_or_default())
        }
        _ => Err(bad_request(format!("{what} name is required."))),
    }
}

/// The name of a flow, flow source, output or entitlement, which becomes the last part of its
/// ARN: a present name of letters, digits, `-` and `_` only. The model's `FlowArn`,
/// `FlowSourceArn` and `FlowOutputArn` patterns end in `:[a-zA-Z0-9_-]+`, so AWS mints no other
/// ARN (and its operations taking those shapes refuse one); AWS's CDK checks flow, source and
/// entitlement names against the same set. No public source quotes AWS's message: the
/// wording is ours.
pub fn arn_name<'a>(what: &str, value: Option<&'a str>) -> Result<&'a str, ServiceError> {
    let n = name(what, value)?;
    if !n
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(bad_request(format!(
            "{what} name {n} is not valid. Names can contain only letters, numbers, hyphens (-) and underscores (_)."
        )));
    }
    Ok(n)
}

/// Refuses a name already used by another part of the same kind.
pub fn unique<'a>(
    what: &str,
    name: &str,
    existing: impl Iterator<Item = &'a str>,
) -> Result<(), ServiceError> {
    unique_in("flow", what, name, existing)
}

/// A new part's name must not be one `existing` (of the `container`, "flow" or "bridge")
/// already uses: the model says a bridge's source and output names "must be unique among
/// sources/outputs in this bridge", so a bridge's refusal names the bridge.
pub fn unique_in<'a>(
    container: &str,
    what: &str,
    name: &str,
    mut existing: impl Iterator<Item = &'a str>,
) -> Result<(), ServiceError> {
    if existing.any(|n| n == name) {
        return Err(bad_request(format!(
            "{what} name {name} already exists in this {container}. {what} names must be unique within a {container}."
        )));
    }
    Ok(())
}

/// A CIDR block such as `10.24.34.0/23`.
pub fn cidr(member: &str, value: &str) -> Result<(), ServiceError> {
    if value.parse::<ipnet::IpNet>().is_err() {
        return Err(bad_request(format!(
            "{member} {value} is not a valid CIDR block. Specify a CIDR block such as 10.24.34.0/23."
        )));
    }
    Ok(())
}

/// An IP address.
pub fn ip(member: &str, value: &str) -> Result<(), ServiceError> {
    if value.parse::<IpAddr>().is_err() {
        return Err(bad_request(format!(
            "{member} {value} is not a valid IP address."
        )));
    }
    Ok(())
}

/// An IP address or a domain name (letters, digits and hyphens in dot-separated labels of up
/// to 63 characters, 253 in all), for the members the User Guide lets name either.
pub fn ip_or_domain(member: &str, value: &str) -> Result<(), ServiceError> {
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let domain = value.len() <= 253
        && value.contains('.')
        && value.trim_end_matches('.').split('.').all(label)
        // A dotted quad that is no IP address (999.1.1.1) is not a name either.
        && !value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if value.parse::<IpAddr>().is_err() && !domain {
        return Err(bad_request(format!(
            "{member} {value} is not a valid IP address or domain name."
        )));
    }
    Ok(())
}

/// An NDI source's `SourceName`: "If included, the format of this name must be MACHINENAME
/// (ProgramName)" (the model's NdiSourceSettings), a machine name, a space and the program
/// name in parentheses.
pub fn ndi_sender_name(name: &str) -> Result<(), ServiceError> {
    let well_formed = name
        .strip_suffix(')')
        .and_then(|n| n.split_once(" ("))
        .is_some_and(|(machine, program)| !machine.trim().is_empty() && !program.is_empty());
    if well_formed {
        return Ok(());
    }
    Err(bad_request(format!(
        "NdiSourceSettings SourceName {name} is not valid. Use the format MACHINENAME (ProgramName)."
    )))
}

/// A port MediaConnect lets flows use (1024–65535).
pub fn port(member: &str, value: i64) -> Result<(), ServiceError> {
    if !(1024..=65535).contains(&value) {
        return Err(bad_request(format!(
            "{member} {value} is not valid. Specify a port between 1024 and 65535."
        )));
    }
    Ok(())
}

/// The ports MediaConnect listens on for Zixi: 2088 for Zixi push sources, 2077 for Zixi pull
/// outputs (the User Guide's source and destination ports).
pub const ZIXI_PORTS: [i64; 2] = [2077, 2088];

/// A port a flow listens on for a protocol other than Zixi: a valid [`port`], not one of
/// [`ZIXI_PORTS`] ("Ports 2077 and 2088 are reserved by MediaConnect for Zixi traffic", AWS
/// CDK's MediaConnect reference; the wording of the error is ours).
pub fn listening_port(member: &str, value: i64, protocol: &str) -> Result<(), ServiceError> {
    port(member, value)?;
    if ZIXI_PORTS.contains(&value) {
        return Err(bad_request(format!(
            "{member} {value} is not valid for protocol {protocol}. Ports 2077 and 2088 are reserved for Zixi."
        )));
    }
    Ok(())
}

/// A 12-digit AWS account ID (entitlement subscribers).
pub fn account_id(value: &str) -> Result<(), ServiceError> {
    if !service::is_account_id(value) {
        return Err(bad_request(format!(
            "Subscriber {value} is not valid. Subscribers must be 12-digit AWS account IDs."
        )));
    }
    Ok(())
}

/// `MaintenanceStartHour`: `HH:MM` on the hour (`09:00`).
pub fn start_hour(value: &str) -> Result<(), ServiceError> {
    let ok = value.len() == 5
        && value.as_bytes()[2] == b':'
        && &value[3..] == "00"
        && value[..2].parse::<u8>().is_ok_and(|h| h < 24);
    if !ok {
        return Err(bad_request(format!(
            "MaintenanceStartHour {value} is not valid. Specify the hour in HH:MM format, where MM is 00."
        )));
    }
    Ok(())
}

/// `MaintenanceScheduledDate`: a calendar date in `YYYY-MM-DD` format (the model's
/// `Maintenance`: "A scheduled date in ISO UTC format ... Use YYYY-MM-DD format"), so a
/// month past 12 or a day past its month's end is no date at all.
pub fn scheduled_date(value: &str) -> Result<(), ServiceError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let ok = value.len() == 10 && time::Date::parse(value, &format).is_ok();
    if !ok {
        return Err(bad_request(format!(
            "MaintenanceScheduledDate {value} is not valid. Specify the date in YYYY-MM-DD format."
        )));
    }
    Ok(())
}

/// A percentage 0–100 (`DataTransferSubscriberFeePercent`).
pub fn percent(member: &str, value: i64) -> Result<(), ServiceError> {
    if !(0..=100).contains(&value) {
        return Err(bad_request(format!(
            "{member} {value} is not valid. Specify a value from 0 to 100."
        )));
    }
    Ok(())
}

/// A Zixi source's or output's `MaxLatency`: the User Guide's Zixi push and pull settings,
/// "You can choose a value between 0 and 60,000 ms".
pub fn zixi_max_latency(protocol: &str, value: Option<i64>) -> Result<(), ServiceError> {
    let zixi = matches!(protocol, "zixi-push" | "zixi-pull");
    if let Some(v) = value.filter(|v| zixi && !(0..=60_000).contains(v)) {
        return Err(bad_request(format!(
            "MaxLatency {v} is not valid for protocol {protocol}. Specify a latency from 0 to 60000 milliseconds."
        )));
    }
    Ok(())
}

/// The availability zone a flow asks for must be one of its region's.
pub fn availability_zone(region: &str, az: &str) -> Result<(), ServiceError> {
    let ok = az
        .strip_prefix(region)
        .is_some_and(|s| s.len() == 1 && s.as_bytes()[0].is_ascii_lowercase() && s <= "f");
    if !ok {
        return Err(bad_request(format!(
            "Availability Zone {az} is not valid for region {region}."
        )));
    }
    Ok(())
}

/// Requires `value` for `protocol`.
pub fn required<T>(value: &Option<T>, member: &str, protocol: &str) -> Result<(), ServiceError> {
    if value.is_none() {
        return Err(bad_request(format!(
            "{member} is required for protocol {protocol}."
        )));
    }
    Ok(())
}

/// Refuses `value` for `protocol`.
pub fn forbidden<T>(value: &Option<T>, member: &str, protocol: &str) -> Result<(), ServiceError> {
    if value.is_some() {
        return Err(bad_request(format!(
            "{member} is not supported for protocol {protocol}."
        )));
    }
    Ok(())
}

/// The UDP ports a source or output on `port` takes with `protocol`: RIST also port+1,
/// RTP-FEC also port+2 and port+4 (the User Guide's "Output destinations" table).
pub fn protocol_ports(protocol: &str, port: i64) -> Vec<i64> {
    match protocol {
        "rist" => vec![port, port + 1],
        "rtp-fec" => vec![port, port + 2, port + 4],
        _ => vec![port],
    }
}

/// A flow with NDI sources or outputs must be LARGE with NDI on, and keeps both while it has
/// them (API_Flow's FlowSize: "Set this optional parameter to LARGE if you want to enable NDI
/// sources or outputs on the flow"; NdiConfig's NdiState).
pub fn check_ndi(flow: &crate::model::Flow) -> Result<(), ServiceError> {
    let ndi = |t: Option<&crate::model::Transport>| t.is_some_and(|t| t.protocol == "ndi-speed-hq");
    let large = flow.flow_size.as_deref() == Some("LARGE");
    if let Some(s) = flow.sources.iter().find(|s| ndi(s.transport.as_ref())) {
        if !large {
            return Err(bad_request(format!(
                "NDI sources require a LARGE flow: set the flow's FlowSize to LARGE for source {}.",
                s.name
            )));
        }
        if !flow.ndi_enabled() {
            return Err(bad_request(format!(
                "NDI sources require NDI on the flow: remove NDI source {} before you set NdiState to DISABLED.",
                s.name
            )));
        }
    }
    if let Some(o) = flow.outputs.iter().find(|o| ndi(o.transport.as_ref())) {
        if !large {
            return Err(bad_request(format!(
                "A flow with NDI outputs must be LARGE. Remove NDI output {} before you change FlowSize to {}.",
                o.name,
                flow.flow_size.as_deref().unwrap_or("MEDIUM")
            )));
        }
        if !flow.ndi_enabled() {
            return Err(bad_request(format!(
                "A flow with NDI outputs must have NDI enabled. Remove NDI output {} before you set NdiState to DISABLED.",
                o.name
            )));
        }
    }
    Ok(())
}

/// Whether `protocol` carries uncompressed media (CDI, ST 2110 JPEG XS) rather than a
/// transport stream.
pub fn uncompressed(protocol: &str) -> bool {
    matches!(protocol, "cdi" | "st2110-jpegxs")
}

/// A flow's explicit size and the protocols of its sources and outputs agree (the User
/// Guide's "Flow sizes and capabilities": "A flow size determines ... which source and output
/// types it supports"; its table gives Medium and Large no CDI capacity ("N/A") and Large 4x
/// none for transport streams or NDI, as "Large 4x flows support ... CDI or ... JPEG XS").
/// A flow made without a size is left alone: AWS's own CDI example creates one.
pub fn check_flow_size(flow: &crate::model::Flow) -> Result<(), ServiceError> {
    let Some(size) = flow.flow_size.as_deref() else {
        return Ok(());
    };
    let parts = flow
        .sources
        .iter()
        .map(|s| ("source", &s.name, s.transport.as_ref()))
        .chain(
            flow.outputs
                .iter()
                .map(|o| ("output", &o.name, o.transport.as_ref())),
        );
    for (kind, name, transport) in parts {
        let protocol = transport.map_or("", |t| t.protocol.as_str());
        if size == "LARGE_4X" && !uncompressed(protocol) {
            let uses = if protocol.is_empty() {
                "a transport stream".to_string()
            } else {
                protocol.to_string()
            };
            return Err(bad_request(format!(
                "A LARGE_4X flow supports only CDI and ST 2110 JPEG XS sources and outputs; {kind} {name} uses {uses}."
            )));
        }
        if size != "LARGE_4X" && uncompressed(protocol) {
            return Err(bad_request(format!(
                "A {size} flow doesn't support {protocol} sources or outputs ({kind} {name}). CDI and ST 2110 JPEG XS need a LARGE_4X flow."
            )));
        }
    }
    Ok(())
}

/// A flow's outputs carry what its source does (the User Guide's "Adding VPC outputs to a
/// flow": "The protocol options are dependent on the flow type. For transport stream flows,
/// the protocol options are: RTP, RTP-FEC, RIST, SRT, and Zixi. For CDI flows, the protocol
/// options are: CDI and ST 2110 JPEG XS."): a flow with a CDI or ST 2110 JPEG XS source sends
/// only CDI and ST 2110 JPEG XS outputs, and a flow with a transport stream source (a
/// standard protocol, an entitlement or a bridge) sends none. A router-fed source or output,
/// which names no protocol, is left alone.
pub fn check_output_family(flow: &crate::model::Flow) -> Result<(), ServiceError> {
    fn protocol(t: Option<&crate::model::Transport>) -> Option<&str> {
        t.map(|t| t.protocol.as_str())
    }
    let media_source = flow
        .sources
        .iter()
        .any(|s| protocol(s.transport.as_ref()).is_some_and(uncompressed));
    let transport_stream = flow.sources.iter().any(|s| {
        protocol(s.transport.as_ref()).is_some_and(|p| !uncompressed(p))
            || s.entitlement_arn.is_some()
            || s.gateway_bridge_source.is_some()
    });
    for o in &flow.outputs {
        let Some(p) = protocol(o.transport.as_ref()) else {
            continue;
        };
        if media_source && !uncompressed(p) {
            return Err(bad_request(format!(
                "Output {} uses {p}, which a CDI flow doesn't support. The outputs of a flow with a CDI or ST 2110 JPEG XS source use CDI or ST 2110 JPEG XS.",
                o.name
            )));
        }
        if transport_stream && uncompressed(p) {
            return Err(bad_request(format!(
                "Output {} uses {p}, which a transport stream flow doesn't support. CDI and ST 2110 JPEG XS outputs need a flow with a CDI or ST 2110 JPEG XS source.",
                o.name
            )));
        }
    }
    Ok(())
}

/// Whether `flow` is a CDI flow: its source or an output uses the CDI or ST 2110 JPEG XS
/// protocol over an EFA VPC interface (AWS's quotas and output rules tell these apart from
/// transport stream flows).
pub fn cdi_flow(flow: &crate::model::Flow) -> bool {
    let cdi = |t: Option<&crate::model::Transport>| t.is_some_and(|t| uncompressed(&t.protocol));
    let efa = |name: &str| {
        flow.vpc_interface(name)
            .is_some_and(|v| v.network_interface_type == "efa")
    };
    let source = flow.sources.iter().any(|s| {
        let inputs = s
            .media_stream_source_configurations
            .iter()
            .flatten()
            .flat_map(|c| c.input_configurations.iter().flatten());
        cdi(s.transport.as_ref())
            && (s.vpc_interface_name.as_deref().is_some_and(efa)
                || inputs.into_iter().any(|i| efa(&i.interface.name)))
    });
    source
        || flow.outputs.iter().any(|o| {
            cdi(o.transport.as_ref())
                && o.vpc_interface_attachment
                    .as_ref()
                    .and_then(|a| a.vpc_interface_name.as_deref())
                    .is_some_and(efa)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_addresses_and_ports() {
        assert!(name("Output", Some("NYC")).is_ok());
        assert_eq!(
            name("Output", None).unwrap_err().message,
            "Output name is required."
        );
        assert!(name("Flow", Some("a:b")).is_err());
        assert_eq!(arn_name("Flow", Some("Live_Feed-2")), Ok("Live_Feed-2"));
        for bad in ["my flow", "a.b", "é", " x", "a:b"] {
            let e = arn_name("Flow", Some(bad)).unwrap_err();
            assert_eq!(e.code, "BadRequestException", "{bad}");
        }
        assert_eq!(
            arn_name("Output", Some("o/1")).unwrap_err().message,
            "Output name o/1 is not valid: names cannot contain ':' or '/'."
        );
        assert!(arn_name("Entitlement", None).is_err());
        assert!(unique("Output", "a", ["b", "a"].into_iter()).is_err());
        assert!(supported_protocol("fujitsu-qos").is_err());
        assert!(supported_protocol("rtp").is_ok());
        let e = unique_in("bridge", "Source", "a", ["a"].into_iter()).unwrap_err();
        assert_eq!(
            e.message,
            "Source name a already exists in this bridge. Source names must be unique within a bridge."
        );
        assert!(cidr("WhitelistCidr", "10.0.0.0/16").is_ok());
        assert!(cidr("WhitelistCidr", "10.0.0.0/33").is_err());
        assert!(ip("Destination", "198.51.100.1").is_ok());
        assert!(ip("Destination", "not-an-ip").is_err());
        assert!(port("Port", 5000).is_ok());
        assert!(port("Port", 80).is_err());
        assert!(account_id("111122223333").is_ok());
        assert!(account_id("1111").is_err());
    }

    #[test]
    fn schedules_and_zones() {
        assert!(start_hour("09:00").is_ok());
        assert!(start_hour("09:30").is_err());
        assert!(start_hour("25:00").is_err());
        assert!(scheduled_date("2026-12-01").is_ok());
        assert!(scheduled_date("12/01/2026").is_err());
        // Shaped like a date but not one.
        for bad in [
            "2021-13-45",
            "2026-00-10",
            "2026-02-29",
            "2026-04-31",
            "2026-12-00",
        ] {
            assert!(scheduled_date(bad).is_err(), "{bad}");
        }
        for good in ["2028-02-29", "2000-02-29", "2026-12-31", "2026-01-01"] {
            assert!(scheduled_date(good).is_ok(), "{good}");
        }
        assert!(scheduled_date("1900-02-29").is_err());
        // Shaped otherwise: unpadded fields, a sign, a space, other separators.
        for bad in [
            "2026-1-012",
            "+026-01-01",
            "2026-01-1 ",
            "2026/01/01",
            "20260101",
            "",
        ] {
            assert!(scheduled_date(bad).is_err(), "{bad}");
        }
        assert!(availability_zone("us-west-2", "us-west-2b").is_ok());
        assert!(availability_zone("us-west-2", "us-east-1a").is_err());
        assert!(percent("DataTransferSubscriberFeePercent", 101).is_err());
        assert!(zixi_max_latency("zixi-push", Some(60_001)).is_err());
        assert!(zixi_max_latency("zixi-pull", Some(-1)).is_err());
        assert!(zixi_max_latency("zixi-push", Some(60_000)).is_ok());
        assert!(zixi_max_latency("rist", Some(60_001)).is_ok());
    }

    #[test]
    fn ip_addresses_or_domain_names() {
        for good in [
            "198.51.100.7",
            "2001:db8::1",
            "encoder.example.com",
            "a-1.b.",
            "rx.local",
        ] {
            assert!(ip_or_domain("Destination", good).is_ok(), "{good}");
        }
        for bad in [
            "example",
            "999.1.1.1",
            "-a.com",
            "a..com",
            "a b.com",
            "a_b.com",
            "",
        ] {
            assert!(ip_or_domain("Destination", bad).is_err(), "{bad}");
        }
    }
}
