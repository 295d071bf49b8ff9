//! SimulateCustomPolicy: the request and response shapes of AWS's API (plus
//! `PermissionsBoundaryPolicyInputList`), evaluated by [`super::evaluate`].
//! Backs `ferriam policy simulate`, the Query API and the console simulator.

use std::sync::atomic::{AtomicBool, Ordering};
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

/// Most action × resource pairs one request may ask about. AWS's model sets no limit, but
/// every pair is one evaluation; 10,000 is a hundred pages of AWS's default size and keeps a
/// whole simulation (the CLI evaluates all pairs at once) a bounded amount of work.
/// Refused beyond with `InvalidInput` before anything is evaluated (DEVIATIONS.md).
pub const MAX_SIMULATION_PAIRS: usize = 10_000;

/// Most context values (all `ContextEntries` together) one request may carry. Every condition
/// on a key compares each of its values with each of the policy's: unbounded lists multiply
/// the work of every pair (DEVIATIONS.md).
pub const MAX_CONTEXT_VALUES: usize = 1_000;

/// Longest policy text, in bytes, once every `${variable}` is replaced by the longest context
/// value: what substituting variables may allocate for one pattern, and what each pair scans.
pub const MAX_SUBSTITUTED_POLICY_BYTES: u64 = 4 << 20;

/// The work one page of results may take, in the units of [`pair_cost`] (one step of the
/// wildcard matcher, a few nanoseconds). A page holds as many pairs as fit (at
/// least one, at most `MaxItems`); AWS documents that a page may hold fewer than `MaxItems`
/// results with `IsTruncated` set. A request whose single pair costs more is refused.
/// Measured: the worst page this admits takes < 1 s (see DEVIATIONS.md).
pub const PAGE_WORK_BUDGET: u64 = 300_000_000;

/// Most matched statements and missing context keys one page reports (a page ends after the
/// pair that reaches it): every statement of a large policy may match every pair, and each is
/// a line of the answer.
pub const MAX_PAGE_REPORTED: usize = 10_000;

/// Which results to compute: AWS's `Marker` and `MaxItems`, as the index of the first action
/// × resource pair (actions outermost, as results are ordered) and the most results wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub start: usize,
    pub max_items: usize,
}

/// One page of a simulation and the index of the pair the next page starts at, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulatePage {
    pub response: SimulateResponse,
    pub next: Option<usize>,
}

/// Runs one simulation, every pair (the CLI: no page size, no work budget beyond the caps).
pub fn simulate(request: &SimulateRequest) -> Result<SimulateResponse, SimulateError> {
    let prepared = Prepared::new(request)?;
    let results = (0..prepared.pairs())
        .map(|index| prepared.evaluate_pair(index))
        .collect();
    Ok(SimulateResponse {
        evaluation_results: results,
        is_truncated: false,
    })
}

/// Runs one page of a simulation: only the pairs of the page are evaluated, at most
/// `page.max_items` and at most what [`PAGE_WORK_BUDGET`] allows. `cancelled` is checked
/// between pairs: the caller sets it when nobody waits for the answer any more.
pub fn simulate_page(
    request: &SimulateRequest,
    page: PageRequest,
    cancelled: &AtomicBool,
) -> Result<SimulatePage, SimulateError> {
    let prepared = Prepared::new(request)?;
    let total = prepared.pairs();
    let per_page = (PAGE_WORK_BUDGET / prepared.pair_cost.max(1)).max(1);
    let length = page
        .max_items
        .min(usize::try_from(per_page).unwrap_or(usize::MAX));
    let start = page.start.min(total);
    let end = start.saturating_add(length).min(total);
    let mut results = Vec::with_capacity(end - start);
    let mut reported = 0usize;
    for index in start..end {
        if cancelled.load(Ordering::Relaxed) {
            break;
        }
        let result = prepared.evaluate_pair(index);
        reported += result.matched_statements.len() + result.missing_context_values.len();
        results.push(result);
        if reported >= MAX_PAGE_REPORTED {
            break;
        }
    }
    let end = start + results.len();
    let next = (end < total).then_some(end);
    Ok(SimulatePage {
        response: SimulateResponse {
            evaluation_results: results,
            is_truncated: next.is_some(),
        },
        next,
    })
}

/// The estimated work of evaluating one action × resource pair, in steps of the wildcard
/// matcher: every pattern (at least 4 bytes of policy text, with variables substituted) may
/// be compared with every value of a context key, walking the compared text. Pure arithmetic
/// on the request's sizes, computed before anything is parsed.
pub fn pair_cost(request: &SimulateRequest) -> u64 {
    Sizes::of(request).pair_cost()
}

/// The sizes that bound a simulation's work.
struct Sizes {
    /// Policy text bytes, the boundary twice (it is evaluated a second time for its detail).
    policy_bytes: u64,
    /// `${` occurrences in that text, weighted the same way.
    variables: u64,
    /// The most values one context key carries (at least 1).
    values_per_key: u64,
    /// The longest context value.
    longest_value: u64,
    /// The longest text a pattern is matched against: action, resource or context value.
    longest_input: u64,
}

impl Sizes {
    fn of(request: &SimulateRequest) -> Sizes {
        let mut policy_bytes = 0u64;
        let mut variables = 0u64;
        let mut add = |text: &str, weight: u64| {
            policy_bytes = policy_bytes.saturating_add(weight.saturating_mul(text.len() as u64));
            variables =
                variables.saturating_add(weight.saturating_mul(text.matches("${").count() as u64));
        };
        for text in request.policy_input_list.iter().flatten() {
            add(text, 1);
        }
        for text in request
            .permissions_boundary_policy_input_list
            .iter()
            .flatten()
        {
            add(text, 2);
        }
        if let Some(text) = &request.resource_policy {
            add(text, 1);
        }
        let entries = request.context_entries.as_deref().unwrap_or(&[]);
        let values = || {
            entries
                .iter()
                .flat_map(|entry| entry.context_key_values.iter().flatten())
        };
        let values_per_key = entries
            .iter()
            .map(|entry| entry.context_key_values.as_ref().map_or(0, Vec::len) as u64)
            .max()
            .unwrap_or(0)
            .max(1);
        let longest_value = values().map(|v| v.len() as u64).max().unwrap_or(0);
        let longest_name = |names: Option<&Vec<String>>| {
            names
                .into_iter()
                .flatten()
                .map(|name| name.len() as u64)
                .max()
                .unwrap_or(0)
        };
        let longest_input = longest_value
            .max(longest_name(request.action_names.as_ref()))
            .max(longest_name(request.resource_arns.as_ref()))
            .max(1);
        Sizes {
            policy_bytes,
            variables,
            values_per_key,
            longest_value,
            longest_input,
        }
    }

    fn substituted_policy_bytes(&self) -> u64 {
        self.policy_bytes
            .saturating_add(self.variables.saturating_mul(self.longest_value))
    }

    fn pair_cost(&self) -> u64 {
        // A pattern as short as `"*",` (4 bytes) still walks the whole input it is matched
        // against: the dearest policy is all short patterns, about bytes / 4 × input steps.
        self.substituted_policy_bytes()
            .max(1)
            .saturating_mul(self.values_per_key)
            .saturating_mul(1 + self.longest_input / 4)
    }
}

fn too_large(message: String) -> AwsPolicyError {
    AwsPolicyError::new(AwsErrorCode::InvalidInput, message)
}

/// SECURITY: refuses, before any policy is parsed or pair evaluated, a request whose work
/// the caps above do not bound.
fn check_bounds(
    request: &SimulateRequest,
    action_count: usize,
    resource_count: usize,
) -> Result<u64, AwsPolicyError> {
    let pairs = action_count.saturating_mul(resource_count);
    if pairs > MAX_SIMULATION_PAIRS {
        return Err(too_large(format!(
            "The simulation is too large: {action_count} action names and {resource_count} resource ARNs make {pairs} evaluations; at most {MAX_SIMULATION_PAIRS} are allowed per request."
        )));
    }
    let values: usize = request
        .context_entries
        .iter()
        .flatten()
        .map(|entry| entry.context_key_values.as_ref().map_or(0, Vec::len))
        .sum();
    if values > MAX_CONTEXT_VALUES {
        return Err(too_large(format!(
            "ContextEntries carry {values} values; at most {MAX_CONTEXT_VALUES} are allowed per request."
        )));
    }
    let sizes = Sizes::of(request);
    if sizes.substituted_policy_bytes() > MAX_SUBSTITUTED_POLICY_BYTES
        || sizes.pair_cost() > PAGE_WORK_BUDGET
    {
        return Err(too_large(
            "The simulation is too large: its policies, with policy variables replaced by the context values given, are too long to evaluate against these context values. Use fewer or shorter policies or context values.".to_string(),
        ));
    }
    Ok(sizes.pair_cost())
}

/// A request checked and compiled once; pairs are evaluated one at a time from it.
struct Prepared<'r> {
    request: &'r SimulateRequest,
    action_names: &'r [String],
    resource_names: Vec<&'r str>,
    identity: Vec<NamedPolicy>,
    boundary: Vec<NamedPolicy>,
    resource_policy: Option<NamedPolicy>,
    context: Context,
    owner_account: Option<String>,
    principal: PrincipalInfo,
    pair_cost: u64,
}

impl<'r> Prepared<'r> {
    fn new(request: &'r SimulateRequest) -> Result<Prepared<'r>, SimulateError> {
        let policy_texts = request
            .policy_input_list
            .as_ref()
            .ok_or_else(|| not_null("policyInputList"))?;
        let action_names = request
            .action_names
            .as_ref()
            .ok_or_else(|| not_null("actionNames"))?;
        let resource_names: Vec<&str> = match &request.resource_arns {
            Some(arns) => arns.iter().map(String::as_str).collect(),
            None => vec!["*"],
        };
        let pair_cost = check_bounds(request, action_names.len(), resource_names.len())?;
        for (position, resource) in resource_names.iter().enumerate() {
            if resource.is_empty() || resource.chars().count() > 2048 {
                return Err(validation_error(format!(
                    "1 validation error detected: Value at 'resourceArns.{}.member' failed to satisfy constraint: Member must have length between 1 and 2048",
                    position + 1
                )));
            }
        }
        for (position, action) in action_names.iter().enumerate() {
            let length = action.chars().count();
            if !(3..=128).contains(&length) {
                return Err(validation_error(format!(
                    "1 validation error detected: Value at 'actionNames.{}.member' failed to satisfy constraint: Member must have length between 3 and 128",
                    position + 1
                )));
            }
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
        Ok(Prepared {
            request,
            action_names,
            resource_names,
            identity,
            boundary,
            resource_policy,
            context,
            owner_account,
            principal,
            pair_cost,
        })
    }

    fn pairs(&self) -> usize {
        self.action_names.len() * self.resource_names.len()
    }

    /// The result for pair `index`: action `index / resources`, resource `index % resources`.
    fn evaluate_pair(&self, index: usize) -> EvaluationResult {
        let action = &self.action_names[index / self.resource_names.len()];
        let resource = self.resource_names[index % self.resource_names.len()];
        let inputs = PolicyInputs {
            identity: &self.identity,
            permissions_boundary: &self.boundary,
            session: &[],
            resource: self
                .resource_policy
                .as_ref()
                .map(|policy| ResourcePolicyInput {
                    policy,
                    kind: ResourcePolicyKind::Resource,
                }),
        };
        // The owner is named in the resource ARN, else by ResourceOwner.
        let resource_account = if self.request.caller_arn.is_none() {
            None
        } else {
            split_arn(resource)
                .map(|parts| parts[4])
                .filter(|account| !account.is_empty())
                .or(self.owner_account.as_deref())
        };
        let evaluation_request = EvaluationRequest {
            principal: &self.principal,
            action,
            resource,
            resource_account,
            context: &self.context,
        };
        let response = evaluate(&inputs, &evaluation_request);
        let boundary_detail = (!self.boundary.is_empty()).then(|| {
            let boundary_only = PolicyInputs {
                identity: &self.boundary,
                ..PolicyInputs::default()
            };
            PermissionsBoundaryDecisionDetail {
                allowed_by_permissions_boundary: evaluate(&boundary_only, &evaluation_request)
                    .is_allowed(),
            }
        });
        EvaluationResult {
            eval_action_name: action.clone(),
            eval_resource_name: resource.to_string(),
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
        }
    }
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
