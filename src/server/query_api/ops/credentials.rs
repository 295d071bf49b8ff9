//! Credentials: access keys, login profiles, ChangePassword and the account password policy.

use super::{done, paginate, result, Cx, Reply};
use crate::domain::password_policy::PasswordPolicy;
use crate::domain::PrincipalKind;
use crate::server::query_api::errors::ApiError;
use crate::server::query_api::shapes;
use crate::server::service::{credentials::access_keys, credentials::passwords, ServiceError};

/// `UserName`, or the calling IAM user's own name when it is left out (as AWS allows).
fn user_name_or_self<'a>(cx: &'a Cx<'_>) -> Result<&'a str, ApiError> {
    match (cx.params.get("UserName"), &cx.caller.principal.kind) {
        (Some(name), _) => Ok(name),
        (None, PrincipalKind::User { user_name, .. }) => Ok(user_name),
        (None, PrincipalKind::Root) => Err(ApiError::missing_parameter("UserName")),
        (
            None,
            PrincipalKind::AssumedRole { .. }
            | PrincipalKind::FederatedUser { .. }
            | PrincipalKind::WebIdentity { .. },
        ) => Err(ServiceError::user_name_required().into()),
    }
}

pub async fn create_access_key(cx: &Cx<'_>) -> Reply {
    let key = access_keys::create_access_key(cx.iam, cx.caller, cx.params.get("UserName")).await?;
    result(|x| {
        x.nested("AccessKey", |x| {
            x.opt_text("UserName", key.user_name.as_deref())
                .text("AccessKeyId", &key.access_key_id)
                .text("Status", &key.status)
                // SECURITY: the secret is returned exactly once, here.
                .text("SecretAccessKey", &key.secret_access_key)
                .date("CreateDate", key.create_date);
        });
    })
}

pub async fn list_access_keys(cx: &Cx<'_>) -> Reply {
    let keys = access_keys::list_access_keys(cx.iam, cx.caller, cx.params.get("UserName")).await?;
    // In memory: a principal has at most KEYS_PER_PRINCIPAL (2) access keys, enforced by
    // CreateAccessKey inside its write transaction.
    let page = paginate(keys, cx.params)?;
    result(|x| {
        shapes::page(x, "AccessKeyMetadata", &page, |x, key| {
            x.opt_text("UserName", key.user_name.as_deref())
                .text("AccessKeyId", &key.access_key_id)
                .text("Status", &key.status)
                .date("CreateDate", key.create_date);
        })
    })
}

pub async fn update_access_key(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    access_keys::update_access_key(
        cx.iam,
        cx.caller,
        p.get("UserName"),
        p.required("AccessKeyId")?,
        p.required("Status")?,
    )
    .await?;
    done()
}

pub async fn delete_access_key(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    access_keys::delete_access_key(
        cx.iam,
        cx.caller,
        p.get("UserName"),
        p.required("AccessKeyId")?,
    )
    .await?;
    done()
}

pub async fn get_access_key_last_used(cx: &Cx<'_>) -> Reply {
    let used = access_keys::get_access_key_last_used(
        cx.iam,
        cx.caller,
        cx.params.required("AccessKeyId")?,
    )
    .await?;
    result(|x| {
        x.opt_text("UserName", used.user_name.as_deref())
            .nested("AccessKeyLastUsed", |x| {
                // AWS answers "N/A" for a key that was never used.
                x.opt_date("LastUsedDate", used.last_used_date)
                    .text("ServiceName", used.service_name.as_deref().unwrap_or("N/A"))
                    .text("Region", used.region.as_deref().unwrap_or("N/A"));
            });
    })
}

fn login_profile(x: &mut crate::server::query_api::xml::Xml, profile: &passwords::LoginProfile) {
    x.nested("LoginProfile", |x| {
        x.text("UserName", &profile.user_name)
            .date("CreateDate", profile.create_date)
            .bool("PasswordResetRequired", profile.password_reset_required);
    });
}

pub async fn create_login_profile(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let profile = passwords::create_login_profile(
        cx.iam,
        cx.caller,
        user_name_or_self(cx)?,
        p.required("Password")?,
        p.bool("PasswordResetRequired")?.unwrap_or(false),
    )
    .await?;
    result(|x| login_profile(x, &profile))
}

pub async fn get_login_profile(cx: &Cx<'_>) -> Reply {
    let profile = passwords::get_login_profile(cx.iam, cx.caller, user_name_or_self(cx)?).await?;
    result(|x| login_profile(x, &profile))
}

pub async fn update_login_profile(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    passwords::update_login_profile(
        cx.iam,
        cx.caller,
        user_name_or_self(cx)?,
        p.get("Password"),
        p.bool("PasswordResetRequired")?,
    )
    .await?;
    done()
}

pub async fn delete_login_profile(cx: &Cx<'_>) -> Reply {
    passwords::delete_login_profile(cx.iam, cx.caller, user_name_or_self(cx)?).await?;
    done()
}

pub async fn change_password(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    passwords::change_password(
        cx.iam,
        cx.caller,
        p.required("OldPassword")?,
        p.required("NewPassword")?,
    )
    .await?;
    done()
}

pub async fn get_account_password_policy(cx: &Cx<'_>) -> Reply {
    let policy = passwords::get_account_password_policy(cx.iam, cx.caller).await?;
    result(|x| {
        x.nested("PasswordPolicy", |x| {
            x.int(
                "MinimumPasswordLength",
                i64::from(policy.minimum_password_length),
            )
            .bool("RequireSymbols", policy.require_symbols)
            .bool("RequireNumbers", policy.require_numbers)
            .bool(
                "RequireUppercaseCharacters",
                policy.require_uppercase_characters,
            )
            .bool(
                "RequireLowercaseCharacters",
                policy.require_lowercase_characters,
            )
            .bool(
                "AllowUsersToChangePassword",
                policy.allow_users_to_change_password,
            )
            .bool("ExpirePasswords", policy.max_password_age.is_some());
            if let Some(age) = policy.max_password_age {
                x.int("MaxPasswordAge", i64::from(age));
            }
            if let Some(reuse) = policy.password_reuse_prevention {
                x.int("PasswordReusePrevention", i64::from(reuse));
            }
            x.bool("HardExpiry", policy.hard_expiry);
        });
    })
}

/// A numeric policy setting; out-of-range values are the policy's own validation to report.
fn setting(cx: &Cx<'_>, name: &str) -> Result<Option<u32>, ApiError> {
    Ok(cx
        .params
        .int(name)?
        .map(|value| u32::try_from(value.max(0)).unwrap_or(u32::MAX)))
}

pub async fn update_account_password_policy(cx: &Cx<'_>) -> Reply {
    let p = cx.params;
    let defaults = PasswordPolicy::default();
    // AWS resets every setting that is not given to its default.
    let policy = PasswordPolicy {
        minimum_password_length: setting(cx, "MinimumPasswordLength")?
            .unwrap_or(defaults.minimum_password_length),
        require_symbols: p.bool("RequireSymbols")?.unwrap_or(false),
        require_numbers: p.bool("RequireNumbers")?.unwrap_or(false),
        require_uppercase_characters: p.bool("RequireUppercaseCharacters")?.unwrap_or(false),
        require_lowercase_characters: p.bool("RequireLowercaseCharacters")?.unwrap_or(false),
        allow_users_to_change_password: p.bool("AllowUsersToChangePassword")?.unwrap_or(false),
        max_password_age: setting(cx, "MaxPasswordAge")?,
        password_reuse_prevention: setting(cx, "PasswordReusePrevention")?,
        hard_expiry: p.bool("HardExpiry")?.unwrap_or(false),
    };
    passwords::update_account_password_policy(cx.iam, cx.caller, policy).await?;
    done()
}

pub async fn delete_account_password_policy(cx: &Cx<'_>) -> Reply {
    passwords::delete_account_password_policy(cx.iam, cx.caller).await?;
    done()
}
