//! The policy simulator: SimulateCustomPolicy, SimulatePrincipalPolicy,
//! GetContextKeysForCustomPolicy, GetContextKeysForPrincipalPolicy.

use super::{index_marker, index_page, result, Cx, Reply};
use crate::domain::iam_models::Page;
use crate::policy::simulate::{
    ContextEntryInput, EvaluationResult, PageRequest, SimulatePage, SimulateRequest,
};
use crate::server::query_api::errors::ApiError;
use crate::server::query_api::input::Input;
use crate::server::query_api::shapes;
use crate::server::query_api::xml::Xml;
use crate::server::service::policies::simulation;

fn optional_list(params: &Input<'_>, name: &str) -> Option<Vec<String>> {
    let list = params.list(name);
    (!list.is_empty() || params.get(name).is_some()).then_some(list)
}

/// The request fields both simulations share.
fn request(params: &Input<'_>) -> Result<SimulateRequest, ApiError> {
    let max_items = params
        .int("MaxItems")?
        .map(|n| u32::try_from(n.max(0)).unwrap_or(u32::MAX));
    Ok(SimulateRequest {
        policy_input_list: optional_list(params, "PolicyInputList"),
        permissions_boundary_policy_input_list: optional_list(
            params,
            "PermissionsBoundaryPolicyInputList",
        ),
        action_names: optional_list(params, "ActionNames"),
        resource_arns: optional_list(params, "ResourceArns"),
        resource_policy: params.string("ResourcePolicy"),
        resource_owner: params.string("ResourceOwner"),
        caller_arn: params.string("CallerArn"),
        context_entries: Some(
            params
                .members("ContextEntries")
                .into_iter()
                .map(|entry| ContextEntryInput {
                    context_key_name: entry.string("ContextKeyName"),
                    context_key_values: Some(entry.list("ContextKeyValues")),
                    context_key_type: entry.string("ContextKeyType"),
                })
                .collect(),
        ),
        // Refused at dispatch: the simulator models no EC2 scenarios.
        resource_handling_option: None,
        max_items,
        marker: params.string("Marker"),
    })
}

fn evaluation_result(x: &mut Xml, result: &EvaluationResult) {
    x.text("EvalActionName", &result.eval_action_name)
        .text("EvalResourceName", &result.eval_resource_name)
        .text("EvalDecision", result.eval_decision.as_str())
        .members("MatchedStatements", &result.matched_statements, |x, s| {
            x.text("SourcePolicyId", &s.source_policy_id)
                .text("SourcePolicyType", &s.source_policy_type);
            for (name, position) in [
                ("StartPosition", s.start_position),
                ("EndPosition", s.end_position),
            ] {
                if let Some(position) = position {
                    x.nested(name, |x| {
                        x.int("Line", i64::from(position.line))
                            .int("Column", i64::from(position.column));
                    });
                }
            }
        })
        .string_members("MissingContextValues", &result.missing_context_values);
    if let Some(detail) = &result.permissions_boundary_decision_detail {
        x.nested("PermissionsBoundaryDecisionDetail", |x| {
            x.bool(
                "AllowedByPermissionsBoundary",
                detail.allowed_by_permissions_boundary,
            );
        });
    }
}

/// The page the request asks for: only its pairs are evaluated.
fn page_request(params: &Input<'_>) -> Result<PageRequest, ApiError> {
    let (start, max_items) = index_page(params)?;
    Ok(PageRequest { start, max_items })
}

fn simulation_reply(page: SimulatePage) -> Reply {
    let page = Page {
        items: page.response.evaluation_results,
        is_truncated: page.next.is_some(),
        marker: page.next.map(index_marker),
    };
    result(|x| shapes::page(x, "EvaluationResults", &page, evaluation_result))
}

pub async fn simulate_custom_policy(cx: &Cx<'_>) -> Reply {
    let page = page_request(cx.params)?;
    let response =
        simulation::simulate_custom_policy(cx.iam, cx.caller, request(cx.params)?, page).await?;
    simulation_reply(response)
}

pub async fn simulate_principal_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = page_request(p)?;
    let response = simulation::simulate_principal_policy(
        cx.iam,
        cx.caller,
        p.required("PolicySourceArn")?,
        request(p)?,
        page,
    )
    .await?;
    simulation_reply(response)
}

fn context_keys_reply(keys: Vec<String>) -> Reply {
    result(|x| {
        x.string_members("ContextKeyNames", &keys);
    })
}

pub async fn get_context_keys_for_custom_policy(cx: &Cx<'_>) -> Reply {
    let documents = cx.params.list("PolicyInputList");
    if documents.is_empty() {
        return Err(ApiError::missing_parameter("PolicyInputList"));
    }
    let keys =
        simulation::get_context_keys_for_custom_policy(cx.iam, cx.caller, &documents).await?;
    context_keys_reply(keys)
}

pub async fn get_context_keys_for_principal_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let keys = simulation::get_context_keys_for_principal_policy(
        cx.iam,
        cx.caller,
        p.required("PolicySourceArn")?,
        &p.list("PolicyInputList"),
    )
    .await?;
    context_keys_reply(keys)
}
