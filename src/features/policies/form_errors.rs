//! Where a failed policy form shows the server's answer: errors about the document beneath the
//! editor (with AWS's code), errors of a named field beside it, the rest (denials) above the
//! buttons.

use crate::api_error::ApiError;

/// The error codes the service answers a bad document with.
const DOCUMENT_CODES: [&str; 2] = ["MalformedPolicyDocument", "LimitExceeded"];

fn is_about_document(error: &ApiError) -> bool {
    error.field.as_deref() == Some("PolicyDocument")
        || DOCUMENT_CODES.contains(&error.code.as_str())
}

/// `code: message` when the error is about the policy document.
pub fn document_message<T>(result: &Option<Result<T, ApiError>>) -> Option<String> {
    match result {
        Some(Err(error)) if is_about_document(error) => {
            Some(format!("{}: {}", error.code, error.message))
        }
        _ => None,
    }
}

/// The message of an error that belongs neither to one of `fields` nor to the document.
pub fn other_message<T>(result: &Option<Result<T, ApiError>>, fields: &[&str]) -> Option<String> {
    match result {
        Some(Err(error)) if !is_about_document(error) => error.general_message(fields),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(code: &str, field: Option<&str>) -> Option<Result<(), ApiError>> {
        let mut error = ApiError::new(code, "message");
        error.field = field.map(str::to_string);
        Some(Err(error))
    }

    #[test]
    fn errors_go_to_the_document_a_field_or_the_form() {
        let fields = ["PolicyName", "PolicyDocument"];
        let cases = [
            (
                failed("MalformedPolicyDocument", Some("PolicyDocument")),
                Some("MalformedPolicyDocument: message"),
                None,
            ),
            (
                failed("LimitExceeded", None),
                Some("LimitExceeded: message"),
                None,
            ),
            (
                failed("EntityAlreadyExists", Some("PolicyName")),
                None,
                None,
            ),
            (failed("AccessDenied", None), None, Some("message")),
            (Some(Ok(())), None, None),
            (None, None, None),
        ];
        for (result, document, other) in cases {
            assert_eq!(document_message(&result).as_deref(), document);
            assert_eq!(other_message(&result, &fields).as_deref(), other);
        }
    }
}
