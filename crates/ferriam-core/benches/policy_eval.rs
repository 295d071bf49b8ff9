//! Evaluation speed: one authorization decision for a principal with
//! 10 policies / 50 statements (target p50 <= 2 us) and with 1,000 statements
//! (target <= 50 us), plus parsing and validating a policy; and the policy
//! simulator's costliest pages within its caps (target < 1 s, < 50 MB each:
//! `simulate_worst/*`; peak memory measured with `/usr/bin/time -v`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::atomic::AtomicBool;

use ferriam_core::policy::simulate::ContextEntryInput;
use ferriam_core::policy::{
    evaluate, simulate_page, validate, Context, EvaluationRequest, NamedPolicy, PageRequest,
    Policy, PolicyInputs, PolicyKind, PrincipalInfo, SimulateRequest,
};

const ACCOUNT: &str = "123456789012";

/// Five statements of the kinds real policies have, varied by `seed`.
fn policy_text(seed: usize) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{"Sid": "ReadBuckets{seed}", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"],
      "Resource": ["arn:aws:s3:::team-{seed}", "arn:aws:s3:::team-{seed}/*"],
      "Condition": {{"Bool": {{"aws:SecureTransport": "true"}}}}}},
    {{"Sid": "OwnHome{seed}", "Effect": "Allow", "Action": "s3:*",
      "Resource": "arn:aws:s3:::home-{seed}/${{aws:username}}/*"}},
    {{"Sid": "Ec2Tagged{seed}", "Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"],
      "Resource": "arn:aws:ec2:*:{ACCOUNT}:instance/*",
      "Condition": {{"StringEquals": {{"aws:ResourceTag/team": "${{aws:PrincipalTag/team}}"}}}}}},
    {{"Sid": "IamSelf{seed}", "Effect": "Allow", "Action": ["iam:GetUser", "iam:ChangePassword", "iam:*AccessKey*"],
      "Resource": "arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
      "Condition": {{"IpAddress": {{"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}}}},
    {{"Sid": "DenyOutsideHours{seed}", "Effect": "Deny", "Action": "dynamodb:*", "Resource": "*",
      "Condition": {{"DateGreaterThan": {{"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}}}}
  ]
}}"#
    )
}

/// The statement that allows the benchmarked request, in the last policy.
const ADMIN_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "UserAdmin", "Effect": "Allow", "Action": ["iam:CreateUser", "iam:TagUser"],
     "Resource": "arn:aws:iam::123456789012:user/*",
     "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                   "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}},
    {"Sid": "NoRootNames", "Effect": "Deny", "Action": "iam:CreateUser",
     "Resource": "arn:aws:iam::123456789012:user/root*"}
  ]
}"#;

fn policies(statement_count: usize) -> Vec<NamedPolicy> {
    let mut policies: Vec<NamedPolicy> = (0..(statement_count - 2) / 5)
        .map(|seed| {
            let policy = Policy::parse(&policy_text(seed)).expect("bench policy parses");
            NamedPolicy::new(format!("arn:aws:iam::{ACCOUNT}:policy/p{seed}"), policy)
        })
        .collect();
    let admin = Policy::parse(ADMIN_POLICY).expect("admin policy parses");
    policies.push(NamedPolicy::new("UserAdmin", admin));
    policies
}

fn context() -> Context {
    let mut context = Context::new();
    context
        .insert("aws:username", "bob")
        .insert("aws:userid", "AIDAEXAMPLE")
        .insert("aws:PrincipalArn", "arn:aws:iam::123456789012:user/bob")
        .insert("aws:PrincipalType", "User")
        .insert("aws:PrincipalTag/team", "blue")
        .insert("aws:SourceIp", "203.0.113.10")
        .insert("aws:CurrentTime", "2025-06-01T12:00:00Z")
        .insert("aws:EpochTime", "1748779200")
        .insert_bool("aws:SecureTransport", true)
        .insert_bool("aws:MultiFactorAuthPresent", true)
        .insert("aws:MultiFactorAuthAge", "120")
        .insert("aws:RequestedRegion", "us-east-1");
    context
}

fn bench_decision(criterion: &mut Criterion, name: &str, statement_count: usize) {
    let identity = policies(statement_count);
    let principal =
        PrincipalInfo::from_arn("arn:aws:iam::123456789012:user/bob").expect("principal");
    let context = context();
    let inputs = PolicyInputs {
        identity: &identity,
        ..PolicyInputs::default()
    };
    let request = EvaluationRequest {
        principal: &principal,
        action: "iam:CreateUser",
        resource: "arn:aws:iam::123456789012:user/alice",
        resource_account: None,
        context: &context,
    };
    assert!(evaluate(&inputs, &request).is_allowed());
    criterion.bench_function(name, |bencher| {
        bencher.iter(|| evaluate(black_box(&inputs), black_box(&request)).decision)
    });
}

fn decisions(criterion: &mut Criterion) {
    bench_decision(criterion, "decision/10_policies_50_statements", 52);
    bench_decision(criterion, "decision/1000_statements", 1_002);
}

fn parsing(criterion: &mut Criterion) {
    let text = policy_text(1);
    criterion.bench_function("parse/5_statements", |bencher| {
        bencher.iter(|| Policy::parse(black_box(&text)).is_ok())
    });
    criterion.bench_function("validate/5_statements", |bencher| {
        bencher.iter(|| validate(black_box(&text), PolicyKind::Managed).is_valid())
    });
}

/// One policy of about 120 KB (AWS allows 131,072 characters): `statements` built by
/// `statement(i)`, comma-separated.
fn big_policy(statements: impl Iterator<Item = String>) -> String {
    let body: Vec<String> = statements.collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        body.join(",")
    )
}

/// Four such policies: as many as the work budget admits against 2,048-character ARNs.
const POLICIES: usize = 4;

fn names(prefix: &str, count: usize, length: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let name = format!("{prefix}{i}/");
            format!("{name}{}", "r".repeat(length.saturating_sub(name.len())))
        })
        .collect()
}

fn context_entry(key: &str, values: Vec<String>) -> ContextEntryInput {
    ContextEntryInput {
        context_key_name: Some(key.to_string()),
        context_key_values: Some(values),
        context_key_type: Some("stringList".to_string()),
    }
}

/// The costliest shapes of input the simulator accepts, one page (MaxItems 1,000) each.
fn worst_simulations() -> Vec<(&'static str, SimulateRequest)> {
    let actions = |count: usize| Some((0..count).map(|i| format!("s3:Action{i}")).collect());
    // Wildcard resource patterns against 2,048-character resource ARNs.
    let resource_wildcards = SimulateRequest {
        policy_input_list: Some(
            (0..POLICIES)
                .map(|p| {
                    let patterns: Vec<String> = (0..4_500)
                        .map(|i| format!("\"arn:aws:s3:::*{p}-{i}*q*\""))
                        .collect();
                    big_policy(std::iter::once(format!(
                        r#"{{"Effect":"Allow","Action":"s3:*","Resource":[{}]}}"#,
                        patterns.join(",")
                    )))
                })
                .collect(),
        ),
        action_names: actions(100),
        resource_arns: Some(names("arn:aws:s3:::", 100, 2048)),
        ..SimulateRequest::default()
    };
    // Thousands of statements, every one evaluated for every pair.
    let many_statements = SimulateRequest {
        policy_input_list: Some(
            (0..POLICIES)
                .map(|p| {
                    big_policy((0..1_400).map(|i| {
                        format!(
                            r#"{{"Effect":"Allow","Action":["s3:Action*","ec2:{p}x{i}"],"Resource":"arn:aws:s3:::b{i}*"}}"#
                        )
                    }))
                })
                .collect(),
        ),
        action_names: actions(100),
        resource_arns: Some(names("arn:aws:s3:::b", 100, 40)),
        ..SimulateRequest::default()
    };
    // A condition comparing each of a key's values with thousands of patterns.
    let condition_values = SimulateRequest {
        policy_input_list: Some(
            (0..POLICIES)
                .map(|p| {
                    let patterns: Vec<String> =
                        (0..9_000).map(|i| format!("\"*{p}v{i}*x\"")).collect();
                    big_policy(std::iter::once(format!(
                        r#"{{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{{"ForAnyValue:StringLike":{{"aws:TagKeys":[{}]}}}}}}"#,
                        patterns.join(",")
                    )))
                })
                .collect(),
        ),
        action_names: actions(100),
        resource_arns: Some(names("arn:aws:s3:::", 100, 40)),
        context_entries: Some(vec![context_entry(
            "aws:TagKeys",
            (0..20).map(|i| format!("{i:0>100}")).collect(),
        )]),
        ..SimulateRequest::default()
    };
    // Policy variables replaced by a long context value in every pattern.
    let variables = SimulateRequest {
        policy_input_list: Some(
            (0..POLICIES)
                .map(|p| {
                    let patterns: Vec<String> = (0..2_000)
                        .map(|i| {
                            format!(
                                "\"arn:aws:s3:::{p}-{i}/${{aws:username}}/${{aws:username}}/*\""
                            )
                        })
                        .collect();
                    big_policy(std::iter::once(format!(
                        r#"{{"Effect":"Allow","Action":"s3:*","Resource":[{}]}}"#,
                        patterns.join(",")
                    )))
                })
                .collect(),
        ),
        action_names: actions(100),
        resource_arns: Some(names("arn:aws:s3:::", 100, 200)),
        context_entries: Some(vec![context_entry("aws:username", vec!["u".repeat(150)])]),
        ..SimulateRequest::default()
    };
    // Small policies: a whole page of 1,000 cheap pairs.
    let many_pairs = SimulateRequest {
        policy_input_list: Some(vec![policy_text(1), ADMIN_POLICY.to_string()]),
        action_names: actions(100),
        resource_arns: Some(names("arn:aws:s3:::", 100, 100)),
        context_entries: Some(vec![context_entry("aws:username", vec!["bob".into()])]),
        ..SimulateRequest::default()
    };
    vec![
        ("resource_wildcards", resource_wildcards),
        ("many_statements", many_statements),
        ("condition_values", condition_values),
        ("variables", variables),
        ("many_pairs", many_pairs),
    ]
}

fn simulations(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("simulate_worst");
    group.sample_size(10);
    let page = PageRequest {
        start: 0,
        max_items: 1_000,
    };
    for (name, request) in worst_simulations() {
        let cancelled = AtomicBool::new(false);
        let cost = ferriam_core::policy::simulate::pair_cost(&request);
        // The median of five runs of one pair and of one whole page, printed for the record.
        let median = |page: PageRequest| {
            let mut runs: Vec<std::time::Duration> = (0..5)
                .map(|_| {
                    let started = std::time::Instant::now();
                    black_box(simulate_page(&request, page, &cancelled).expect("accepted"));
                    started.elapsed()
                })
                .collect();
            runs.sort();
            runs[2]
        };
        let one = median(PageRequest {
            start: 0,
            max_items: 1,
        });
        let first = simulate_page(&request, page, &cancelled).expect("accepted");
        let whole = median(page);
        println!(
            "simulate_worst/{name}: pair cost {cost}, one pair {one:?} ({:.2} ns per unit), first page {} results in {whole:?}",
            one.as_nanos() as f64 / cost as f64,
            first.response.evaluation_results.len(),
        );
        group.bench_function(name, |bencher| {
            bencher.iter(|| simulate_page(black_box(&request), page, &cancelled).is_ok())
        });
    }
    group.finish();
}

criterion_group!(benches, decisions, parsing, simulations);
criterion_main!(benches);
