//! Creating accounts (console sign-up and the headless `ferriam account create`) and reading
//! what the dashboard shows about one.

use crate::catalog::Op;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::domain::password::check_new_root_password;
use crate::domain::read_models::{AccountOverview, SignedInPrincipal};
use crate::domain::{AccountAlias, AccountId, Email, Principal};
use crate::server::store::{accounts, mfa, StoreError, ROOT_OWNER};

use crate::server::service::{signin::throttle, Caller, Iam, Operation, RequestInfo, ServiceError};

/// Input for a new account, as typed.
pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub confirm_password: String,
    pub alias: Option<String>,
    /// Only the headless command may choose the ID (for test fixtures).
    pub account_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub account_id: AccountId,
    pub alias: Option<AccountAlias>,
    pub root_email: Email,
    pub created_at: i64,
}

struct ValidAccount {
    email: Email,
    alias: Option<AccountAlias>,
    account_id: Option<AccountId>,
}

/// Console sign-up: allowed while no account exists, or always with `--open-signup`; at most
/// a few per source address and hour (`throttle::SIGN_UP_BY_SOURCE`).
pub async fn sign_up(
    iam: &Iam,
    from: &RequestInfo,
    request: NewAccount,
) -> Result<Account, ServiceError> {
    if request.account_id.is_some() {
        return Err(crate::domain::Invalid::new(
            "account_id",
            "The account ID is assigned by the service.",
        )
        .into());
    }
    create(iam, request, SignUpGate::Console(from)).await
}

/// The operator's command: always allowed, may fix the account ID.
pub async fn create_account_headless(
    iam: &Iam,
    request: NewAccount,
) -> Result<Account, ServiceError> {
    create(iam, request, SignUpGate::Operator).await
}

/// Whether the console may offer "Create account" now.
pub async fn sign_up_open(iam: &Iam) -> Result<bool, ServiceError> {
    if iam.settings().open_signup {
        return Ok(true);
    }
    no_account_yet(iam).await
}

/// Whether no account exists yet (a fresh installation: the console offers account creation
/// first).
pub async fn no_account_yet(iam: &Iam) -> Result<bool, ServiceError> {
    Ok(accounts::count(iam.store().reader()).await? == 0)
}

/// Whether the account `account_id` exists. For the operator's headless commands, which act as
/// an account's root user and so must name one that exists.
pub async fn account_exists(iam: &Iam, account_id: &AccountId) -> Result<bool, ServiceError> {
    Ok(
        accounts::find_by_id(iam.store().reader(), account_id.as_str())
            .await?
            .is_some(),
    )
}

enum SignUpGate<'a> {
    Console(&'a RequestInfo),
    Operator,
}

async fn create(
    iam: &Iam,
    request: NewAccount,
    gate: SignUpGate<'_>,
) -> Result<Account, ServiceError> {
    let valid = validate(&request)?;
    let console = matches!(gate, SignUpGate::Console(_));
    if let SignUpGate::Console(from) = gate {
        // SECURITY: refuse cheaply before the 19 MiB argon2 work: a closed sign-up costs one
        // read, and one address gets only a few hashes an hour (a flood must not starve
        // sign-ins of the hasher). Counted before the duplicate checks below, so probing
        // which emails have accounts is throttled too.
        if !sign_up_open(iam).await? {
            return Err(ServiceError::SignUpClosed);
        }
        if !throttle::begin_sign_up(iam, from.source_ip.as_deref()).await? {
            return Err(ServiceError::LimitExceeded(
                "Too many accounts were requested from this address. Try again later.".to_string(),
            ));
        }
    }
    // Hash before taking the write transaction: argon2 is slow and must not hold the writer.
    let password_hash = iam.hasher().hash(&request.password).await?;
    let created_at = iam.clock().now_millis();

    let mut tx = iam.store().begin().await?;
    // INVARIANT: checked inside the write transaction, so two first visitors cannot both sign up.
    if console && !iam.settings().open_signup && accounts::count(&mut *tx).await? > 0 {
        return Err(ServiceError::SignUpClosed);
    }
    let email_key = valid.email.normalized();
    if accounts::find_by_email_key(&mut *tx, &email_key)
        .await?
        .is_some()
    {
        return Err(ServiceError::already_exists(
            "email",
            "An account with this email address already exists.",
        ));
    }
    if let Some(alias) = &valid.alias {
        if accounts::exists_with_alias(&mut *tx, alias.as_str()).await? {
            return Err(ServiceError::already_exists(
                "alias",
                format!("The account alias {alias} already exists."),
            ));
        }
    }
    let account_id = match valid.account_id {
        Some(id) => {
            if accounts::find_by_id(&mut *tx, id.as_str()).await?.is_some() {
                return Err(ServiceError::already_exists(
                    "account_id",
                    format!("The account {id} already exists."),
                ));
            }
            id
        }
        None => unused_random_account_id(&mut tx).await?,
    };
    let row = accounts::NewAccountRow {
        account_id: account_id.as_str(),
        alias: valid.alias.as_ref().map(AccountAlias::as_str),
        root_email: valid.email.as_str(),
        root_email_key: &email_key,
        root_password_hash: &password_hash,
        created_at,
    };
    accounts::insert(&mut *tx, &row).await?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(account_id = %account_id, "account created");
    Ok(Account {
        account_id,
        alias: valid.alias,
        root_email: valid.email,
        created_at,
    })
}

fn validate(request: &NewAccount) -> Result<ValidAccount, ServiceError> {
    let email = Email::parse("email", &request.email)?;
    check_new_root_password(&request.password, &request.confirm_password)?;
    let alias = match request.alias.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(alias) => Some(AccountAlias::parse("alias", alias)?),
    };
    let account_id = match request.account_id.as_deref() {
        None => None,
        Some(id) => Some(AccountId::parse("account_id", id)?),
    };
    Ok(ValidAccount {
        email,
        alias,
        account_id,
    })
}

async fn unused_random_account_id(
    tx: &mut crate::server::store::Tx,
) -> Result<AccountId, ServiceError> {
    loop {
        let digits: [u8; 12] = rand::rng().random();
        let id = AccountId::from_random_digits(digits);
        if accounts::find_by_id(&mut **tx, id.as_str())
            .await?
            .is_none()
        {
            return Ok(id);
        }
    }
}

pub async fn account_overview(iam: &Iam, caller: &Caller) -> Result<AccountOverview, ServiceError> {
    Operation::run(iam, caller, Op::GetAccountSummary, |op| {
        Box::pin(async move {
            let account_id = caller.principal.account_id.clone();
            op.authorize("*").await?;
            let row = accounts::find_by_id(iam.store().reader(), account_id.as_str())
                .await?
                .ok_or_else(|| {
                    ServiceError::NoSuchEntity(format!("The account {account_id} does not exist."))
                })?;
            let device =
                mfa::find_for_owner(iam.store().reader(), &row.account_id, ROOT_OWNER).await?;
            Ok(AccountOverview {
                account_id,
                alias: row
                    .alias
                    .map(|a| AccountAlias::parse("alias", &a))
                    .transpose()?,
                root_mfa_enabled: device.is_some_and(|d| d.enabled_at.is_some()),
            })
        })
    })
    .await
}

/// The caller's own identity for the console's top bar. Like `sts:GetCallerIdentity`, it needs
/// no permission.
pub async fn signed_in_principal(
    iam: &Iam,
    principal: Principal,
) -> Result<SignedInPrincipal, ServiceError> {
    let row = accounts::find_by_id(iam.store().reader(), principal.account_id.as_str())
        .await?
        .ok_or(ServiceError::NotSignedIn)?;
    Ok(SignedInPrincipal {
        arn: principal.arn(),
        display_name: principal.display_name(),
        account_alias: row
            .alias
            .map(|a| AccountAlias::parse("alias", &a))
            .transpose()?,
        principal,
    })
}
