//! The one way an MFA code is checked: every door that takes a TOTP code (the sign-in step,
//! EnableMFADevice and ResyncMFADevice, STS GetSessionToken and AssumeRole, the root user's MFA
//! removal) calls `verify_code`, which applies the guessing defences (`throttle`), refuses a
//! code already used, and records the use.

use crate::domain::totp::{self, TotpError};
use crate::server::store::mfa::{self, MfaDeviceRow};
use crate::server::store::Tx;

use crate::server::service::{signin::throttle, Iam, ServiceError};

/// The authenticated context under which a device's seed is sealed (by `mfa` when a device is
/// created, opened here to check a code, resealed by the master-key rotation).
pub fn seed_context(account_id: &str, serial_number: &str) -> String {
    format!("mfa-seed:{account_id}:{serial_number}")
}

/// What was typed: one code, or two consecutive ones (enabling or resynchronising a device).
#[derive(Clone, Copy)]
pub enum Codes<'a> {
    One(&'a str),
    Consecutive(&'a str, &'a str),
}

/// Who checks a code against which device, and from where.
pub struct CodeCheck<'a> {
    /// The device's (or, while enabling, the future) owner key: a user ID or `ROOT_OWNER`.
    pub owner: &'a str,
    /// The caller's address, if known.
    pub source: Option<&'a str>,
    pub device: &'a MfaDeviceRow,
}

/// Why a code was not accepted, as much as a caller may learn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefusal {
    /// Not six digits: refused before any counting.
    Malformed,
    /// Wrong, already used, or refused by the guessing defences. SECURITY: one answer for all
    /// three, so a throttled attempt looks like a wrong code.
    Invalid,
}

impl From<CodeRefusal> for TotpError {
    fn from(refusal: CodeRefusal) -> Self {
        match refusal {
            CodeRefusal::Malformed => TotpError::Malformed,
            CodeRefusal::Invalid => TotpError::Invalid,
        }
    }
}

/// An accepted code: its step is recorded as used and the failure counters cleared in `tx`,
/// which the caller commits (with its own change, if any).
pub struct Accepted {
    pub tx: Tx,
    pub step: u64,
}

/// Checks `codes` against the device. In order: malformed input is refused without counting;
/// a locked principal or source is refused with reads only; then, in one write transaction,
/// the attempt is counted as the principal's failure (one atomic statement that also decides
/// the lock), the code is verified, and either the failure stands (the source charged too,
/// committed here) or the step is marked used (a compare-and-set that refuses a replay) and
/// the counters cleared, in the transaction handed back.
///
/// The caller must hold no write transaction of its own (the store has one writer).
pub async fn verify_code(
    iam: &Iam,
    check: CodeCheck<'_>,
    codes: Codes<'_>,
) -> Result<Result<Accepted, CodeRefusal>, ServiceError> {
    let well_formed = match codes {
        Codes::One(code) => totp::is_well_formed(code),
        Codes::Consecutive(first, second) => {
            totp::is_well_formed(first) && totp::is_well_formed(second)
        }
    };
    if !well_formed {
        return Ok(Err(CodeRefusal::Malformed));
    }
    let device = check.device;
    let keys = throttle::code_keys(&device.account_id, check.owner, check.source);
    if throttle::code_attempt_refused(iam, &keys).await? {
        tracing::info!(outcome = "throttled", "MFA code attempt refused");
        return Ok(Err(CodeRefusal::Invalid));
    }
    let seed = iam.sealer().open(
        &device.sealed_seed,
        &seed_context(&device.account_id, &device.serial_number),
    )?;
    let mut tx = iam.store().begin().await?;
    if !throttle::claim_code_attempt(iam, &mut tx, &keys).await? {
        // Nothing was counted that should stand (a refusal by the source's counter rolls back
        // the principal's count with the transaction).
        tracing::info!(outcome = "throttled", "MFA code attempt refused");
        return Ok(Err(CodeRefusal::Invalid));
    }
    let now = iam.clock().now_seconds();
    // The stored step may be stale here; the compare-and-set below decides.
    let last_used = device.last_used_step.max(0) as u64;
    let verified = match codes {
        Codes::One(code) => totp::verify_code(&seed, code, now, last_used),
        Codes::Consecutive(first, second) => {
            totp::verify_consecutive_codes(&seed, first, second, now, last_used)
        }
    };
    // INVARIANT: a step is accepted once: the compare-and-set refuses a step another request
    // accepted meanwhile.
    let accepted = match verified {
        Ok(step) => mfa::advance_last_used_step(
            &mut *tx,
            &device.account_id,
            &device.serial_number,
            step as i64,
        )
        .await?
        .then_some(step),
        Err(_) => None,
    };
    let Some(step) = accepted else {
        throttle::code_failed(iam, &mut tx, &keys).await?;
        tx.commit()
            .await
            .map_err(crate::server::store::StoreError::from)?;
        return Ok(Err(CodeRefusal::Invalid));
    };
    throttle::code_succeeded(iam, &mut tx, &keys).await?;
    Ok(Ok(Accepted { tx, step }))
}
