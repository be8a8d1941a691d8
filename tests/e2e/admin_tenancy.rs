//! The admin API keeps accounts apart: an account's root imports, exports and resets only its
//! own account's state, and server-wide endpoints (reset of every account, the manual
//! lifecycle clock) need the server's admin identity.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

const VICTIM: &str = "000000000000";
const ATTACKER: &str = "111111111111";
const ATTACKER_KEY: &str = "AKIDATTACKERROOT0001";
const ATTACKER_SECRET: &str = "attacker-secret";

/// A server whose bootstrap file adds the attacker's account next to the built-in one.
async fn two_accounts(admin_key: Option<&str>) -> TestServer {
    let dir = common::temp_dir("mediamock-tenancy");
    let path = dir.join("bootstrap.json");
    let bootstrap = json!({"accounts": [{"id": ATTACKER, "root_access_key": ATTACKER_KEY,
        "root_secret_key": ATTACKER_SECRET}]});
    std::fs::write(&path, bootstrap.to_string()).unwrap();
    let mut config = server::Config::for_tests();
    config.bootstrap = Some(path);
    if let Some(k) = admin_key {
        config.admin_access_key = k.to_string();
    }
    TestServer::start_with(config).await
}

async fn attacker(server: &TestServer, method: &str, path: &str, body: Value) -> (u16, Value) {
    server
        .admin(method, path, body, ATTACKER_KEY, ATTACKER_SECRET)
        .await
}

async fn victim_channel(server: &TestServer) -> String {
    server
        .ivs_root()
        .await
        .create_channel()
        .name("victim")
        .send()
        .await
        .unwrap()
        .channel
        .unwrap()
        .arn
        .unwrap()
}

fn import(records: Vec<(&str, Value)>) -> Value {
    let records: Vec<Value> = records
        .into_iter()
        .map(|(store, record)| json!({"store": store, "record": record}))
        .collect();
    json!({"format": "mediamock-state-1", "account": ATTACKER, "records": records})
}

#[tokio::test]
async fn an_import_cannot_reach_another_account() {
    let server = two_accounts(None).await;
    let channel = victim_channel(&server).await;
    // A harmless record of the attacker's own first: a refused import applies nothing.
    let own_user = json!({"account": ATTACKER, "table": "user", "key": format!("{ATTACKER}:user:mallory"),
        "value": {"account": ATTACKER, "name": "mallory", "path": "/", "id": "AIDAMALLORY000000001",
            "created": 0.0, "tags": [], "inline": {}, "attached": [], "boundary": null,
            "groups": [], "keys": []}});
    let attacks = [
        // New root keys for the victim's account, under the attacker's envelope.
        (
            "iam",
            json!({"account": ATTACKER, "table": "account", "key": VICTIM,
                "value": {"id": VICTIM, "root_access_key": "evil", "root_secret_key": "evil"}}),
        ),
        // A session that acts as the victim's root.
        (
            "iam",
            json!({"account": ATTACKER, "table": "session", "key": "ASIAEVILEVILEVIL0001",
                "value": {"access_key_id": "ASIAEVILEVILEVIL0001", "secret": "evil", "token": "evil",
                    "principal": {"account": VICTIM, "arn": format!("arn:aws:iam::{VICTIM}:root"),
                        "kind": "Account", "user_id": VICTIM, "username": null,
                        "access_key_id": "ASIAEVILEVILEVIL0001", "session": null},
                    "expires_at": 4.0e9, "policies": []}}),
        ),
        // A delete of the victim's channel.
        (
            "ivs",
            json!({"account": ATTACKER, "table": "channel", "key": channel, "value": null}),
        ),
    ];
    for (store, attack) in attacks {
        let doc = import(vec![("iam", own_user.clone()), (store, attack.clone())]);
        let (status, body) = attacker(&server, "PUT", "/_mediamock/state", doc).await;
        assert_eq!(status, 400, "{attack} was imported: {body}");
        assert_eq!(body["code"], "ValidationException", "{body}");
    }
    // Nothing of any refused import was applied.
    let (_, state) = attacker(&server, "GET", "/_mediamock/state", Value::Null).await;
    assert!(!state.to_string().contains("mallory"), "{state}");
    server
        .ivs_root()
        .await
        .get_channel()
        .arn(&channel)
        .send()
        .await
        .expect("the victim's channel survives");
    let sts = aws_sdk_sts::Client::new(&server.sdk_config("evil", "evil").await);
    assert!(sts.get_caller_identity().send().await.is_err());
    let me = aws_sdk_sts::Client::new(&server.root_config().await)
        .get_caller_identity()
        .send()
        .await
        .expect("the victim's root key still works");
    assert_eq!(me.account(), Some(VICTIM));
    // The attacker's own records still import.
    let (status, body) = attacker(
        &server,
        "PUT",
        "/_mediamock/state",
        import(vec![("iam", own_user)]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn reset_acts_on_the_callers_account_and_all_accounts_need_the_admin() {
    let server = two_accounts(None).await;
    let channel = victim_channel(&server).await;
    let (status, body) = attacker(&server, "POST", "/_mediamock/reset", Value::Null).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["accounts"], json!([ATTACKER]));
    let ivs = server.ivs_root().await;
    ivs.get_channel()
        .arn(&channel)
        .send()
        .await
        .expect("another account's reset leaves the victim's channel");
    // The attacker's root survives its own reset (its account came from the bootstrap).
    let (status, _) = attacker(&server, "GET", "/_mediamock/state", Value::Null).await;
    assert_eq!(status, 200);
    let (status, body) = attacker(
        &server,
        "POST",
        "/_mediamock/reset",
        json!({"allAccounts": true}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "AccessDenied");
    let (status, body) = attacker(
        &server,
        "POST",
        "/_mediamock/reset",
        json!({"allAccounts": "yes"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = attacker(
        &server,
        "POST",
        "/_mediamock/clock/advance",
        json!({"seconds": 5}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    ivs.get_channel().arn(&channel).send().await.unwrap();
    // The admin identity (by default the built-in root) resets every account.
    let (status, body) = server
        .root_admin("POST", "/_mediamock/reset", json!({"allAccounts": true}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(ivs.get_channel().arn(&channel).send().await.is_err());
}

#[tokio::test]
async fn the_admin_identity_can_be_another_key() {
    let server = two_accounts(Some(ATTACKER_KEY)).await;
    let (status, body) = server
        .root_admin("POST", "/_mediamock/clock/advance", json!({"seconds": 1}))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = attacker(
        &server,
        "POST",
        "/_mediamock/clock/advance",
        json!({"seconds": 1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // An admin key that no identity has is refused at startup.
    let mut config = server::Config::for_tests();
    config.admin_access_key = "AKIDNOBODY".into();
    let e = server::start(config).await.err().expect("refused");
    assert!(e.contains("AKIDNOBODY"), "{e}");
}

#[tokio::test]
async fn absurd_clock_steps_are_a_400() {
    let server = TestServer::start().await;
    for seconds in [
        json!(1e20),
        json!(-1),
        json!("NaN"),
        json!(null),
        json!(1e300),
    ] {
        let (status, body) = server
            .root_admin(
                "POST",
                "/_mediamock/clock/advance",
                json!({ "seconds": seconds }),
            )
            .await;
        assert_eq!(status, 400, "{seconds}: {body}");
        assert_eq!(body["code"], "ValidationException");
    }
    let (status, body) = server
        .root_admin(
            "POST",
            "/_mediamock/clock/advance",
            json!({"seconds": 86400}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// Every record the export lists for MediaConnect, MediaConvert and MediaPackage v1/v2 imports
/// back into its own account; the same services refuse a record that reaches the victim's.
#[tokio::test]
async fn media_service_records_import_into_their_own_account_only() {
    let server = two_accounts(None).await;
    let own = server.sdk_config(ATTACKER_KEY, ATTACKER_SECRET).await;
    let root = server.root_config().await;
    let my_flow = flow_of(&own).await;
    let victim_flow = flow_of(&root).await;
    aws_sdk_mediaconvert::Client::new(&own)
        .create_queue()
        .name("batch")
        .send()
        .await
        .unwrap();
    aws_sdk_mediapackage::Client::new(&own)
        .create_channel()
        .id("live")
        .send()
        .await
        .unwrap();
    aws_sdk_mediapackagev2::Client::new(&own)
        .create_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .unwrap();

    // Export, forget, import: every service's records come back.
    let (status, exported) = attacker(&server, "GET", "/_mediamock/state", Value::Null).await;
    assert_eq!(status, 200, "{exported}");
    let stores = |doc: &Value| -> Vec<String> {
        doc["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["store"].as_str().unwrap().to_string())
            .collect()
    };
    for store in [
        "mediaconnect",
        "mediaconvert",
        "mediapackage",
        "mediapackagev2",
    ] {
        assert!(
            stores(&exported).iter().any(|s| s == store),
            "{store}: {exported}"
        );
    }
    let (status, body) = attacker(&server, "POST", "/_mediamock/reset", Value::Null).await;
    assert_eq!(status, 200, "{body}");
    let mc = aws_sdk_mediaconnect::Client::new(&own);
    assert!(mc.describe_flow().flow_arn(&my_flow).send().await.is_err());
    let (status, body) = attacker(&server, "PUT", "/_mediamock/state", exported.clone()).await;
    assert_eq!(status, 200, "{body}");
    mc.describe_flow()
        .flow_arn(&my_flow)
        .send()
        .await
        .expect("the imported flow is back");
    aws_sdk_mediaconvert::Client::new(&own)
        .get_queue()
        .name("batch")
        .send()
        .await
        .expect("the imported queue is back");
    aws_sdk_mediapackage::Client::new(&own)
        .describe_channel()
        .id("live")
        .send()
        .await
        .expect("the imported v1 channel is back");
    aws_sdk_mediapackagev2::Client::new(&own)
        .get_channel_group()
        .channel_group_name("g")
        .send()
        .await
        .expect("the imported channel group is back");

    // The victim's flow: deleted, or replaced by the attacker's copy, under the attacker's envelope.
    let mine = exported["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["store"] == "mediaconnect")
        .unwrap()["record"]
        .clone();
    let mut replace = mine.clone();
    replace["key"] = json!(victim_flow);
    let mut delete = replace.clone();
    delete["value"] = Value::Null;
    // The attacker's own flow, pointing at the victim's queue ARN inside.
    let mut pointing = mine.clone();
    pointing["value"]["Flow"]["Description"] = json!(format!(
        "arn:aws:mediaconvert:us-west-2:{VICTIM}:queues/Default"
    ));
    for attack in [replace, delete, pointing] {
        let doc = import(vec![("mediaconnect", attack.clone())]);
        let (status, body) = attacker(&server, "PUT", "/_mediamock/state", doc).await;
        assert_eq!(status, 400, "{attack} was imported: {body}");
        // Refused for naming the victim, not for being malformed.
        assert!(body.to_string().contains(VICTIM), "{body}");
    }
    aws_sdk_mediaconnect::Client::new(&root)
        .describe_flow()
        .flow_arn(&victim_flow)
        .send()
        .await
        .expect("the victim's flow survives");
}

/// A new flow of whoever `config` signs as.
async fn flow_of(config: &aws_config::SdkConfig) -> String {
    let source = aws_sdk_mediaconnect::types::SetSourceRequest::builder()
        .name("src")
        .protocol(aws_sdk_mediaconnect::types::Protocol::Rtp)
        .ingest_port(5000)
        .whitelist_cidr("10.0.0.0/16")
        .build();
    aws_sdk_mediaconnect::Client::new(config)
        .create_flow()
        .name("f")
        .source(source)
        .send()
        .await
        .unwrap()
        .flow
        .unwrap()
        .flow_arn
        .unwrap()
}
