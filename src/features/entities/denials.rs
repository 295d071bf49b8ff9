//! Which of a page's buttons the signed-in principal may not use, and AWS's sentence saying
//! why. Loaded with the page's data, so buttons render disabled from the first paint.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;

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
}
