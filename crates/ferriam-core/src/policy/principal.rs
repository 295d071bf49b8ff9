//! Who is asking ([`PrincipalInfo`]) and how `Principal` / `NotPrincipal`
//! elements of resource-based and trust policies match them.
//!
//! A match also says *how* the principal was named, because AWS's same-account
//! rules depend on it: a grant to the user or session ARN itself is not cut by
//! permissions boundaries or session policies, a grant to the role ARN behind a
//! session is, and a grant to the account only delegates to identity policies.

use super::arn::split_arn;
use super::document::{Principal, PrincipalElement};

/// The kind of principal making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// The account root user.
    Root,
    User,
    /// An IAM role acting under its own ARN (rare: requests come from sessions).
    Role,
    /// A role session; `role_arn` is the role's ARN (with its path).
    AssumedRole {
        role_arn: String,
    },
    /// A GetFederationToken session; `user_arn` is the IAM user who federated.
    FederatedUser {
        user_arn: Option<String>,
    },
    /// An AWS service principal such as `ec2.amazonaws.com`.
    Service {
        name: String,
    },
    /// A caller authenticated by a SAML or OIDC provider (`Federated` principals).
    WebIdentity {
        provider: String,
    },
    Anonymous,
}

/// The calling principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalInfo {
    /// The caller's ARN: the user, root, role or session ARN.
    pub arn: String,
    pub account_id: String,
    pub kind: PrincipalKind,
    /// The unique ID (`AIDA…`, `AROA…`) of the IAM user or role the caller is, or acts for
    /// (a session's role). Trust and resource policies name IAM users and roles by this ID, as
    /// IAM stores them, so a deleted and re-created name is not the same principal.
    pub unique_id: Option<String>,
}

impl PrincipalInfo {
    /// The root user of `account_id`.
    pub fn root(account_id: &str) -> PrincipalInfo {
        PrincipalInfo {
            arn: format!("arn:aws:iam::{account_id}:root"),
            account_id: account_id.to_string(),
            kind: PrincipalKind::Root,
            unique_id: None,
        }
    }

    /// Reads an IAM or STS principal ARN: `...:root`, `...:user/...`,
    /// `...:role/...`, `arn:aws:sts::...:assumed-role/ROLE/SESSION` or
    /// `arn:aws:sts::...:federated-user/NAME`.
    ///
    /// An assumed-role ARN does not carry the role's path; the derived
    /// `role_arn` has none (set it yourself when the role has a path).
    pub fn from_arn(arn: &str) -> Option<PrincipalInfo> {
        let [_, partition, service, _, account, resource] = split_arn(arn)?;
        if account.len() != 12 || !account.bytes().all(|byte| byte.is_ascii_digit()) {
            return None;
        }
        let kind = match (service, resource) {
            ("iam", "root") => PrincipalKind::Root,
            ("iam", resource) if resource.starts_with("user/") && resource.len() > 5 => {
                PrincipalKind::User
            }
            ("iam", resource) if resource.starts_with("role/") && resource.len() > 5 => {
                PrincipalKind::Role
            }
            ("sts", resource) if resource.starts_with("assumed-role/") => {
                let (role, session) = resource["assumed-role/".len()..].split_once('/')?;
                if role.is_empty() || session.is_empty() {
                    return None;
                }
                PrincipalKind::AssumedRole {
                    role_arn: format!("arn:{partition}:iam::{account}:role/{role}"),
                }
            }
            ("sts", resource) if resource.starts_with("federated-user/") && resource.len() > 15 => {
                PrincipalKind::FederatedUser { user_arn: None }
            }
            _ => return None,
        };
        Some(PrincipalInfo {
            arn: arn.to_string(),
            account_id: account.to_string(),
            kind,
            unique_id: None,
        })
    }

    /// The same principal, known to be the IAM user or role (or a session of the role) with
    /// this unique ID.
    pub fn with_unique_id(mut self, unique_id: impl Into<String>) -> PrincipalInfo {
        self.unique_id = Some(unique_id.into());
        self
    }

    /// A session principal (role session or federated user).
    pub fn is_session(&self) -> bool {
        matches!(
            self.kind,
            PrincipalKind::AssumedRole { .. } | PrincipalKind::FederatedUser { .. }
        )
    }

    /// The identities a request carries, as NotPrincipal sees them: the caller,
    /// the role or user behind a session, and the account.
    fn chain(&self) -> Vec<Identity<'_>> {
        let account = Identity::Account(&self.account_id);
        match &self.kind {
            PrincipalKind::Root => vec![account],
            PrincipalKind::User | PrincipalKind::Role => {
                vec![Identity::Arn(&self.arn, self.unique_id.as_deref()), account]
            }
            PrincipalKind::AssumedRole { role_arn } => vec![
                Identity::Arn(&self.arn, None),
                Identity::Arn(role_arn, self.unique_id.as_deref()),
                account,
            ],
            PrincipalKind::FederatedUser { user_arn } => {
                let mut chain = vec![Identity::Arn(&self.arn, None)];
                if let Some(user_arn) = user_arn {
                    chain.push(Identity::Arn(user_arn, None));
                }
                chain.push(account);
                chain
            }
            PrincipalKind::Service { name } => vec![Identity::Service(name)],
            PrincipalKind::WebIdentity { provider } => vec![Identity::Provider(provider)],
            PrincipalKind::Anonymous => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Identity<'a> {
    /// An ARN, with the unique ID of the IAM user or role it names when known.
    Arn(&'a str, Option<&'a str>),
    Account(&'a str),
    Service(&'a str),
    Provider(&'a str),
}

/// How a `Principal` element named the caller, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalMatch {
    None,
    /// The caller's account (account ID or `:root` ARN): delegation to the
    /// account's identity-based policies.
    Account,
    /// The role behind a session, or the IAM user behind a federated user.
    Parent,
    /// The caller itself (its ARN, or `*`).
    Direct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Named {
    Everyone,
    Account(Box<str>),
    Arn(Box<str>),
    /// An IAM user or role by unique ID, as IAM stores the ARN a policy named.
    UniqueId(Box<str>),
    Service(Box<str>),
    Provider(Box<str>),
    CanonicalUser(Box<str>),
    /// A value IAM would reject; it matches nothing.
    Invalid,
}

/// A compiled `Principal` or `NotPrincipal` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalMatcher {
    pub negated: bool,
    named: Vec<Named>,
}

impl PrincipalMatcher {
    pub fn new(element: &PrincipalElement) -> PrincipalMatcher {
        let mut named = Vec::new();
        match &element.value.value {
            Principal::Wildcard => named.push(Named::Everyone),
            Principal::Text(_) => named.push(Named::Invalid),
            Principal::Map(entries) => {
                for entry in entries {
                    for value in entry.values.value.as_slice() {
                        named.push(compile_named(&entry.principal_type.value, &value.value));
                    }
                }
            }
        }
        PrincipalMatcher {
            negated: element.negated,
            named,
        }
    }

    /// For `Principal`: how strongly the caller is named. For `NotPrincipal`:
    /// `Direct` when the statement applies to the caller, `None` when the caller
    /// is excluded (every identity in its chain is listed).
    pub fn matches(&self, principal: &PrincipalInfo) -> PrincipalMatch {
        if self.negated {
            let chain = principal.chain();
            let excluded = if chain.is_empty() {
                self.named.contains(&Named::Everyone)
            } else {
                chain.iter().all(|identity| {
                    self.named
                        .iter()
                        .any(|named| names_identity(named, *identity))
                })
            };
            return if excluded {
                PrincipalMatch::None
            } else {
                PrincipalMatch::Direct
            };
        }
        self.named
            .iter()
            .map(|named| match_named(named, principal))
            .max()
            .unwrap_or(PrincipalMatch::None)
    }
}

fn compile_named(principal_type: &str, value: &str) -> Named {
    match principal_type {
        "AWS" => {
            if value == "*" {
                Named::Everyone
            } else if is_account_id(value) {
                Named::Account(value.into())
            } else if let Some([_, _, "iam", "", account, "root"]) = split_arn(value) {
                Named::Account(account.into())
            } else if value.starts_with("arn:") && !value.contains(['*', '?']) {
                Named::Arn(value.into())
            } else if is_principal_unique_id(value) {
                Named::UniqueId(value.into())
            } else {
                Named::Invalid
            }
        }
        "Service" => Named::Service(value.into()),
        "Federated" => Named::Provider(value.into()),
        "CanonicalUser" => Named::CanonicalUser(value.into()),
        _ => Named::Invalid,
    }
}

/// A user's (`AIDA…`) or role's (`AROA…`) unique ID: the form IAM stores for a user or role
/// ARN named in `Principal`.
pub fn is_principal_unique_id(value: &str) -> bool {
    value.len() == 21
        && (value.starts_with("AIDA") || value.starts_with("AROA"))
        && value[4..]
            .bytes()
            .all(|byte| byte.is_ascii_uppercase() || (b'2'..=b'7').contains(&byte))
}

pub fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|byte| byte.is_ascii_digit())
}

fn match_named(named: &Named, principal: &PrincipalInfo) -> PrincipalMatch {
    let account_principal = !matches!(
        principal.kind,
        PrincipalKind::Service { .. }
            | PrincipalKind::WebIdentity { .. }
            | PrincipalKind::Anonymous
    );
    match named {
        Named::Everyone => PrincipalMatch::Direct,
        Named::Account(account) if account_principal && **account == *principal.account_id => {
            if principal.kind == PrincipalKind::Root {
                PrincipalMatch::Direct
            } else {
                PrincipalMatch::Account
            }
        }
        Named::UniqueId(id) if principal.unique_id.as_deref() == Some(&**id) => {
            match principal.kind {
                PrincipalKind::User | PrincipalKind::Role => PrincipalMatch::Direct,
                PrincipalKind::AssumedRole { .. } => PrincipalMatch::Parent,
                _ => PrincipalMatch::None,
            }
        }
        Named::Arn(arn) if **arn == *principal.arn => PrincipalMatch::Direct,
        Named::Arn(arn) => match &principal.kind {
            PrincipalKind::AssumedRole { role_arn } if **arn == **role_arn => {
                PrincipalMatch::Parent
            }
            PrincipalKind::FederatedUser {
                user_arn: Some(user_arn),
            } if **arn == **user_arn => PrincipalMatch::Parent,
            _ => PrincipalMatch::None,
        },
        Named::Service(service) => match &principal.kind {
            PrincipalKind::Service { name } if name.eq_ignore_ascii_case(service) => {
                PrincipalMatch::Direct
            }
            _ => PrincipalMatch::None,
        },
        Named::Provider(provider) => match &principal.kind {
            PrincipalKind::WebIdentity { provider: actual } if **actual == **provider => {
                PrincipalMatch::Direct
            }
            _ => PrincipalMatch::None,
        },
        _ => PrincipalMatch::None,
    }
}

fn names_identity(named: &Named, identity: Identity<'_>) -> bool {
    match (named, identity) {
        (Named::Everyone, _) => true,
        (Named::Account(account), Identity::Account(actual)) => **account == *actual,
        (Named::Arn(arn), Identity::Arn(actual, _)) => **arn == *actual,
        (Named::UniqueId(id), Identity::Arn(_, Some(actual))) => **id == *actual,
        (Named::Service(service), Identity::Service(actual)) => {
            service.eq_ignore_ascii_case(actual)
        }
        (Named::Provider(provider), Identity::Provider(actual)) => **provider == *actual,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::document::{OneOrMany, PrincipalEntry, Spanned};
    use crate::policy::location::Span;

    fn element(negated: bool, entries: &[(&str, &[&str])]) -> PrincipalElement {
        PrincipalElement {
            negated,
            key_span: Span::default(),
            value: Spanned::unspanned(Principal::Map(
                entries
                    .iter()
                    .map(|(kind, values)| PrincipalEntry {
                        principal_type: Spanned::unspanned(kind.to_string()),
                        values: Spanned::unspanned(OneOrMany::Many(
                            values
                                .iter()
                                .map(|v| Spanned::unspanned(v.to_string()))
                                .collect(),
                        )),
                    })
                    .collect(),
            )),
        }
    }

    type Entries<'a> = &'a [(&'a str, &'a [&'a str])];

    const USER: &str = "arn:aws:iam::111122223333:user/alice";
    const ROLE: &str = "arn:aws:iam::111122223333:role/admin";
    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/admin/s1";

    fn session() -> PrincipalInfo {
        PrincipalInfo::from_arn(SESSION).expect("session")
    }

    #[test]
    fn reads_principal_arns() {
        assert_eq!(
            PrincipalInfo::from_arn("arn:aws:iam::111122223333:root").map(|p| p.kind),
            Some(PrincipalKind::Root)
        );
        assert_eq!(
            session().kind,
            PrincipalKind::AssumedRole {
                role_arn: ROLE.into()
            }
        );
        assert_eq!(
            PrincipalInfo::from_arn(USER).map(|p| p.account_id),
            Some("111122223333".into())
        );
        for bad in [
            "arn:aws:iam::1:user/a",
            "arn:aws:s3:::b",
            "user/alice",
            "arn:aws:iam::111122223333:user/",
        ] {
            assert_eq!(PrincipalInfo::from_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn principal_matches_say_how_the_caller_was_named() {
        let user = PrincipalInfo::from_arn(USER).expect("user");
        let table: &[(Entries<'_>, &PrincipalInfo, PrincipalMatch)] = &[
            (&[("AWS", &["*"])], &user, PrincipalMatch::Direct),
            (&[("AWS", &[USER])], &user, PrincipalMatch::Direct),
            (
                &[("AWS", &["111122223333"])],
                &user,
                PrincipalMatch::Account,
            ),
            (
                &[("AWS", &["arn:aws:iam::111122223333:root"])],
                &user,
                PrincipalMatch::Account,
            ),
            (&[("AWS", &["444455556666"])], &user, PrincipalMatch::None),
            (
                &[("AWS", &["arn:aws:iam::111122223333:user/*"])],
                &user,
                PrincipalMatch::None,
            ),
            (&[("AWS", &[ROLE])], &session(), PrincipalMatch::Parent),
            (&[("AWS", &[SESSION])], &session(), PrincipalMatch::Direct),
            (
                &[("AWS", &[ROLE, SESSION])],
                &session(),
                PrincipalMatch::Direct,
            ),
            (
                &[("Service", &["ec2.amazonaws.com"])],
                &user,
                PrincipalMatch::None,
            ),
        ];
        for (entries, principal, expected) in table {
            let matcher = PrincipalMatcher::new(&element(false, entries));
            assert_eq!(matcher.matches(principal), *expected, "{entries:?}");
        }
        let root = PrincipalInfo::root("111122223333");
        let by_account = PrincipalMatcher::new(&element(false, &[("AWS", &["111122223333"])]));
        assert_eq!(by_account.matches(&root), PrincipalMatch::Direct);
        let service = PrincipalInfo {
            arn: String::new(),
            account_id: String::new(),
            kind: PrincipalKind::Service {
                name: "ec2.amazonaws.com".into(),
            },
            unique_id: None,
        };
        let by_service =
            PrincipalMatcher::new(&element(false, &[("Service", &["ec2.amazonaws.com"])]));
        assert_eq!(by_service.matches(&service), PrincipalMatch::Direct);
    }

    #[test]
    fn a_unique_id_names_only_the_user_or_role_that_has_it() {
        const ALICE_ID: &str = "AIDAAAAAAAAAAAAAAAAAA";
        const ROLE_ID: &str = "AROABBBBBBBBBBBBBBBBB";
        let matches = |value: &str, principal: &PrincipalInfo| {
            PrincipalMatcher::new(&element(false, &[("AWS", &[value])])).matches(principal)
        };
        let alice = PrincipalInfo::from_arn(USER)
            .unwrap()
            .with_unique_id(ALICE_ID);
        assert_eq!(matches(ALICE_ID, &alice), PrincipalMatch::Direct);
        // A user re-created under the same name has another ID: the ARN no longer names it.
        let new_alice = PrincipalInfo::from_arn(USER)
            .unwrap()
            .with_unique_id("AIDACCCCCCCCCCCCCCCCC");
        assert_eq!(matches(ALICE_ID, &new_alice), PrincipalMatch::None);
        // A session is named through its role's ID, as through its role's ARN.
        let session = session().with_unique_id(ROLE_ID);
        assert_eq!(matches(ROLE_ID, &session), PrincipalMatch::Parent);
        assert_eq!(matches(ROLE_ID, &alice), PrincipalMatch::None);
        // Without a known ID (the simulator's callers), an ID names nobody.
        assert_eq!(
            matches(ALICE_ID, &PrincipalInfo::from_arn(USER).unwrap()),
            PrincipalMatch::None
        );
        // NotPrincipal: the ID stands for the ARN in the chain.
        let applies = |entries: &[(&str, &[&str])], principal: &PrincipalInfo| {
            PrincipalMatcher::new(&element(true, entries)).matches(principal)
                == PrincipalMatch::Direct
        };
        let account = "arn:aws:iam::111122223333:root";
        assert!(!applies(&[("AWS", &[ALICE_ID, account])], &alice));
        assert!(applies(&[("AWS", &[ALICE_ID, account])], &new_alice));
        assert!(!applies(&[("AWS", &[SESSION, ROLE_ID, account])], &session));
        assert!(is_principal_unique_id(ALICE_ID) && is_principal_unique_id(ROLE_ID));
        assert!(!is_principal_unique_id("AGPAAAAAAAAAAAAAAAAAA"));
        assert!(!is_principal_unique_id("AIDAaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn not_principal_excludes_only_a_fully_listed_chain() {
        let applies = |entries: &[(&str, &[&str])], principal: &PrincipalInfo| {
            PrincipalMatcher::new(&element(true, entries)).matches(principal)
                == PrincipalMatch::Direct
        };
        let user = PrincipalInfo::from_arn(USER).expect("user");
        // The IAM guide: list the session, the role and the account to exempt a session.
        let account = "arn:aws:iam::111122223333:root";
        assert!(!applies(&[("AWS", &[SESSION, ROLE, account])], &session()));
        assert!(applies(&[("AWS", &[ROLE, account])], &session()));
        assert!(applies(&[("AWS", &[SESSION])], &session()));
        assert!(!applies(&[("AWS", &[USER, account])], &user));
        assert!(applies(&[("AWS", &[USER])], &user));
        assert!(applies(&[("AWS", &["444455556666"])], &user));
        assert!(!applies(&[("AWS", &["*"])], &user));
    }
}
