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

/// AWS's CLI example: a batch revocation answers 200, with a `"403"` error for each session on
/// a channel the caller may not revoke on (an explicit deny among them), and revokes the rest.
#[tokio::test]
async fn batch_revocation_is_decided_per_channel() {
    let server = TestServer::start().await;
    let root = server.ivs_root().await;
    let mut arns = Vec::new();
    for name in ["allowed", "denied", "unlisted"] {
        let channel = root.create_channel().name(name).send().await.unwrap();
        arns.push(channel.channel.unwrap().arn.unwrap());
    }
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[
            {{"Effect":"Allow","Action":"ivs:BatchStartViewerSessionRevocation","Resource":["{}","{}"]}},
            {{"Effect":"Deny","Action":"ivs:*","Resource":"{}"}}]}}"#,
        arns[0], arns[1], arns[1]
    );
    let revoker = user(&server, "revoker", &policy).await;
    let session = crate::ivs::viewer_session;
    let out = revoker
        .batch_start_viewer_session_revocation()
        .viewer_sessions(session(&arns[0], "a"))
        .viewer_sessions(session(&arns[1], "b"))
        .viewer_sessions(session(&arns[2], "c"))
        .send()
        .await
        .expect("the batch is answered");
    let refused: Vec<(&str, &str, &str, &str)> = out
        .errors()
        .iter()
        .map(|e| {
            (
                e.channel_arn(),
                e.viewer_id(),
                e.code().unwrap_or(""),
                e.message().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        refused,
        [
            (arns[1].as_str(), "b", "403", "not authorized"),
            (arns[2].as_str(), "c", "403", "not authorized"),
        ]
    );
    // The single-session operation is still decided for the whole request.
    let err = revoker
        .start_viewer_session_revocation()
        .channel_arn(&arns[0])
        .viewer_id("a")
        .send()
        .await
        .expect_err("a different action");
    assert_eq!(err.code(), Some("AccessDeniedException"));
}
