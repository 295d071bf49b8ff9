//! The error every domain parser returns: which input field was wrong and why, in AWS's words.

use serde::{Deserialize, Serialize};

/// A rejected input value. `field` names the form field (or API parameter) so the console can
/// show the message next to it; `code` is AWS's error code when it is not `ValidationError`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: String,
    pub message: String,
    #[serde(default)]
    pub code: Option<String>,
}

impl Invalid {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_string(),
            message: message.into(),
            code: None,
        }
    }

    /// The same error under another AWS error code (e.g. `InvalidInput`).
    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
        self
    }
}
