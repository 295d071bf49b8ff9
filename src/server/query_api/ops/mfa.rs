//! Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice, ResyncMFADevice,
//! DeactivateMFADevice, DeleteVirtualMFADevice, ListMFADevices, ListVirtualMFADevices.

use base64::Engine;

use super::{done, paginate, result, Cx, Reply};
use crate::server::query_api::shapes;
use crate::server::service::credentials::mfa;

pub async fn create_virtual_mfa_device(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let setup = mfa::create_virtual_mfa_device(
        cx.iam,
        cx.caller,
        p.required("VirtualMFADeviceName")?,
        p.get("Path"),
    )
    .await?;
    // Both are blobs in AWS's model, so base64 on the wire: the seed is the base64 of its
    // Base32 text, the QR code the base64 of the PNG.
    let seed = base64::engine::general_purpose::STANDARD.encode(setup.base32_seed.as_bytes());
    result(|x| {
        x.nested("VirtualMFADevice", |x| {
            x.text("SerialNumber", &setup.serial_number)
                // SECURITY: the seed is shown exactly once, here.
                .text("Base32StringSeed", &seed)
                .text("QRCodePNG", &setup.qr_png_base64);
        });
    })
}

pub async fn enable_mfa_device(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    mfa::enable_mfa_device(
        cx.iam,
        cx.caller,
        p.get("UserName"),
        p.required("SerialNumber")?,
        p.required("AuthenticationCode1")?,
        p.required("AuthenticationCode2")?,
    )
    .await?;
    done()
}

pub async fn resync_mfa_device(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    mfa::resync_mfa_device(
        cx.iam,
        cx.caller,
        p.get("UserName"),
        p.required("SerialNumber")?,
        p.required("AuthenticationCode1")?,
        p.required("AuthenticationCode2")?,
    )
    .await?;
    done()
}

pub async fn deactivate_mfa_device(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    mfa::deactivate_mfa_device(
        cx.iam,
        cx.caller,
        p.get("UserName"),
        p.required("SerialNumber")?,
    )
    .await?;
    done()
}

pub async fn delete_virtual_mfa_device(cx: &Cx<'_>) -> Reply {
    mfa::delete_virtual_mfa_device(cx.iam, cx.caller, cx.params.required("SerialNumber")?).await?;
    done()
}

pub async fn list_mfa_devices(cx: &Cx<'_>) -> Reply {
    let devices = mfa::list_mfa_devices(cx.iam, cx.caller, cx.params.get("UserName")).await?;
    // In memory: a principal holds at most one MFA device here (ensure_no_device refuses a
    // second with LimitExceeded; AWS's own quota is 8).
    let page = paginate(devices, cx.params)?;
    result(|x| {
        shapes::page(x, "MFADevices", &page, |x, device| {
            x.opt_text("UserName", device.user_name.as_deref())
                .text("SerialNumber", &device.serial_number)
                .opt_date("EnableDate", device.enable_date);
        })
    })
}

pub async fn list_virtual_mfa_devices(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let page = mfa::list_virtual_mfa_devices(
        cx.iam,
        cx.caller,
        p.get("AssignmentStatus"),
        super::page_request(p)?,
    )
    .await?;
    result(|x| {
        shapes::page(x, "VirtualMFADevices", &page, |x, device| {
            x.text("SerialNumber", &device.serial_number);
            if let Some(user_name) = &device.user_name {
                x.nested("User", |x| {
                    x.text("UserName", user_name);
                });
            }
            x.opt_date("EnableDate", device.enable_date);
        })
    })
}
