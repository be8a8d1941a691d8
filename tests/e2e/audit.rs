//! `--iam audit`: a request the policies do not allow is served anyway, and the would-be
//! denial is recorded among the decisions the admin API shows.

use crate::common;

use common::TestServer;

#[tokio::test]
async fn audit_mode_allows_and_records_the_would_be_denial() {
    let mut config = server::Config::for_tests();
    config.iam_mode = server::IamMode::Audit;
    let server = TestServer::start_with(config).await;
    let iam = aws_sdk_iam::Client::new(&server.sdk_config("test", "test").await);
    iam.create_user().user_name("auditee").send().await.unwrap();
    let key = iam
        .create_access_key()
        .user_name("auditee")
        .send()
        .await
        .unwrap()
        .access_key
        .unwrap();
    let ivs = aws_sdk_ivs::Client::new(
        &server
            .sdk_config(&key.access_key_id, &key.secret_access_key)
            .await,
    );
    ivs.list_channels()
        .send()
        .await
        .expect("audit mode lets a would-be denial through");
    let (status, decisions) = server
        .root_admin("GET", "/_mediamock/decisions", serde_json::Value::Null)
        .await;
    assert_eq!(status, 200, "{decisions}");
    let text = decisions.to_string();
    assert!(
        text.contains("ivs:ListChannels")
            && text.contains("arn:aws:iam::000000000000:user/auditee"),
        "{text}"
    );
    assert!(
        text.contains("implicitDeny") || text.contains("denied"),
        "{text}"
    );
}
