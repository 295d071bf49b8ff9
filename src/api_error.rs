//! The error every console server function returns, as the browser receives it: AWS's error
//! code, a message a person can read, and the form field it belongs to.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

/// A refusal the browser makes itself, with the server's own parse (same code and message).
impl From<crate::domain::Invalid> for ApiError {
    fn from(invalid: crate::domain::Invalid) -> Self {
        ApiError {
            code: invalid
                .code
                .unwrap_or_else(|| "ValidationError".to_string()),
            message: invalid.message,
            field: Some(invalid.field),
        }
    }
}

impl ApiError {
    pub const NOT_SIGNED_IN: &'static str = "NotSignedIn";

    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_string(),
            message: message.into(),
            field: None,
        }
    }

    /// The message when it belongs to `field`.
    pub fn message_for(&self, field: &str) -> Option<String> {
        (self.field.as_deref() == Some(field)).then(|| self.message.clone())
    }

    /// The message when it belongs to no field shown on the form.
    pub fn general_message(&self, fields: &[&str]) -> Option<String> {
        match &self.field {
            Some(field) if fields.contains(&field.as_str()) => None,
            _ => Some(self.message.clone()),
        }
    }

    pub fn is_not_signed_in(&self) -> bool {
        self.code == Self::NOT_SIGNED_IN
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let message = match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                "The server could not be reached. Check your connection and try again.".to_string()
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::Deserialization(_) => {
                "The request was not understood. Reload the page and try again.".to_string()
            }
            other => other.to_string(),
        };
        Self::new("RequestFailed", message)
    }
}

/// Field-scoped messages of a form's last submission.
pub fn field_message<T>(result: &Option<Result<T, ApiError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(error)) => error.message_for(field),
        _ => None,
    }
}

/// A form's general message: errors whose field is not one of `fields`.
pub fn form_message<T>(result: &Option<Result<T, ApiError>>, fields: &[&str]) -> Option<String> {
    match result {
        Some(Err(error)) => error.general_message(fields),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_go_to_their_field_or_the_form() {
        let mut error = ApiError::new("ValidationError", "bad email");
        error.field = Some("email".into());
        let result: Option<Result<(), ApiError>> = Some(Err(error));
        assert_eq!(
            field_message(&result, "email").as_deref(),
            Some("bad email")
        );
        assert_eq!(field_message(&result, "password"), None);
        assert_eq!(form_message(&result, &["email", "password"]), None);
        assert_eq!(
            form_message(&result, &["password"]).as_deref(),
            Some("bad email")
        );
        let ok: Option<Result<(), ApiError>> = Some(Ok(()));
        assert_eq!(form_message(&ok, &[]), None);
    }
}
