//! The quotas configuration may set: each service's documented list, so a misspelt name in
//! the config file is an error at startup rather than a quota silently left at its default.

use kit::Quota;
use service::Runtime;

/// Every service with configurable quotas, and its quotas.
pub fn known() -> [(&'static str, &'static [Quota]); 5] {
    [
        ("ivs", ivs::quotas::QUOTAS),
        ("iam", iam::api::iam::quotas::QUOTAS),
        ("mediaconnect", mediaconnect::quotas::QUOTAS),
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
            ("mediapackage", "Channels"),
            ("mediapackagev2", "ChannelGroups"),
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
}
