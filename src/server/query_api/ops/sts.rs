//! STS: GetCallerIdentity, GetSessionToken, AssumeRole, AssumeRoleWithWebIdentity,
//! AssumeRoleWithSAML and GetFederationToken.

use super::{result, Cx, Reply};
use crate::server::query_api::input::Input;
use crate::server::query_api::xml::Xml;
use crate::server::service::federation::federation_token::{self, GetFederationToken};
use crate::server::service::federation::saml::assume_role::{
    self as saml_role, AssumeRoleWithSaml,
};
use crate::server::service::federation::web_identity::{self, AssumeRoleWithWebIdentity};
use crate::server::service::sts::{self, AssumeRole, Credentials};
use crate::server::service::{Iam, RequestInfo};

/// Who signed the request. Always allowed, as in AWS: it needs no permission.
pub async fn get_caller_identity(cx: &Cx<'_>) -> Reply {
    let identity = sts::get_caller_identity(cx.iam, cx.caller).await?;
    result(|x| {
        x.text("UserId", &identity.user_id)
            .text("Account", &identity.account)
            .text("Arn", &identity.arn);
    })
}

/// Which account an access key (long-term or temporary) belongs to.
pub async fn get_access_key_info(cx: &Cx<'_>) -> Reply {
    let account =
        sts::get_access_key_info(cx.iam, cx.caller, cx.params.required("AccessKeyId")?).await?;
    result(|x| {
        x.text("Account", &account);
    })
}

pub async fn get_session_token(cx: &Cx<'_>) -> Reply {
    let credentials = sts::get_session_token(
        cx.iam,
        cx.caller,
        cx.params.int("DurationSeconds")?,
        cx.params.get("SerialNumber"),
        cx.params.get("TokenCode"),
    )
    .await?;
    result(|x| credentials_xml(x, &credentials))
}

pub async fn assume_role(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = AssumeRole {
        role_arn: p.required("RoleArn")?.to_string(),
        role_session_name: p.required("RoleSessionName")?.to_string(),
        duration_seconds: p.int("DurationSeconds")?,
        policy: p.string("Policy"),
        policy_arns: policy_arns(p),
        external_id: p.string("ExternalId"),
        serial_number: p.string("SerialNumber"),
        token_code: p.string("TokenCode"),
        tags: p.tags("Tags"),
        transitive_tag_keys: p.list("TransitiveTagKeys"),
        source_identity: p.string("SourceIdentity"),
    };
    // AWS reports how much of the session-policy space the request used when it passed any.
    let packed = (input.policy.is_some() || !input.policy_arns.is_empty())
        .then(|| sts::packed_policy_size(input.policy.as_deref(), &input.policy_arns));
    let source_identity = input.source_identity.clone();
    let (credentials, user) = sts::assume_role(cx.iam, cx.caller, input).await?;
    result(|x| {
        credentials_xml(x, &credentials);
        x.nested("AssumedRoleUser", |x| {
            x.text("AssumedRoleId", &user.assumed_role_id)
                .text("Arn", &user.arn);
        });
        if let Some(packed) = packed {
            x.int("PackedPolicySize", i64::from(packed));
        }
        if let Some(source_identity) = &source_identity {
            x.text("SourceIdentity", source_identity);
        }
    })
}

/// `PolicyArns.member.N.arn` (AWS's PolicyDescriptorType).
fn policy_arns(p: &Input<'_>) -> Vec<String> {
    p.members("PolicyArns")
        .iter()
        .map(|descriptor| descriptor.get("arn").unwrap_or_default().to_string())
        .collect()
}

/// GetFederationToken: a federated user's credentials, for a custom identity broker.
pub async fn get_federation_token(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let input = GetFederationToken {
        name: p.required("Name")?.to_string(),
        policy: p.string("Policy"),
        policy_arns: policy_arns(p),
        duration_seconds: p.int("DurationSeconds")?,
        tags: p.tags("Tags"),
    };
    let packed = (input.policy.is_some() || !input.policy_arns.is_empty())
        .then(|| sts::packed_policy_size(input.policy.as_deref(), &input.policy_arns));
    let federated = federation_token::get_federation_token(cx.iam, cx.caller, input).await?;
    result(|x| {
        credentials_xml(x, &federated.credentials);
        x.nested("FederatedUser", |x| {
            x.text("FederatedUserId", &federated.federated_user_id)
                .text("Arn", &federated.arn);
        });
        if let Some(packed) = packed {
            x.int("PackedPolicySize", i64::from(packed));
        }
    })
}

/// A signed AssumeRoleWithWebIdentity: the signature proves nothing the token does not, so it
/// is served exactly as the unsigned request is.
pub async fn assume_role_with_web_identity(cx: &Cx<'_>) -> Reply {
    web_identity(cx.iam, cx.caller.request.clone(), cx.params).await
}

/// AssumeRoleWithWebIdentity, which AWS accepts unsigned: the ID token is the proof.
pub async fn web_identity(iam: &Iam, request: RequestInfo, p: &Input<'_>) -> Reply {
    let input = AssumeRoleWithWebIdentity {
        role_arn: p.required("RoleArn")?.to_string(),
        role_session_name: p.required("RoleSessionName")?.to_string(),
        web_identity_token: p.required("WebIdentityToken")?.to_string(),
        duration_seconds: p.int("DurationSeconds")?,
        policy: p.string("Policy"),
        policy_arns: policy_arns(p),
        provider_id: p.string("ProviderId"),
    };
    let packed = (input.policy.is_some() || !input.policy_arns.is_empty())
        .then(|| sts::packed_policy_size(input.policy.as_deref(), &input.policy_arns));
    let session = web_identity::assume_role_with_web_identity(iam, request, input).await?;
    result(|x| {
        credentials_xml(x, &session.credentials);
        x.text("SubjectFromWebIdentityToken", &session.subject);
        x.nested("AssumedRoleUser", |x| {
            x.text("AssumedRoleId", &session.assumed_role_user.assumed_role_id)
                .text("Arn", &session.assumed_role_user.arn);
        });
        if let Some(packed) = packed {
            x.int("PackedPolicySize", i64::from(packed));
        }
        x.text("Provider", &session.provider)
            .text("Audience", &session.audience);
    })
}

/// A signed AssumeRoleWithSAML: served exactly as the unsigned request is (the response is the
/// proof).
pub async fn assume_role_with_saml(cx: &Cx<'_>) -> Reply {
    saml(cx.iam, cx.caller.request.clone(), cx.params).await
}

/// AssumeRoleWithSAML, which AWS accepts unsigned: the identity provider's signed response is
/// the proof.
pub async fn saml(iam: &Iam, request: RequestInfo, p: &Input<'_>) -> Reply {
    let input = AssumeRoleWithSaml {
        role_arn: p.required("RoleArn")?.to_string(),
        principal_arn: p.required("PrincipalArn")?.to_string(),
        saml_assertion: p.required("SAMLAssertion")?.to_string(),
        duration_seconds: p.int("DurationSeconds")?,
        policy: p.string("Policy"),
        policy_arns: policy_arns(p),
    };
    let packed = (input.policy.is_some() || !input.policy_arns.is_empty())
        .then(|| sts::packed_policy_size(input.policy.as_deref(), &input.policy_arns));
    let session = saml_role::assume_role_with_saml(iam, request, input).await?;
    result(|x| {
        credentials_xml(x, &session.credentials);
        x.nested("AssumedRoleUser", |x| {
            x.text("AssumedRoleId", &session.assumed_role_user.assumed_role_id)
                .text("Arn", &session.assumed_role_user.arn);
        });
        if let Some(packed) = packed {
            x.int("PackedPolicySize", i64::from(packed));
        }
        x.text("Subject", &session.subject)
            .text("SubjectType", &session.subject_type)
            .text("Issuer", &session.issuer)
            .text("Audience", &session.audience)
            .text("NameQualifier", &session.name_qualifier);
        if let Some(source_identity) = &session.source_identity {
            x.text("SourceIdentity", source_identity);
        }
    })
}

/// SECURITY: the secret and the session token are returned exactly once, here.
fn credentials_xml(x: &mut Xml, credentials: &Credentials) {
    x.nested("Credentials", |x| {
        x.text("AccessKeyId", &credentials.access_key_id)
            .text("SecretAccessKey", &credentials.secret_access_key)
            .text("SessionToken", &credentials.session_token)
            .date("Expiration", credentials.expiration);
    });
}
