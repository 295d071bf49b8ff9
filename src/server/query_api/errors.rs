//! The Query API's errors: AWS's code, HTTP status, `Sender`/`Receiver` and message, and the
//! one mapping from the service layer's `ServiceError`. Internal detail goes to the log only.

use axum::http::StatusCode;

use super::sigv4::{SigError, SIGNATURE_MISMATCH};
use crate::server::service::ServiceError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// `Receiver` (our fault) rather than `Sender` (the caller's).
    pub receiver: bool,
}

impl ApiError {
    pub fn sender(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_string(),
            message: message.into(),
            receiver: false,
        }
    }

    pub fn missing_authentication_token() -> Self {
        Self::sender(
            StatusCode::FORBIDDEN,
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
        )
    }

    pub fn invalid_client_token_id() -> Self {
        Self::sender(
            StatusCode::FORBIDDEN,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    }

    pub fn expired_token() -> Self {
        Self::sender(
            StatusCode::FORBIDDEN,
            "ExpiredToken",
            "The security token included in the request is expired",
        )
    }

    pub fn signature_does_not_match(message: impl Into<String>) -> Self {
        Self::sender(StatusCode::FORBIDDEN, "SignatureDoesNotMatch", message)
    }

    /// AWS's answer when a caller is throttled (HTTP 400, `Throttling`).
    pub fn throttling() -> Self {
        Self::sender(StatusCode::BAD_REQUEST, "Throttling", "Rate exceeded")
    }

    pub fn invalid_action(action: &str, version: &str) -> Self {
        Self::sender(
            StatusCode::BAD_REQUEST,
            "InvalidAction",
            format!("Could not find operation {action} for version {version}"),
        )
    }

    /// A required parameter is absent, in AWS's validation grammar (`userName`).
    pub fn missing_parameter(name: &str) -> Self {
        Self::validation(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            camel(name)
        ))
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::sender(StatusCode::BAD_REQUEST, "ValidationError", message)
    }

    pub fn internal() -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "ServiceFailure".to_string(),
            message: "The request processing has failed because of an unknown error, exception or failure.".to_string(),
            receiver: true,
        }
    }
}

/// AWS names parameters in messages in camelCase: `UserName` is `userName`.
pub fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

impl From<SigError> for ApiError {
    fn from(error: SigError) -> Self {
        match error {
            SigError::Missing => ApiError::missing_authentication_token(),
            SigError::Incomplete(message) => {
                ApiError::sender(StatusCode::BAD_REQUEST, "IncompleteSignature", message)
            }
            SigError::Mismatch(message) => ApiError::signature_does_not_match(message),
        }
    }
}

impl ApiError {
    /// The plain mismatch answer, for every failure that must not say more.
    pub fn bad_signature() -> Self {
        ApiError::signature_does_not_match(SIGNATURE_MISMATCH)
    }
}

/// A door's parse of a request's parameters into the service's validated inputs.
impl From<crate::domain::Invalid> for ApiError {
    fn from(invalid: crate::domain::Invalid) -> Self {
        ServiceError::Validation(invalid).into()
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> Self {
        match &error {
            // Console-only outcomes; an API caller is always authenticated by its key.
            ServiceError::SignInFailed | ServiceError::SignUpClosed | ServiceError::NotSignedIn => {
                ApiError::invalid_client_token_id()
            }
            ServiceError::Internal(detail) => {
                tracing::error!(detail = %detail.report(), "Query API request failed");
                ApiError::internal()
            }
            _ => ApiError::sender(error.status(), error.code(), error.public_message()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_map_to_aws_statuses() {
        let cases = [
            (ServiceError::NoSuchEntity("x".into()), 404, "NoSuchEntity"),
            (
                ServiceError::LimitExceeded("x".into()),
                409,
                "LimitExceeded",
            ),
            (
                ServiceError::DeleteConflict("x".into()),
                409,
                "DeleteConflict",
            ),
            (
                ServiceError::already_exists("UserName", "x"),
                409,
                "EntityAlreadyExists",
            ),
            (ServiceError::AccessDenied("x".into()), 403, "AccessDenied"),
            (ServiceError::InvalidInput("x".into()), 400, "InvalidInput"),
        ];
        for (error, status, code) in cases {
            let api = ApiError::from(error);
            assert_eq!(api.status.as_u16(), status);
            assert_eq!(api.code, code);
            assert!(!api.receiver);
        }
        let internal = ApiError::from(ServiceError::internal("disk full at /secret"));
        assert_eq!(internal.status.as_u16(), 500);
        assert_eq!(internal.code, "ServiceFailure");
        assert!(internal.receiver);
        assert!(!internal.message.contains("secret"));
    }

    #[test]
    fn parameter_names_are_camel_case() {
        assert_eq!(
            ApiError::missing_parameter("UserName").message,
            "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null"
        );
    }
}
