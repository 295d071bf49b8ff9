//! Virtual MFA devices, as AWS models them: created with a name (and a seed shown once), then
//! enabled for a user (or the root user) with two consecutive codes, resynchronised,
//! deactivated (unassigned) and deleted. The root user's console flow sits on top.

use crate::catalog::Op;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use totp_rs::{Builder, Secret};

use crate::domain::iam_models::Page;
use crate::domain::read_models::{MfaDeviceStatus, VirtualMfaSetup};
use crate::domain::totp::{self, TotpError};
use crate::domain::{IamPath, PolicyName};
use crate::server::service::paging::{tagged_page, PageRequest};
use crate::server::store::mfa::{self, Assignment, MfaDeviceRow, UNASSIGNED};
use crate::server::store::{Tx, ROOT_OWNER};

use crate::server::service::credentials::credential_owner::{authorized_owner, CredentialOwner};
use crate::server::service::credentials::mfa_check::{
    seed_context, verify_code, Accepted, CodeCheck, Codes,
};
use crate::server::service::{signin::console_sessions, Caller, Iam, Operation, ServiceError};

pub const ROOT_DEVICE_NAME: &str = "root-account-mfa-device";

/// A device's serial number: `arn:aws:iam::<account>:mfa<path><name>`.
pub fn serial_number(account_id: &str, path: &str, name: &str) -> String {
    crate::domain::arn::mfa_arn(account_id, path, name)
}

/// AWS's serial number for the root user's virtual device.
pub fn root_serial_number(caller: &Caller) -> String {
    serial_number(caller.account_id().as_str(), "/", ROOT_DEVICE_NAME)
}

/// SECURITY: the root user's device has a fixed serial number; a device of any other owner
/// taking it would keep the root user from setting up MFA.
pub(in crate::server::service) fn not_the_root_serial(
    field: &str,
    path: &str,
    name: &str,
) -> Result<(), crate::domain::Invalid> {
    if path == "/" && name == ROOT_DEVICE_NAME {
        return Err(crate::domain::Invalid::new(
            field,
            format!(
                "The name {ROOT_DEVICE_NAME} at path / is reserved for the root user's MFA device."
            ),
        ));
    }
    Ok(())
}

/// One device as ListMFADevices / ListVirtualMFADevices report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDevice {
    pub serial_number: String,
    /// The user it is assigned to (`None` while unassigned; "root" for the root user).
    pub user_name: Option<String>,
    pub enable_date: Option<i64>,
}

/// `CreateVirtualMFADevice`: a new unassigned device; its seed and QR code are shown this once.
pub async fn create_virtual_mfa_device(
    iam: &Iam,
    caller: &Caller,
    device_name: &str,
    path: Option<&str>,
) -> Result<VirtualMfaSetup, ServiceError> {
    Operation::run(iam, caller, Op::CreateVirtualMFADevice, |op| {
        Box::pin(async move {
            // AWS names devices with the same rules as other entities.
            let name =
                PolicyName::parse("VirtualMFADeviceName", device_name.trim()).map_err(|e| {
                    crate::domain::Invalid::new(
                        "VirtualMFADeviceName",
                        e.message.replace("policyName", "virtualMFADeviceName"),
                    )
                })?;
            let path = IamPath::parse_or_root("Path", path)?;
            not_the_root_serial("VirtualMFADeviceName", path.as_str(), name.as_str())?;
            let serial = serial_number(caller.account_id().as_str(), path.as_str(), name.as_str());
            let authorized = op.authorize(&serial).await?;
            let mut tx = op.begin().await?;
            let setup = insert_device(
                iam,
                &mut tx,
                caller,
                name.as_str(),
                path.as_str(),
                UNASSIGNED,
            )
            .await?;
            op.commit(tx, &authorized).await?;
            Ok(setup)
        })
    })
    .await
}

pub(in crate::server::service) async fn insert_device(
    iam: &Iam,
    tx: &mut Tx,
    caller: &Caller,
    name: &str,
    path: &str,
    owner: &str,
) -> Result<VirtualMfaSetup, ServiceError> {
    let account_id = caller.account_id().as_str();
    let serial = serial_number(account_id, path, name);
    if mfa::find_by_serial(&mut **tx, account_id, &serial)
        .await?
        .is_some()
    {
        return Err(ServiceError::EntityAlreadyExists {
            field: Some("VirtualMFADeviceName".to_string()),
            message: "MFADevice entity at the same path and name already exists.".to_string(),
        });
    }
    let mut seed = zeroize::Zeroizing::new(vec![0u8; totp::SEED_LEN]);
    rand::rng().fill_bytes(&mut seed);
    let setup = setup_for(&seed, &serial, &format!("{name}@{account_id}"))?;
    mfa::insert(
        &mut **tx,
        &MfaDeviceRow {
            account_id: account_id.to_string(),
            serial_number: serial.clone(),
            name: name.to_string(),
            path: path.to_string(),
            sealed_seed: iam.sealer().seal(&seed, &seed_context(account_id, &serial)),
            owner: owner.to_string(),
            enabled_at: None,
            last_used_step: 0,
            created_at: iam.clock().now_millis(),
        },
    )
    .await?;
    Ok(setup)
}

pub(in crate::server::service) async fn device(
    tx: &mut Tx,
    caller: &Caller,
    serial: &str,
) -> Result<MfaDeviceRow, ServiceError> {
    mfa::find_by_serial(&mut **tx, caller.account_id().as_str(), serial)
        .await?
        .ok_or_else(|| {
            ServiceError::NoSuchEntity(format!(
                "VirtualMFADevice with serial number {serial} doesn't exist."
            ))
        })
}

/// The device `serial`, which must be assigned to `holder`.
pub(in crate::server::service) async fn held_device(
    tx: &mut Tx,
    caller: &Caller,
    holder: &CredentialOwner,
    serial: &str,
) -> Result<MfaDeviceRow, ServiceError> {
    let device = device(tx, caller, serial).await?;
    if device.owner != holder.owner {
        return Err(ServiceError::NoSuchEntity(format!(
            "MFA device {serial} is not assigned to {}.",
            holder.name()
        )));
    }
    Ok(device)
}

/// AWS allows one MFA device per user.
pub(in crate::server::service) async fn ensure_no_device(
    tx: &mut Tx,
    caller: &Caller,
    holder: &CredentialOwner,
) -> Result<(), ServiceError> {
    if mfa::find_for_owner(&mut **tx, caller.account_id().as_str(), &holder.owner)
        .await?
        .is_some()
    {
        return Err(ServiceError::LimitExceeded(format!(
            "Cannot exceed quota for MFADevicesPerUser: 1 ({} already has an MFA device).",
            holder.name()
        )));
    }
    Ok(())
}

/// Whether a device left unassigned by an abandoned console setup holds `serial` (the caller
/// replaces it); AWS's EntityAlreadyExists when a device in use does.
pub(in crate::server::service) async fn abandoned_device(
    tx: &mut Tx,
    caller: &Caller,
    serial: &str,
) -> Result<bool, ServiceError> {
    match mfa::find_by_serial(&mut **tx, caller.account_id().as_str(), serial).await? {
        None => Ok(false),
        Some(existing) if existing.owner == UNASSIGNED => Ok(true),
        Some(_) => Err(ServiceError::EntityAlreadyExists {
            field: None,
            message: "MFADevice entity at the same path and name already exists.".to_string(),
        }),
    }
}

/// Checks the codes typed for `owner`'s device through the guessing defences (`mfa_check`):
/// the transaction that recorded their use and the step, or the door's error (in which a
/// throttled attempt reads as a wrong code).
async fn checked_codes(
    iam: &Iam,
    caller: &Caller,
    owner: &str,
    device: &MfaDeviceRow,
    codes: Codes<'_>,
    refused: fn(TotpError) -> ServiceError,
) -> Result<Accepted, ServiceError> {
    let check = CodeCheck {
        owner,
        source: caller.request.source_ip.as_deref(),
        device,
    };
    verify_code(iam, check, codes)
        .await?
        .map_err(|refusal| refused(refusal.into()))
}

/// What EnableMFADevice requires of the device and its future owner: read before the codes
/// are checked (so these errors come first) and again in the transaction that enables it.
async fn enable_checks(
    tx: &mut Tx,
    caller: &Caller,
    holder: &CredentialOwner,
    serial: &str,
) -> Result<MfaDeviceRow, ServiceError> {
    let device = device(tx, caller, serial).await?;
    if device.owner != UNASSIGNED {
        return Err(ServiceError::EntityAlreadyExists {
            field: None,
            message: "MFA Device is already in use.".to_string(),
        });
    }
    ensure_no_device(tx, caller, holder).await?;
    Ok(device)
}

/// `EnableMFADevice`: assigns the device to the user once two consecutive codes prove the
/// authenticator holds the seed.
pub async fn enable_mfa_device(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::EnableMFADevice, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_serial_number(serial)?;
            let holder = authorized_owner(op, iam, caller, user_name).await?;
            if holder.is_root() && !caller.principal.is_root() {
                return Err(only_root(caller, Op::EnableMFADevice, serial));
            }
            let device = {
                let mut reading = op.begin().await?;
                enable_checks(&mut reading, caller, &holder, serial).await?
            };
            let Accepted { mut tx, step } = checked_codes(
                iam,
                caller,
                &holder.owner,
                &device,
                Codes::Consecutive(code1, code2),
                two_code_error,
            )
            .await?;
            enable_checks(&mut tx, caller, &holder, serial).await?;
            mfa::enable(
                &mut *tx,
                caller.account_id().as_str(),
                serial,
                &holder.owner,
                iam.clock().now_millis(),
                step as i64,
            )
            .await?;
            console_sessions::end_other_sessions(&mut tx, caller, &holder.arn).await?;
            op.commit(tx, &holder).await?;
            tracing::info!(account_id = %caller.account_id(), "MFA device enabled");
            Ok(())
        })
    })
    .await
}

/// `ResyncMFADevice`: realigns the device's clock with two consecutive codes.
pub async fn resync_mfa_device(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
    code1: &str,
    code2: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::ResyncMFADevice, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_serial_number(serial)?;
            let holder = authorized_owner(op, iam, caller, user_name).await?;
            let device = {
                let mut reading = op.begin().await?;
                held_device(&mut reading, caller, &holder, serial).await?
            };
            // The compare-and-set in the check records the new step.
            let Accepted { mut tx, .. } = checked_codes(
                iam,
                caller,
                &holder.owner,
                &device,
                Codes::Consecutive(code1, code2),
                two_code_error,
            )
            .await?;
            held_device(&mut tx, caller, &holder, serial).await?;
            console_sessions::end_other_sessions(&mut tx, caller, &holder.arn).await?;
            op.commit(tx, &holder).await
        })
    })
    .await
}

/// `DeactivateMFADevice`: unassigns the device from the user; it remains until deleted.
pub async fn deactivate_mfa_device(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
    serial: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeactivateMFADevice, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_serial_number(serial)?;
            let holder = authorized_owner(op, iam, caller, user_name).await?;
            let mut tx = op.begin().await?;
            held_device(&mut tx, caller, &holder, serial).await?;
            mfa::deactivate(&mut *tx, caller.account_id().as_str(), serial).await?;
            console_sessions::end_other_sessions(&mut tx, caller, &holder.arn).await?;
            op.commit(tx, &holder).await
        })
    })
    .await
}

/// `DeleteVirtualMFADevice`: only an unassigned device can go.
pub async fn delete_virtual_mfa_device(
    iam: &Iam,
    caller: &Caller,
    serial: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteVirtualMFADevice, |op| {
        Box::pin(async move {
            crate::domain::iam_names::check_serial_number(serial)?;
            let authorized = op.authorize(serial).await?;
            let mut tx = op.begin().await?;
            let device = device(&mut tx, caller, serial).await?;
            if device.owner != UNASSIGNED {
                return Err(ServiceError::DeleteConflict(
                    "MFA device is in use. Deactivate it first.".to_string(),
                ));
            }
            mfa::delete(&mut *tx, caller.account_id().as_str(), serial).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

/// `ListMFADevices`: the devices of the user (or the caller).
pub async fn list_mfa_devices(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<Vec<MfaDevice>, ServiceError> {
    let (_, device) = owner_and_enabled_device(iam, caller, user_name).await?;
    Ok(device.into_iter().collect())
}

/// `ListMFADevices` for the owner named (or the caller), with that owner: at most one device.
pub async fn owner_and_enabled_device(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<(CredentialOwner, Option<MfaDevice>), ServiceError> {
    Operation::run(iam, caller, Op::ListMFADevices, |op| {
        Box::pin(async move {
            let holder = authorized_owner(op, iam, caller, user_name).await?;
            let device = mfa::find_for_owner(
                iam.store().reader(),
                caller.account_id().as_str(),
                &holder.owner,
            )
            .await?
            .filter(|d| d.enabled_at.is_some())
            .map(|d| MfaDevice {
                serial_number: d.serial_number,
                user_name: Some(holder.name().to_string()),
                enable_date: d.enabled_at,
            });
            Ok((holder.into_inner(), device))
        })
    })
    .await
}

/// The sort-key tag of `ListVirtualMFADevices` markers.
const DEVICES_LISTING: &str = "virtual-mfa";

/// `ListVirtualMFADevices`: one page of the account's virtual devices by serial number,
/// filtered by `Assigned` / `Unassigned` / `Any` in the store before paging.
pub async fn list_virtual_mfa_devices(
    iam: &Iam,
    caller: &Caller,
    status: Option<&str>,
    request: PageRequest,
) -> Result<Page<MfaDevice>, ServiceError> {
    Operation::run(iam, caller, Op::ListVirtualMFADevices, |op| {
        Box::pin(async move {
            let assignment = match status.unwrap_or("Any") {
                "Any" => Assignment::Any,
                "Assigned" => Assignment::Assigned,
                "Unassigned" => Assignment::Unassigned,
                _ => {
                    return Err(crate::domain::Invalid::new(
                        "AssignmentStatus",
                        crate::domain::iam_names::constraint_message(
                            "assignmentStatus",
                            "satisfy enum value set: [Assigned, Unassigned, Any]",
                        ),
                    )
                    .into())
                }
            };
            let bounds = request.bounds(DEVICES_LISTING)?;
            op.authorize(&serial_number(caller.account_id().as_str(), "/", ""))
                .await?;
            let rows = mfa::list_page(
                iam.store().reader(),
                caller.account_id().as_str(),
                assignment,
                bounds.after.as_deref(),
                bounds.limit + 1,
            )
            .await?;
            Ok(tagged_page(
                rows,
                &bounds,
                DEVICES_LISTING,
                |row| row.serial_number.clone(),
                |row| MfaDevice {
                    user_name: match row.owner.as_str() {
                        UNASSIGNED => None,
                        ROOT_OWNER => Some("root".to_string()),
                        _ => row.user_name,
                    },
                    serial_number: row.serial_number,
                    enable_date: row.enabled_at,
                },
            ))
        })
    })
    .await
}

// ---- The root user's console flow ------------------------------------------------------------

/// The root user's device, for the root user only.
fn root_device_serial(caller: &Caller, op: Op) -> Result<String, ServiceError> {
    let serial = root_serial_number(caller);
    if !caller.principal.is_root() {
        return Err(only_root(caller, op, &serial));
    }
    Ok(serial)
}

/// SECURITY: only the root user manages the root user's device, whatever IAM policies say.
fn only_root(caller: &Caller, op: Op, serial: &str) -> ServiceError {
    ServiceError::AccessDenied(format!(
        "User: {} is not authorized to perform: {op} on resource: {serial} because only the root user manages the root user's MFA device",
        caller.principal.arn()
    ))
}

pub async fn root_mfa_status(
    iam: &Iam,
    caller: &Caller,
) -> Result<Option<MfaDeviceStatus>, ServiceError> {
    let serial = root_device_serial(caller, Op::ListMFADevices)?;
    Operation::run(iam, caller, Op::ListMFADevices, |op| {
        Box::pin(async move {
            op.authorize(&caller.principal.arn()).await?;
            let device =
                mfa::find_by_serial(iam.store().reader(), caller.account_id().as_str(), &serial)
                    .await?;
            Ok(device.map(|d| MfaDeviceStatus {
                serial_number: serial,
                enabled_at: d.enabled_at.filter(|_| d.owner == ROOT_OWNER),
            }))
        })
    })
    .await
}

/// Creates a new seed for the root user's device, replacing one that was never enabled.
pub async fn create_root_virtual_mfa(
    iam: &Iam,
    caller: &Caller,
) -> Result<VirtualMfaSetup, ServiceError> {
    let serial = root_device_serial(caller, Op::CreateVirtualMFADevice)?;
    Operation::run(iam, caller, Op::CreateVirtualMFADevice, |op| {
        Box::pin(async move {
            let authorized = op.authorize(&serial).await?;
            let mut tx = op.begin().await?;
            if abandoned_device(&mut tx, caller, &serial).await? {
                mfa::delete(&mut *tx, caller.account_id().as_str(), &serial).await?;
            }
            let setup =
                insert_device(iam, &mut tx, caller, ROOT_DEVICE_NAME, "/", UNASSIGNED).await?;
            op.commit(tx, &authorized).await?;
            Ok(setup)
        })
    })
    .await
}

/// Enables the root user's device with two consecutive codes.
pub async fn enable_root_mfa(
    iam: &Iam,
    caller: &Caller,
    code1: &str,
    code2: &str,
) -> Result<(), ServiceError> {
    let serial = root_device_serial(caller, Op::EnableMFADevice)?;
    enable_mfa_device(iam, caller, None, &serial, code1, code2)
        .await
        .map_err(|error| match error {
            ServiceError::NoSuchEntity(_) => ServiceError::NoSuchEntity(
                "No MFA device is assigned. Start the setup again.".into(),
            ),
            other => other,
        })
}

/// Removes the root user's enabled device; a valid current code is required.
pub async fn deactivate_root_mfa(
    iam: &Iam,
    caller: &Caller,
    code: &str,
) -> Result<(), ServiceError> {
    let serial = root_device_serial(caller, Op::DeactivateMFADevice)?;
    Operation::run(iam, caller, Op::DeactivateMFADevice, |op| {
        Box::pin(async move {
            let authorized = op.authorize(&caller.principal.arn()).await?;
            let account_id = caller.account_id().as_str();
            let device = root_device(&mut *op.begin().await?, account_id, &serial).await?;
            // SECURITY: removing the root user's MFA is guarded by the same defences as every code.
            let Accepted { mut tx, .. } = checked_codes(
                iam,
                caller,
                ROOT_OWNER,
                &device,
                Codes::One(code),
                |error| match error {
                    TotpError::Malformed => ServiceError::bad_code(
                        "code",
                        "Enter the 6-digit code from your authenticator app.",
                    ),
                    TotpError::Invalid | TotpError::Reused => ServiceError::bad_code(
                        "code",
                        "The MFA code is not valid or was already used.",
                    ),
                },
            )
            .await?;
            root_device(&mut tx, account_id, &serial).await?;
            mfa::delete(&mut *tx, account_id, &serial).await?;
            console_sessions::end_other_sessions(&mut tx, caller, &caller.principal.arn()).await?;
            op.commit(tx, &authorized).await?;
            tracing::info!(account_id = %account_id, "root MFA device removed");
            Ok(())
        })
    })
    .await
}

/// The root user's enabled device: read before its code is checked and again in the
/// transaction that removes it.
async fn root_device(
    tx: &mut sqlx::AnyConnection,
    account_id: &str,
    serial: &str,
) -> Result<MfaDeviceRow, ServiceError> {
    mfa::find_by_serial(tx, account_id, serial)
        .await?
        .filter(|d| d.owner == ROOT_OWNER)
        .ok_or_else(|| {
            ServiceError::NoSuchEntity("No MFA device is enabled for the root user.".to_string())
        })
}

fn two_code_error(error: TotpError) -> ServiceError {
    match error {
        TotpError::Malformed => ServiceError::bad_code(
            "code1",
            "Enter two 6-digit codes from your authenticator app.",
        ),
        // AWS's message for EnableMFADevice and ResyncMFADevice.
        TotpError::Invalid | TotpError::Reused => {
            ServiceError::bad_code("code1", "Authentication code for device is not valid.")
        }
    }
}

fn setup_for(seed: &[u8], serial: &str, label: &str) -> Result<VirtualMfaSetup, ServiceError> {
    let totp = Builder::new()
        .with_secret(Secret::from(seed.to_vec()))
        .with_issuer(Some("Ferriam"))
        .with_account_name(label.replace(':', "-"))
        .build()
        .map_err(|e| ServiceError::internal_from("totp setup", e))?;
    let png = totp
        .to_qr_png()
        // SECURITY: the error may quote the otpauth URL, which holds the seed: not kept, so it
        // cannot reach the log.
        .map_err(|_| ServiceError::internal("qr code: the otpauth URL could not be encoded"))?;
    Ok(VirtualMfaSetup {
        serial_number: serial.to_string(),
        base32_seed: totp.secret().to_base32(),
        qr_png_base64: base64::engine::general_purpose::STANDARD.encode(png),
    })
}
