//! The console's virtual MFA flow for IAM users, on top of AWS's device operations: a device
//! named after its user (as `mfa/${aws:username}` in self-service policies expects), an
//! abandoned setup replaced by a fresh one, and removal (deactivate and delete) in one step.

use crate::catalog::Op;
use crate::domain::read_models::VirtualMfaSetup;
use crate::server::store::mfa::{self, UNASSIGNED};

use crate::server::service::credentials::credential_owner::{authorized_owner, credential_owner};
use crate::server::service::credentials::mfa::{
    abandoned_device, ensure_no_device, held_device, insert_device, not_the_root_serial,
    owner_and_enabled_device, root_serial_number, serial_number, MfaDevice,
};
use crate::server::service::{signin::console_sessions, Caller, Iam, Operation, ServiceError};

/// Where a user's device lives: the root path, named after the user.
const DEVICE_PATH: &str = "/";

fn root_not_here() -> ServiceError {
    ServiceError::InvalidInput(
        "The root user's MFA device is managed on the root user's security credentials page."
            .to_string(),
    )
}

/// A user's MFA as the console shows it, read once: the enabled device, if any, and the ARNs
/// the console asks permission questions about.
pub struct UserMfa {
    pub device: Option<MfaDevice>,
    /// The owner's ARN (the user named, the caller, or root).
    pub owner_arn: String,
    /// The device's serial number, or the one the console's setup would give a new device.
    pub device_serial: String,
}

/// The owner's enabled device (`ListMFADevices` for one user) and its ARNs.
pub async fn user_mfa(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<UserMfa, ServiceError> {
    let (holder, device) = owner_and_enabled_device(iam, caller, user_name).await?;
    let device_serial = match &device {
        Some(device) => device.serial_number.clone(),
        None if holder.is_root() => root_serial_number(caller),
        None => serial_number(caller.account_id().as_str(), DEVICE_PATH, holder.name()),
    };
    Ok(UserMfa {
        device,
        owner_arn: holder.arn,
        device_serial,
    })
}

/// Starts the setup: a new device named after the user, whose seed and QR code are shown this
/// once. A device of that name left unassigned by an abandoned setup is replaced, which also
/// needs `iam:DeleteVirtualMFADevice`.
pub async fn begin_user_mfa(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<VirtualMfaSetup, ServiceError> {
    Operation::run(iam, caller, Op::CreateVirtualMFADevice, |op| {
        Box::pin(async move {
            let account_id = caller.account_id().as_str();
            // Authorized on the device named after the user (found or not) before anything else.
            let holder = credential_owner(iam, caller, user_name)
                .await?
                .named_after(|name| serial_number(account_id, DEVICE_PATH, name));
            let holder = op.authorize_named(holder, &Default::default()).await?;
            if holder.is_root() {
                return Err(root_not_here());
            }
            not_the_root_serial("UserName", DEVICE_PATH, holder.name())?;
            let serial = serial_number(account_id, DEVICE_PATH, holder.name());
            let mut tx = op.begin().await?;
            ensure_no_device(&mut tx, caller, &holder).await?;
            if abandoned_device(&mut tx, caller, &serial).await? {
                op.authorize_action(Op::DeleteVirtualMFADevice, &serial, &Default::default())
                    .await?;
                mfa::delete(&mut *tx, account_id, &serial).await?;
            }
            let setup =
                insert_device(iam, &mut tx, caller, holder.name(), DEVICE_PATH, UNASSIGNED).await?;
            op.commit(tx, &holder).await?;
            Ok(setup)
        })
    })
    .await
}

/// Removes the user's device: deactivates it (`iam:DeactivateMFADevice` on the user) and
/// deletes it (`iam:DeleteVirtualMFADevice` on the device) in one transaction.
pub async fn remove_user_mfa(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeactivateMFADevice, |op| {
        Box::pin(async move {
            let holder = authorized_owner(op, iam, caller, user_name).await?;
            if holder.is_root() {
                return Err(root_not_here());
            }
            let authorized = op
                .authorize_action(Op::DeleteVirtualMFADevice, serial, &Default::default())
                .await?;
            let mut tx = op.begin().await?;
            held_device(&mut tx, caller, &holder, serial).await?;
            mfa::delete(&mut *tx, caller.account_id().as_str(), serial).await?;
            // As `DeactivateMFADevice`: a change to the device ends the principal's other sessions.
            console_sessions::end_other_sessions(&mut tx, caller, &holder.arn).await?;
            op.commit(tx, &authorized).await?;
            tracing::info!(account_id = %caller.account_id(), "user MFA device removed");
            Ok(())
        })
    })
    .await
}
