//! Durable state and the admin API end to end: restarts keep everything, `kill -9` during a
//! burst of writes loses nothing acknowledged, admin refuses unsigned and non-root callers,
//! reset and state export/import round-trip, seeds make IDs reproducible.

use crate::common;

use common::TestServer;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

fn durable_config(dir: &Path) -> server::Config {
    let mut c = server::Config::for_tests();
    c.data_dir = Some(dir.to_path_buf());
    c.seed = None;
    c
}

/// Runs a server in a child process (so it can be killed with SIGKILL); only when asked.
#[test]
#[ignore = "helper: started as a child process by kill_nine_loses_nothing_acknowledged"]
fn child_server() {
    let Ok(dir) = std::env::var("MEDIAMOCK_CHILD_DATA_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async move {
            let running = server::start(durable_config(&dir)).await.unwrap();
            std::fs::write(dir.join("port.txt"), running.addr().port().to_string()).unwrap();
            std::future::pending::<()>().await;
        });
}

fn spawn_child(dir: &Path) -> (Child, u16) {
    let _ = std::fs::remove_file(dir.join("port.txt"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "durability::child_server",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("MEDIAMOCK_CHILD_DATA_DIR", dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if let Ok(p) = std::fs::read_to_string(dir.join("port.txt")) {
            if let Ok(port) = p.trim().parse() {
                return (child, port);
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("child server did not start");
}

async fn ivs_at(port: u16) -> aws_sdk_ivs::Client {
    let cfg = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .region(aws_config::Region::new(common::REGION))
        .credentials_provider(aws_credential_types::Credentials::new(
            "test", "test", None, None, "t",
        ))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    aws_sdk_ivs::Client::new(&cfg)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_nine_loses_nothing_acknowledged() {
    let dir = common::temp_dir("mediamock-kill9");
    let (mut child, port) = spawn_child(&dir);
    let ivs = ivs_at(port).await;
    let acknowledged = std::sync::Arc::new(parking_lot::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..4 {
        let ivs = ivs.clone();
        let acked = acknowledged.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..1000 {
                match ivs.create_channel().name(format!("w{w}-{i}")).send().await {
                    Ok(out) => acked.lock().push(out.channel.unwrap().arn.unwrap()),
                    Err(_) => break,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.kill().unwrap(); // SIGKILL
    let _ = child.wait();
    for w in writers {
        let _ = w.await;
    }
    let acked = acknowledged.lock().clone();
    assert!(
        acked.len() > 10,
        "only {} writes before the kill",
        acked.len()
    );

    let (mut child, port) = spawn_child(&dir);
    let ivs = ivs_at(port).await;
    for arn in &acked {
        ivs.get_channel()
            .arn(arn)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{arn} was acknowledged but is gone: {e:?}"));
    }
    child.kill().unwrap();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_restart_keeps_iam_and_ivs_state() {
    let dir = common::temp_dir("mediamock-restart");
    let server = TestServer::start_with(durable_config(&dir)).await;
    let (key, secret) = server.user_with_policy("kept", common::ALLOW_IVS).await;
    let ivs = server.ivs_root().await;
    for i in 0..5 {
        ivs.create_channel()
            .name(format!("c{i}"))
            .send()
            .await
            .unwrap();
    }
    let page = ivs.list_channels().max_results(2).send().await.unwrap();
    let token = page.next_token.clone().expect("more pages");
    let root_created = |iam: aws_sdk_iam::Client| async move {
        let out = iam.get_user().send().await.expect("root's user");
        out.user().unwrap().create_date().secs()
    };
    let created = root_created(server.iam_root().await).await;
    server.stop().await;
    // Later than the first start by a whole second, so a date made anew would differ.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let server = TestServer::start_with(durable_config(&dir)).await;
    assert_eq!(
        root_created(server.iam_root().await).await,
        created,
        "the account keeps its creation date"
    );
    let as_user = server.sdk_config(&key, &secret).await;
    let ivs = aws_sdk_ivs::Client::new(&as_user);
    let all = ivs
        .list_channels()
        .send()
        .await
        .expect("the key still works");
    assert_eq!(all.channels().len(), 5);
    let next = ivs
        .list_channels()
        .max_results(2)
        .next_token(token)
        .send()
        .await
        .expect("the token stays valid");
    assert_eq!(next.channels().len(), 2);
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// A clean shutdown rewrites the log to the last record of each key (updates folded, deleted
/// channels and their keys dropped); restarts from it show exactly the state the clients were
/// told about.
#[tokio::test]
async fn a_compacted_log_restores_updates_and_deletions() {
    let dir = common::temp_dir("mediamock-rewrite");
    let server = TestServer::start_with(durable_config(&dir)).await;
    let ivs = server.ivs_root().await;
    let mut arns = Vec::new();
    for i in 0..12 {
        let out = ivs
            .create_channel()
            .name(format!("c{i}"))
            .send()
            .await
            .unwrap();
        arns.push(out.channel().unwrap().arn().unwrap().to_string());
    }
    for arn in &arns[..4] {
        ivs.update_channel()
            .arn(arn)
            .name("renamed")
            .send()
            .await
            .unwrap();
    }
    for arn in &arns[8..] {
        ivs.delete_channel().arn(arn).send().await.unwrap();
    }
    let keys_before = ivs
        .list_stream_keys()
        .channel_arn(&arns[0])
        .send()
        .await
        .unwrap();
    server.stop().await;

    let server = TestServer::start_with(durable_config(&dir)).await;
    let ivs = server.ivs_root().await;
    let names = channel_names(&ivs).await;
    assert_eq!(
        names,
        ["c4", "c5", "c6", "c7", "renamed", "renamed", "renamed", "renamed"]
    );
    let keys_after = ivs
        .list_stream_keys()
        .channel_arn(&arns[0])
        .send()
        .await
        .unwrap();
    assert_eq!(keys_after.stream_keys(), keys_before.stream_keys());
    for arn in &arns[8..] {
        let gone = ivs.get_channel().arn(arn).send().await;
        assert!(gone.is_err(), "{arn} was deleted but came back");
    }
    // More writes on top of the restored log, then another stop and start.
    ivs.delete_channel().arn(&arns[4]).send().await.unwrap();
    ivs.update_channel()
        .arn(&arns[5])
        .name("late")
        .send()
        .await
        .unwrap();
    server.stop().await;
    let running = TestServer::start_with(durable_config(&dir)).await;
    let ivs = running.ivs_root().await;
    let names = channel_names(&ivs).await;
    assert_eq!(
        names,
        ["c6", "c7", "late", "renamed", "renamed", "renamed", "renamed"]
    );
    running.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn admin_refuses_unsigned_and_non_root_callers() {
    let server = TestServer::start().await;
    let r = server
        .raw(b"POST /_mediamock/reset HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        .await;
    assert_eq!(r.status, 403, "{}", r.text());
    let iam = server.iam_root().await;
    iam.create_user()
        .user_name("admin-wannabe")
        .send()
        .await
        .unwrap();
    iam.attach_user_policy()
        .user_name("admin-wannabe")
        .policy_arn("arn:aws:iam::aws:policy/AdministratorAccess")
        .send()
        .await
        .unwrap();
    let key = iam
        .create_access_key()
        .user_name("admin-wannabe")
        .send()
        .await
        .unwrap()
        .access_key
        .unwrap();
    let (status, body) = server
        .admin(
            "GET",
            "/_mediamock/state",
            serde_json::Value::Null,
            &key.access_key_id,
            &key.secret_access_key,
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = server
        .admin(
            "GET",
            "/_mediamock/state",
            serde_json::Value::Null,
            "test",
            "wrong",
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn state_export_import_and_reset_round_trip() {
    let server = TestServer::start().await;
    let cfg = server.sdk_config("test", "test").await;
    let ivs = aws_sdk_ivs::Client::new(&cfg);
    let arn = ivs
        .create_channel()
        .name("demo")
        .send()
        .await
        .unwrap()
        .channel
        .unwrap()
        .arn
        .unwrap();
    aws_sdk_iam::Client::new(&cfg)
        .create_user()
        .user_name("presenter")
        .send()
        .await
        .unwrap();
    let (status, state) = server
        .root_admin("GET", "/_mediamock/state", serde_json::Value::Null)
        .await;
    assert_eq!(status, 200, "{state}");
    let (status, _) = server
        .root_admin("POST", "/_mediamock/reset", serde_json::Value::Null)
        .await;
    assert_eq!(status, 200);
    assert!(
        ivs.get_channel().arn(&arn).send().await.is_err(),
        "reset forgets"
    );
    let (status, body) = server
        .admin("PUT", "/_mediamock/state", state, "test", "test")
        .await;
    assert_eq!(status, 200, "{body}");
    let back = ivs.get_channel().arn(&arn).send().await.expect("imported");
    assert_eq!(back.channel.unwrap().name.as_deref(), Some("demo"));
    aws_sdk_iam::Client::new(&cfg)
        .get_user()
        .user_name("presenter")
        .send()
        .await
        .expect("imported user");
    let (status, decisions) = server
        .root_admin("GET", "/_mediamock/decisions", serde_json::Value::Null)
        .await;
    assert_eq!(status, 200, "{decisions}");
    let (status, _) = server
        .root_admin("POST", "/_mediamock/reset", json!({"service": "nonesuch"}))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_same_seed_gives_the_same_ids() {
    let mut arns = Vec::new();
    for _ in 0..2 {
        let mut config = server::Config::for_tests();
        config.seed = Some(42);
        let server = TestServer::start_with(config).await;
        let ivs = server.ivs_root().await;
        let out = ivs.create_channel().name("seeded").send().await.unwrap();
        arns.push((
            out.channel.unwrap().arn.unwrap(),
            out.stream_key.unwrap().value.unwrap(),
        ));
        server.stop().await;
    }
    assert_eq!(arns[0], arns[1]);
}

/// The bootstrap file creates what does not exist yet and leaves alone what does: a restart
/// on a data directory keeps what the API changed on a bootstrap user (it was declared again
/// over it: tags, keys and policies made since were lost; found by the persistence sweep).
#[tokio::test]
async fn a_restart_keeps_what_the_api_changed_on_bootstrap_identities() {
    let dir = common::temp_dir("mediamock-bootstrap-restart");
    let file = dir.with_extension("toml");
    std::fs::write(
        &file,
        r#"
[[accounts]]
id = "000000000000"

[[accounts.users]]
name = "deployer"
access_keys = [{ id = "AKIADEPLOYER00000001", secret = "deployersecret" }]
"#,
    )
    .unwrap();
    let config = || {
        let mut c = durable_config(&dir);
        c.bootstrap = Some(file.clone());
        c
    };
    let server = TestServer::start_with(config()).await;
    let iam = server.iam_root().await;
    let tag = aws_sdk_iam::types::Tag::builder()
        .key("team")
        .value("media")
        .build()
        .unwrap();
    iam.tag_user()
        .user_name("deployer")
        .tags(tag)
        .send()
        .await
        .unwrap();
    let made = iam
        .create_access_key()
        .user_name("deployer")
        .send()
        .await
        .unwrap()
        .access_key
        .unwrap()
        .access_key_id;
    let id = iam
        .get_user()
        .user_name("deployer")
        .send()
        .await
        .unwrap()
        .user
        .unwrap()
        .user_id;
    server.stop().await;

    let server = TestServer::start_with(config()).await;
    let iam = server.iam_root().await;
    let user = iam
        .get_user()
        .user_name("deployer")
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(user.user_id, id, "the same user");
    let tags = iam
        .list_user_tags()
        .user_name("deployer")
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().len(),
        1,
        "the tag added through the API is kept"
    );
    let keys = iam
        .list_access_keys()
        .user_name("deployer")
        .send()
        .await
        .unwrap();
    let ids: Vec<&str> = keys
        .access_key_metadata()
        .iter()
        .filter_map(|k| k.access_key_id())
        .collect();
    assert!(
        ids.contains(&made.as_str()) && ids.contains(&"AKIADEPLOYER00000001"),
        "{ids:?}"
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&file);
}

/// An access key's last use (kept without a journal record of its own) survives a clean
/// shutdown (it read as the last time the user happened to be written; found by the
/// persistence sweep).
#[tokio::test]
async fn an_access_keys_last_use_survives_a_clean_restart() {
    let dir = common::temp_dir("mediamock-last-used");
    let server = TestServer::start_with(durable_config(&dir)).await;
    let (key, secret) = server.user_with_policy("worker", common::ALLOW_IVS).await;
    let as_worker = aws_sdk_ivs::Client::new(&server.sdk_config(&key, &secret).await);
    as_worker.list_channels().send().await.unwrap();
    let last_used = |iam: aws_sdk_iam::Client, key: String| async move {
        let out = iam
            .get_access_key_last_used()
            .access_key_id(key)
            .send()
            .await
            .unwrap();
        let used = out.access_key_last_used.unwrap();
        (
            used.last_used_date.map(|d| d.secs()),
            used.service_name,
            used.region,
        )
    };
    let before = last_used(server.iam_root().await, key.clone()).await;
    assert_eq!(before.1, "ivs");
    assert!(before.0.is_some());
    server.stop().await;
    let server = TestServer::start_with(durable_config(&dir)).await;
    assert_eq!(last_used(server.iam_root().await, key).await, before);
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The manual lifecycle clock is kept with the state: a restart finds it where it was, so
/// jobs and harvests in flight stay where they were (it restarted at zero, taking a
/// PROGRESSING job back to SUBMITTED; found by the persistence sweep).
#[tokio::test]
async fn the_manual_clock_survives_a_restart() {
    let dir = common::temp_dir("mediamock-manual-clock");
    let advance = |seconds: u64| {
        let dir = dir.clone();
        async move {
            let mut config = durable_config(&dir);
            config.transitions = server::Transitions::Manual;
            let server = TestServer::start_with(config).await;
            let body = server.advance_clock(seconds).await;
            server.stop().await;
            body["lifecycleTime"].as_f64().unwrap()
        }
    };
    assert_eq!(advance(6).await, 6.0);
    assert_eq!(advance(0).await, 6.0, "kept across the restart");
    assert_eq!(advance(4).await, 10.0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A MediaConnect gateway still CREATING on the manual clock is CREATING after a restart, and
/// ACTIVE once the clock moves on (it came back ACTIVE: its phase was not kept; found by the
/// round-33 restart sweep over every service's reads).
#[tokio::test]
async fn a_restart_keeps_a_gateway_mid_creation() {
    use aws_sdk_mediaconnect::types::{GatewayNetwork, GatewayState};
    let dir = common::temp_dir("mediamock-gateway-restart");
    let start = || {
        let mut config = durable_config(&dir);
        config.transitions = server::Transitions::Manual;
        TestServer::start_with(config)
    };
    let server = start().await;
    let mc = aws_sdk_mediaconnect::Client::new(&server.root_config().await);
    let created = mc
        .create_gateway()
        .name("site")
        .egress_cidr_blocks("203.0.113.0/24")
        .networks(
            GatewayNetwork::builder()
                .name("lan")
                .cidr_block("10.0.0.0/16")
                .build(),
        )
        .send()
        .await
        .unwrap()
        .gateway
        .unwrap();
    assert_eq!(created.gateway_state, Some(GatewayState::Creating));
    let arn = created.gateway_arn.unwrap();
    server.stop().await;

    let server = start().await;
    let mc = aws_sdk_mediaconnect::Client::new(&server.root_config().await);
    let state = |mc: aws_sdk_mediaconnect::Client, arn: String| async move {
        mc.describe_gateway()
            .gateway_arn(arn)
            .send()
            .await
            .unwrap()
            .gateway
            .unwrap()
            .gateway_state
    };
    assert_eq!(
        state(mc.clone(), arn.clone()).await,
        Some(GatewayState::Creating)
    );
    server.advance_clock(2).await;
    assert_eq!(state(mc, arn).await, Some(GatewayState::Active));
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The same seed with the same data directory: a restart draws other IDs than the ones
/// stored (it drew the same, and the second channel replaced the first; found by the
/// persistence sweep). A new directory still starts with the seed's own IDs.
#[tokio::test]
async fn a_seeded_restart_does_not_reuse_stored_ids() {
    let dir = common::temp_dir("mediamock-seeded-restart");
    let mut arns = Vec::new();
    for name in ["first", "second"] {
        let mut config = durable_config(&dir);
        config.seed = Some(42);
        let server = TestServer::start_with(config).await;
        let ivs = server.ivs_root().await;
        let out = ivs.create_channel().name(name).send().await.unwrap();
        arns.push(out.channel.unwrap().arn.unwrap());
        assert_eq!(
            channel_names(&ivs).await.len(),
            arns.len(),
            "every channel made is listed"
        );
        server.stop().await;
    }
    assert_ne!(arns[0], arns[1]);
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = server::Config::for_tests();
    config.seed = Some(42);
    let fresh = TestServer::start_with(config).await;
    let ivs = fresh.ivs_root().await;
    let out = ivs.create_channel().name("first").send().await.unwrap();
    assert_eq!(out.channel.unwrap().arn.unwrap(), arns[0]);
    fresh.stop().await;
}

#[tokio::test]
async fn metrics_count_requests() {
    let server = TestServer::start().await;
    let ivs = server.ivs_root().await;
    ivs.list_channels().send().await.unwrap();
    let r = server
        .raw(b"GET /_mediamock/metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await;
    assert_eq!(r.status, 200);
    assert!(
        r.text().contains(
            "mediamock_requests_total{service=\"ivs\",operation=\"ListChannels\",status=\"200\"} 1"
        ),
        "{}",
        r.text()
    );
    // Open to anyone, so no account appears in it: resources are totals by type.
    assert!(!r.text().contains("000000000000"), "{}", r.text());
}

/// A reset or import compacts the log to a snapshot; a write acknowledged while that happens
/// must still be in the log afterwards. IAM users are created while empty imports compact the
/// log (a large IVS state makes each snapshot take a while after it has read IAM's records),
/// then a restart must know every user that was acknowledged.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn compaction_racing_writes_loses_nothing_acknowledged() {
    let dir = common::temp_dir("mediamock-compact-race");
    let server = TestServer::start_with(durable_config(&dir)).await;
    let arn = server
        .ivs_root()
        .await
        .create_channel()
        .send()
        .await
        .unwrap()
        .channel
        .unwrap()
        .arn
        .unwrap();
    let channel = server
        .exported_record(|r| r["record"]["key"] == arn.as_str())
        .await;
    let copies: Vec<serde_json::Value> = (0..3000)
        .map(|i| {
            let copy_arn = format!("{arn}{i}");
            let mut c = channel.clone();
            // An IVS record's key is its ARN (its value holds the members without it).
            c["record"]["key"] = json!(copy_arn);
            c
        })
        .collect();
    let big = json!({"format": "mediamock-state-1", "records": copies});
    let (status, body) = server
        .admin("PUT", "/_mediamock/state", big, "test", "test")
        .await;
    assert_eq!(status, 200, "{body}");

    let iam = server.iam_root().await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let iam = iam.clone();
        let stop = stop.clone();
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let name = format!("u{w}-{i}");
                iam.create_user()
                    .user_name(&name)
                    .send()
                    .await
                    .expect("create");
                acknowledged.push(name);
            }
            acknowledged
        }));
    }
    let empty = json!({"format": "mediamock-state-1", "records": []});
    for _ in 0..20 {
        let (status, body) = server
            .admin("PUT", "/_mediamock/state", empty.clone(), "test", "test")
            .await;
        assert_eq!(status, 200, "{body}");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    server.stop().await;
    let server = TestServer::start_with(durable_config(&dir)).await;
    let (_, state) = server
        .root_admin("GET", "/_mediamock/state", serde_json::Value::Null)
        .await;
    let text = state.to_string();
    let lost: Vec<_> = acknowledged
        .iter()
        .filter(|u| !text.contains(&format!(":user:{u}\"")))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged users were lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// The names of the account's IVS channels (first page), sorted.
async fn channel_names(ivs: &aws_sdk_ivs::Client) -> Vec<String> {
    let mut names: Vec<String> = ivs
        .list_channels()
        .send()
        .await
        .unwrap()
        .channels()
        .iter()
        .map(|c| c.name().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}
