//! Service last accessed reports end to end with the real SDK, as a least-privilege audit
//! uses them: generate, poll the job, page through the services, then ask which entities of a
//! group used a service.

use crate::common;

use aws_sdk_iam::error::ProvideErrorMetadata;
use aws_sdk_iam::types::{AccessAdvisorUsageGranularityType, JobStatusType, PolicyOwnerEntityType};
use common::TestServer;

/// Allows IVS reads and MediaConvert jobs; nothing else.
const MEDIA_READER: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ivs:Get*","ivs:List*","mediaconvert:CreateJob"],"Resource":"*"}]}"#;

#[tokio::test]
async fn reports_show_what_a_user_and_its_group_attempted() {
    let server = TestServer::start().await;
    let root = server.iam_root().await;
    let (key, secret) = server.user_with_policy("auditee", MEDIA_READER).await;
    root.create_group()
        .group_name("media")
        .send()
        .await
        .unwrap();
    root.put_group_policy()
        .group_name("media")
        .policy_name("media")
        .policy_document(MEDIA_READER)
        .send()
        .await
        .unwrap();
    root.add_user_to_group()
        .group_name("media")
        .user_name("auditee")
        .send()
        .await
        .unwrap();
    let config = server.sdk_config(&key, &secret).await;
    let ivs = aws_sdk_ivs::Client::new(&config);
    ivs.list_channels().send().await.expect("allowed");
    // A denied attempt at a service the policy allows counts too.
    let iam = aws_sdk_iam::Client::new(&config);
    let denied = iam.list_users().send().await.expect_err("no IAM rights");
    assert_eq!(denied.code(), Some("AccessDenied"));

    let user_arn = "arn:aws:iam::000000000000:user/auditee";
    let job = root
        .generate_service_last_accessed_details()
        .arn(user_arn)
        .granularity(AccessAdvisorUsageGranularityType::ActionLevel)
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    // Poll as tools do, then page with MaxItems.
    let mut services = Vec::new();
    let mut marker = None;
    for polls in 0.. {
        assert!(polls < 50, "the report never completed");
        let page = root
            .get_service_last_accessed_details()
            .job_id(&job)
            .max_items(1)
            .set_marker(marker.take())
            .send()
            .await
            .unwrap();
        if page.job_status == JobStatusType::InProgress {
            continue;
        }
        assert_eq!(page.job_status, JobStatusType::Completed);
        assert_eq!(
            page.job_type,
            Some(AccessAdvisorUsageGranularityType::ActionLevel)
        );
        services.extend(page.services_last_accessed);
        if !page.is_truncated {
            break;
        }
        marker = page.marker;
    }
    let namespaces: Vec<&str> = services
        .iter()
        .map(|s| s.service_namespace.as_str())
        .collect();
    // The IAM attempt was denied and no policy allows IAM: not listed.
    assert_eq!(namespaces, ["ivs", "mediaconvert"]);
    let ivs_row = &services[0];
    assert_eq!(ivs_row.service_name, "Amazon Interactive Video Service");
    assert!(ivs_row.last_authenticated.is_some());
    assert_eq!(ivs_row.last_authenticated_entity.as_deref(), Some(user_arn));
    assert_eq!(
        ivs_row.last_authenticated_region.as_deref(),
        config.region().map(|r| r.as_ref()),
        "the region the request was sent to"
    );
    assert_eq!(ivs_row.total_authenticated_entities, Some(1));
    let tracked = ivs_row.tracked_actions_last_accessed();
    assert_eq!(tracked.len(), 1);
    assert_eq!(tracked[0].action_name.as_deref(), Some("ListChannels"));
    let never = &services[1];
    assert!(never.last_authenticated.is_none());
    assert_eq!(never.total_authenticated_entities, Some(0));

    // The group's report: which members used IVS.
    let group_job = root
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:group/media")
        .send()
        .await
        .unwrap()
        .job_id
        .unwrap();
    let entities = root
        .get_service_last_accessed_details_with_entities()
        .job_id(&group_job)
        .service_namespace("ivs")
        .send()
        .await
        .unwrap();
    assert_eq!(entities.job_status, JobStatusType::Completed);
    let list = entities.entity_details_list;
    assert_eq!(list.len(), 1);
    let info = list[0].entity_info.as_ref().unwrap();
    assert_eq!(
        (info.name.as_str(), &info.r#type, info.arn.as_str()),
        ("auditee", &PolicyOwnerEntityType::User, user_arn)
    );
    assert!(list[0].last_authenticated.is_some());

    // The user may not generate reports (no iam:GenerateServiceLastAccessedDetails), and
    // another caller cannot read root's job.
    let err = iam
        .generate_service_last_accessed_details()
        .arn(user_arn)
        .send()
        .await
        .expect_err("not allowed");
    assert_eq!(err.code(), Some("AccessDenied"));
    assert!(err.message().unwrap().contains(
        "iam:GenerateServiceLastAccessedDetails on resource: arn:aws:iam::000000000000:user/auditee"
    ));
    let err = root
        .generate_service_last_accessed_details()
        .arn("arn:aws:iam::000000000000:role/missing")
        .send()
        .await
        .expect_err("no such role");
    assert_eq!(err.code(), Some("NoSuchEntity"));
    let err = root
        .get_service_last_accessed_details()
        .job_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .expect_err("no such job");
    assert_eq!(err.code(), Some("NoSuchEntity"));
}
