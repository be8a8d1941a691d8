//! Account boundaries of the admin API: which records of a state import may be applied by an
//! account, and forgetting one account's state.

use crate::persistence::SESSION_TABLE;
use crate::state::{Body, Kind, Resource, Session};
use crate::Ivs;
use service::{arn_account, no_foreign_arns, Record};

/// Refuses `arn` unless it is an IVS ARN of `account` of the record's type.
fn own_arn(account: &str, arn: &str, kind: Kind) -> Result<(), String> {
    if arn_account(arn) != Some(account) || !arn.starts_with("arn:aws:ivs:") {
        return Err(format!("{arn} is not an IVS ARN of account {account}"));
    }
    if Kind::of_arn(arn) != Some(kind) {
        return Err(format!("{arn} is not a {} ARN", kind.arn_type()));
    }
    Ok(())
}

fn check_record(account: &str, r: &Record) -> Result<(), String> {
    if r.account != account {
        return Err(format!(
            "record {} belongs to account {}, not {account}",
            r.key, r.account
        ));
    }
    if r.table == SESSION_TABLE {
        let (channel, stream_id) = r
            .key
            .rsplit_once('#')
            .ok_or_else(|| format!("{} is not a stream-session key", r.key))?;
        own_arn(account, channel, Kind::Channel)?;
        if let Some(v) = &r.value {
            let s: Session = serde_json::from_value(v.clone())
                .map_err(|e| format!("bad stream-session record {}: {e}", r.key))?;
            if s.channel_arn != channel || s.stream_id != stream_id {
                return Err(format!("stream-session {} has another key inside", r.key));
            }
            no_foreign_arns(account, v)?;
        }
        return Ok(());
    }
    let kind =
        Kind::from_arn_type(&r.table).ok_or_else(|| format!("ivs has no table {}", r.table))?;
    own_arn(account, &r.key, kind)?;
    if let Some(v) = &r.value {
        let resource: Resource = serde_json::from_value(v.clone())
            .map_err(|e| format!("bad {} record {}: {e}", r.table, r.key))?;
        // Typed bodies hold no ARN of their own (the record's key is it); records of the
        // older JSON-map shape do.
        let legacy_arn = matches!(resource.value, Body::Legacy(_)).then(|| resource.str("arn"));
        resource
            .value
            .clone()
            .for_kind(kind)
            .map_err(|e| format!("bad {} record {}: {e}", r.table, r.key))?;
        if legacy_arn.is_some_and(|a| a != r.key) {
            return Err(format!(
                "{} record {} has another ARN inside",
                r.table, r.key
            ));
        }
        no_foreign_arns(account, v)?;
    }
    Ok(())
}

impl Ivs {
    /// Refuses the import unless every record is `account`'s.
    pub(crate) fn validate_import_records(
        &self,
        account: &str,
        records: &[Record],
    ) -> Result<(), String> {
        records.iter().try_for_each(|r| check_record(account, r))
    }

    /// Forgets every resource and stream session of `account`.
    pub(crate) fn forget_account(&self, account: &str) {
        let mut state = self.state.write();
        let mine = |arn: &str| arn_account(arn) == Some(account);
        let arns: Vec<String> = state
            .records()
            .into_iter()
            .map(|r| r.key)
            .filter(|a| mine(a))
            .collect();
        // The server compacts the log after a reset, so these removals need no journal.
        let journal = service::Journal::default();
        for arn in arns {
            state.remove(&journal, &arn);
        }
        state.sessions.retain(|channel, _| !mine(channel));
        state.live.retain(|channel| !mine(channel));
        state.keys_by_channel.retain(|channel, _| !mine(channel));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::*;
    use serde_json::json;
    use service::Service;

    fn channel_of(ivs: &Ivs, c: &service::RequestContext) -> String {
        s(
            &ivs.handle(c, "CreateChannel", json!({})).unwrap(),
            "/channel/arn",
        )
    }

    #[test]
    fn an_account_may_import_its_own_records() {
        let ivs = ivs();
        ok(&ivs, "CreateChannel", json!({"name": "c"}));
        // One resource of every kind.
        ok(&ivs, "CreatePlaybackRestrictionPolicy", json!({}));
        ok(
            &ivs,
            "ImportPlaybackKeyPair",
            json!({"publicKeyMaterial": P384_KEYS[0]}),
        );
        ok(
            &ivs,
            "CreateRecordingConfiguration",
            json!({"destinationConfiguration": {"s3": {"bucketName": "b"}}}),
        );
        let mt = json!([{"playbackConfigurationArn": "arn:aws:mediatailor:us-west-2:000000000000:playbackConfiguration/pc"}]);
        ok(
            &ivs,
            "CreateAdConfiguration",
            json!({"mediaTailorPlaybackConfigurations": mt}),
        );
        ok(&ivs, "CreateFailoverSlateConfiguration", json!({}));
        admin_as(&ivs, &ctx(), json!({"channelArn": s(&ok(&ivs, "ListChannels", json!({})), "/channels/0/arn"), "action": "start"})).unwrap();
        let records = ivs.records();
        assert!(records.iter().any(|r| r.table == SESSION_TABLE));
        for kind in Kind::ALL {
            assert!(
                records.iter().any(|r| r.table == kind.arn_type()),
                "{kind:?}"
            );
        }
        ivs.validate_import("000000000000", &records).unwrap();
        // Deletes of its own records count as its own.
        let deletes: Vec<Record> = records
            .into_iter()
            .map(|r| Record { value: None, ..r })
            .collect();
        ivs.validate_import("000000000000", &deletes).unwrap();
    }

    #[test]
    fn records_of_another_account_are_refused_whatever_the_envelope_says() {
        let ivs = ivs();
        let theirs = channel_of(&ivs, &other_ctx());
        let victim = ivs.records().into_iter().find(|r| r.key == theirs).unwrap();
        let me = "000000000000";
        // A delete of another account's channel, relabelled as mine.
        let delete = Record {
            account: me.into(),
            value: None,
            ..victim.clone()
        };
        assert!(ivs.validate_import(me, &[delete]).is_err());
        // A put keyed in my account whose value names theirs.
        let mut value = victim.value.clone().unwrap();
        let my_arn = theirs.replace("111111111111", me);
        // (A channel's record holds its members at the top level; its key is its ARN.)
        assert!(value.get("body").is_none());
        value["recordingConfigurationArn"] =
            json!("arn:aws:ivs:us-west-2:111111111111:recording-configuration/x");
        let put = Record {
            account: me.into(),
            table: "channel".into(),
            key: my_arn.clone(),
            value: Some(value.clone()),
        };
        let e = ivs.validate_import(me, &[put]).unwrap_err();
        assert!(e.contains("111111111111"), "{e}");
        // A key of the wrong type, or a session on their channel.
        let wrong = Record {
            account: me.into(),
            table: "stream-key".into(),
            key: my_arn.clone(),
            value: None,
        };
        assert!(ivs.validate_import(me, &[wrong]).is_err());
        let session = Record {
            account: me.into(),
            table: SESSION_TABLE.into(),
            key: format!("{theirs}#st-1"),
            value: None,
        };
        assert!(ivs.validate_import(me, &[session]).is_err());
    }

    #[test]
    fn reset_of_one_account_leaves_the_others() {
        let ivs = ivs();
        let mine = channel_of(&ivs, &ctx());
        admin_as(&ivs, &ctx(), json!({"channelArn": mine, "action": "start"})).unwrap();
        let theirs = channel_of(&ivs, &other_ctx());
        ivs.reset_account("000000000000").unwrap();
        let left = ivs.records();
        assert!(left.iter().all(|r| r.account == "111111111111"), "{left:?}");
        assert!(left.iter().any(|r| r.key == theirs));
        assert!(ivs.resource_counts().contains(&("live-stream", 0)));
        assert!(call(&ivs, "GetChannel", json!({"arn": mine})).is_err());
    }
}
