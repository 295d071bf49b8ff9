//! The policy simulator's operations: SimulateCustomPolicy, SimulatePrincipalPolicy (with the
//! principal's own policies gathered here) and GetContextKeysFor{Custom,Principal}Policy.
//! Evaluation itself is the pure policy engine's (`crate::policy::simulate`).

use crate::catalog::Op;
use std::collections::BTreeMap;

use crate::domain::arn::is_aws_managed_policy_arn;
use crate::policy::simulate::{
    simulate_page, PageRequest, SimulatePage, SimulateRequest, SimulateResponse,
};
use crate::policy::Policy;
use crate::server::store::{attachments, groups, inline, policies, roles, users};

use crate::server::service::entities::{self, EntityKind};
use crate::server::service::policies::inline::document_error;
use crate::server::service::{policies::aws_managed, Caller, Iam, Operation, ServiceError};

/// One policy that applies to a principal, named as the simulator reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourcePolicy {
    /// The policy's name (inline) or ARN (managed).
    pub id: String,
    /// AWS's PolicySourceType: `user`, `group`, `role`, `aws-managed` or `user-managed`.
    pub source_type: &'static str,
    pub document: String,
}

/// What governs a user, group or role: its identity policies and its permissions boundary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrincipalSources {
    pub identity: Vec<SourcePolicy>,
    pub boundary: Option<SourcePolicy>,
}

pub async fn simulate_custom_policy(
    iam: &Iam,
    caller: &Caller,
    request: SimulateRequest,
    page: PageRequest,
) -> Result<SimulatePage, ServiceError> {
    Operation::run(iam, caller, Op::SimulateCustomPolicy, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            run_page(iam, request, page).await
        })
    })
    .await
}

/// Evaluates one page off the async executor. SECURITY: the page's work is bounded by
/// `simulate_page` (pair count, context values, a work budget per page) and the number of
/// simulations running at once by [`Iam::cpu_work`].
async fn run_page(
    iam: &Iam,
    request: SimulateRequest,
    page: PageRequest,
) -> Result<SimulatePage, ServiceError> {
    iam.cpu_work()
        .run(move |cancelled| simulate_page(&request, page, cancelled))
        .await?
        .map_err(document_error)
}

/// SimulatePrincipalPolicy: the principal's own policies (and boundary), then any extra
/// `PolicyInputList` policies, evaluated together.
pub async fn simulate_principal_policy(
    iam: &Iam,
    caller: &Caller,
    policy_source_arn: &str,
    mut request: SimulateRequest,
    page: PageRequest,
) -> Result<SimulatePage, ServiceError> {
    Operation::run(iam, caller, Op::SimulatePrincipalPolicy, |op| {
        Box::pin(async move {
            let kind = source_kind(policy_source_arn)?;
            op.authorize(policy_source_arn).await?;
            let sources = principal_sources(iam, caller, kind, policy_source_arn).await?;
            let extra = request.policy_input_list.take().unwrap_or_default();
            let mut inputs: Vec<String> = sources
                .identity
                .iter()
                .map(|p| p.document.clone())
                .collect();
            inputs.extend(extra);
            request.policy_input_list = Some(inputs);
            if let Some(boundary) = &sources.boundary {
                let mut boundaries = vec![boundary.document.clone()];
                boundaries.extend(
                    request
                        .permissions_boundary_policy_input_list
                        .take()
                        .unwrap_or_default(),
                );
                request.permissions_boundary_policy_input_list = Some(boundaries);
            }
            if kind != EntityKind::Group && request.caller_arn.is_none() {
                request.caller_arn = Some(policy_source_arn.to_string());
            }
            let mut page = run_page(iam, request, page).await?;
            rename_sources(&mut page.response, &sources);
            Ok(page)
        })
    })
    .await
}

/// The simulator names inputs by position (`PolicyInputList.3`); a principal's own policies
/// are reported by name and source type, as AWS does, and extra inputs renumbered from 1.
fn rename_sources(response: &mut SimulateResponse, sources: &PrincipalSources) {
    let own = sources.identity.len();
    for result in &mut response.evaluation_results {
        for statement in &mut result.matched_statements {
            let id = statement.source_policy_id.clone();
            if let Some(n) = position(&id, "PolicyInputList.") {
                if n <= own {
                    let source = &sources.identity[n - 1];
                    statement.source_policy_id = source.id.clone();
                    statement.source_policy_type = source.source_type.to_string();
                } else {
                    statement.source_policy_id = format!("PolicyInputList.{}", n - own);
                }
            } else if let Some(n) = position(&id, "PermissionsBoundaryPolicyInputList.") {
                match (&sources.boundary, n) {
                    (Some(boundary), 1) => {
                        statement.source_policy_id = boundary.id.clone();
                        statement.source_policy_type = boundary.source_type.to_string();
                    }
                    (Some(_), n) => {
                        statement.source_policy_id =
                            format!("PermissionsBoundaryPolicyInputList.{}", n - 1);
                    }
                    (None, _) => {}
                }
            }
        }
    }
}

fn position(id: &str, prefix: &str) -> Option<usize> {
    id.strip_prefix(prefix)?.parse().ok()
}

pub async fn get_context_keys_for_custom_policy(
    iam: &Iam,
    caller: &Caller,
    documents: &[String],
) -> Result<Vec<String>, ServiceError> {
    Operation::run(iam, caller, Op::GetContextKeysForCustomPolicy, |op| {
        Box::pin(async move {
            op.authorize("*").await?;
            let documents = documents.to_vec();
            iam.cpu_work()
                .run(move |_| context_keys(documents.iter().map(String::as_str)))
                .await?
        })
    })
    .await
}

pub async fn get_context_keys_for_principal_policy(
    iam: &Iam,
    caller: &Caller,
    policy_source_arn: &str,
    extra_documents: &[String],
) -> Result<Vec<String>, ServiceError> {
    Operation::run(iam, caller, Op::GetContextKeysForPrincipalPolicy, |op| {
        Box::pin(async move {
            let kind = source_kind(policy_source_arn)?;
            op.authorize(policy_source_arn).await?;
            let sources = principal_sources(iam, caller, kind, policy_source_arn).await?;
            let mut documents: Vec<String> =
                sources.identity.into_iter().map(|p| p.document).collect();
            documents.extend_from_slice(extra_documents);
            // Parsing up to a request body's worth of policies: off the executor, as simulations.
            iam.cpu_work()
                .run(move |_| context_keys(documents.iter().map(String::as_str)))
                .await?
        })
    })
    .await
}

/// The condition keys the documents test, each once (first spelling kept), sorted ignoring case.
fn context_keys<'a>(documents: impl Iterator<Item = &'a str>) -> Result<Vec<String>, ServiceError> {
    let mut keys: BTreeMap<String, String> = BTreeMap::new();
    for document in documents {
        let policy = Policy::parse(document).map_err(document_error)?;
        for statement in policy.statements() {
            for condition in statement.conditions() {
                keys.entry(condition.key.to_ascii_lowercase())
                    .or_insert_with(|| condition.key.to_string());
            }
        }
    }
    Ok(keys.into_values().collect())
}

/// The entity kind an IAM ARN names (`…:user/…`, `…:group/…`, `…:role/…`).
fn source_kind(arn: &str) -> Result<EntityKind, ServiceError> {
    let resource = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, resource)| resource)
        .unwrap_or_default();
    match resource.split('/').next() {
        Some("user") => Ok(EntityKind::User),
        Some("group") => Ok(EntityKind::Group),
        Some("role") => Ok(EntityKind::Role),
        _ => Err(ServiceError::InvalidInput(format!(
            "Invalid ARN {arn}: PolicySourceArn must be the ARN of an IAM user, group or role."
        ))),
    }
}

/// Gathers the policies of the user, group or role named by `arn`.
async fn principal_sources(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    arn: &str,
) -> Result<PrincipalSources, ServiceError> {
    let db = iam.store().reader();
    let name = arn.rsplit('/').next().unwrap_or_default();
    // The caller was authorized on `arn` itself, which names this entity.
    let entity = entities::find(db, caller, kind, name).await?.found()?;
    if entity.arn != arn {
        return Err(ServiceError::NoSuchEntity(format!(
            "The {} with name {name} cannot be found.",
            kind.lower()
        )));
    }
    let mut identity = Vec::new();
    let own_type = kind.lower();
    let mut managed = Vec::new();
    for row in inline::for_entity(db, kind, &entity.id).await? {
        identity.push(SourcePolicy {
            id: row.name,
            source_type: own_type,
            document: row.document,
        });
    }
    managed.extend(attachments::for_entity(db, kind, &entity.id).await?);
    let mut boundary_arn = None;
    match kind {
        EntityKind::User => {
            for group in groups::for_user(db, &entity.id).await? {
                for row in inline::for_entity(db, EntityKind::Group, &group.group_id).await? {
                    identity.push(SourcePolicy {
                        id: row.name,
                        source_type: "group",
                        document: row.document,
                    });
                }
                managed
                    .extend(attachments::for_entity(db, EntityKind::Group, &group.group_id).await?);
            }
            boundary_arn = users::TABLE
                .find_by_id(db, &entity.id)
                .await?
                .and_then(|user| user.permissions_boundary_arn);
        }
        EntityKind::Role => {
            boundary_arn = roles::TABLE
                .find_by_id(db, &entity.id)
                .await?
                .and_then(|role| role.permissions_boundary_arn);
        }
        EntityKind::Group => {}
    }
    managed.sort();
    managed.dedup();
    for policy_arn in managed {
        if let Some(source) = managed_source(iam, &policy_arn).await? {
            identity.push(source);
        }
    }
    let boundary = match boundary_arn {
        Some(policy_arn) => managed_source(iam, &policy_arn).await?,
        None => None,
    };
    Ok(PrincipalSources { identity, boundary })
}

async fn managed_source(iam: &Iam, arn: &str) -> Result<Option<SourcePolicy>, ServiceError> {
    if is_aws_managed_policy_arn(arn) {
        return Ok(aws_managed::by_arn(arn).map(|builtin| SourcePolicy {
            id: arn.to_string(),
            source_type: "aws-managed",
            document: builtin.document.to_string(),
        }));
    }
    Ok(policies::default_document(iam.store().reader(), arn)
        .await?
        .map(|document| SourcePolicy {
            id: arn.to_string(),
            source_type: "user-managed",
            document,
        }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keys_are_gathered_once_and_sorted() {
        let a = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#;
        let b = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"AWS:SourceIP":"x"}}}]}"#;
        assert_eq!(
            context_keys([a, b].into_iter()).unwrap(),
            vec!["aws:MultiFactorAuthPresent", "aws:SourceIp"]
        );
        assert!(context_keys(["{"].into_iter()).is_err());
    }

    #[test]
    fn source_arns_name_users_groups_and_roles() {
        assert_eq!(
            source_kind("arn:aws:iam::123456789012:user/eng/alice").unwrap(),
            EntityKind::User
        );
        assert_eq!(
            source_kind("arn:aws:iam::123456789012:role/ci").unwrap(),
            EntityKind::Role
        );
        assert!(source_kind("arn:aws:iam::123456789012:policy/p").is_err());
    }
}
