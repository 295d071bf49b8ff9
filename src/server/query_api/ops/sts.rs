//! STS: GetCallerIdentity, GetSessionToken and AssumeRole.

use super::{result, Cx, Reply};
use crate::server::query_api::xml::Xml;
use crate::server::service::sts::{self, AssumeRole, Credentials};

/// Who signed the request. Always allowed, as in AWS: it needs no permission.
pub async fn get_caller_identity(cx: &Cx<'_>) -> Reply {
    let identity = sts::get_caller_identity(cx.iam, cx.caller).await?;
    result(|x| {
        x.text("UserId", &identity.user_id)
            .text("Account", &identity.account)
            .text("Arn", &identity.arn);
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
    let input = AssumeRole {
        role_arn: cx.params.required("RoleArn")?.to_string(),
        role_session_name: cx.params.required("RoleSessionName")?.to_string(),
        duration_seconds: cx.params.int("DurationSeconds")?,
        policy: cx.params.string("Policy"),
        serial_number: cx.params.string("SerialNumber"),
        token_code: cx.params.string("TokenCode"),
    };
    let (credentials, user) = sts::assume_role(cx.iam, cx.caller, input).await?;
    result(|x| {
        credentials_xml(x, &credentials);
        x.nested("AssumedRoleUser", |x| {
            x.text("AssumedRoleId", &user.assumed_role_id)
                .text("Arn", &user.arn);
        });
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
