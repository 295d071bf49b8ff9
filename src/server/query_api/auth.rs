//! Who signed the request: the SigV4 signature checked against the key's secret, the key's
//! principal as the caller, and the key's use recorded. Temporary credentials (`ASIA…`, from
//! STS) also present their session token and act as the session recorded with them.

use super::errors::ApiError;
use super::sigv4::{self, SignedRequest};
use super::Service;
use crate::domain::iam_names::check_access_key_id;
use crate::domain::PrincipalKind;
use crate::server::service::credentials::api_keys;
use crate::server::service::entities::roles;
use crate::server::service::sts::{self, TemporaryKeyError};
use crate::server::service::{Caller, Iam, RequestInfo};

pub struct Authenticated {
    pub service: Service,
    pub caller: Caller,
}

pub async fn authenticate(
    iam: &Iam,
    request: &SignedRequest<'_>,
    info: RequestInfo,
) -> Result<Authenticated, ApiError> {
    let auth = sigv4::parse(request)?;
    let scope = &auth.credential;
    let service = Service::from_scope(&scope.service).ok_or_else(|| {
        ApiError::signature_does_not_match(format!(
            "Credential should be scoped to correct service: 'iam' or 'sts', not '{}'.",
            scope.service.chars().take(32).collect::<String>()
        ))
    })?;
    sigv4::check_time(&auth, iam.clock().now_seconds() as i64)?;
    // SECURITY: a key ID no key could have (a NUL from a presigned URL's `%00`, say) is refused
    // as unknown without a lookup, on every backend alike.
    if check_access_key_id(&scope.access_key_id).is_err() {
        return Err(ApiError::invalid_client_token_id());
    }
    if scope.access_key_id.starts_with("ASIA") {
        let key = match sts::temporary_key(
            iam,
            &scope.access_key_id,
            request.security_token().as_deref(),
        )
        .await?
        {
            Ok(key) => key,
            Err(TemporaryKeyError::Invalid) => return Err(ApiError::invalid_client_token_id()),
            Err(TemporaryKeyError::Expired) => return Err(ApiError::expired_token()),
        };
        sigv4::verify(request, &auth, &key.secret)?;
        if let PrincipalKind::AssumedRole { role_id, .. } = &key.caller.principal.kind {
            if let Err(error) = roles::record_role_use(iam, role_id, &scope.region).await {
                tracing::warn!(error = %error, "role use not recorded");
            }
        }
        let mut caller = key.caller;
        caller.request = RequestInfo {
            access_key_id: caller.request.access_key_id.take(),
            mfa_authenticated_at: caller.request.mfa_authenticated_at,
            token_issued_at: caller.request.token_issued_at,
            ..info
        };
        return Ok(Authenticated { service, caller });
    }
    // A long-term key has no session token; AWS refuses one sent with it.
    if request.security_token().is_some() {
        return Err(ApiError::invalid_client_token_id());
    }
    let identity = api_keys::signing_identity(iam, &scope.access_key_id)
        .await?
        .ok_or_else(ApiError::invalid_client_token_id)?;
    // SECURITY: a wrong signature says only that it is wrong; the secret and both signatures
    // stay out of the answer and the log.
    sigv4::verify(request, &auth, &identity.secret)?;
    if let Err(error) = api_keys::record_key_use(
        iam,
        &scope.access_key_id,
        service.scope_name(),
        &scope.region,
    )
    .await
    {
        tracing::warn!(error = %error, "access key use not recorded");
    }
    Ok(Authenticated {
        service,
        caller: Caller::new(
            identity.principal.clone(),
            RequestInfo {
                access_key_id: Some(scope.access_key_id.clone()),
                ..info
            },
        ),
    })
}
