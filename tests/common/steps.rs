//! Set-up steps a test takes in one line each (create a group, add a member, attach, detach or
//! put a policy); each panics if the step fails.

use ferriam::domain::iam_models::Group;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{attachments, groups, inline_policies, Caller};

use super::TestIam;

pub async fn create_group(t: &TestIam, caller: &Caller, name: &str) -> Group {
    groups::create_group(&t.iam, caller, name, None)
        .await
        .expect("create group")
}

pub async fn add_to_group(t: &TestIam, caller: &Caller, group: &str, user: &str) {
    groups::add_user_to_group(&t.iam, caller, group, user)
        .await
        .expect("add user to group");
}

pub async fn attach(t: &TestIam, caller: &Caller, kind: EntityKind, entity: &str, arn: &str) {
    attachments::attach_policy(&t.iam, caller, kind, entity, arn)
        .await
        .expect("attach policy");
}

pub async fn detach(t: &TestIam, caller: &Caller, kind: EntityKind, entity: &str, arn: &str) {
    attachments::detach_policy(&t.iam, caller, kind, entity, arn)
        .await
        .expect("detach policy");
}

pub async fn put_inline(
    t: &TestIam,
    caller: &Caller,
    kind: EntityKind,
    entity: &str,
    name: &str,
    document: &str,
) {
    inline_policies::put_inline_policy(&t.iam, caller, kind, entity, name, document)
        .await
        .expect("put inline policy");
}
