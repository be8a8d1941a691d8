//! A flow's `SourceMonitoringConfig`: content quality analysis metrics with their defaults and
//! bounds, and how UpdateFlow merges a new configuration into the stored one. Source: the
//! User Guide's "Enabling content quality analysis and configuring thresholds" and
//! "Disabling content quality analysis", whose CLI examples show the answers.

use crate::error::bad_request;
use crate::model::Doc;
use serde_json::{json, Map, Value};
use service::ServiceError;

/// The metrics, as (settings list, metric) member names.
const METRICS: [(&str, &str); 3] = [
    ("AudioMonitoringSettings", "SilentAudio"),
    ("VideoMonitoringSettings", "BlackFrames"),
    ("VideoMonitoringSettings", "FrozenFrames"),
];

/// "The default threshold is 30 seconds."
const DEFAULT_THRESHOLD: i64 = 30;

/// "For each metric, you can populate a value between 10 and 60 seconds."
const THRESHOLDS: std::ops::RangeInclusive<i64> = 10..=60;

/// The metric `metric` of settings list `list` in `config`, if configured.
fn metric<'a>(config: Option<&'a Doc>, list: &str, metric: &str) -> Option<&'a Map<String, Value>> {
    config?
        .get(list)?
        .as_array()?
        .iter()
        .find_map(|s| s.get(metric)?.as_object())
}

/// The configuration `new` asks for, merged into `old` (none for CreateFlow): members `new`
/// leaves out keep their values ("`ContentQualityAnalysisState` is disabled, but individual
/// metric settings remain unchanged"), a metric without a threshold keeps its old one or gets
/// 30 seconds, and turning analysis on with no metric configured enables all three at 30
/// seconds ("MediaConnect automatically enables all individual metrics with a default value
/// of 30 seconds"). Thresholds must be 10–60 seconds.
pub fn merge(old: Option<&Doc>, new: &Doc) -> Result<Doc, ServiceError> {
    let mut out = Map::new();
    for key in ["ThumbnailState", "ContentQualityAnalysisState"] {
        let value = new.get(key).or_else(|| old.and_then(|o| o.get(key)));
        if let Some(v) = value.filter(|v| !v.is_null()) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut metrics: Vec<(&str, &str, Map<String, Value>)> = Vec::new();
    for (list, name) in METRICS {
        let before = metric(old, list, name);
        let Some(given) = metric(Some(new), list, name) else {
            if let Some(b) = before {
                metrics.push((list, name, b.clone()));
            }
            continue;
        };
        let threshold = given
            .get("ThresholdSeconds")
            .and_then(Value::as_i64)
            .or_else(|| before?.get("ThresholdSeconds")?.as_i64())
            .unwrap_or(DEFAULT_THRESHOLD);
        if !THRESHOLDS.contains(&threshold) {
            return Err(bad_request(format!(
                "{name} ThresholdSeconds {threshold} is not valid. Specify a threshold from 10 to 60 seconds."
            )));
        }
        let state = given
            .get("State")
            .or_else(|| before?.get("State"))
            .cloned()
            .unwrap_or_else(|| json!("ENABLED"));
        let mut m = Map::new();
        m.insert("State".into(), state);
        m.insert("ThresholdSeconds".into(), threshold.into());
        metrics.push((list, name, m));
    }
    let analysing = out
        .get("ContentQualityAnalysisState")
        .and_then(Value::as_str)
        == Some("ENABLED");
    if analysing && metrics.is_empty() {
        for (list, name) in METRICS {
            let m = json!({"State": "ENABLED", "ThresholdSeconds": DEFAULT_THRESHOLD});
            if let Value::Object(m) = m {
                metrics.push((list, name, m));
            }
        }
    }
    for (list, name, m) in metrics {
        let settings = out
            .entry(list)
            .or_insert_with(|| json!([{}]))
            .as_array_mut()
            .and_then(|a| a.first_mut())
            .and_then(Value::as_object_mut);
        if let Some(s) = settings {
            s.insert(name.into(), Value::Object(m));
        }
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_turned_on_alone_enables_every_metric_at_30_seconds() {
        let on = merge(None, &json!({"ContentQualityAnalysisState": "ENABLED"})).unwrap();
        assert_eq!(
            on,
            json!({
                "ContentQualityAnalysisState": "ENABLED",
                "AudioMonitoringSettings": [{"SilentAudio": {"State": "ENABLED", "ThresholdSeconds": 30}}],
                "VideoMonitoringSettings": [{
                    "BlackFrames": {"State": "ENABLED", "ThresholdSeconds": 30},
                    "FrozenFrames": {"State": "ENABLED", "ThresholdSeconds": 30}}]
            })
        );
        // Thumbnails alone configure no metric.
        let thumbs = merge(None, &json!({"ThumbnailState": "ENABLED"})).unwrap();
        assert_eq!(thumbs, json!({"ThumbnailState": "ENABLED"}));
    }

    #[test]
    fn an_update_keeps_what_it_leaves_out() {
        let old = json!({
            "ThumbnailState": "ENABLED",
            "ContentQualityAnalysisState": "ENABLED",
            "AudioMonitoringSettings": [{"SilentAudio": {"State": "ENABLED", "ThresholdSeconds": 30}}],
            "VideoMonitoringSettings": [{
                "BlackFrames": {"State": "ENABLED", "ThresholdSeconds": 30},
                "FrozenFrames": {"State": "ENABLED", "ThresholdSeconds": 10}}]
        });
        let off = merge(
            Some(&old),
            &json!({"ContentQualityAnalysisState": "DISABLED"}),
        )
        .unwrap();
        let mut expected = old.clone();
        expected["ContentQualityAnalysisState"] = json!("DISABLED");
        assert_eq!(off, expected);
        // A metric given without a threshold keeps the old one; one given for the first
        // time gets 30 seconds.
        let partial = json!({"VideoMonitoringSettings": [{"FrozenFrames": {"State": "DISABLED"}}]});
        let merged = merge(Some(&old), &partial).unwrap();
        assert_eq!(
            merged["VideoMonitoringSettings"][0]["FrozenFrames"],
            json!({"State": "DISABLED", "ThresholdSeconds": 10})
        );
        assert_eq!(merged["ThumbnailState"], "ENABLED");
        let fresh = merge(
            None,
            &json!({"AudioMonitoringSettings": [{"SilentAudio": {"State": "ENABLED"}}]}),
        )
        .unwrap();
        assert_eq!(
            fresh["AudioMonitoringSettings"][0]["SilentAudio"]["ThresholdSeconds"],
            30
        );
    }

    #[test]
    fn thresholds_stay_between_10_and_60_seconds() {
        for bad in [9, 61, 0, 1000] {
            let c = json!({"VideoMonitoringSettings": [{"BlackFrames": {"State": "ENABLED", "ThresholdSeconds": bad}}]});
            assert!(merge(None, &c).is_err(), "{bad}");
        }
        for good in [10, 60] {
            let c = json!({"VideoMonitoringSettings": [{"BlackFrames": {"State": "ENABLED", "ThresholdSeconds": good}}]});
            assert!(merge(None, &c).is_ok(), "{good}");
        }
    }
}
