//! SimulateCustomPolicy requests and responses.

use super::*;

fn run(request: &str) -> serde_json::Value {
    let (output, is_error) = run_simulate(request);
    assert!(!is_error, "unexpected error: {output}");
    serde_json::from_str(&output).expect("json output")
}

fn error(request: &str) -> (String, String) {
    let (output, is_error) = run_simulate(request);
    assert!(is_error, "expected an error: {output}");
    let value: serde_json::Value = serde_json::from_str(&output).expect("json");
    (
        value["Error"]["Code"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        value["Error"]["Message"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

const ALLOW_S3: &str = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}"#;

#[test]
fn evaluates_every_action_resource_pair() {
    let output = run(&format!(
        r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:GetObject","s3:PutObject"],"ResourceArns":["arn:aws:s3:::a/x","arn:aws:s3:::b/y"]}}"#
    ));
    let results = output["EvaluationResults"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    assert_eq!(results[0]["EvalActionName"], "s3:GetObject");
    assert_eq!(results[0]["EvalResourceName"], "arn:aws:s3:::a/x");
    assert_eq!(results[0]["EvalDecision"], "allowed");
    assert_eq!(
        results[0]["MatchedStatements"][0]["SourcePolicyId"],
        "PolicyInputList.1"
    );
    assert_eq!(
        results[0]["MatchedStatements"][0]["StartPosition"]["Line"],
        1
    );
    assert_eq!(
        results[0]["MatchedStatements"][0]["StartPosition"]["Column"],
        38
    );
    assert_eq!(results[2]["EvalDecision"], "implicitDeny");
    assert_eq!(
        results[2]["MatchedStatements"].as_array().map(Vec::len),
        Some(0)
    );
    assert_eq!(output["IsTruncated"], false);
}

#[test]
fn resource_arns_default_to_star() {
    let output = run(&format!(
        r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:GetObject"]}}"#
    ));
    assert_eq!(output["EvaluationResults"][0]["EvalResourceName"], "*");
    assert_eq!(output["EvaluationResults"][0]["EvalDecision"], "allowed");
}

#[test]
fn reports_explicit_denies_missing_context_and_boundaries() {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},{\"Sid\":\"NoMfa\",\"Effect\":\"Deny\",\"Action\":\"iam:Delete*\",\"Resource\":\"*\",\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}},{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]}"#;
    let boundary = r#"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"iam:*\",\"s3:*\"],\"Resource\":\"*\"}}"#;
    let output = run(&format!(
        r#"{{"PolicyInputList":["{policy}"],"PermissionsBoundaryPolicyInputList":["{boundary}"],"ActionNames":["iam:DeleteUser","s3:GetObject","iam:GetUser"],
            "ContextEntries":[{{"ContextKeyName":"aws:MultiFactorAuthPresent","ContextKeyValues":["false"],"ContextKeyType":"boolean"}}]}}"#
    ));
    let results = &output["EvaluationResults"];
    assert_eq!(results[0]["EvalDecision"], "explicitDeny");
    assert_eq!(
        results[0]["MatchedStatements"][0]["SourcePolicyId"],
        "PolicyInputList.1"
    );
    assert_eq!(
        results[0]["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"],
        true
    );
    assert_eq!(results[1]["EvalDecision"], "implicitDeny");
    assert_eq!(results[1]["MissingContextValues"][0], "aws:SourceIp");
    assert_eq!(results[2]["EvalDecision"], "allowed");
    let ids: Vec<&str> = results[2]["MatchedStatements"]
        .as_array()
        .map(|statements| {
            statements
                .iter()
                .filter_map(|s| s["SourcePolicyId"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        ids,
        vec!["PolicyInputList.1", "PermissionsBoundaryPolicyInputList.1"]
    );
}

#[test]
fn resource_policies_use_the_caller() {
    let bucket_policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}"#;
    let empty = r#"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"ec2:*\",\"Resource\":\"*\"}}"#;
    let request = |caller: &str| {
        format!(
            r#"{{"PolicyInputList":["{empty}"],"ResourcePolicy":"{bucket_policy}","CallerArn":"{caller}","ActionNames":["s3:GetObject"],"ResourceArns":["arn:aws:s3:::b/k"]}}"#
        )
    };
    let output = run(&request("arn:aws:iam::111122223333:user/alice"));
    assert_eq!(output["EvaluationResults"][0]["EvalDecision"], "allowed");
    assert_eq!(
        output["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyId"],
        "ResourcePolicy"
    );
    assert_eq!(
        output["EvaluationResults"][0]["MatchedStatements"][0]["SourcePolicyType"],
        "resource"
    );
    let output = run(&request("arn:aws:iam::111122223333:user/bob"));
    assert_eq!(
        output["EvaluationResults"][0]["EvalDecision"],
        "implicitDeny"
    );
    let missing_caller = format!(
        r#"{{"PolicyInputList":["{empty}"],"ResourcePolicy":"{bucket_policy}","ActionNames":["s3:GetObject"]}}"#
    );
    assert_eq!(error(&missing_caller).0, "InvalidInput");
}

#[test]
fn malformed_requests_give_aws_errors() {
    assert_eq!(error("not json").0, "InvalidInput");
    assert_eq!(
        error(r#"{"Unknown":1,"PolicyInputList":[],"ActionNames":[]}"#).0,
        "InvalidInput"
    );
    assert_eq!(
        error(r#"{"ActionNames":["s3:GetObject"]}"#),
        (
            "ValidationError".to_string(),
            "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null".to_string()
        )
    );
    assert_eq!(error(r#"{"PolicyInputList":[]}"#).0, "ValidationError");
    assert_eq!(
        error(r#"{"PolicyInputList":["{}"],"ActionNames":["s3:GetObject"]}"#),
        (
            "MalformedPolicyDocument".to_string(),
            "Syntax errors in policy.".to_string()
        )
    );
    let (code, message) = error(&format!(
        r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:GetObject"],"ContextEntries":[{{"ContextKeyName":"k:n","ContextKeyValues":["1"],"ContextKeyType":"integer"}}]}}"#
    ));
    assert_eq!(code, "ValidationError");
    assert!(
        message.contains("contextEntries.1.member.contextKeyType"),
        "{message}"
    );
    let (code, _) = error(&format!(
        r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:GetObject"],"ContextEntries":[{{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["nope"],"ContextKeyType":"ip"}}]}}"#
    ));
    assert_eq!(code, "InvalidInput");
    assert_eq!(
        error(&format!(
            r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:*"]}}"#
        ))
        .0,
        "InvalidInput"
    );
}

#[test]
fn lines_mode_answers_each_line() {
    let good = format!(r#"{{"PolicyInputList":["{ALLOW_S3}"],"ActionNames":["s3:GetObject"]}}"#);
    let (output, any_error) = run_simulate_lines(&format!("{good}\n\n{good}\n"));
    assert!(!any_error);
    assert_eq!(output.lines().count(), 2);
    let (output, any_error) = run_simulate_lines(&format!("{good}\nnot json\n"));
    assert!(any_error);
    assert!(output
        .lines()
        .nth(1)
        .is_some_and(|line| line.starts_with(r#"{"Error":"#)));
}

#[test]
fn typed_context_values_are_used() {
    let policy = r#"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\",\"Condition\":{\"NumericLessThanEquals\":{\"s3:max-keys\":\"10\"},\"DateLessThan\":{\"aws:CurrentTime\":\"2030-01-01T00:00:00Z\"}}}}"#;
    let request = |keys: &str| {
        format!(
            r#"{{"PolicyInputList":["{policy}"],"ActionNames":["s3:ListBucket"],"ContextEntries":[{{"ContextKeyName":"s3:max-keys","ContextKeyValues":["{keys}"],"ContextKeyType":"numeric"}},{{"ContextKeyName":"aws:CurrentTime","ContextKeyValues":["2024-05-01T00:00:00Z"],"ContextKeyType":"date"}}]}}"#
        )
    };
    assert_eq!(
        run(&request("5"))["EvaluationResults"][0]["EvalDecision"],
        "allowed"
    );
    assert_eq!(
        run(&request("50"))["EvaluationResults"][0]["EvalDecision"],
        "implicitDeny"
    );
}
