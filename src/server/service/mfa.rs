//! The root user's virtual MFA device: assign (seed + QR code), enable with two consecutive
//! codes, and remove with a current code.

use base64::Engine;
use rand::RngCore;
use totp_rs::{Builder, Secret};

use crate::domain::read_models::{MfaDeviceStatus, VirtualMfaSetup};
use crate::domain::totp::{self, TotpError};
use crate::domain::Principal;
use crate::server::store::mfa;

use super::signin::seed_context;
use super::{Caller, Iam, Operation, ServiceError};

/// AWS's serial number for the root user's virtual device.
pub fn root_serial_number(principal: &Principal) -> String {
    format!(
        "arn:aws:iam::{}:mfa/root-account-mfa-device",
        principal.account_id
    )
}

/// SECURITY: only the root user manages the root user's device, whatever IAM policies say.
fn require_root(caller: &Caller, action: &str, serial: &str) -> Result<(), ServiceError> {
    if caller.principal.is_root() {
        Ok(())
    } else {
        Err(ServiceError::AccessDenied(format!(
            "User: {} is not authorized to perform: {action} on resource: {serial} because only the root user manages the root user's MFA device",
            caller.principal.arn()
        )))
    }
}

pub async fn root_mfa_status(
    iam: &Iam,
    caller: &Caller,
) -> Result<Option<MfaDeviceStatus>, ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:ListMFADevices");
    let result = async {
        let serial = root_serial_number(&caller.principal);
        require_root(caller, "iam:ListMFADevices", &serial)?;
        op.authorize(&caller.principal.arn()).await?;
        let account_id = caller.principal.account_id.as_str();
        let device = mfa::find_for_owner(iam.store().reader(), account_id, mfa::ROOT_OWNER).await?;
        Ok(device.map(|d| MfaDeviceStatus {
            serial_number: serial,
            enabled_at: d.enabled_at,
        }))
    }
    .await;
    op.finish(result).await
}

/// Creates a new seed for the root user's device. Replaces a device that was assigned but never
/// enabled; refuses while one is enabled.
pub async fn create_root_virtual_mfa(
    iam: &Iam,
    caller: &Caller,
) -> Result<VirtualMfaSetup, ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:CreateVirtualMFADevice");
    let result = async {
        let principal = &caller.principal;
        let serial = root_serial_number(principal);
        require_root(caller, "iam:CreateVirtualMFADevice", &serial)?;
        op.authorize(&serial).await?;
        let account_id = principal.account_id.as_str();

        let mut seed = zeroize::Zeroizing::new(vec![0u8; totp::SEED_LEN]);
        rand::rng().fill_bytes(&mut seed);
        let setup = setup_for(&seed, &serial, principal)?;
        let sealed_seed = iam.sealer().seal(&seed, &seed_context(account_id, &serial));

        let mut tx = op.begin().await?;
        if let Some(existing) = mfa::find_for_owner(&mut *tx, account_id, mfa::ROOT_OWNER).await? {
            if existing.enabled_at.is_some() {
                return Err(ServiceError::EntityAlreadyExists {
                    field: None,
                    message: "MFA device entity at the same path and name already exists."
                        .to_string(),
                });
            }
            mfa::delete(&mut *tx, account_id, &existing.serial_number).await?;
        }
        mfa::insert(
            &mut *tx,
            &mfa::MfaDeviceRow {
                account_id: account_id.to_string(),
                serial_number: serial,
                sealed_seed,
                owner: mfa::ROOT_OWNER.to_string(),
                enabled_at: None,
                last_used_step: 0,
                created_at: iam.clock().now_millis(),
            },
        )
        .await?;
        op.commit(tx).await?;
        Ok(setup)
    }
    .await;
    op.finish(result).await
}

/// Enables the assigned device once two consecutive codes prove the authenticator has the seed.
pub async fn enable_root_mfa(
    iam: &Iam,
    caller: &Caller,
    code1: &str,
    code2: &str,
) -> Result<(), ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:EnableMFADevice");
    let result = async {
        let serial = root_serial_number(&caller.principal);
        require_root(caller, "iam:EnableMFADevice", &serial)?;
        op.authorize(&serial).await?;
        let account_id = caller.principal.account_id.as_str();
        let mut tx = op.begin().await?;
        let device = mfa::find_for_owner(&mut *tx, account_id, mfa::ROOT_OWNER)
            .await?
            .ok_or_else(|| {
                ServiceError::NoSuchEntity(
                    "No MFA device is assigned. Start the setup again.".to_string(),
                )
            })?;
        if device.enabled_at.is_some() {
            return Err(ServiceError::EntityAlreadyExists {
                field: None,
                message: "The MFA device is already enabled.".to_string(),
            });
        }
        let seed = iam.sealer().open(
            &device.sealed_seed,
            &seed_context(account_id, &device.serial_number),
        )?;
        let step = totp::verify_consecutive_codes(
            &seed,
            code1,
            code2,
            iam.clock().now_seconds(),
            device.last_used_step.max(0) as u64,
        )
        .map_err(enable_code_error)?;
        mfa::mark_enabled(
            &mut *tx,
            account_id,
            &device.serial_number,
            iam.clock().now_millis(),
            step as i64,
        )
        .await?;
        op.commit(tx).await?;
        tracing::info!(account_id = %account_id, "root MFA device enabled");
        Ok(())
    }
    .await;
    op.finish(result).await
}

/// Removes the enabled device; a valid current code is required.
pub async fn deactivate_root_mfa(
    iam: &Iam,
    caller: &Caller,
    code: &str,
) -> Result<(), ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:DeactivateMFADevice");
    let result = async {
        let serial = root_serial_number(&caller.principal);
        require_root(caller, "iam:DeactivateMFADevice", &serial)?;
        op.authorize(&serial).await?;
        let account_id = caller.principal.account_id.as_str();
        let mut tx = op.begin().await?;
        let device = mfa::find_for_owner(&mut *tx, account_id, mfa::ROOT_OWNER)
            .await?
            .filter(|d| d.enabled_at.is_some())
            .ok_or_else(|| {
                ServiceError::NoSuchEntity(
                    "No MFA device is enabled for the root user.".to_string(),
                )
            })?;
        let seed = iam.sealer().open(
            &device.sealed_seed,
            &seed_context(account_id, &device.serial_number),
        )?;
        totp::verify_code(
            &seed,
            code,
            iam.clock().now_seconds(),
            device.last_used_step.max(0) as u64,
        )
        .map_err(|error| match error {
            TotpError::Malformed => ServiceError::bad_code(
                "code",
                "Enter the 6-digit code from your authenticator app.",
            ),
            TotpError::Invalid | TotpError::Reused => {
                ServiceError::bad_code("code", "The MFA code is not valid or was already used.")
            }
        })?;
        mfa::delete(&mut *tx, account_id, &device.serial_number).await?;
        op.commit(tx).await?;
        tracing::info!(account_id = %account_id, "root MFA device removed");
        Ok(())
    }
    .await;
    op.finish(result).await
}

fn enable_code_error(error: TotpError) -> ServiceError {
    match error {
        TotpError::Malformed => ServiceError::bad_code(
            "code1",
            "Enter two 6-digit codes from your authenticator app.",
        ),
        // AWS's message for EnableMFADevice.
        TotpError::Invalid | TotpError::Reused => {
            ServiceError::bad_code("code1", "Authentication code for device is not valid.")
        }
    }
}

fn setup_for(
    seed: &[u8],
    serial: &str,
    principal: &Principal,
) -> Result<VirtualMfaSetup, ServiceError> {
    let label = format!("root@{}", principal.account_id);
    let totp = Builder::new()
        .with_secret(Secret::from(seed.to_vec()))
        .with_issuer(Some("Ferriam"))
        .with_account_name(label)
        .build()
        .map_err(|e| ServiceError::Internal(format!("totp setup: {e}")))?;
    let png = totp
        .to_qr_png()
        .map_err(|e| ServiceError::Internal(format!("qr code: {e}")))?;
    Ok(VirtualMfaSetup {
        serial_number: serial.to_string(),
        base32_seed: totp.secret().to_base32(),
        qr_png_base64: base64::engine::general_purpose::STANDARD.encode(png),
    })
}
