//! Tests for the decision rules: explicit deny, root, identity policies,
//! same-account resource policies, boundaries, session policies, trust
//! policies, NotPrincipal and variables.

use super::*;
use crate::policy::decision::{Decision, DecisionReason, PolicyCategory};

const ACCOUNT: &str = "111122223333";
const USER: &str = "arn:aws:iam::111122223333:user/alice";
const ROLE: &str = "arn:aws:iam::111122223333:role/admin";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/admin/s1";
const BUCKET_OBJECT: &str = "arn:aws:s3:::bucket/report.txt";

fn policy(id: &str, statements: &str) -> NamedPolicy {
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#);
    NamedPolicy::new(id, Policy::parse(&text).expect("valid policy"))
}

fn allow(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Allow","Action":"{action}","Resource":"{resource}"}}"#)
}

fn deny(action: &str, resource: &str) -> String {
    format!(r#"{{"Effect":"Deny","Action":"{action}","Resource":"{resource}"}}"#)
}

fn resource_allow(principal: &str) -> String {
    format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}}"#
    )
}

struct Case<'a> {
    principal: PrincipalInfo,
    identity: Vec<NamedPolicy>,
    boundary: Vec<NamedPolicy>,
    session: Vec<NamedPolicy>,
    resource: Option<(NamedPolicy, ResourcePolicyKind)>,
    action: &'a str,
    resource_arn: &'a str,
    resource_account: Option<&'a str>,
    context: Context,
}

impl<'a> Case<'a> {
    fn new(principal_arn: &str, action: &'a str, resource_arn: &'a str) -> Self {
        Case {
            principal: PrincipalInfo::from_arn(principal_arn).expect("principal"),
            identity: Vec::new(),
            boundary: Vec::new(),
            session: Vec::new(),
            resource: None,
            action,
            resource_arn,
            resource_account: None,
            context: Context::new(),
        }
    }

    fn identity(mut self, statements: &str) -> Self {
        let id = format!("identity{}", self.identity.len() + 1);
        self.identity.push(policy(&id, statements));
        self
    }

    fn boundary(mut self, statements: &str) -> Self {
        self.boundary.push(policy("boundary", statements));
        self
    }

    fn session(mut self, statements: &str) -> Self {
        self.session.push(policy("session", statements));
        self
    }

    fn resource(mut self, statements: &str) -> Self {
        self.resource = Some((policy("resource", statements), ResourcePolicyKind::Resource));
        self
    }

    fn trust(mut self, statements: &str) -> Self {
        self.resource = Some((policy("trust", statements), ResourcePolicyKind::RoleTrust));
        self
    }

    fn run(&self) -> (Decision, DecisionReason) {
        let response = self.response();
        (response.decision, response.reason)
    }

    fn response(&self) -> crate::policy::decision::Response<'_> {
        let inputs = PolicyInputs {
            identity: &self.identity,
            permissions_boundary: &self.boundary,
            session: &self.session,
            resource: self
                .resource
                .as_ref()
                .map(|(policy, kind)| ResourcePolicyInput {
                    policy,
                    kind: *kind,
                }),
        };
        let request = EvaluationRequest {
            principal: &self.principal,
            action: self.action,
            resource: self.resource_arn,
            resource_account: self.resource_account,
            context: &self.context,
        };
        evaluate(&inputs, &request)
    }
}

use Decision::*;

#[test]
fn implicit_deny_without_policies() {
    let case = Case::new(USER, "iam:CreateUser", "arn:aws:iam::111122223333:user/bob");
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Identity)
        )
    );
    assert!(case.response().matched.is_empty());
}

#[test]
fn identity_allow_and_explicit_deny_win() {
    let target = "arn:aws:iam::111122223333:user/bob";
    let allowed = Case::new(USER, "iam:CreateUser", target).identity(&allow("iam:Create*", "*"));
    assert_eq!(allowed.run(), (Allowed, DecisionReason::IdentityAllow));
    let denied = Case::new(USER, "iam:CreateUser", target)
        .identity(&allow("iam:*", "*"))
        .identity(&deny("iam:CreateUser", "arn:aws:iam::111122223333:user/*"));
    assert_eq!(
        denied.run(),
        (
            ExplicitDeny,
            DecisionReason::ExplicitDeny(PolicyCategory::Identity)
        )
    );
    let response = denied.response();
    assert_eq!(response.matched.len(), 1);
    assert_eq!(response.matched[0].policy_id, "identity2");
    assert_eq!(response.matched[0].statement_index, 0);
    assert_eq!(
        response.access_denied_message(USER, "iam:CreateUser", target).as_deref(),
        Some("User: arn:aws:iam::111122223333:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob with an explicit deny in an identity-based policy")
    );
}

#[test]
fn actions_ignore_case_resources_do_not() {
    let case = Case::new(USER, "IAM:createuser", "arn:aws:iam::111122223333:user/Bob").identity(
        &allow("iam:CreateUser", "arn:aws:iam::111122223333:user/Bob"),
    );
    assert_eq!(case.run().0, Allowed);
    let case = Case::new(USER, "iam:CreateUser", "arn:aws:iam::111122223333:user/bob").identity(
        &allow("iam:CreateUser", "arn:aws:iam::111122223333:user/Bob"),
    );
    assert_eq!(case.run().0, ImplicitDeny);
}

#[test]
fn not_action_and_not_resource() {
    let statement =
        r#"{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}"#;
    let table: &[(&str, &str, Decision)] = &[
        ("s3:GetObject", "arn:aws:s3:::public/a", Allowed),
        ("s3:GetObject", "arn:aws:s3:::secret/a", ImplicitDeny),
        ("iam:CreateUser", "arn:aws:s3:::public/a", ImplicitDeny),
    ];
    for (action, resource, expected) in table {
        let case = Case::new(USER, action, resource).identity(statement);
        assert_eq!(case.run().0, *expected, "{action} {resource}");
    }
}

#[test]
fn root_is_allowed_unless_explicitly_denied() {
    let root = "arn:aws:iam::111122223333:root";
    assert_eq!(
        Case::new(root, "iam:CreateUser", "*").run(),
        (Allowed, DecisionReason::RootUser)
    );
    let denied = Case::new(root, "s3:GetObject", BUCKET_OBJECT).resource(
        r#"{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}"#,
    );
    assert_eq!(
        denied.run(),
        (
            ExplicitDeny,
            DecisionReason::ExplicitDeny(PolicyCategory::ResourceBased)
        )
    );
}

#[test]
fn permissions_boundary_must_also_allow() {
    let case = Case::new(USER, "iam:CreateUser", "*")
        .identity(&allow("iam:*", "*"))
        .boundary(&allow("s3:*", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::PermissionsBoundary)
        )
    );
    assert_eq!(
        case.response().denial_reason("iam:CreateUser").as_deref(),
        Some("because no permissions boundary allows the iam:CreateUser action")
    );
    let case = Case::new(USER, "iam:CreateUser", "*")
        .identity(&allow("iam:*", "*"))
        .boundary(&allow("iam:Create*", "*"));
    assert_eq!(case.run().0, Allowed);
    // A boundary alone grants nothing.
    let case = Case::new(USER, "iam:CreateUser", "*").boundary(&allow("*", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Identity)
        )
    );
    let case = Case::new(USER, "iam:CreateUser", "*")
        .identity(&allow("iam:*", "*"))
        .boundary(&format!(
            "{},{}",
            allow("*", "*"),
            deny("iam:CreateUser", "*")
        ));
    assert_eq!(
        case.run(),
        (
            ExplicitDeny,
            DecisionReason::ExplicitDeny(PolicyCategory::PermissionsBoundary)
        )
    );
}

#[test]
fn session_policies_must_also_allow() {
    let case = Case::new(SESSION, "s3:GetObject", BUCKET_OBJECT)
        .identity(&allow("s3:*", "*"))
        .session(&allow("s3:PutObject", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Session)
        )
    );
    let case = Case::new(SESSION, "s3:GetObject", BUCKET_OBJECT)
        .identity(&allow("s3:*", "*"))
        .session(&allow("s3:Get*", "*"));
    assert_eq!(case.run().0, Allowed);
    // A role session without session policy has its role's permissions.
    let case = Case::new(SESSION, "s3:GetObject", BUCKET_OBJECT).identity(&allow("s3:*", "*"));
    assert_eq!(case.run().0, Allowed);
    // A federated-user session without a session policy gets nothing.
    let federated = "arn:aws:sts::111122223333:federated-user/carol";
    let case = Case::new(federated, "s3:GetObject", BUCKET_OBJECT).identity(&allow("s3:*", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Session)
        )
    );
}

/// The IAM guide's table: resource-based policies and implicit denies in other
/// policy types, within one account.
#[test]
fn same_account_resource_policy_rules() {
    let action = "s3:GetObject";
    // IAM user named directly: not limited by identity policies or a boundary.
    let case = Case::new(USER, action, BUCKET_OBJECT)
        .resource(&resource_allow(USER))
        .boundary(&allow("iam:*", "*"));
    assert_eq!(case.run(), (Allowed, DecisionReason::ResourceAllow));
    // Role session named directly: not limited by boundary or session policy.
    let case = Case::new(SESSION, action, BUCKET_OBJECT)
        .resource(&resource_allow(SESSION))
        .boundary(&allow("iam:*", "*"))
        .session(&allow("iam:*", "*"));
    assert_eq!(case.run().0, Allowed);
    // Role ARN named: no identity policy needed, but limited by a boundary...
    let case = Case::new(SESSION, action, BUCKET_OBJECT).resource(&resource_allow(ROLE));
    assert_eq!(case.run().0, Allowed);
    let case = Case::new(SESSION, action, BUCKET_OBJECT)
        .resource(&resource_allow(ROLE))
        .boundary(&allow("iam:*", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::PermissionsBoundary)
        )
    );
    // ...and by a session policy.
    let case = Case::new(SESSION, action, BUCKET_OBJECT)
        .resource(&resource_allow(ROLE))
        .session(&allow("iam:*", "*"));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Session)
        )
    );
    // The account named: delegation only; identity policies must allow.
    let case = Case::new(USER, action, BUCKET_OBJECT).resource(&resource_allow(ACCOUNT));
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Identity)
        )
    );
    let case = Case::new(USER, action, BUCKET_OBJECT)
        .resource(&resource_allow("arn:aws:iam::111122223333:root"))
        .identity(&allow("s3:GetObject", "*"));
    assert_eq!(case.run().0, Allowed);
    // Another principal named: nothing granted.
    let case = Case::new(USER, action, BUCKET_OBJECT)
        .resource(&resource_allow("arn:aws:iam::111122223333:user/bob"));
    assert_eq!(case.run().0, ImplicitDeny);
    // An explicit deny in the resource policy wins over identity allows.
    let case = Case::new(USER, action, BUCKET_OBJECT).identity(&allow("s3:*", "*")).resource(&format!(
        r#"{{"Effect":"Deny","Principal":{{"AWS":"{USER}"}},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}}"#
    ));
    assert_eq!(
        case.run(),
        (
            ExplicitDeny,
            DecisionReason::ExplicitDeny(PolicyCategory::ResourceBased)
        )
    );
}

#[test]
fn resource_policy_statements_without_principal_apply_to_nobody() {
    let case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT).resource(
        r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"#,
    );
    assert_eq!(case.run().0, ImplicitDeny);
}

#[test]
fn cross_account_needs_both_sides() {
    let other_bucket_account = Some("444455556666");
    let mut case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT).resource(&resource_allow(USER));
    case.resource_account = other_bucket_account;
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Identity)
        )
    );
    let mut case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT)
        .resource(&resource_allow(ACCOUNT))
        .identity(&allow("s3:*", "*"));
    case.resource_account = other_bucket_account;
    assert_eq!(case.run().0, Allowed);
    let mut case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT).identity(&allow("s3:*", "*"));
    case.resource_account = other_bucket_account;
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::ResourceBased)
        )
    );
}

#[test]
fn trust_policies_must_allow_assume_role() {
    let trust_user =
        format!(r#"{{"Effect":"Allow","Principal":{{"AWS":"{USER}"}},"Action":"sts:AssumeRole"}}"#);
    let case = Case::new(USER, "sts:AssumeRole", ROLE).trust(&trust_user);
    assert_eq!(case.run().0, Allowed);
    // Identity policies alone cannot assume a role.
    let case = Case::new(USER, "sts:AssumeRole", ROLE)
        .identity(&allow("sts:AssumeRole", "*"))
        .trust(r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#);
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::RoleTrust)
        )
    );
    // Trusting the account delegates to identity policies.
    let trust_account = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#;
    let case = Case::new(USER, "sts:AssumeRole", ROLE).trust(trust_account);
    assert_eq!(
        case.run(),
        (
            ImplicitDeny,
            DecisionReason::NoAllow(PolicyCategory::Identity)
        )
    );
    let case = Case::new(USER, "sts:AssumeRole", ROLE)
        .trust(trust_account)
        .identity(&allow("sts:AssumeRole", ROLE));
    assert_eq!(case.run().0, Allowed);
    let case = Case::new(USER, "sts:AssumeRole", ROLE).trust(&format!(
        r#"{trust_user},{{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"false"}}}}}}"#
    ));
    assert_eq!(
        case.run().0,
        Allowed,
        "the deny's condition key is missing, so Bool is false"
    );
    let mut case = case;
    case.context
        .insert_bool("aws:MultiFactorAuthPresent", false);
    assert_eq!(
        case.run(),
        (
            ExplicitDeny,
            DecisionReason::ExplicitDeny(PolicyCategory::RoleTrust)
        )
    );
}

#[test]
fn root_cannot_assume_roles() {
    // IAM guide: "You cannot switch roles when you sign in as the AWS account
    // root user"; STS answers "Roles may not be assumed by root accounts."
    let root = "arn:aws:iam::111122223333:root";
    for trusted in [r#""*""#, r#"{"AWS":"111122223333"}"#] {
        let case = Case::new(root, "sts:AssumeRole", ROLE).trust(&format!(
            r#"{{"Effect":"Allow","Principal":{trusted},"Action":"sts:AssumeRole"}}"#
        ));
        assert_eq!(
            case.run(),
            (ImplicitDeny, DecisionReason::RootCannotAssumeRole),
            "{trusted}"
        );
        assert_eq!(
            case.response()
                .access_denied_message(root, "sts:AssumeRole", ROLE)
                .as_deref(),
            Some("Roles may not be assumed by root accounts.")
        );
    }
}

#[test]
fn not_principal_in_resource_policies() {
    let deny_others = format!(
        r#"{{"Effect":"Deny","NotPrincipal":{{"AWS":["{USER}","arn:aws:iam::111122223333:root"]}},"Action":"s3:*","Resource":"arn:aws:s3:::bucket/*"}}"#
    );
    let case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT)
        .identity(&allow("s3:*", "*"))
        .resource(&deny_others);
    assert_eq!(case.run().0, Allowed, "alice is exempt");
    let bob = "arn:aws:iam::111122223333:user/bob";
    let case = Case::new(bob, "s3:GetObject", BUCKET_OBJECT)
        .identity(&allow("s3:*", "*"))
        .resource(&deny_others);
    assert_eq!(case.run().0, ExplicitDeny);
    // Documented quirk: with a permissions boundary, Deny+NotPrincipal always denies.
    let case = Case::new(USER, "s3:GetObject", BUCKET_OBJECT)
        .identity(&allow("s3:*", "*"))
        .boundary(&allow("s3:*", "*"))
        .resource(&deny_others);
    assert_eq!(case.run().0, ExplicitDeny);
}

#[test]
fn variables_in_resources_and_missing_keys() {
    let statement = allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*");
    let mut case =
        Case::new(USER, "s3:GetObject", "arn:aws:s3:::home/alice/notes.txt").identity(&statement);
    assert_eq!(case.run().0, ImplicitDeny);
    assert_eq!(case.response().missing_context_keys, vec!["aws:username"]);
    case.context.insert("aws:username", "alice");
    assert_eq!(case.run().0, Allowed);
    assert!(case.response().missing_context_keys.is_empty());
    case.context.insert("aws:username", "bob");
    assert_eq!(case.run().0, ImplicitDeny);
    // Version 2008-10-17 (or none): variables are literal text.
    let old = NamedPolicy::new(
        "old",
        Policy::parse(r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#)
            .expect("valid"),
    );
    let mut literal = Case::new(USER, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x");
    literal.identity.push(old);
    literal.context.insert("aws:username", "alice");
    assert_eq!(literal.run().0, Allowed);
}

#[test]
fn principal_tag_variables_with_defaults() {
    let statement = r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::team-${aws:PrincipalTag/team, 'none'}/*"}"#;
    let mut case = Case::new(USER, "s3:GetObject", "arn:aws:s3:::team-none/x").identity(statement);
    assert_eq!(case.run().0, Allowed);
    case.context.insert("aws:PrincipalTag/team", "blue");
    assert_eq!(case.run().0, ImplicitDeny);
}

#[test]
fn matched_statements_carry_positions_and_sids() {
    let case = Case::new(USER, "iam:GetUser", "*")
        .identity(r#"{"Sid":"ReadIam","Effect":"Allow","Action":"iam:Get*","Resource":"*"}"#);
    let response = case.response();
    assert_eq!(response.matched.len(), 1);
    let matched = &response.matched[0];
    assert_eq!(matched.sid, Some("ReadIam"));
    assert_eq!(matched.category, PolicyCategory::Identity);
    assert_eq!(matched.start.map(|p| (p.line, p.column)), Some((1, 38)));
}

#[test]
fn conditions_gate_statements() {
    let statement = r#"{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#;
    let mut case = Case::new(USER, "iam:CreateUser", "*").identity(statement);
    assert_eq!(case.run().0, ImplicitDeny);
    case.context
        .insert_bool("aws:MultiFactorAuthPresent", true)
        .insert("aws:SourceIp", "203.0.113.7");
    assert_eq!(case.run().0, Allowed);
    case.context.insert("aws:SourceIp", "198.51.100.7");
    assert_eq!(case.run().0, ImplicitDeny);
}

#[test]
fn missing_keys_from_conditions_are_reported() {
    let statement = r#"{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}"#;
    let case = Case::new(USER, "iam:CreateUser", "*").identity(statement);
    assert_eq!(
        case.response().missing_context_keys,
        vec!["aws:MultiFactorAuthPresent", "aws:SourceIp"]
    );
}
