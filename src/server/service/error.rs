//! The service layer's error: AWS's error codes, and the mapping from lower layers. Internal
//! failures keep their detail for the log and show the client nothing of it.

use axum::http::StatusCode;

use crate::domain::Invalid;
use crate::server::crypto::CryptoError;
use crate::server::passwords::HashingError;
use crate::server::store::StoreError;

/// The one message every failed sign-in shows, whatever failed.
pub const SIGN_IN_FAILED: &str = "Your authentication information is incorrect.";

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input; names the field.
    #[error("{0}")]
    Validation(Invalid),
    #[error("{message}")]
    EntityAlreadyExists {
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    NoSuchEntity(String),
    #[error("{0}")]
    AccessDenied(String),
    #[error("{0}")]
    DeleteConflict(String),
    #[error("{0}")]
    LimitExceeded(String),
    /// A policy document IAM refuses; `field` is the form field holding it.
    #[error("{message}")]
    MalformedPolicyDocument {
        field: Option<String>,
        message: String,
    },
    #[error("{0}")]
    InvalidInput(String),
    /// A session policy too large for AssumeRole.
    #[error("{0}")]
    PackedPolicyTooLarge(String),
    /// STS's refusals of a web identity token or SAML assertion (`InvalidIdentityToken`,
    /// `ExpiredTokenException`, `IDPRejectedClaim`, `IDPCommunicationError`).
    #[error("{message}")]
    Federation {
        refusal: FederationRefusal,
        message: String,
    },
    /// A wrong, expired or reused MFA code.
    #[error("{message}")]
    InvalidAuthenticationCode {
        field: Option<String>,
        message: String,
    },
    /// SECURITY: one variant, one message, whatever part of sign-in failed.
    #[error("{SIGN_IN_FAILED}")]
    SignInFailed,
    #[error("Sign-up is closed. Ask the operator for an account.")]
    SignUpClosed,
    #[error("You are not signed in.")]
    NotSignedIn,
    /// An operation only an IAM user can perform was called by the root user.
    #[error("The root user cannot change its password with this operation; use the root sign-in settings.")]
    InvalidUserType,
    /// The password is right but expired, and the policy's hard expiry blocks sign-in.
    #[error("Your password has expired. Ask your administrator to reset it.")]
    PasswordExpired,
    /// A password breaks the account password policy; the message names the rule.
    #[error("{message}")]
    PasswordPolicyViolation {
        field: Option<String>,
        message: String,
    },
    /// Detail for the log only: `public_message` says nothing of it.
    #[error("internal error: {}", .0.report())]
    Internal(#[source] InternalError),
}

impl ServiceError {
    /// AWS's error code.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::Validation(invalid) => match invalid.code.as_deref() {
                Some("InvalidInput") => "InvalidInput",
                Some("LimitExceeded") => "LimitExceeded",
                Some("InvalidParameterValue") => "InvalidParameterValue",
                _ => "ValidationError",
            },
            ServiceError::Federation { refusal, .. } => refusal.code(),
            ServiceError::EntityAlreadyExists { .. } => "EntityAlreadyExists",
            ServiceError::NoSuchEntity(_) => "NoSuchEntity",
            ServiceError::AccessDenied(_) => "AccessDenied",
            ServiceError::DeleteConflict(_) => "DeleteConflict",
            ServiceError::LimitExceeded(_) => "LimitExceeded",
            ServiceError::MalformedPolicyDocument { .. } => "MalformedPolicyDocument",
            ServiceError::InvalidInput(_) => "InvalidInput",
            ServiceError::PackedPolicyTooLarge(_) => "PackedPolicyTooLarge",
            ServiceError::InvalidAuthenticationCode { .. } => "InvalidAuthenticationCode",
            ServiceError::SignInFailed => "SignInFailed",
            ServiceError::SignUpClosed => "SignUpClosed",
            ServiceError::NotSignedIn => "NotSignedIn",
            ServiceError::PasswordExpired => "PasswordExpired",
            ServiceError::InvalidUserType => "InvalidUserType",
            ServiceError::PasswordPolicyViolation { .. } => "PasswordPolicyViolation",
            ServiceError::Internal(_) => "ServiceFailure",
        }
    }

    /// The HTTP status AWS answers the error with; the console's own outcomes (sign-in,
    /// sign-up) as a web application would.
    pub fn status(&self) -> StatusCode {
        match self {
            ServiceError::Validation(invalid)
                if invalid.code.as_deref() == Some("LimitExceeded") =>
            {
                StatusCode::CONFLICT
            }
            ServiceError::Federation { refusal, .. } => refusal.status(),
            ServiceError::Validation(_)
            | ServiceError::MalformedPolicyDocument { .. }
            | ServiceError::InvalidInput(_)
            | ServiceError::PasswordPolicyViolation { .. }
            | ServiceError::PackedPolicyTooLarge(_)
            | ServiceError::InvalidUserType => StatusCode::BAD_REQUEST,
            // AWS answers conflicts and quota breaches with 409.
            ServiceError::EntityAlreadyExists { .. }
            | ServiceError::DeleteConflict(_)
            | ServiceError::LimitExceeded(_) => StatusCode::CONFLICT,
            ServiceError::NoSuchEntity(_) => StatusCode::NOT_FOUND,
            ServiceError::AccessDenied(_)
            | ServiceError::InvalidAuthenticationCode { .. }
            | ServiceError::PasswordExpired
            | ServiceError::SignUpClosed => StatusCode::FORBIDDEN,
            ServiceError::SignInFailed | ServiceError::NotSignedIn => StatusCode::UNAUTHORIZED,
            ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the client may read. Internal errors say nothing about their cause.
    pub fn public_message(&self) -> String {
        match self {
            ServiceError::Internal(_) => {
                "The request could not be completed because of an internal error.".to_string()
            }
            other => other.to_string(),
        }
    }

    /// The input field the error belongs to, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ServiceError::Validation(invalid) => Some(&invalid.field),
            ServiceError::EntityAlreadyExists { field, .. }
            | ServiceError::MalformedPolicyDocument { field, .. }
            | ServiceError::InvalidAuthenticationCode { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub fn already_exists(field: &str, message: impl Into<String>) -> Self {
        ServiceError::EntityAlreadyExists {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    pub fn bad_code(field: &str, message: impl Into<String>) -> Self {
        ServiceError::InvalidAuthenticationCode {
            field: Some(field.to_string()),
            message: message.into(),
        }
    }
}

/// Why STS refused a web identity token or an assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FederationRefusal {
    /// Malformed, badly signed, or from an issuer the account does not trust.
    InvalidIdentityToken,
    /// Past its `exp` (or `NotOnOrAfter`).
    Expired,
    /// A claim the provider or the trust relationship does not accept (e.g. the audience).
    RejectedClaim,
    /// The provider's keys could not be fetched; the caller may retry.
    Communication,
}

impl FederationRefusal {
    pub fn code(self) -> &'static str {
        match self {
            FederationRefusal::InvalidIdentityToken => "InvalidIdentityToken",
            FederationRefusal::Expired => "ExpiredTokenException",
            FederationRefusal::RejectedClaim => "IDPRejectedClaim",
            FederationRefusal::Communication => "IDPCommunicationError",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            FederationRefusal::RejectedClaim => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    pub fn error(self, message: impl Into<String>) -> ServiceError {
        ServiceError::Federation {
            refusal: self,
            message: message.into(),
        }
    }
}

/// An internal failure: what failed, for the log, and the lower layer's error that caused it
/// (kept, not flattened into text, so a log or a debugger can walk the chain).
#[derive(Debug)]
pub struct InternalError {
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl InternalError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    /// The message and every cause below it, `message: cause: cause`, for the log. A cause whose
    /// text the level above already shows (`#[error("database error: {0}")]`) is not repeated.
    pub fn report(&self) -> String {
        let mut out = self.message.clone();
        let mut shown = self.message.clone();
        let mut cause = std::error::Error::source(self);
        while let Some(error) = cause {
            let text = error.to_string();
            if !shown.contains(&text) {
                out.push_str(": ");
                out.push_str(&text);
            }
            shown = text;
            cause = error.source();
        }
        out
    }
}

impl std::fmt::Display for InternalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InternalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

impl ServiceError {
    /// An internal failure described by `message` alone.
    pub fn internal(message: impl Into<String>) -> Self {
        ServiceError::Internal(InternalError::new(message))
    }

    /// An internal failure caused by `source`, `context` saying what was being done.
    pub fn internal_from(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        ServiceError::Internal(InternalError::with_source(context, source))
    }

    /// AWS's answer when an operation that defaults to the calling user is called by a role
    /// session without a user name.
    pub fn user_name_required() -> Self {
        ServiceError::Validation(Invalid::new(
            "UserName",
            "Must specify userName when calling with non-User credentials",
        ))
    }
}

impl From<Invalid> for ServiceError {
    fn from(invalid: Invalid) -> Self {
        ServiceError::Validation(invalid)
    }
}

// The lower layers' errors become internal ones that keep them as their source; the message is
// the error's own text, so the log reads as it did when the cause was flattened into it.
impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        crate::server::metrics::database_error();
        ServiceError::Internal(InternalError::with_source(error.to_string(), error))
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(error: sqlx::Error) -> Self {
        crate::server::metrics::database_error();
        ServiceError::internal_from("database error", error)
    }
}

impl From<HashingError> for ServiceError {
    fn from(error: HashingError) -> Self {
        ServiceError::Internal(InternalError::with_source(error.to_string(), error))
    }
}

impl From<CryptoError> for ServiceError {
    fn from(error: CryptoError) -> Self {
        ServiceError::Internal(InternalError::with_source(error.to_string(), error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_keeps_its_cause_for_the_log_and_shows_the_client_nothing() {
        let io = std::io::Error::other("disk full at /secret");
        let error = ServiceError::from(StoreError::Io(io.to_string()));
        let ServiceError::Internal(internal) = &error else {
            panic!("{error:?}");
        };
        let cause = std::error::Error::source(internal).expect("the store error is kept");
        assert!(cause.downcast_ref::<StoreError>().is_some());
        assert_eq!(internal.report(), "disk full at /secret");
        assert!(!error.public_message().contains("secret"));
        assert_eq!(error.code(), "ServiceFailure");

        let wrapped = ServiceError::internal_from("export", io);
        assert_eq!(
            wrapped.to_string(),
            "internal error: export: disk full at /secret"
        );
        let sqlx = ServiceError::from(sqlx::Error::RowNotFound);
        let ServiceError::Internal(internal) = &sqlx else {
            panic!("{sqlx:?}");
        };
        assert_eq!(
            internal.report(),
            format!("database error: {}", sqlx::Error::RowNotFound)
        );
    }
}
