//! Whose credentials an operation is about: the IAM user named, or the caller itself when the
//! name is left out (as AWS allows for access keys and MFA devices).

use crate::domain::arn::user_arn;
use crate::domain::{PrincipalKind, UserName};
use crate::server::store::ROOT_OWNER;

use crate::server::service::authorization::operation::Authorized;
use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::lookup::{self, Named};
use crate::server::service::{Caller, Iam, Operation, ServiceError};

pub struct CredentialOwner {
    /// The owner key stored with the credential: the user's ID, or `ROOT_OWNER`.
    pub owner: String,
    /// The ARN authorization asks about.
    pub arn: String,
    /// `None` for the root user.
    pub user_name: Option<String>,
}

impl CredentialOwner {
    pub fn is_root(&self) -> bool {
        self.owner == ROOT_OWNER
    }

    /// The user's name, or "root".
    pub fn name(&self) -> &str {
        self.user_name.as_deref().unwrap_or("root")
    }
}

/// The owner named (or the caller), once `op` is authorized on its ARN.
pub async fn authorized_owner(
    op: &mut Operation<'_>,
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<Authorized<CredentialOwner>, ServiceError> {
    let owner = credential_owner(iam, caller, user_name).await?;
    op.authorize_named(owner, &RequestContext::default()).await
}

/// The user named, or the caller when no name is given (a role session must name one), to be
/// authorized on before it is used (see `lookup::Named`).
pub async fn credential_owner(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<Named<CredentialOwner>, ServiceError> {
    match (user_name.filter(|n| !n.is_empty()), &caller.principal.kind) {
        (Some(name), _) => {
            let name = UserName::parse_existing("UserName", name)?;
            let named = lookup::named_user(iam.store().reader(), caller, name.as_str()).await?;
            let arn = named.arn().to_string();
            Ok(named.map(|user| CredentialOwner {
                arn,
                owner: user.user_id,
                user_name: Some(user.name),
            }))
        }
        (
            None,
            PrincipalKind::User {
                user_id,
                user_name,
                path,
            },
        ) => {
            let arn = user_arn(caller.account_id(), path, user_name);
            Ok(Named::this(
                arn.clone(),
                user_name,
                CredentialOwner {
                    owner: user_id.clone(),
                    arn,
                    user_name: Some(user_name.clone()),
                },
            ))
        }
        (
            None,
            PrincipalKind::AssumedRole { .. }
            | PrincipalKind::FederatedUser { .. }
            | PrincipalKind::WebIdentity { .. },
        ) => Err(ServiceError::user_name_required()),
        (None, PrincipalKind::Root) => Ok(Named::this(
            caller.principal.arn(),
            "root",
            CredentialOwner {
                owner: ROOT_OWNER.to_string(),
                arn: caller.principal.arn(),
                user_name: None,
            },
        )),
    }
}
