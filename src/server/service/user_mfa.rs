//! The console's virtual MFA flow for IAM users, on top of AWS's device operations: a device
//! named after its user (as `mfa/${aws:username}` in self-service policies expects), an
//! abandoned setup replaced by a fresh one, and removal (deactivate and delete) in one step.

use crate::domain::read_models::VirtualMfaSetup;
use crate::server::store::mfa::{self, UNASSIGNED};

use super::credential_owner::credential_owner;
use super::mfa::{
    abandoned_device, ensure_no_device, held_device, insert_device, serial_number, MfaDevice,
};
use super::{Caller, Iam, Operation, ServiceError};

/// Where a user's device lives: the root path, named after the user.
const DEVICE_PATH: &str = "/";

fn root_not_here() -> ServiceError {
    ServiceError::InvalidInput(
        "The root user's MFA device is managed on the root user's security credentials page."
            .to_string(),
    )
}

/// The user's enabled device, if any (`ListMFADevices` for one user).
pub async fn user_mfa_device(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<Option<MfaDevice>, ServiceError> {
    Ok(super::mfa::list_mfa_devices(iam, caller, user_name)
        .await?
        .into_iter()
        .next())
}

/// Starts the setup: a new device named after the user, whose seed and QR code are shown this
/// once. A device of that name left unassigned by an abandoned setup is replaced, which also
/// needs `iam:DeleteVirtualMFADevice`.
pub async fn begin_user_mfa(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<VirtualMfaSetup, ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:CreateVirtualMFADevice");
    let result = async {
        let holder = credential_owner(iam, caller, user_name).await?;
        if holder.is_root() {
            return Err(root_not_here());
        }
        let account_id = caller.account_id().as_str();
        let serial = serial_number(account_id, DEVICE_PATH, holder.name());
        op.authorize(&serial).await?;
        let mut tx = op.begin().await?;
        ensure_no_device(&mut tx, caller, &holder).await?;
        if abandoned_device(&mut tx, caller, &serial).await? {
            op.authorize_action("iam:DeleteVirtualMFADevice", &serial, &Default::default())
                .await?;
            mfa::delete(&mut *tx, account_id, &serial).await?;
        }
        let setup =
            insert_device(iam, &mut tx, caller, holder.name(), DEVICE_PATH, UNASSIGNED).await?;
        op.commit(tx).await?;
        Ok(setup)
    }
    .await;
    op.finish(result).await
}

/// Removes the user's device: deactivates it (`iam:DeactivateMFADevice` on the user) and
/// deletes it (`iam:DeleteVirtualMFADevice` on the device) in one transaction.
pub async fn remove_user_mfa(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
) -> Result<(), ServiceError> {
    let mut op = Operation::new(iam, caller, "iam:DeactivateMFADevice");
    let result = async {
        let holder = credential_owner(iam, caller, user_name).await?;
        if holder.is_root() {
            return Err(root_not_here());
        }
        op.authorize(&holder.arn).await?;
        op.authorize_action("iam:DeleteVirtualMFADevice", serial, &Default::default())
            .await?;
        let mut tx = op.begin().await?;
        held_device(&mut tx, caller, &holder, serial).await?;
        mfa::delete(&mut *tx, caller.account_id().as_str(), serial).await?;
        op.commit(tx).await?;
        tracing::info!(account_id = %caller.account_id(), "user MFA device removed");
        Ok(())
    }
    .await;
    op.finish(result).await
}

/// The ARNs the console asks permission questions about for a credentials owner (the user
/// named, or the caller): the user (or root) ARN and the ARN of its console MFA device.
/// SECURITY: call only after an authorized read about the same owner, so it reveals nothing
/// the caller could not already see.
pub async fn owner_arns(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<(String, String), ServiceError> {
    let holder = credential_owner(iam, caller, user_name).await?;
    let account_id = caller.account_id().as_str();
    let serial = if holder.is_root() {
        super::mfa::root_serial_number(caller)
    } else {
        serial_number(account_id, DEVICE_PATH, holder.name())
    };
    Ok((holder.arn, serial))
}
