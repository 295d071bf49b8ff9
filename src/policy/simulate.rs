//! SimulateCustomPolicy: the request and response shapes of AWS's API (plus
//! `PermissionsBoundaryPolicyInputList`), evaluated by [`super::evaluate`].
//! Backs `ferriam policy simulate`, the Query API and the console simulator.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::arn::split_arn;
use super::compile::Policy;
use super::conditions::{parse_bool, parse_date, parse_number, parse_request_ip};
use super::context::Context;
use super::decision::{Decision, PolicyCategory};
use super::errors::{AwsErrorCode, AwsPolicyError};
use super::evaluate::{
    evaluate, EvaluationRequest, NamedPolicy, PolicyInputs, ResourcePolicyInput, ResourcePolicyKind,
};
use super::kind::PolicyKind;
use super::location::Position;
use super::principal::{is_account_id, PrincipalInfo, PrincipalKind};
use super::validate::validate;

/// AWS's SimulateCustomPolicy request (JSON field names as in the API).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SimulateRequest {
    pub policy_input_list: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary_policy_input_list: Option<Vec<String>>,
    pub action_names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_entries: Option<Vec<ContextEntryInput>>,
    /// Accepted for compatibility; Ferriam simulates every resource the same way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_handling_option: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ContextEntryInput {
    pub context_key_name: Option<String>,
    pub context_key_values: Option<Vec<String>>,
    pub context_key_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SimulateResponse {
    pub evaluation_results: Vec<EvaluationResult>,
    pub is_truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EvaluationResult {
    pub eval_action_name: String,
    pub eval_resource_name: String,
    pub eval_decision: Decision,
    pub matched_statements: Vec<StatementReference>,
    pub missing_context_values: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions_boundary_decision_detail: Option<PermissionsBoundaryDecisionDetail>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatementReference {
    /// `PolicyInputList.1`, `PermissionsBoundaryPolicyInputList.1` or `ResourcePolicy`.
    pub source_policy_id: String,
    /// AWS's PolicySourceType: `none` for input policies, `resource` for the resource policy.
    pub source_policy_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_position: Option<Position>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_position: Option<Position>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PermissionsBoundaryDecisionDetail {
    pub allowed_by_permissions_boundary: bool,
}

/// Errors use AWS's codes: ValidationError, InvalidInput, MalformedPolicyDocument.
pub type SimulateError = AwsPolicyError;

/// Runs one simulation from its JSON request text.
pub fn simulate_json(request: &str) -> Result<SimulateResponse, SimulateError> {
    let request: SimulateRequest = serde_json::from_str(request).map_err(|error| {
        AwsPolicyError::new(
            AwsErrorCode::InvalidInput,
            format!("The request is not a valid SimulateCustomPolicy request: {error}"),
        )
    })?;
    simulate(&request)
}

/// For the CLI: the response or error as one line of JSON, and whether it is an error.
pub fn run_simulate(request: &str) -> (String, bool) {
    match simulate_json(request) {
        Ok(response) => (serde_json::to_string(&response).unwrap_or_default(), false),
        Err(error) => (error.to_error_json(), true),
    }
}

/// `ferriam policy simulate --lines`: one request per input line (blank lines
/// skipped), one response or error per output line. The flag is true when
/// any line failed.
pub fn run_simulate_lines(input: &str) -> (String, bool) {
    let mut output = String::new();
    let mut any_error = false;
    for line in input.lines().filter(|line| !line.trim().is_empty()) {
        let (response, is_error) = run_simulate(line);
        output.push_str(&response);
        output.push('\n');
        any_error |= is_error;
    }
    (output, any_error)
}

const CONTEXT_TYPES: [&str; 12] = [
    "string",
    "stringList",
    "numeric",
    "numericList",
    "boolean",
    "booleanList",
    "ip",
    "ipList",
    "binary",
    "binaryList",
    "date",
    "dateList",
];

fn validation_error(message: String) -> AwsPolicyError {
    AwsPolicyError::new(AwsErrorCode::ValidationError, message)
}

fn not_null(field: &str) -> AwsPolicyError {
    validation_error(format!(
        "1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null"
    ))
}

/// Runs one simulation.
pub fn simulate(request: &SimulateRequest) -> Result<SimulateResponse, SimulateError> {
    let policy_texts = request
        .policy_input_list
        .as_ref()
        .ok_or_else(|| not_null("policyInputList"))?;
    let action_names = request
        .action_names
        .as_ref()
        .ok_or_else(|| not_null("actionNames"))?;
    let default_resources = vec!["*".to_string()];
    let resource_names = request.resource_arns.as_ref().unwrap_or(&default_resources);
    for (position, resource) in resource_names.iter().enumerate() {
        if resource.is_empty() || resource.chars().count() > 2048 {
            return Err(validation_error(format!(
                "1 validation error detected: Value at 'resourceArns.{}.member' failed to satisfy constraint: Member must have length between 1 and 2048",
                position + 1
            )));
        }
    }
    for action in action_names {
        if action.contains(['*', '?']) {
            return Err(AwsPolicyError::new(
                AwsErrorCode::InvalidInput,
                format!("Action name {action} is invalid: this operation does not support wildcards in action names."),
            ));
        }
    }

    let identity = compile_inputs(policy_texts, "PolicyInputList", PolicyKind::Managed)?;
    let boundary = compile_inputs(
        request
            .permissions_boundary_policy_input_list
            .as_deref()
            .unwrap_or(&[]),
        "PermissionsBoundaryPolicyInputList",
        PolicyKind::Managed,
    )?;
    let resource_policy = match &request.resource_policy {
        None => None,
        Some(text) => {
            let mut compiled = compile_inputs(
                std::slice::from_ref(text),
                "ResourcePolicy",
                PolicyKind::Resource,
            )?;
            compiled.pop()
        }
    };
    let context = build_context(request.context_entries.as_deref().unwrap_or(&[]))?;

    let owner_account = match &request.resource_owner {
        None => None,
        Some(owner) => Some(owner_account(owner)?),
    };
    let principal = match &request.caller_arn {
        Some(arn) => PrincipalInfo::from_arn(arn).ok_or_else(|| {
            AwsPolicyError::new(
                AwsErrorCode::InvalidInput,
                format!("Invalid CallerArn {arn}: expected the ARN of an IAM user, role, role session, federated user or account root."),
            )
        })?,
        None if resource_policy.is_some() => {
            return Err(AwsPolicyError::new(
                AwsErrorCode::InvalidInput,
                "CallerArn is required when ResourcePolicy is specified.",
            ))
        }
        None => PrincipalInfo {
            arn: String::new(),
            account_id: owner_account.clone().unwrap_or_default(),
            kind: PrincipalKind::User,
            unique_id: None,
        },
    };

    let resource_input = resource_policy.as_ref().map(|policy| ResourcePolicyInput {
        policy,
        kind: ResourcePolicyKind::Resource,
    });
    let inputs = PolicyInputs {
        identity: &identity,
        permissions_boundary: &boundary,
        session: &[],
        resource: resource_input,
    };
    let mut results = Vec::with_capacity(action_names.len() * resource_names.len());
    for action in action_names {
        for resource in resource_names {
            // The owner is named in the resource ARN, else by ResourceOwner.
            let resource_account = if request.caller_arn.is_none() {
                None
            } else {
                split_arn(resource)
                    .map(|parts| parts[4])
                    .filter(|account| !account.is_empty())
                    .or(owner_account.as_deref())
            };
            let evaluation_request = EvaluationRequest {
                principal: &principal,
                action,
                resource,
                resource_account,
                context: &context,
            };
            let response = evaluate(&inputs, &evaluation_request);
            let boundary_detail = (!boundary.is_empty()).then(|| {
                let boundary_only = PolicyInputs {
                    identity: &boundary,
                    ..PolicyInputs::default()
                };
                PermissionsBoundaryDecisionDetail {
                    allowed_by_permissions_boundary: evaluate(&boundary_only, &evaluation_request)
                        .is_allowed(),
                }
            });
            results.push(EvaluationResult {
                eval_action_name: action.clone(),
                eval_resource_name: resource.clone(),
                eval_decision: response.decision,
                matched_statements: response
                    .matched
                    .iter()
                    .map(|statement| StatementReference {
                        source_policy_id: statement.policy_id.to_string(),
                        source_policy_type: if statement.category == PolicyCategory::ResourceBased {
                            "resource".to_string()
                        } else {
                            "none".to_string()
                        },
                        start_position: statement.start,
                        end_position: statement.end,
                    })
                    .collect(),
                missing_context_values: response
                    .missing_context_keys
                    .iter()
                    .map(|key| key.to_string())
                    .collect(),
                permissions_boundary_decision_detail: boundary_detail,
            });
        }
    }
    Ok(SimulateResponse {
        evaluation_results: results,
        is_truncated: false,
    })
}

fn compile_inputs(
    texts: &[String],
    list_name: &str,
    kind: PolicyKind,
) -> Result<Vec<NamedPolicy>, AwsPolicyError> {
    texts
        .iter()
        .enumerate()
        .map(|(position, text)| {
            let validation = validate(text, kind);
            // Size quotas apply when a policy is stored, not when it is simulated.
            if let Some(error) = validation
                .error
                .filter(|error| error.code != AwsErrorCode::LimitExceeded)
            {
                return Err(error);
            }
            let policy = Policy::parse(text)?;
            let id = if list_name == "ResourcePolicy" {
                list_name.to_string()
            } else {
                format!("{list_name}.{}", position + 1)
            };
            Ok(NamedPolicy::new(id, Arc::new(policy)))
        })
        .collect()
}

fn owner_account(owner: &str) -> Result<String, AwsPolicyError> {
    if is_account_id(owner) {
        return Ok(owner.to_string());
    }
    match split_arn(owner) {
        Some(parts) if is_account_id(parts[4]) => Ok(parts[4].to_string()),
        _ => Err(AwsPolicyError::new(
            AwsErrorCode::InvalidInput,
            format!("Invalid ResourceOwner {owner}: expected an account ARN such as arn:aws:iam::123456789012:root."),
        )),
    }
}

fn build_context(entries: &[ContextEntryInput]) -> Result<Context, AwsPolicyError> {
    let mut context = Context::new();
    for (position, entry) in entries.iter().enumerate() {
        let member = position + 1;
        let name = entry
            .context_key_name
            .as_deref()
            .filter(|name| !name.is_empty())
            .ok_or_else(|| not_null(&format!("contextEntries.{member}.member.contextKeyName")))?;
        let values = entry.context_key_values.clone().unwrap_or_default();
        let key_type = entry.context_key_type.as_deref().unwrap_or("string");
        if !CONTEXT_TYPES.contains(&key_type) {
            return Err(validation_error(format!(
                "1 validation error detected: Value '{key_type}' at 'contextEntries.{member}.member.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                CONTEXT_TYPES.join(", ")
            )));
        }
        let scalar_type = key_type.strip_suffix("List").unwrap_or(key_type);
        for value in &values {
            let valid = match scalar_type {
                "numeric" => parse_number(value).is_some(),
                "boolean" => parse_bool(value).is_some(),
                "ip" => parse_request_ip(value).is_some(),
                "date" => parse_date(value).is_some(),
                "binary" => {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .decode(value)
                        .is_ok()
                }
                _ => true,
            };
            if !valid {
                return Err(AwsPolicyError::new(
                    AwsErrorCode::InvalidInput,
                    format!("Invalid value {value} for context key {name} of type {key_type}."),
                ));
            }
        }
        context.insert_list(name, values);
    }
    Ok(context)
}

#[cfg(test)]
mod tests;
