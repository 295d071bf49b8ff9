//! AWS's error codes and messages for policy documents, with the location of
//! the offending text when it is known.

use serde::Serialize;

use super::location::Location;

/// The AWS error code a policy problem is reported with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AwsErrorCode {
    MalformedPolicyDocument,
    LimitExceeded,
    ValidationError,
    InvalidInput,
}

impl AwsErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AwsErrorCode::MalformedPolicyDocument => "MalformedPolicyDocument",
            AwsErrorCode::LimitExceeded => "LimitExceeded",
            AwsErrorCode::ValidationError => "ValidationError",
            AwsErrorCode::InvalidInput => "InvalidInput",
        }
    }
}

/// A policy rejected the way IAM rejects it: code + AWS's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AwsPolicyError {
    pub code: AwsErrorCode,
    pub message: String,
    /// Where the problem is in the policy text (not part of AWS's response).
    #[serde(skip)]
    pub location: Option<Location>,
    /// A more specific explanation for the editor (not part of AWS's response).
    #[serde(skip)]
    pub detail: Option<String>,
}

impl AwsPolicyError {
    pub fn new(code: AwsErrorCode, message: impl Into<String>) -> Self {
        AwsPolicyError {
            code,
            message: message.into(),
            location: None,
            detail: None,
        }
    }

    pub fn malformed(message: impl Into<String>) -> Self {
        AwsPolicyError::new(AwsErrorCode::MalformedPolicyDocument, message)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// AWS's error body: `{"Error": {"Code": "...", "Message": "..."}}`.
    pub fn to_error_json(&self) -> String {
        error_json(self.code.as_str(), &self.message)
    }
}

impl std::fmt::Display for AwsPolicyError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for AwsPolicyError {}

/// Renders `{"Error": {"Code": code, "Message": message}}`.
pub fn error_json(code: &str, message: &str) -> String {
    #[derive(Serialize)]
    struct Body<'a> {
        #[serde(rename = "Code")]
        code: &'a str,
        #[serde(rename = "Message")]
        message: &'a str,
    }
    #[derive(Serialize)]
    struct Envelope<'a> {
        #[serde(rename = "Error")]
        error: Body<'a>,
    }
    serde_json::to_string(&Envelope {
        error: Body { code, message },
    })
    .unwrap_or_default()
}

/// AWS's messages, verbatim.
pub mod messages {
    pub const SYNTAX_ERRORS: &str = "Syntax errors in policy.";
    pub const INVALID_JSON: &str = "This policy contains invalid Json";
    pub const VERSION_TOO_OLD: &str = "Policy document must be version 2012-10-17 or greater.";
    pub const LEGACY_PARSING: &str = "The policy failed legacy parsing";
    pub const DUPLICATE_SID: &str = "Statement IDs (SID) in a single policy must be unique.";
    pub const SID_NOT_ALPHANUMERIC: &str = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
    pub const MISSING_ACTIONS: &str = "Policy statement must contain actions.";
    pub const MISSING_RESOURCES: &str = "Policy statement must contain resources.";
    pub const MISSING_VENDOR: &str =
        "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
    pub const ONE_COLON: &str = "Actions/Condition can contain only one colon.";
    pub const PRINCIPAL_NOT_ALLOWED: &str = "Policy document should not specify a principal.";
    pub const MISSING_PRINCIPAL: &str = "Missing required field Principal";
    pub const EMPTY_PRINCIPAL: &str = "Missing required field Principal cannot be empty!";
    pub const TRUST_ACTIONS: &str = "AssumeRole policy may only specify STS AssumeRole actions.";
    pub const TRUST_RESOURCE: &str = "Has prohibited field Resource";
    pub const TRUST_NOT_RESOURCE: &str = "AssumeRole policy must not contain resources.";
    pub const TRUST_EMPTY_STATEMENT: &str = "Could not parse the policy: Statement is empty!";
    pub const ALLOW_NOT_PRINCIPAL: &str = "Allow with NotPrincipal is not allowed.";
    pub const VENDOR_REGEX: &str =
        "Resource vendor must be fully qualified and cannot contain regexes.";
}
