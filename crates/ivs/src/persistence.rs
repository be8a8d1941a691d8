//! Durable records: every resource under its ARN-type table, every stream session under
//! `stream-session`; `restore` replays them, `records` dumps them.

use crate::state::{Kind, Session};
use crate::Ivs;
use service::Record;

/// The journal table of stream sessions (key `CHANNEL_ARN#STREAM_ID`).
pub(crate) const SESSION_TABLE: &str = "stream-session";

/// The account of an IVS ARN (its fifth field).
fn account_of(arn: &str) -> String {
    arn.split(':').nth(4).unwrap_or_default().to_string()
}

impl Ivs {
    /// Re-applies one record.
    pub(crate) fn restore_record(&self, record: &Record) -> Result<(), String> {
        let mut state = self.state.write();
        if record.table == SESSION_TABLE {
            match &record.value {
                None => state.remove_session(&record.key),
                Some(v) => {
                    let session: Session = serde_json::from_value(v.clone())
                        .map_err(|e| format!("bad stream-session record {}: {e}", record.key))?;
                    state.put_session(session);
                }
            }
            return Ok(());
        }
        state.restore(record)
    }

    /// Every record of the current state.
    pub(crate) fn all_records(&self) -> Vec<Record> {
        let state = self.state.read();
        let mut out = state.records();
        for s in state.sessions.values().flatten() {
            if let Ok(value) = serde_json::to_value(s) {
                out.push(Record {
                    account: account_of(&s.channel_arn),
                    table: SESSION_TABLE.to_string(),
                    key: s.key(),
                    value: Some(value),
                });
            }
        }
        out
    }

    /// Resource counts by type, for metrics.
    pub(crate) fn counts(&self) -> Vec<(&'static str, usize)> {
        let state = self.state.read();
        let mut counts: Vec<(&'static str, usize)> = Kind::ALL
            .iter()
            .map(|k| (k.arn_type(), state.store(*k).len()))
            .collect();
        counts.push(("live-stream", state.live.len()));
        counts.push((SESSION_TABLE, state.sessions.values().map(Vec::len).sum()));
        counts
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;

    #[test]
    fn restore_of_records_rebuilds_the_same_state() {
        let ivs = ivs();
        let ch = ok(
            &ivs,
            "CreateChannel",
            json!({"name": "c", "tags": {"a": "b"}}),
        );
        let arn = s(&ch, "/channel/arn");
        ok(&ivs, "CreatePlaybackRestrictionPolicy", json!({}));
        ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[0]}),
        );
        admin_as(&ivs, &ctx(), json!({"channelArn": arn, "action": "start"})).unwrap();
        let records = ivs.records();
        let copy = crate::test_support::ivs();
        for r in &records {
            copy.restore(r).unwrap();
        }
        assert_eq!(copy.records(), records);
        assert_eq!(
            ok(&copy, "GetChannel", json!({ "arn": arn })),
            ok(&ivs, "GetChannel", json!({ "arn": arn }))
        );
        assert_eq!(
            ok(&copy, "GetStream", json!({ "channelArn": arn })),
            ok(&ivs, "GetStream", json!({ "channelArn": arn }))
        );
        // The stream key index is rebuilt too.
        assert_eq!(
            ok(&copy, "ListStreamKeys", json!({ "channelArn": arn })),
            ok(&ivs, "ListStreamKeys", json!({ "channelArn": arn }))
        );
        let counts = copy.resource_counts();
        assert!(counts.contains(&("channel", 1)));
        assert!(counts.contains(&("live-stream", 1)));
        copy.reset();
        assert!(copy.records().is_empty());
    }

    #[test]
    fn a_session_recorded_before_it_was_typed_restores_to_the_same_views() {
        let ivs = ivs();
        let rc = ok(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}}),
        );
        let rc_arn = s(&rc, "/recordingConfiguration/arn");
        let ch = ok(
            &ivs,
            "CreateChannel",
            json!({"name": "c", "tags": {"a": "b"}, "recordingConfigurationArn": rc_arn}),
        );
        let arn = s(&ch, "/channel/arn");
        admin_as(&ivs, &ctx(), json!({"channelArn": arn, "action": "start"})).unwrap();
        ok(&ivs, "StopStream", json!({ "channelArn": arn }));
        let shown = ok(&ivs, "GetStreamSession", json!({ "channelArn": arn }));
        // The record as sessions were written before they were typed: the API views.
        let records = ivs.records();
        let mut old = Vec::new();
        for mut r in records {
            if r.table == super::SESSION_TABLE {
                let v = r.value.as_mut().unwrap();
                let session = &shown["streamSession"];
                v["channel"] = session["channel"].clone();
                v["recording_configuration"] = session["recordingConfiguration"].clone();
                assert!(v["failover_slate_configuration"].is_null());
            }
            old.push(r);
        }
        let copy = crate::test_support::ivs();
        for r in &old {
            copy.restore(r).unwrap();
        }
        assert_eq!(
            ok(&copy, "GetStreamSession", json!({ "channelArn": arn })),
            shown
        );
        // Written again, it is in the typed form (the view kept no creation time, so the
        // configuration's is 0 with its state settled), and reads back as itself.
        let again = copy.records();
        let session = again
            .iter()
            .find(|r| r.table == super::SESSION_TABLE)
            .and_then(|r| r.value.clone())
            .unwrap();
        assert_eq!(session["channel"]["arn"], json!(arn));
        assert_eq!(session["channel"]["resource"]["tags"], json!({"a": "b"}));
        assert_eq!(
            session["recording_configuration"]["resource"]["state"],
            "ACTIVE"
        );
        let third = crate::test_support::ivs();
        for r in &again {
            third.restore(r).unwrap();
        }
        assert_eq!(third.records(), again);
        // A snapshot that is neither form is refused, not dropped.
        let mut bad = old
            .iter()
            .find(|r| r.table == super::SESSION_TABLE)
            .unwrap()
            .clone();
        bad.value.as_mut().unwrap()["channel"] = json!({"name": "no arn"});
        assert!(copy.restore(&bad).is_err());
    }

    #[test]
    fn the_journal_replays_to_the_same_state() {
        let ivs = ivs();
        let replica = crate::test_support::ivs();
        let c = ctx();
        let out = ivs.handle(&c, "CreateChannel", json!({})).unwrap();
        let arn = s(&out, "/channel/arn");
        ivs.handle(
            &c,
            "TagResource",
            json!({"resourceArn": arn, "tags": {"x": "1"}}),
        )
        .unwrap();
        admin_as(&ivs, &c, json!({"channelArn": arn, "action": "start"})).unwrap();
        ivs.handle(&c, "StopStream", json!({ "channelArn": arn }))
            .unwrap();
        let key = s(&out, "/streamKey/arn");
        ivs.handle(&c, "DeleteStreamKey", json!({ "arn": key }))
            .unwrap();
        for (_, r) in c.journal.take() {
            replica.restore(&r).unwrap();
        }
        assert_eq!(replica.records(), ivs.records());
        ivs.handle(&c, "DeleteChannel", json!({ "arn": arn }))
            .unwrap();
        for (_, r) in c.journal.take() {
            replica.restore(&r).unwrap();
        }
        assert!(replica.records().is_empty());
        assert!(replica
            .restore(&service::Record {
                account: "0".into(),
                table: "nonsense".into(),
                key: "k".into(),
                value: None,
            })
            .is_err());
    }
}
