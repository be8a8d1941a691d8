//! Answers checked against LocalStack's snapshot tests, which record real AWS answers
//! (tests/aws/services/iam/*.snapshot.json in localstack/localstack): members, defaults,
//! error codes, messages and status codes.

use crate::api::test_support::{call, code_message, iam, root_ctx};
use serde_json::json;

#[test]
fn removing_a_user_not_in_the_group_succeeds_and_the_user_is_looked_up_first() {
    let iam = iam();
    let root = root_ctx();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "g"})).unwrap();
    call(&iam, &root, "CreateGroup", json!({"GroupName": "h"})).unwrap();
    call(&iam, &root, "CreateUser", json!({"UserName": "u"})).unwrap();
    call(
        &iam,
        &root,
        "AddUserToGroup",
        json!({"GroupName": "h", "UserName": "u"}),
    )
    .unwrap();
    call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "g", "UserName": "u"}),
    )
    .unwrap();
    let groups = call(&iam, &root, "ListGroupsForUser", json!({"UserName": "u"})).unwrap();
    assert_eq!(groups["Groups"].as_array().unwrap().len(), 1);
    let e = call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "non-existent-group", "UserName": "any-user"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The user with name any-user cannot be found."
        )
    );
    let e = call(
        &iam,
        &root,
        "RemoveUserFromGroup",
        json!({"GroupName": "non-existent-group", "UserName": "u"}),
    )
    .unwrap_err();
    assert_eq!(
        code_message(&e),
        (
            "NoSuchEntity",
            "The group with name non-existent-group cannot be found."
        )
    );
}
