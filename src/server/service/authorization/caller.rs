//! Who is calling and how: the principal plus the request facts that policies can test
//! (source address, transport, MFA) and that the audit log records.

use crate::domain::Principal;

#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Principal,
    pub request: RequestInfo,
    /// The policy passed to `AssumeRole` for this session: it must also allow every action.
    pub session_policy: Option<std::sync::Arc<str>>,
    /// The managed session policies passed to `AssumeRole` (`PolicyArns`). With
    /// `session_policy` they are the session policies: one of them must allow every action.
    pub session_policy_arns: std::sync::Arc<[String]>,
    /// The session's own tags (from the identity provider, or inherited through role
    /// chaining): `aws:PrincipalTag/…` before the role's tags of the same key.
    pub session_tags: std::sync::Arc<crate::domain::session_tags::SessionTags>,
}

#[derive(Clone, Debug, Default)]
pub struct RequestInfo {
    pub request_id: String,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub secure_transport: bool,
    /// This service's own origin (`--public-url`, else the listening address when it names one
    /// host; never the request's `Host`): names the SAML endpoints an assertion must be
    /// addressed to.
    pub origin: Option<String>,
    /// When the caller last proved an MFA code (Unix milliseconds), if ever in this session.
    pub mfa_authenticated_at: Option<i64>,
    /// When the temporary credentials or console session the request came with were issued
    /// (Unix milliseconds): `aws:TokenIssueTime`, which session revocation policies test.
    pub token_issued_at: Option<i64>,
    /// The access key that signed the request (Query API), never its secret.
    pub access_key_id: Option<String>,
    /// The ID hash of the console session the request came with: a principal changing its own
    /// password or MFA keeps this session while its others end.
    pub console_session: Option<String>,
    /// The browser's device cookie, when it sent a well-formed one (console requests only).
    pub device: Option<crate::server::service::signin::device_id::DeviceId>,
}

impl Caller {
    pub fn new(principal: Principal, request: RequestInfo) -> Self {
        Self {
            principal,
            request,
            session_policy: None,
            session_policy_arns: std::sync::Arc::from(Vec::new()),
            session_tags: std::sync::Arc::default(),
        }
    }

    /// A caller for operator commands and tests: no network facts.
    pub fn local(principal: Principal) -> Self {
        Self {
            principal,
            request: RequestInfo {
                request_id: uuid::Uuid::new_v4().to_string(),
                ..RequestInfo::default()
            },
            session_policy: None,
            session_policy_arns: std::sync::Arc::from(Vec::new()),
            session_tags: std::sync::Arc::default(),
        }
    }

    /// The door the request came through, for the metrics: a signed request is the Query
    /// API's, one with a console session or a browser's device cookie the console's.
    pub fn door(&self) -> crate::server::metrics::Door {
        use crate::server::metrics::Door;
        if self.request.access_key_id.is_some() {
            Door::QueryApi
        } else if self.request.console_session.is_some() || self.request.device.is_some() {
            Door::ConsoleApi
        } else {
            Door::Operator
        }
    }

    /// Temporary credentials from `GetSessionToken`: they act as the user (or root) itself,
    /// signed with a temporary (`ASIA…`) key.
    pub fn from_session_token(&self) -> bool {
        matches!(
            self.principal.kind,
            crate::domain::PrincipalKind::Root | crate::domain::PrincipalKind::User { .. }
        ) && self.signed_with_temporary_key()
    }

    /// The request was signed with temporary credentials (an `ASIA…` key).
    pub fn signed_with_temporary_key(&self) -> bool {
        self.request
            .access_key_id
            .as_deref()
            .is_some_and(|id| id.starts_with("ASIA"))
    }

    pub fn account_id(&self) -> &crate::domain::AccountId {
        &self.principal.account_id
    }
}
