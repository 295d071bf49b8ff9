//! Fuzzes the policy engine end to end: arbitrary bytes are parsed, validated
//! as every policy kind, evaluated (with the input also used as the action,
//! resource and context values) and fed to the simulator. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;

use ferriam_core::policy::{
    evaluate, simulate, validate, Context, EvaluationRequest, NamedPolicy, Policy, PolicyInputs,
    PolicyKind, PrincipalInfo, ResourcePolicyInput, ResourcePolicyKind,
};

const KINDS: [PolicyKind; 6] = [
    PolicyKind::Managed,
    PolicyKind::InlineUser,
    PolicyKind::InlineGroup,
    PolicyKind::InlineRole,
    PolicyKind::Trust,
    PolicyKind::Resource,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for kind in KINDS {
        let _ = validate::validate(text, kind);
    }
    let _ = simulate::run_simulate(text);

    let Ok(policy) = Policy::parse(text) else {
        return;
    };
    let _ = policy.document().to_json();
    let named = NamedPolicy::new("fuzz", policy);
    let identity = [named.clone()];
    let principals = [
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:sts::123456789012:assumed-role/admin/session",
        "arn:aws:iam::123456789012:root",
    ];
    // Reuse pieces of the input as request values, so matching sees odd text.
    let fragment: String = text.chars().take(64).collect();
    let mut context = Context::new();
    context
        .insert("aws:username", fragment.clone())
        .insert("aws:SourceIp", "203.0.113.7")
        .insert("aws:CurrentTime", "2024-01-31T12:00:00Z")
        .insert_list("aws:TagKeys", [fragment.clone(), "team".to_string()])
        .insert("aws:PrincipalTag/team", fragment.clone());
    for principal_arn in principals {
        let Some(principal) = PrincipalInfo::from_arn(principal_arn) else {
            continue;
        };
        for (action, resource) in [
            ("iam:CreateUser", "arn:aws:iam::123456789012:user/alice"),
            ("s3:GetObject", "arn:aws:s3:::bucket/key"),
            (fragment.as_str(), fragment.as_str()),
        ] {
            for kind in [ResourcePolicyKind::Resource, ResourcePolicyKind::RoleTrust] {
                let inputs = PolicyInputs {
                    identity: &identity,
                    permissions_boundary: &identity,
                    session: &identity,
                    resource: Some(ResourcePolicyInput { policy: &named, kind }),
                };
                let request = EvaluationRequest {
                    principal: &principal,
                    action,
                    resource,
                    resource_account: None,
                    context: &context,
                };
                let response = evaluate(&inputs, &request);
                let _ = response.access_denied_message(&principal.arn, action, resource);
            }
        }
    }
});
