//! The quotas configuration may set: each service's documented list, so a misspelt name in
//! the config file is an error at startup rather than a quota silently left at its default.

use kit::Quota;
use service::Runtime;

/// Every service with configurable quotas, and its quotas.
pub fn known() -> [(&'static str, &'static [Quota]); 6] {
    [
        ("ivs", ivs::quotas::QUOTAS),
        ("iam", iam::api::iam::quotas::QUOTAS),
        ("mediaconnect", mediaconnect::quotas::QUOTAS),
        ("mediaconvert", mediaconvert::quotas::QUOTAS),
        ("mediapackage", mediapackage::v1::quotas::QUOTAS),
        ("mediapackagev2", mediapackage::v2::quotas::QUOTAS),
    ]
}

/// Refuses a configuration naming a service or quota that is not enforced.
pub fn check_names(runtime: &Runtime) -> Result<(), String> {
    for service in runtime.quotas.keys() {
        let Some((_, quotas)) = known().into_iter().find(|(s, _)| s == service) else {
            let names: Vec<&str> = known().iter().map(|(s, _)| *s).collect();
            return Err(format!(
                "quotas: no configurable quotas for service {service:?} (known: {})",
                names.join(", ")
            ));
        };
        let unknown = kit::unknown_quotas(runtime, service, quotas);
        if !unknown.is_empty() {
            let names: Vec<&str> = quotas.iter().map(|q| q.name).collect();
            return Err(format!(
                "quotas.{service}: unknown quota {} (known: {})",
                unknown.join(", "),
                names.join(", ")
            ));
        }
    }
    Ok(())
}

/// The operations `S` answers (the names a rate may be set for).
fn operations<S: kit::Operations>() -> impl Iterator<Item = &'static str> {
    S::OPERATIONS.iter().map(|(name, _)| *name)
}

/// Refuses a configured request rate for a service that has no rates, for an operation the
/// service does not have, or that is not a positive number (a typo would otherwise leave an
/// operation unthrottled).
pub fn check_rate_names(runtime: &Runtime) -> Result<(), String> {
    for (service, rates) in &runtime.rates {
        let known: Vec<&str> = match service.as_str() {
            // PutMetadata's per-channel rate has its own name.
            "ivs" => operations::<ivs::Ivs>()
                .chain(["PutMetadataPerChannel"])
                .collect(),
            "mediaconnect" => operations::<mediaconnect::MediaConnect>().collect(),
            "mediaconvert" => operations::<mediaconvert::MediaConvert>().collect(),
            _ => {
                return Err(format!(
                    "rates: no request rates for service {service:?} (known: ivs, mediaconnect, mediaconvert)"
                ))
            }
        };
        for (operation, per_second) in rates {
            if !known.contains(&operation.as_str()) {
                return Err(format!(
                    "rates.{service}: {operation} is not an operation of {service}"
                ));
            }
            if !(per_second.is_finite() && *per_second > 0.0) {
                return Err(format!(
                    "rates.{service}.{operation}: a rate is a positive number of requests per second, not {per_second}"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_names_are_refused() {
        let mut rt = Runtime::for_tests();
        assert!(check_names(&rt).is_ok());
        rt.quotas
            .entry("ivs".into())
            .or_default()
            .insert("Channels".into(), 2);
        rt.quotas
            .entry("iam".into())
            .or_default()
            .insert("UsersPerAccount".into(), 2);
        assert!(check_names(&rt).is_ok());
        for (service, quota) in [
            ("mediaconnect", "Flows"),
            ("mediaconnect", "RouterInputs"),
            ("mediaconnect", "BridgesPerGateway"),
            ("mediaconvert", "Queues"),
            ("mediaconvert", "ConcurrentJobsPerOnDemandQueue"),
            ("mediapackage", "Channels"),
            ("mediapackage", "ConcurrentHarvestJobs"),
            ("mediapackagev2", "ChannelGroups"),
            ("mediapackagev2", "ActiveHarvestJobsPerChannelGroup"),
            ("mediapackagev2", "ManifestsPerOriginEndpoint"),
        ] {
            rt.quotas
                .entry(service.into())
                .or_default()
                .insert(quota.into(), 2);
        }
        assert!(check_names(&rt).is_ok());
        rt.quotas
            .entry("ivs".into())
            .or_default()
            .insert("Chanels".into(), 2);
        assert!(check_names(&rt).unwrap_err().contains("Chanels"));
        let mut rt = Runtime::for_tests();
        rt.quotas
            .entry("s3".into())
            .or_default()
            .insert("Buckets".into(), 2);
        assert!(check_names(&rt).is_err());
    }

    #[test]
    fn rates_must_name_an_operation_and_be_positive() {
        let with = |extra: &[(&str, &str, f64)]| {
            let mut rt = Runtime::for_tests();
            let valid = [
                ("ivs", "CreateChannel", 2.0),
                ("ivs", "PutMetadataPerChannel", 2.0),
                ("mediaconnect", "DescribeFlow", 2.0),
                ("mediaconvert", "CreateJob", 2.0),
            ];
            for (service, op, rate) in valid.iter().chain(extra) {
                rt.rates
                    .entry(service.to_string())
                    .or_default()
                    .insert(op.to_string(), *rate);
            }
            check_rate_names(&rt)
        };
        assert!(with(&[]).is_ok());
        let typo = with(&[("mediaconvert", "CreateJb", 1.0)]);
        assert!(typo.unwrap_err().contains("CreateJb"));
        assert!(with(&[("ivs", "GetChannel", 0.0)]).is_err());
        let unknown = with(&[("mediapackage", "ListChannels", 1.0)]);
        assert!(unknown.unwrap_err().contains("mediapackage"));
    }
}
