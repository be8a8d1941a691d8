//! IVS under IAM: an allowed user, a denied user with AWS's exact message, and AWS's
//! documented tag-conditioned example (`aws:ResourceTag/Owner` = `${aws:username}`).

use crate::common;

use aws_sdk_ivs::error::ProvideErrorMetadata;
use common::TestServer;

/// An IVS client for a new user whose only permissions are the inline `policy`.
async fn user(server: &TestServer, name: &str, policy: &str) -> aws_sdk_ivs::Client {
    let (key, secret) = server.user_with_policy(name, policy).await;
    aws_sdk_ivs::Client::new(&server.sdk_config(&key, &secret).await)
}

#[tokio::test]
async fn owner_tag_decides_who_may_read_a_channel() {
    let server = TestServer::start().await;
    let root = server.ivs_root().await;
    let mine = root
        .create_channel()
        .name("alices")
        .tags("Owner", "alice")
        .send()
        .await
        .unwrap()
        .channel
        .unwrap();
    let theirs = root
        .create_channel()
        .name("bobs")
        .tags("Owner", "bob")
        .send()
        .await
        .unwrap()
        .channel
        .unwrap();
    // AWS's example, with the condition key spelled in another case: keys match case-insensitively.
    let alice = user(
        &server,
        "alice",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ivs:GetChannel","Resource":"*","Condition":{"StringEquals":{"aws:resourcetag/owner":"${aws:username}"}}}]}"#,
    )
    .await;
    let got = alice
        .get_channel()
        .arn(mine.arn.clone().unwrap())
        .send()
        .await
        .expect("own channel");
    assert_eq!(got.channel.unwrap().name.as_deref(), Some("alices"));
    let err = alice
        .get_channel()
        .arn(theirs.arn.clone().unwrap())
        .send()
        .await
        .expect_err("not hers");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert_eq!(
        err.message().unwrap(),
        format!(
            "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: ivs:GetChannel on resource: {} because no identity-based policy allows the ivs:GetChannel action",
            theirs.arn.unwrap()
        )
    );
}

#[tokio::test]
async fn request_tags_condition_creation() {
    let server = TestServer::start().await;
    let creator = user(
        &server,
        "creator",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ivs:CreateChannel","ivs:TagResource"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"video"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}]}"#,
    )
    .await;
    creator
        .create_channel()
        .name("ok")
        .tags("team", "video")
        .send()
        .await
        .expect("tagged right");
    let err = creator
        .create_channel()
        .name("untagged")
        .send()
        .await
        .expect_err("needs the tag");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    let err = creator
        .create_channel()
        .name("extra")
        .tags("team", "video")
        .tags("cost", "x")
        .send()
        .await
        .expect_err("extra key refused");
    assert_eq!(err.code(), Some("AccessDeniedException"));
}

#[tokio::test]
async fn a_read_only_user_cannot_write() {
    let server = TestServer::start().await;
    let reader = user(
        &server,
        "reader",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ivs:Get*","ivs:List*"],"Resource":"*"}]}"#,
    )
    .await;
    reader.list_channels().send().await.expect("can list");
    let err = reader
        .create_channel()
        .name("nope")
        .send()
        .await
        .expect_err("cannot create");
    assert_eq!(err.code(), Some("AccessDeniedException"));
    assert!(err
        .message()
        .unwrap()
        .starts_with("User: arn:aws:iam::000000000000:user/reader is not authorized to perform: ivs:CreateChannel on resource: arn:aws:ivs:us-west-2:000000000000:channel/"));
}
