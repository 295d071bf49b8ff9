//! Server functions behind the Policies pages. Each goes through the signed-in session and the
//! service layer, which authorizes the IAM action and validates again.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api_error::ApiError;
use crate::domain::iam_models::{ManagedPolicy, Page, PolicyVersion};

use super::denials::PolicyDenials;

/// How many policies one page of the list shows.
pub const PAGE_SIZE: i64 = 100;

/// One page of the list, and why the principal may not create a policy (if it may not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyList {
    pub page: Page<ManagedPolicy>,
    pub create_denied: Option<String>,
}

/// Everything the detail page shows, in one round trip. The tabs' parts fail on their own: a
/// principal that may read the policy but not list its versions still sees the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyPage {
    pub policy: ManagedPolicy,
    /// The default version's document.
    pub document: String,
    /// Newest first.
    pub versions: Result<Vec<PolicyVersion>, ApiError>,
    pub entities: Result<AttachedEntities, ApiError>,
    pub denials: PolicyDenials,
}

/// The names of the entities a policy is attached to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedEntities {
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub roles: Vec<String>,
}

/// `scope`: `All`, `AWS` or `Local` (customer managed), as ListPolicies takes it.
#[server(endpoint = "policies/list", protocol = FormArguments)]
pub async fn list_policies(
    scope: String,
    only_attached: bool,
    marker: Option<String>,
) -> Result<PolicyList, ApiError> {
    use crate::server::service::policies::{self, ListPolicies, Scope};
    use crate::server::{console, service::ServiceError};
    let (iam, caller) = console::signed_in().await?;
    let scope = Scope::parse(Some(&scope)).map_err(|e| console::fail(ServiceError::from(e)))?;
    let input = ListPolicies {
        scope,
        only_attached,
        marker,
        max_items: Some(PAGE_SIZE),
        ..ListPolicies::default()
    };
    let page = policies::list_policies(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    let create_denied = super::permissions::create_policy_denied(&iam, &caller).await;
    Ok(PolicyList {
        page,
        create_denied,
    })
}

/// Creates a customer managed policy and goes to its page.
#[server(endpoint = "policies/create", protocol = FormArguments)]
pub async fn create_policy(
    policy_name: String,
    path: Option<String>,
    description: Option<String>,
    document: String,
) -> Result<(), ApiError> {
    use crate::server::console;
    use crate::server::service::policies::{self, CreatePolicy};
    let (iam, caller) = console::signed_in().await?;
    let input = CreatePolicy {
        policy_name,
        path,
        description,
        document,
    };
    let policy = policies::create_policy(&iam, &caller, input)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect(&super::links::policy_href(&policy.arn));
    Ok(())
}

#[server(endpoint = "policies/page", protocol = FormArguments)]
pub async fn get_policy_page(arn: String) -> Result<PolicyPage, ApiError> {
    use crate::server::{console, service::policies};
    let (iam, caller) = console::signed_in().await?;
    let policy = policies::get_policy(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    let document = policies::get_policy_version(&iam, &caller, &arn, &policy.default_version_id)
        .await
        .map_err(console::fail)?
        .document;
    let versions = policies::list_policy_versions(&iam, &caller, &arn)
        .await
        .map_err(console::part_failed);
    let names = |pairs: Vec<(String, String)>| pairs.into_iter().map(|(name, _)| name).collect();
    let entities = policies::list_entities_for_policy(&iam, &caller, &arn)
        .await
        .map(|e| AttachedEntities {
            users: names(e.users),
            groups: names(e.groups),
            roles: names(e.roles),
        })
        .map_err(console::part_failed);
    let denials = super::permissions::policy_denials(&iam, &caller, &arn).await;
    Ok(PolicyPage {
        policy,
        document,
        versions,
        entities,
        denials,
    })
}

#[server(endpoint = "policies/create_version", protocol = FormArguments)]
pub async fn create_policy_version(
    arn: String,
    document: String,
    set_as_default: bool,
) -> Result<PolicyVersion, ApiError> {
    use crate::server::{console, service::policies};
    let (iam, caller) = console::signed_in().await?;
    policies::create_policy_version(&iam, &caller, &arn, &document, set_as_default)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "policies/set_default_version", protocol = FormArguments)]
pub async fn set_default_policy_version(arn: String, version_id: String) -> Result<(), ApiError> {
    use crate::server::{console, service::policies};
    let (iam, caller) = console::signed_in().await?;
    policies::set_default_policy_version(&iam, &caller, &arn, &version_id)
        .await
        .map_err(console::fail)
}

#[server(endpoint = "policies/delete_version", protocol = FormArguments)]
pub async fn delete_policy_version(arn: String, version_id: String) -> Result<(), ApiError> {
    use crate::server::{console, service::policies};
    let (iam, caller) = console::signed_in().await?;
    policies::delete_policy_version(&iam, &caller, &arn, &version_id)
        .await
        .map_err(console::fail)
}

/// The console's delete: detaches the policy everywhere first (as AWS's console offers), then
/// deletes it with all its versions, and returns to the list.
#[server(endpoint = "policies/delete", protocol = FormArguments)]
pub async fn delete_policy(arn: String) -> Result<(), ApiError> {
    use crate::server::{console, service::policies};
    let (iam, caller) = console::signed_in().await?;
    policies::delete_policy_everywhere(&iam, &caller, &arn)
        .await
        .map_err(console::fail)?;
    leptos_axum::redirect("/policies");
    Ok(())
}
