//! Set-up steps a test takes in one line each (a user with a console password, create a group,
//! add a member, attach, detach or put a policy, turn on a user's MFA device); each panics if
//! the step fails.

use ferriam::domain::iam_models::{Group, User};
use ferriam::domain::read_models::VirtualMfaSetup;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{
    credentials::mfa, credentials::passwords, credentials::user_mfa, entities::groups,
    policies::attachments, policies::inline, Caller,
};

use super::fixtures::{code_at, seed_of};
use super::TestIam;

/// A new IAM user with the console password `password`: the user and the caller it acts as.
pub async fn user_with_password(
    t: &TestIam,
    caller: &Caller,
    name: &str,
    password: &str,
) -> (User, Caller) {
    let made = super::iam_user(t, caller, name).await;
    passwords::create_login_profile(&t.iam, caller, name, password, false)
        .await
        .expect("create login profile");
    made
}

pub async fn create_group(t: &TestIam, caller: &Caller, name: &str) -> Group {
    super::doors::create_group(&t.iam, caller, name, None)
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
    inline::put_inline_policy(&t.iam, caller, kind, entity, name, document)
        .await
        .expect("put inline policy");
}

/// The user's virtual MFA device, set up in the console's way and enabled with two codes.
pub async fn enabled_user_mfa(t: &TestIam, caller: &Caller, user: &str) -> VirtualMfaSetup {
    let setup = user_mfa::begin_user_mfa(&t.iam, caller, Some(user))
        .await
        .unwrap();
    let seed = seed_of(&setup.base32_seed);
    mfa::enable_mfa_device(
        &t.iam,
        caller,
        Some(user),
        &setup.serial_number,
        &code_at(t, &seed, -1),
        &code_at(t, &seed, 0),
    )
    .await
    .unwrap();
    setup
}
