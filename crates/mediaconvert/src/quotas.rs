//! MediaConvert's resource quotas, per account and region; configuration may set other values
//! (`[quotas.mediaconvert]` in the config file). The names are the Service Quotas console's
//! ("Queues per AWS Region", "Custom output presets", "Custom job templates", "Concurrent
//! jobs per on-demand queue"); the default values could not be read from AWS's page
//! (docs.aws.amazon.com/general/latest/gr/mediaconvert.html) here and are unconfirmed (see
//! the README), except presets: AWS answered a 101st preset with "maximum=100"
//! (openfun/marsha issue 113). A quota reached is the model's `TooManyRequestsException`
//! (429), as AWS answers both that preset and a queue's concurrent-jobs setting above its quota
//! (hashicorp/terraform-provider-aws issue 41013).

use kit::{Quota, QuotaReached};
use service::{Runtime, ServiceError};

/// Queues per account and region, the `Default` queue included.
pub(crate) const QUEUES: Quota = Quota::new("mediaconvert", "Queues", 20);
/// Custom output presets per account and region (system presets do not count).
pub(crate) const PRESETS: Quota = Quota::new("mediaconvert", "Presets", 100);
/// Custom job templates per account and region.
pub(crate) const JOB_TEMPLATES: Quota = Quota::new("mediaconvert", "JobTemplates", 1000);
/// The most an on-demand queue's `ConcurrentJobs` setting may be.
pub(crate) const CONCURRENT_JOBS_PER_QUEUE: Quota =
    Quota::new("mediaconvert", "ConcurrentJobsPerOnDemandQueue", 200);

/// The most jobs the account's on-demand queues may run at once, all together: the sum of
/// their `ConcurrentJobs` settings (ListQueues' `TotalConcurrentJobs`).
pub(crate) const CONCURRENT_JOBS_PER_ACCOUNT: Quota =
    Quota::new("mediaconvert", "ConcurrentJobsPerAccount", 500);

/// Every quota MediaConvert enforces (the names configuration may set).
pub const QUOTAS: &[Quota] = &[
    QUEUES,
    PRESETS,
    JOB_TEMPLATES,
    CONCURRENT_JOBS_PER_QUEUE,
    CONCURRENT_JOBS_PER_ACCOUNT,
];

/// `TooManyRequestsException` naming the quota and its value: AWS's own wording for presets
/// ("Your account already has the maximum number of presets: maximum=100.", as
/// openfun/marsha issue 113 quotes it), the same shape for queues and job templates.
pub(crate) fn exceeded(reached: QuotaReached) -> ServiceError {
    let what = match reached.quota.name {
        "Queues" => "queues",
        "Presets" => "presets",
        "JobTemplates" => "job templates",
        _ => {
            return ServiceError::new(
                "TooManyRequestsException",
                format!(
                    "ConcurrentJobs is above your account's maximum concurrent jobs per on-demand queue: maximum={}.",
                    reached.limit
                ),
            )
        }
    };
    ServiceError::new(
        "TooManyRequestsException",
        format!(
            "Your account already has the maximum number of {what}: maximum={}.",
            reached.limit
        ),
    )
}

/// Whether an on-demand queue's `ConcurrentJobs` setting is a count of jobs (at least one)
/// within the per-queue quota.
pub(crate) fn admit_concurrent_jobs(
    runtime: &Runtime,
    concurrent_jobs: Option<i64>,
) -> Result<(), ServiceError> {
    let Some(n) = concurrent_jobs else {
        return Ok(());
    };
    if n < 1 {
        return Err(crate::model::bad_request(
            "ConcurrentJobs must be greater than or equal to 1.",
        ));
    }
    CONCURRENT_JOBS_PER_QUEUE
        .admit(runtime, 0, usize::try_from(n.max(0)).unwrap_or(usize::MAX))
        .map_err(exceeded)
}

/// Whether an on-demand queue may take `wanted` concurrent jobs when the account's other
/// on-demand queues already hold `allocated`: the sum stays within the account's quota.
pub(crate) fn admit_allocation(
    runtime: &Runtime,
    allocated: i64,
    wanted: i64,
) -> Result<(), ServiceError> {
    let total = total_concurrent_jobs(runtime);
    let unallocated = (total - allocated).max(0);
    if wanted > unallocated {
        return Err(ServiceError::new(
            "TooManyRequestsException",
            format!(
                "ConcurrentJobs is above your account's unallocated concurrent jobs: unallocated={unallocated}."
            ),
        ));
    }
    Ok(())
}

/// The account's concurrent jobs across its on-demand queues (the quota in force).
pub(crate) fn total_concurrent_jobs(runtime: &Runtime) -> i64 {
    i64::try_from(CONCURRENT_JOBS_PER_ACCOUNT.limit(runtime)).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use crate::tests::*;
    use serde_json::json;
    use service::Runtime;

    /// A MediaConvert whose configuration sets `name` to `value`.
    fn mc_with(name: &str, value: u64) -> std::sync::Arc<crate::MediaConvert> {
        let mut rt = Runtime::for_tests();
        rt.quotas
            .entry("mediaconvert".into())
            .or_default()
            .insert(name.into(), value);
        service_on(rt)
    }

    #[test]
    fn queues_quota_counts_the_default_queue() {
        let mc = mc_with("Queues", 2);
        ok(&mc, "CreateQueue", json!({"Name": "a"}));
        let e = call(&mc, "CreateQueue", json!({"Name": "b"})).unwrap_err();
        assert_eq!(e.code, "TooManyRequestsException");
        assert_eq!(
            e.message,
            "Your account already has the maximum number of queues: maximum=2."
        );
        // Nothing was created by the refused call.
        let listed = ok(&mc, "ListQueues", json!({}));
        assert_eq!(listed["Queues"].as_array().unwrap().len(), 2);
        ok(&mc, "DeleteQueue", json!({"Name": "a"}));
        ok(&mc, "CreateQueue", json!({"Name": "b"}));
    }

    #[test]
    fn presets_and_templates_quotas_as_configured() {
        let mut rt = Runtime::for_tests();
        for name in ["Presets", "JobTemplates"] {
            rt.quotas
                .entry("mediaconvert".into())
                .or_default()
                .insert(name.into(), 1);
        }
        let mc = service_on(rt);
        let preset = |n: &str| json!({"Name": n, "Settings": {"ContainerSettings": {"Container": "MP4"}, "VideoDescription": {"Width": 1280, "Height": 720}}});
        ok(&mc, "CreatePreset", preset("p1"));
        let e = call(&mc, "CreatePreset", preset("p2")).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "TooManyRequestsException",
                "Your account already has the maximum number of presets: maximum=1."
            )
        );
        let template = |n: &str| {
            json!({"Name": n, "Settings": {"OutputGroups": [{
                "OutputGroupSettings": {"Type": "FILE_GROUP_SETTINGS",
                    "FileGroupSettings": {"Destination": "s3://out/"}},
                "Outputs": [{"Preset": "p1"}]}]}})
        };
        ok(&mc, "CreateJobTemplate", template("t1"));
        let e = call(&mc, "CreateJobTemplate", template("t2")).unwrap_err();
        assert_eq!(
            e.message,
            "Your account already has the maximum number of job templates: maximum=1."
        );
    }

    #[test]
    fn a_queue_cannot_ask_for_more_concurrent_jobs_than_the_quota() {
        let mc = mc_with("ConcurrentJobsPerOnDemandQueue", 5);
        ok(
            &mc,
            "CreateQueue",
            json!({"Name": "a", "ConcurrentJobs": 5}),
        );
        let e = call(
            &mc,
            "CreateQueue",
            json!({"Name": "b", "ConcurrentJobs": 6}),
        )
        .unwrap_err();
        assert_eq!(e.code, "TooManyRequestsException");
        let e = call(
            &mc,
            "UpdateQueue",
            json!({"Name": "a", "ConcurrentJobs": 6}),
        )
        .unwrap_err();
        assert!(
            e.message
                .ends_with("maximum concurrent jobs per on-demand queue: maximum=5."),
            "{e}"
        );
        let q = ok(&mc, "GetQueue", json!({"Name": "a"}));
        assert_eq!(
            q["Queue"]["ConcurrentJobs"], 5,
            "the refused update changed nothing"
        );
    }

    /// ListQueues' (TotalConcurrentJobs, UnallocatedConcurrentJobs).
    fn totals(mc: &crate::MediaConvert) -> (i64, i64) {
        let l = ok(mc, "ListQueues", json!({}));
        (
            l["TotalConcurrentJobs"].as_i64().unwrap(),
            l["UnallocatedConcurrentJobs"].as_i64().unwrap(),
        )
    }

    #[test]
    fn on_demand_queues_share_the_accounts_concurrent_jobs() {
        let mc = mc_with("ConcurrentJobsPerAccount", 150);
        // The Default queue holds 100 of them from the start.
        assert_eq!(totals(&mc), (150, 50));
        ok(
            &mc,
            "CreateQueue",
            json!({"Name": "a", "ConcurrentJobs": 30}),
        );
        ok(&mc, "CreateQueue", json!({"Name": "unset"}));
        assert_eq!(
            totals(&mc),
            (150, 20),
            "a queue without the setting holds none"
        );
        let e = call(
            &mc,
            "CreateQueue",
            json!({"Name": "b", "ConcurrentJobs": 21}),
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "TooManyRequestsException",
                "ConcurrentJobs is above your account's unallocated concurrent jobs: unallocated=20."
            )
        );
        let e = call(&mc, "GetQueue", json!({"Name": "b"})).unwrap_err();
        assert_eq!(
            e.code, "NotFoundException",
            "the refused create made nothing"
        );
        // An update counts the queue's own allocation as free: 30 + 20 unallocated.
        ok(
            &mc,
            "UpdateQueue",
            json!({"Name": "a", "ConcurrentJobs": 50}),
        );
        assert_eq!(totals(&mc), (150, 0));
        let e = call(
            &mc,
            "UpdateQueue",
            json!({"Name": "a", "ConcurrentJobs": 51}),
        )
        .unwrap_err();
        assert_eq!(e.code, "TooManyRequestsException");
        assert_eq!(
            ok(&mc, "GetQueue", json!({"Name": "a"}))["Queue"]["ConcurrentJobs"],
            50
        );
        // Shrinking the Default queue frees its jobs for others.
        ok(
            &mc,
            "UpdateQueue",
            json!({"Name": "Default", "ConcurrentJobs": 40}),
        );
        assert_eq!(totals(&mc), (150, 60));
        // Reserved queues run on their reserved slots, outside the on-demand total.
        ok(
            &mc,
            "CreateQueue",
            json!({"Name": "r", "PricingPlan": "RESERVED",
                "ReservationPlanSettings": {"Commitment": "ONE_YEAR", "RenewalType": "EXPIRE", "ReservedSlots": 5}}),
        );
        assert_eq!(totals(&mc), (150, 60));
        // Deleting a queue gives its allocation back.
        ok(&mc, "DeleteQueue", json!({"Name": "a"}));
        assert_eq!(totals(&mc), (150, 110));
    }

    #[test]
    fn concurrent_jobs_must_be_at_least_one() {
        let mc = mc_with("ConcurrentJobsPerAccount", 150);
        for n in [0, -5] {
            let e = call(
                &mc,
                "CreateQueue",
                json!({"Name": "a", "ConcurrentJobs": n}),
            )
            .unwrap_err();
            assert_eq!(e.code, "BadRequestException", "{n}");
            let e = call(
                &mc,
                "UpdateQueue",
                json!({"Name": "Default", "ConcurrentJobs": n}),
            )
            .unwrap_err();
            assert_eq!(e.code, "BadRequestException", "{n}");
        }
        assert_eq!(totals(&mc), (150, 50), "nothing changed");
    }

    #[test]
    fn default_quotas() {
        let rt = Runtime::for_tests();
        let values: Vec<(&str, u64)> = super::QUOTAS
            .iter()
            .map(|q| (q.name, q.limit(&rt)))
            .collect();
        assert_eq!(
            values,
            [
                ("Queues", 20),
                ("Presets", 100),
                ("JobTemplates", 1000),
                ("ConcurrentJobsPerOnDemandQueue", 200),
                ("ConcurrentJobsPerAccount", 500)
            ]
        );
    }
}
