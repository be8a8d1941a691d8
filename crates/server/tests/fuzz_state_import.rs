//! Fuzz target for the state import (and the startup restore, which applies the same
//! records unchecked): whatever records arrive, every store's `validate_import`, `restore`,
//! `records` and `reset_account` return instead of panicking. Records are real exported ones,
//! mutated, or arbitrary JSON under every store and table. Cases: `PROPTEST_CASES`.

use proptest::prelude::*;
use serde_json::{json, Value};
use server::{App, Config};
use service::Record;
use std::sync::{Arc, OnceLock};

const ACCOUNT: &str = "000000000000";
/// Table names the services keep (the export adds the ones a fresh server has).
const TABLES: &[&str] = &[
    "account",
    "bridge",
    "certificate",
    "channel",
    "channels",
    "endpoint",
    "flow",
    "gateway",
    "job",
    "jobs",
    "oidc-provider",
    "policy",
    "preset",
    "presets",
    "queue",
    "queues",
    "reservation",
    "router",
    "saml-provider",
    "session",
    "stream-key",
    "stream-session",
    "user",
    "role",
    "group",
    "access-key",
    "mfa-device",
    "playback-key-pair",
    "nonsense",
];

fn app() -> &'static Arc<App> {
    static APP: OnceLock<Arc<App>> = OnceLock::new();
    APP.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(App::new(Config::for_tests()))
            .expect("app")
    })
}

/// What a fresh server exports: real shapes to mutate.
fn exported() -> &'static Vec<(String, Record)> {
    static SNAP: OnceLock<Vec<(String, Record)>> = OnceLock::new();
    SNAP.get_or_init(|| app().snapshot(None))
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::from),
        Just(json!(ACCOUNT)),
        Just(json!("arn:aws:iam::111122223333:user/x")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec(("[a-zA-Z]{1,10}", inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A real value with one field dropped or replaced.
fn mutate(mut value: Value, pick: usize, replacement: Value, drop: bool) -> Value {
    if let Some(obj) = value.as_object_mut() {
        if let Some(key) = obj.keys().nth(pick % obj.len().max(1)).cloned() {
            if drop {
                obj.remove(&key);
            } else {
                obj.insert(key, replacement);
            }
        }
        value
    } else {
        replacement
    }
}

fn record() -> impl Strategy<Value = (Option<usize>, Record)> {
    (
        any::<usize>(),
        any::<usize>(),
        prop_oneof![
            Just(ACCOUNT.to_string()),
            Just("111122223333".to_string()),
            ".{0,14}"
        ],
        ".{0,30}",
        proptest::option::of(json_value()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(seed, pick, account, key, value, real, drop)| {
            let snap = exported();
            if real && !snap.is_empty() {
                let (store, r) = &snap[seed % snap.len()];
                let store = app().stores().iter().position(|(n, _)| n == store);
                let value = r
                    .value
                    .clone()
                    .map(|v| mutate(v, pick, value.clone().unwrap_or(Value::Null), drop));
                let record = Record {
                    account: r.account.clone(),
                    table: r.table.clone(),
                    key: r.key.clone(),
                    value,
                };
                (store, record)
            } else {
                let table = TABLES[pick % TABLES.len()].to_string();
                (
                    None,
                    Record {
                        account,
                        table,
                        key,
                        value,
                    },
                )
            }
        })
}

proptest! {
    #[test]
    fn fuzz_state_import_never_panics(
        records in proptest::collection::vec(record(), 1..4),
        store_pick in any::<usize>(),
    ) {
        let app = app();
        let stores = app.stores();
        for (store, record) in &records {
            let (_, service) = stores[store.unwrap_or(store_pick) % stores.len()];
            // The import checks, then applies; the startup restore applies unchecked.
            let _ = service.validate_import(ACCOUNT, std::slice::from_ref(record));
            let _ = service.restore(record);
        }
        for (_, service) in &stores {
            let _ = service.records();
        }
        let _ = app.snapshot(Some(ACCOUNT));
        // A clean state for the next case.
        for (_, service) in &stores {
            let _ = service.reset_account(ACCOUNT);
            let _ = service.reset_account("111122223333");
        }
    }
}

/// The mutations start from real records: a fresh server exports some (its accounts and keys).
#[test]
fn a_fresh_export_has_records_to_mutate() {
    let snap = exported();
    assert!(!snap.is_empty());
    assert!(snap.iter().all(|(store, _)| app().store(store).is_some()));
}
