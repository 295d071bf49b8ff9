//! The entities both authorization matrices start from: roles `app` and `spare` trusted by
//! `trust`, `app` tagged, bounded by `pol` and with an inline policy, and `pol` attached to the
//! user `alice`, the group `devs` and the role `app` (which must exist).

use ferriam::domain::entity_requests::NewEntity;
use ferriam::domain::tags::Tag;
use ferriam::domain::totp::{code_for_step, step_at};
use ferriam::server::service::entities::boundaries;
use ferriam::server::service::entities::roles::{self, CreateRole};
use ferriam::server::service::entities::tagging;
use ferriam::server::service::entities::EntityKind;
use ferriam::server::service::{policies::attachments, policies::inline, Caller};

use super::TestIam;

pub fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.into(),
        value: value.into(),
    }
}

/// The raw seed of a virtual MFA device from the Base32 text it is shown as.
pub fn seed_of(base32: &str) -> Vec<u8> {
    totp_rs::Secret::try_from_base32(base32)
        .unwrap()
        .as_bytes()
        .to_vec()
}

/// The code an authenticator shows `offset` steps from the test clock's current one.
pub fn code_at(t: &TestIam, seed: &[u8], offset: i64) -> String {
    code_for_step(
        seed,
        (step_at(t.clock.now_seconds()) as i64 + offset) as u64,
    )
    .unwrap()
}

pub async fn roles_and_attachments(t: &TestIam, root: &Caller, trust: &str, pol: &str, doc: &str) {
    let iam = &t.iam;
    for name in ["app", "spare"] {
        roles::create_role(
            iam,
            root,
            CreateRole {
                entity: NewEntity::parse(name, None).unwrap(),
                assume_role_policy_document: trust.into(),
                description: None,
                max_session_duration: None,
                tags: Vec::new(),
                permissions_boundary: None,
            },
        )
        .await
        .unwrap();
    }
    tagging::tag(iam, root, EntityKind::Role, "app", vec![tag("team", "red")])
        .await
        .unwrap();
    boundaries::put_boundary(iam, root, EntityKind::Role, "app", pol)
        .await
        .unwrap();
    inline::put_inline_policy(iam, root, EntityKind::Role, "app", "app-inline", doc)
        .await
        .unwrap();
    for (kind, name) in [
        (EntityKind::User, "alice"),
        (EntityKind::Group, "devs"),
        (EntityKind::Role, "app"),
    ] {
        attachments::attach_policy(iam, root, kind, name, pol)
            .await
            .unwrap();
    }
}

/// A trust policy letting the AWS service principal `service` assume the role.
pub fn service_trust(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// Creates the role `name` with the trust policy `trust` and the defaults otherwise.
pub async fn role_trusting(t: &TestIam, root: &Caller, name: &str, trust: &str) {
    roles::create_role(
        &t.iam,
        root,
        CreateRole {
            entity: NewEntity::parse(name, None).unwrap(),
            assume_role_policy_document: trust.into(),
            description: None,
            max_session_duration: None,
            tags: Vec::new(),
            permissions_boundary: None,
        },
    )
    .await
    .expect("create role");
}

/// Creates the instance profile `name` at `/`, untagged.
pub async fn instance_profile(t: &TestIam, root: &Caller, name: &str) {
    use ferriam::server::service::workloads::instance_profiles::{self, CreateInstanceProfile};
    instance_profiles::create(
        &t.iam,
        root,
        CreateInstanceProfile {
            name: name.into(),
            ..Default::default()
        },
    )
    .await
    .expect("create instance profile");
}
