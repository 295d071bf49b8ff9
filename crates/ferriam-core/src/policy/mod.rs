//! The AWS IAM policy language: parse, validate, evaluate and simulate.
//!
//! Pure code (no I/O, no clock, no randomness: time and context are inputs),
//! compiled for the server and for the browser (wasm32), so the console's
//! policy editor applies exactly the server's rules.
//!
//! - [`Policy::parse`] compiles a document once; share it in an `Arc`.
//! - [`validate`] applies IAM's rules for a [`PolicyKind`] and returns AWS's
//!   error (if any) plus located [`Finding`]s for the editor.
//! - [`evaluate`] decides one request against a [`PolicyInputs`] set and
//!   explains itself ([`Response`]: decision, deciding statements, missing keys,
//!   AWS's AccessDenied wording).
//! - [`simulate::simulate_json`] and [`validate::validate_json`] back the
//!   `ferriam policy simulate|validate` commands and SimulateCustomPolicy.

mod arn;
mod compile;
pub mod conditions;
mod context;
mod decision;
mod document;
mod errors;
mod evaluate;
mod findings;
pub mod global_keys;
mod json;
mod kind;
mod location;
mod principal;
pub mod principal_refs;
#[cfg(test)]
mod proptests;
pub mod simulate;
pub mod validate;
mod variables;
mod wildcard;

pub use arn::split_arn;
pub use compile::{CompiledStatement, Policy, MAX_POLICY_DOCUMENT_LENGTH};
pub use context::{Context, ContextEntry, MissingKeys};
pub use decision::{Decision, DecisionReason, MatchedStatement, PolicyCategory, Response};
pub use document::{
    ConditionBlock, ConditionEntry, ConditionValue, Effect, ListElement, OneOrMany, PolicyDocument,
    Principal, PrincipalElement, PrincipalEntry, Spanned, Statement, SyntaxError, VERSION_2008,
    VERSION_2012,
};
pub use errors::{error_json, messages, AwsErrorCode, AwsPolicyError};
pub use evaluate::{
    evaluate, EvaluationRequest, NamedPolicy, PolicyInputs, ResourcePolicyInput, ResourcePolicyKind,
};
pub use findings::{Finding, Severity};
pub use kind::{policy_size, PolicyKind};
pub use location::{Location, Position, Span};
pub use principal::{is_principal_unique_id, PrincipalInfo, PrincipalKind, PrincipalMatch};
pub use simulate::{
    run_simulate, run_simulate_lines, simulate_json, simulate_page, PageRequest, SimulatePage,
    SimulateRequest, SimulateResponse,
};
pub use validate::{run_validate, validate, validate_json, validate_named, Validation};
