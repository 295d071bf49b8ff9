//! Bounded work per request (security review, issue 18 §4): the policy simulator refuses
//! inputs whose work no cap bounds before evaluating anything, evaluates only the page asked
//! for (within a work budget), and does it off the async executor.

mod common;

use std::time::{Duration, Instant};

use common::*;
use ferriam::policy::simulate::{
    pair_cost, ContextEntryInput, PageRequest, SimulateRequest, MAX_CONTEXT_VALUES,
    MAX_SIMULATION_PAIRS, PAGE_WORK_BUDGET,
};
use ferriam::server::service::policies::simulation;

fn request(actions: usize, resources: usize) -> SimulateRequest {
    SimulateRequest {
        policy_input_list: Some(vec![allow("s3:*", "*")]),
        action_names: Some((0..actions).map(|i| format!("s3:Action{i}")).collect()),
        resource_arns: Some(
            (0..resources)
                .map(|i| format!("arn:aws:s3:::bucket/{i}"))
                .collect(),
        ),
        ..SimulateRequest::default()
    }
}

fn page(start: usize, max_items: usize) -> PageRequest {
    PageRequest { start, max_items }
}

/// One context entry `key` with `values`.
fn entry(key: &str, values: Vec<String>) -> ContextEntryInput {
    ContextEntryInput {
        context_key_name: Some(key.to_string()),
        context_key_values: Some(values),
        context_key_type: Some("stringList".to_string()),
    }
}

#[tokio::test]
async fn simulations_beyond_ten_thousand_pairs_are_refused_before_any_evaluation() {
    let (t, root) = with_root().await;
    assert_eq!(MAX_SIMULATION_PAIRS, 10_000);
    // 2,500 × 2,500 pairs took 33.7 s and ~2 GB when every pair was evaluated up front.
    let started = Instant::now();
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, request(2_500, 2_500), page(0, 100))
            .await,
        "InvalidInput",
        "The simulation is too large: 2500 action names and 2500 resource ARNs make 6250000 evaluations; at most 10000 are allowed per request.",
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused at once"
    );
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, request(101, 100), page(0, 100)).await,
        "InvalidInput",
        "The simulation is too large: 101 action names and 100 resource ARNs make 10100 evaluations; at most 10000 are allowed per request.",
    );
}

#[tokio::test]
async fn only_the_requested_page_is_evaluated() {
    let (t, root) = with_root().await;
    // Exactly at the cap: accepted, one page at a time, actions outermost.
    let first = simulation::simulate_custom_policy(&t.iam, &root, request(100, 100), page(0, 1000))
        .await
        .unwrap();
    assert_eq!(first.response.evaluation_results.len(), 1000);
    assert!(first.response.is_truncated);
    assert_eq!(first.next, Some(1000));
    let last = &first.response.evaluation_results[999];
    assert_eq!(
        (
            last.eval_action_name.as_str(),
            last.eval_resource_name.as_str()
        ),
        ("s3:Action9", "arn:aws:s3:::bucket/99")
    );
    let end =
        simulation::simulate_custom_policy(&t.iam, &root, request(100, 100), page(9_950, 100))
            .await
            .unwrap();
    assert_eq!(end.response.evaluation_results.len(), 50);
    assert!(!end.response.is_truncated);
    assert_eq!(end.next, None);
    let first_of_end = &end.response.evaluation_results[0];
    assert_eq!(
        (
            first_of_end.eval_action_name.as_str(),
            first_of_end.eval_resource_name.as_str()
        ),
        ("s3:Action99", "arn:aws:s3:::bucket/50")
    );
    assert_eq!(
        first_of_end.eval_decision,
        ferriam::policy::Decision::Allowed
    );
}

#[tokio::test]
async fn a_page_of_costly_pairs_holds_what_the_work_budget_allows() {
    let (t, root) = with_root().await;
    // About 100 KB of policy against 2,048-character resource ARNs: each pair is dear, so a
    // page holds fewer than MaxItems results and says more follow, as AWS allows.
    let mut costly = request(10, 10);
    costly.policy_input_list = Some(vec![document_of_size(100_000)]);
    costly.resource_arns = Some(
        (0..10)
            .map(|i| format!("arn:aws:s3:::{i}/{}", "r".repeat(2030)))
            .collect(),
    );
    let per_page = (PAGE_WORK_BUDGET / pair_cost(&costly)) as usize;
    assert!((1..100).contains(&per_page), "{per_page}");
    let first = simulation::simulate_custom_policy(&t.iam, &root, costly.clone(), page(0, 100))
        .await
        .unwrap();
    assert_eq!(first.response.evaluation_results.len(), per_page);
    assert!(first.response.is_truncated);
    assert_eq!(first.next, Some(per_page));
}

#[tokio::test]
async fn context_values_are_capped() {
    let (t, root) = with_root().await;
    let mut many = request(1, 1);
    many.context_entries = Some(vec![
        entry("aws:TagKeys", (0..600).map(|i| format!("k{i}")).collect()),
        entry("s3:prefix", (0..=400).map(|i| format!("p{i}")).collect()),
    ]);
    assert_eq!(MAX_CONTEXT_VALUES, 1_000);
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, many, page(0, 100)).await,
        "InvalidInput",
        "ContextEntries carry 1001 values; at most 1000 are allowed per request.",
    );
}

const TOO_LARGE: &str = "The simulation is too large: its policies, with policy variables replaced by the context values given, are too long to evaluate against these context values. Use fewer or shorter policies or context values.";

#[tokio::test]
async fn policy_variables_cannot_multiply_a_long_context_value() {
    let (t, root) = with_root().await;
    // 8,000 variables in one pattern, each replaced by a 100 KB value: 800 MB to build once
    // for every pair, were it not refused.
    let resource = "${aws:username}".repeat(8_000);
    let mut bomb = request(1, 1);
    bomb.policy_input_list = Some(vec![allow("s3:*", &resource)]);
    bomb.context_entries = Some(vec![entry("aws:username", vec!["u".repeat(100_000)])]);
    let started = Instant::now();
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, bomb, page(0, 100)).await,
        "InvalidInput",
        TOO_LARGE,
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused at once"
    );
}

#[tokio::test]
async fn a_single_pair_beyond_the_work_budget_is_refused() {
    let (t, root) = with_root().await;
    // 1,000 values of one key compared with every pattern of a 200 KB policy, per pair.
    let patterns: Vec<String> = (0..20_000).map(|i| format!("\"v{i}*x\"")).collect();
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{{"ForAnyValue:StringLike":{{"aws:TagKeys":[{}]}}}}}}]}}"#,
        patterns.join(",")
    );
    let mut costly = request(1, 1);
    costly.policy_input_list = Some(vec![policy]);
    costly.context_entries = Some(vec![entry(
        "aws:TagKeys",
        (0..1_000).map(|i| format!("{i:0>100}")).collect(),
    )]);
    assert!(pair_cost(&costly) > PAGE_WORK_BUDGET);
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, costly, page(0, 100)).await,
        "InvalidInput",
        TOO_LARGE,
    );
}

#[tokio::test]
async fn action_names_have_aws_s_length_limits() {
    let (t, root) = with_root().await;
    let mut long = request(1, 1);
    long.action_names = Some(vec![format!("s3:{}", "a".repeat(126))]);
    assert_error(
        simulation::simulate_custom_policy(&t.iam, &root, long, page(0, 100)).await,
        "ValidationError",
        "1 validation error detected: Value at 'actionNames.1.member' failed to satisfy constraint: Member must have length between 3 and 128",
    );
}

#[tokio::test]
async fn principal_simulations_have_the_same_bounds() {
    let (t, root) = with_root().await;
    let (user, _) = iam_user(&t, &root, "alice").await;
    let mut big = request(200, 51);
    big.policy_input_list = None;
    assert_error(
        simulation::simulate_principal_policy(&t.iam, &root, &user.arn, big, page(0, 100)).await,
        "InvalidInput",
        "The simulation is too large: 200 action names and 51 resource ARNs make 10200 evaluations; at most 10000 are allowed per request.",
    );
    let mut fine = request(100, 100);
    fine.policy_input_list = None;
    let page = simulation::simulate_principal_policy(&t.iam, &root, &user.arn, fine, page(0, 10))
        .await
        .unwrap();
    assert_eq!(page.response.evaluation_results.len(), 10);
    assert_eq!(page.next, Some(10));
}

#[test]
fn audit_filters_are_as_long_as_an_arn_at_most() {
    use ferriam::domain::audit_query::AuditQuery;
    use ferriam::server::service::audit::lookup::{filter_of, MAX_FILTER_CHARS};
    // A text filter that is not a whole ARN becomes a LIKE scan of every event of the account.
    let query = |resource: String| AuditQuery {
        resource,
        ..AuditQuery::default()
    };
    assert!(filter_of(&query("x".repeat(MAX_FILTER_CHARS))).is_ok());
    assert_error(
        filter_of(&query("x".repeat(MAX_FILTER_CHARS + 1))),
        "ValidationError",
        "The value for resource must be at most 2048 characters.",
    );
}

#[tokio::test]
async fn a_page_ends_once_it_reports_ten_thousand_statements() {
    use ferriam::policy::simulate::MAX_PAGE_REPORTED;
    let (t, root) = with_root().await;
    // Every one of 2,000 statements matches every pair, and each is a line of the answer.
    let statements = vec![r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#; 2_000];
    let mut chatty = request(10, 10);
    chatty.policy_input_list = Some(vec![format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )]);
    let first = simulation::simulate_custom_policy(&t.iam, &root, chatty, page(0, 100))
        .await
        .unwrap();
    let results = &first.response.evaluation_results;
    assert_eq!(results.len(), MAX_PAGE_REPORTED / 2_000);
    assert!(results
        .iter()
        .all(|result| result.matched_statements.len() == 2_000));
    assert_eq!(first.next, Some(results.len()));
}
