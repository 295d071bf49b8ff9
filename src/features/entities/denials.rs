//! Which of a page's buttons the signed-in principal may not use, and AWS's sentence saying
//! why. Loaded with the page's data, so buttons render disabled from the first paint.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;
#[cfg(feature = "ssr")]
use crate::domain::EntityKind;

/// Answers to `(operation, resource)` questions: `None` when allowed. Kept by action name, the
/// form they cross the wire in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Denials {
    answers: Vec<(String, String, Option<String>)>,
}

impl Denials {
    pub fn new(checks: Vec<(Op, String)>, answers: Vec<Option<String>>) -> Self {
        Self {
            answers: checks
                .into_iter()
                .zip(answers)
                .map(|((op, resource), answer)| (op.action().to_string(), resource, answer))
                .collect(),
        }
    }

    /// Why `op` is denied (on the resource it was asked about), if it is.
    pub fn reason(&self, op: Op) -> Option<String> {
        self.answers
            .iter()
            .find(|(a, _, _)| a == op.action())
            .and_then(|(_, _, answer)| answer.clone())
    }

    /// Why `op` on `resource` is denied, if it is.
    pub fn reason_on(&self, op: Op, resource: &str) -> Option<String> {
        self.answers
            .iter()
            .find(|(a, r, _)| a == op.action() && r == resource)
            .and_then(|(_, _, answer)| answer.clone())
    }
}

/// A page's data with the answers for its buttons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gated<T> {
    pub value: T,
    pub denials: Denials,
}

/// Asks the service which checks are denied. Server only.
#[cfg(feature = "ssr")]
pub async fn ask(
    iam: &crate::server::service::Iam,
    caller: &crate::server::service::Caller,
    checks: Vec<(Op, String)>,
) -> Result<Denials, crate::api_error::ApiError> {
    use crate::server::{console, service};
    let answers = service::authorization::permissions::check_actions(iam, caller, &checks)
        .await
        .map_err(console::fail)?;
    Ok(Denials::new(checks, answers))
}

/// `value` with the answers to `checks`. Server only.
#[cfg(feature = "ssr")]
pub async fn gate<T>(
    iam: &crate::server::service::Iam,
    caller: &crate::server::service::Caller,
    value: T,
    checks: Vec<(Op, String)>,
) -> Result<Gated<T>, crate::api_error::ApiError> {
    Ok(Gated {
        value,
        denials: ask(iam, caller, checks).await?,
    })
}

/// The question of a list page's Create button: may the caller create a `kind` (asked, as AWS
/// would, on `arn:aws:iam::123456789012:user/*`)?
#[cfg(feature = "ssr")]
pub fn create_check(caller: &crate::server::service::Caller, kind: EntityKind) -> (Op, String) {
    use crate::catalog::CREATE_ENTITY;
    let anywhere = kind.arn(caller.account_id(), "/", "*");
    (kind.pick(CREATE_ENTITY), anywhere)
}

/// The questions of the buttons every user's, group's or role's page has, on the entity `arn`:
/// delete and update, the kind's `own` operations, managed and inline policies, and (but for
/// groups) permissions boundary and tags.
#[cfg(feature = "ssr")]
pub fn page_checks(kind: EntityKind, arn: &str, own: &[Op]) -> Vec<(Op, String)> {
    use crate::catalog::{
        ATTACH_POLICY, DELETE_BOUNDARY, DELETE_ENTITY, DELETE_POLICY, DETACH_POLICY, PUT_BOUNDARY,
        PUT_POLICY, TAG, UNTAG, UPDATE_ENTITY,
    };
    let mut ops = vec![kind.pick(DELETE_ENTITY), kind.pick(UPDATE_ENTITY)];
    ops.extend_from_slice(own);
    ops.extend([ATTACH_POLICY, DETACH_POLICY, PUT_POLICY, DELETE_POLICY].map(|ops| kind.pick(ops)));
    if kind != EntityKind::Group {
        ops.extend([PUT_BOUNDARY, DELETE_BOUNDARY, TAG, UNTAG].map(|ops| kind.pick(ops)));
    }
    ops.into_iter().map(|op| (op, arn.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::Denials;
    use crate::catalog::Op;

    #[test]
    fn reasons_are_found_by_action_and_resource() {
        let denials = Denials::new(
            vec![
                (Op::DeleteUser, "arn:u".into()),
                (Op::RemoveUserFromGroup, "arn:g1".into()),
                (Op::RemoveUserFromGroup, "arn:g2".into()),
            ],
            vec![None, None, Some("denied".into())],
        );
        assert_eq!(denials.reason(Op::DeleteUser), None);
        assert_eq!(denials.reason(Op::TagUser), None);
        assert_eq!(
            denials
                .reason_on(Op::RemoveUserFromGroup, "arn:g2")
                .as_deref(),
            Some("denied")
        );
        assert_eq!(denials.reason_on(Op::RemoveUserFromGroup, "arn:g1"), None);
    }

    /// Each kind's page asks about exactly its own buttons, on the entity.
    #[cfg(feature = "ssr")]
    #[test]
    fn each_kind_page_asks_about_its_own_buttons() {
        use crate::domain::EntityKind;
        let actions = |kind, own: &[Op]| -> Vec<&str> {
            super::page_checks(kind, "arn:e", own)
                .into_iter()
                .map(|(op, arn)| {
                    assert_eq!(arn, "arn:e");
                    op.action()
                })
                .collect()
        };
        assert_eq!(
            actions(EntityKind::User, &[]),
            [
                "iam:DeleteUser",
                "iam:UpdateUser",
                "iam:AttachUserPolicy",
                "iam:DetachUserPolicy",
                "iam:PutUserPolicy",
                "iam:DeleteUserPolicy",
                "iam:PutUserPermissionsBoundary",
                "iam:DeleteUserPermissionsBoundary",
                "iam:TagUser",
                "iam:UntagUser",
            ]
        );
        assert_eq!(
            actions(
                EntityKind::Group,
                &[Op::AddUserToGroup, Op::RemoveUserFromGroup]
            ),
            [
                "iam:DeleteGroup",
                "iam:UpdateGroup",
                "iam:AddUserToGroup",
                "iam:RemoveUserFromGroup",
                "iam:AttachGroupPolicy",
                "iam:DetachGroupPolicy",
                "iam:PutGroupPolicy",
                "iam:DeleteGroupPolicy",
            ]
        );
        assert_eq!(
            actions(EntityKind::Role, &[Op::UpdateAssumeRolePolicy]),
            [
                "iam:DeleteRole",
                "iam:UpdateRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:AttachRolePolicy",
                "iam:DetachRolePolicy",
                "iam:PutRolePolicy",
                "iam:DeleteRolePolicy",
                "iam:PutRolePermissionsBoundary",
                "iam:DeleteRolePermissionsBoundary",
                "iam:TagRole",
                "iam:UntagRole",
            ]
        );
    }
}
