//! Resource quotas: the per-account, per-region limits AWS documents on each service's quotas
//! page, always enforced; configuration may set another value (a test lowers one to reach it).

use service::Runtime;

/// One documented resource quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// The service's signing name (`ivs`, `iam`): the configuration's table.
    pub service: &'static str,
    /// The quota's name as configuration spells it (`Channels`, `UsersPerAccount`).
    pub name: &'static str,
    /// AWS's default value.
    pub default: u64,
}

/// A quota reached: what a service turns into its own error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaReached {
    /// The quota.
    pub quota: Quota,
    /// The value in force (the default or the configured one).
    pub limit: u64,
}

impl Quota {
    /// A quota of `service` named `name` with AWS's default.
    pub const fn new(service: &'static str, name: &'static str, default: u64) -> Quota {
        Quota {
            service,
            name,
            default,
        }
    }

    /// The value in force: configuration's, else AWS's default.
    pub fn limit(&self, runtime: &Runtime) -> u64 {
        runtime
            .quota_override(self.service, self.name)
            .unwrap_or(self.default)
    }

    /// Whether `adding` more on top of `current` existing stays within the quota.
    pub fn admit(
        &self,
        runtime: &Runtime,
        current: usize,
        adding: usize,
    ) -> Result<(), QuotaReached> {
        let limit = self.limit(runtime);
        let after = (current as u64).saturating_add(adding as u64);
        if after > limit {
            return Err(QuotaReached {
                quota: *self,
                limit,
            });
        }
        Ok(())
    }
}

/// The names of `quotas` that `service` does not know among `runtime`'s configured ones (a
/// typo in the configuration file would otherwise be silently ignored).
pub fn unknown_quotas(runtime: &Runtime, service: &str, quotas: &[Quota]) -> Vec<String> {
    runtime
        .quotas
        .get(service)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|name| !quotas.iter().any(|q| q.name == name.as_str()))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANNELS: Quota = Quota::new("ivs", "Channels", 3);

    #[test]
    fn default_unless_configured() {
        let mut rt = Runtime::for_tests();
        assert_eq!(CHANNELS.limit(&rt), 3);
        assert!(CHANNELS.admit(&rt, 2, 1).is_ok());
        let reached = CHANNELS.admit(&rt, 3, 1).unwrap_err();
        assert_eq!((reached.quota.name, reached.limit), ("Channels", 3));
        rt.quotas
            .entry("ivs".into())
            .or_default()
            .insert("Channels".into(), 1);
        assert_eq!(CHANNELS.limit(&rt), 1);
        assert!(CHANNELS.admit(&rt, 1, 1).is_err());
        assert!(CHANNELS.admit(&rt, 0, 1).is_ok());
        assert!(CHANNELS.admit(&rt, 0, 2).is_err(), "a batch counts whole");
        rt.quotas
            .entry("ivs".into())
            .or_default()
            .insert("Chanels".into(), 1);
        assert_eq!(unknown_quotas(&rt, "ivs", &[CHANNELS]), ["Chanels"]);
        assert!(unknown_quotas(&rt, "iam", &[CHANNELS]).is_empty());
    }
}
