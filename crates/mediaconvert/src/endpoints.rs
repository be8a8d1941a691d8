//! DescribeEndpoints (older SDK code still asks for the account's endpoint: it is this
//! server) and ListVersions (the job engine versions jobs may pin).

use crate::job_run::timestamp_unix;
use crate::paging::{self, Order};
use crate::MediaConvert;
use serde_json::{json, Map, Value};
use service::{RequestContext, ServiceError};

/// Job engine versions, newest first, with when they expire (epoch seconds).
pub const ENGINE_VERSIONS: &[(&str, f64)] = &[
    ("2025-06-01", 1_830_297_600.0),
    ("2024-08-01", 1_798_761_600.0),
];

/// What a requested job engine version is to CreateJob.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EngineVersion {
    /// Listed by ListVersions and not expired: the job runs on it.
    Available,
    /// Expired: the job runs as a regular job.
    Expired,
    /// Anything else: refused with a 400.
    Invalid,
}

/// What `version` is at `now` (epoch seconds). The model's `Job.JobEngineVersionUsed`: "When
/// you request an expired version … Requests to create jobs with an expired version result in
/// a regular job, as if no specific Job engine version was requested. When you request an
/// invalid version … Requests to create jobs with an invalid version result in a 400 error".
/// Expired: a listed version past its expiration date, or a well-formed `YYYY-MM-DD` date
/// older than every listed version (a release that has expired since; mediamock knows no
/// older list). Any other version is invalid.
pub fn engine_version(version: &str, now: f64) -> EngineVersion {
    if let Some((_, expires)) = ENGINE_VERSIONS.iter().find(|(v, _)| *v == version) {
        return if now < *expires {
            EngineVersion::Available
        } else {
            EngineVersion::Expired
        };
    }
    let oldest = ENGINE_VERSIONS.last().map_or("", |(v, _)| *v);
    // Equal-length `YYYY-MM-DD` dates order as their text does.
    if is_date(version) && version < oldest {
        EngineVersion::Expired
    } else {
        EngineVersion::Invalid
    }
}

/// Whether `text` is a calendar date written `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
            .then(|| text[r].parse::<u32>().ok())
            .flatten()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    year > 0 && (1..=days).contains(&day)
}

/// The versions ListVersions lists at `now`: "all available Job engine versions and the date
/// they expire" (the model), so none past its expiration.
fn listed_versions(now: f64) -> impl Iterator<Item = &'static (&'static str, f64)> {
    ENGINE_VERSIONS
        .iter()
        .filter(move |(_, expires)| now < *expires)
}

impl MediaConvert {
    pub(crate) fn describe_endpoints(
        &self,
        ctx: &RequestContext,
        _input: &Value,
    ) -> Result<Value, ServiceError> {
        // The account-specific endpoint is whatever reached this server: requests are routed
        // by their signing name, so any host form (account-specific or not) works. mediamock
        // serves plain HTTP, whatever `aws:SecureTransport` its policies are told.
        let url = match &ctx.host {
            Some(host) => format!("http://{host}"),
            None => format!("https://mediaconvert.{}.amazonaws.com", ctx.region),
        };
        Ok(json!({ "Endpoints": [{ "Url": url }] }))
    }

    pub(crate) fn list_versions(
        &self,
        ctx: &RequestContext,
        input: &Value,
    ) -> Result<Value, ServiceError> {
        let key = &self.runtime.token_key;
        let page = paging::request(key, ctx, "ListVersions", input, "")?;
        let items = listed_versions(self.runtime.clock.now())
            .map(|(v, exp)| {
                (
                    v.to_string(),
                    json!({"Version": v, "ExpirationDate": timestamp_unix(*exp)}),
                )
            })
            .collect();
        let (versions, next) = paging::cut(key, &page, items, Order { descending: true });
        let mut out = Map::new();
        out.insert("Versions".into(), Value::from(versions));
        page.put_token(&mut out, next);
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_this_plain_http_server_whatever_policies_see() {
        let s = crate::tests::service_on(service::Runtime::new(
            service::Transitions::Instant,
            Some(1),
            [9; 32],
        ));
        let mut c = crate::tests::ctx("111111111111");
        c.host = Some("127.0.0.1:4566".into());
        // `aws:SecureTransport` is true by default, as on AWS; the server is still plain HTTP.
        c.secure_transport = true;
        let e = s.describe_endpoints(&c, &json!({})).unwrap();
        assert_eq!(e["Endpoints"][0]["Url"], "http://127.0.0.1:4566");
    }

    #[test]
    fn list_versions_leaves_out_the_expired() {
        let names = |now| listed_versions(now).map(|(v, _)| *v).collect::<Vec<_>>();
        let all: Vec<&str> = ENGINE_VERSIONS.iter().map(|(v, _)| *v).collect();
        assert_eq!(names(0.0), all);
        let (oldest, expires) = ENGINE_VERSIONS[ENGINE_VERSIONS.len() - 1];
        assert!(!names(expires).contains(&oldest));
        assert_eq!(names(expires - 1.0), all);
        assert!(names(f64::MAX).is_empty());
    }

    #[test]
    fn listed_versions_are_available_until_they_expire_and_older_dates_are_expired() {
        let (newest, expires) = ENGINE_VERSIONS[0];
        assert_eq!(engine_version(newest, 0.0), EngineVersion::Available);
        assert_eq!(engine_version(newest, expires), EngineVersion::Expired);
        for expired in ["2020-01-01", "2024-07-31", "2000-02-29"] {
            assert_eq!(
                engine_version(expired, 0.0),
                EngineVersion::Expired,
                "{expired}"
            );
        }
        // Unlisted releases after the oldest, the future, and anything not a date.
        for invalid in [
            "2025-01-01",
            "2030-01-01",
            "2021-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-1-01",
            "20200101",
            "latest",
            "",
            "0000-01-01",
        ] {
            assert_eq!(
                engine_version(invalid, 0.0),
                EngineVersion::Invalid,
                "{invalid}"
            );
        }
    }
}
