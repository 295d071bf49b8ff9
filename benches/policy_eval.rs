//! Evaluation speed: one authorization decision for a principal with
//! 10 policies / 50 statements (target p50 <= 2 us) and with 1,000 statements
//! (target <= 50 us), plus parsing and validating a policy.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ferriam::policy::{
    evaluate, validate, Context, EvaluationRequest, NamedPolicy, Policy, PolicyInputs, PolicyKind,
    PrincipalInfo,
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

criterion_group!(benches, decisions, parsing);
criterion_main!(benches);
