//! Deleting a user, group or role. The Query API refuses while anything hangs on the entity
//! (AWS's DeleteConflict, naming the first dependent in AWS's order); the console removes each
//! dependent first, each authorized as the action that removes it, all in one transaction.

use crate::catalog::{Op, DELETE_ENTITY, DELETE_POLICY, DETACH_POLICY};
use crate::domain::arn::{group_arn, instance_profile_arn};
use crate::domain::EntityKind;
use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::{self, Entity};
use crate::server::service::signin::console_sessions;
use crate::server::service::{Caller, Iam, Operation, ServiceError};
use crate::server::store::{
    access_keys, attachments, groups, inline, instance_profiles, login_profiles, mfa, roles, tags,
    users, Tx,
};

/// What a delete does with what hangs on the entity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dependents {
    /// `Delete{User,Group,Role}`: DeleteConflict while any is there.
    Refuse,
    /// The console's delete: remove them with it.
    Remove,
}

/// One kind of thing that can hang on an entity and stop its deletion.
#[derive(Clone, Copy)]
enum Dependent {
    LoginProfile,
    AccessKeys,
    MfaDevice,
    InlinePolicies,
    AttachedPolicies,
    GroupMemberships,
    Members,
    InstanceProfiles,
}

impl Dependent {
    /// A kind's dependents in the order AWS names them in DeleteConflict.
    fn of(kind: EntityKind) -> &'static [Dependent] {
        use Dependent::*;
        kind.pick([
            &[
                LoginProfile,
                AccessKeys,
                MfaDevice,
                InlinePolicies,
                AttachedPolicies,
                GroupMemberships,
            ][..],
            &[Members, InlinePolicies, AttachedPolicies][..],
            &[InstanceProfiles, AttachedPolicies, InlinePolicies][..],
        ])
    }

    fn conflict(self) -> &'static str {
        match self {
            Dependent::LoginProfile => "Cannot delete entity, must delete login profile first.",
            Dependent::AccessKeys => "Cannot delete entity, must delete access keys first.",
            Dependent::MfaDevice => "Cannot delete entity, must delete MFA device first.",
            Dependent::InlinePolicies => "Cannot delete entity, must delete policies first.",
            Dependent::AttachedPolicies => "Cannot delete entity, must detach all policies first.",
            Dependent::GroupMemberships | Dependent::Members => {
                "Cannot delete entity, must remove users from group first."
            }
            Dependent::InstanceProfiles => {
                "Cannot delete entity, must remove roles from instance profile first."
            }
        }
    }

    async fn present(self, tx: &mut Tx, caller: &Caller, e: &Entity) -> Result<bool, ServiceError> {
        let account = caller.account_id().as_str();
        Ok(match self {
            Dependent::LoginProfile => login_profiles::find(&mut **tx, &e.id).await?.is_some(),
            Dependent::AccessKeys => {
                access_keys::count_for_owner(&mut **tx, account, &e.id).await? > 0
            }
            Dependent::MfaDevice => mfa::find_for_owner(&mut **tx, account, &e.id)
                .await?
                .is_some(),
            Dependent::InlinePolicies => !inline::for_entity(&mut **tx, e.kind, &e.id)
                .await?
                .is_empty(),
            Dependent::AttachedPolicies => {
                attachments::count_for_entity(&mut **tx, e.kind, &e.id).await? > 0
            }
            Dependent::GroupMemberships => groups::count_for_user(&mut **tx, &e.id).await? > 0,
            Dependent::Members => groups::count_members(&mut **tx, &e.id).await? > 0,
            Dependent::InstanceProfiles => !instance_profiles::for_role(&mut **tx, &e.id)
                .await?
                .is_empty(),
        })
    }

    /// Authorizes removing this dependent as the action that removes it on its own.
    async fn authorize_removal(
        self,
        op: &mut Operation<'_>,
        tx: &mut Tx,
        caller: &Caller,
        e: &Entity,
    ) -> Result<(), ServiceError> {
        let none = RequestContext::default();
        let on_entity = match self {
            Dependent::LoginProfile => Op::DeleteLoginProfile,
            Dependent::AccessKeys => Op::DeleteAccessKey,
            Dependent::InlinePolicies => e.kind.pick(DELETE_POLICY),
            Dependent::AttachedPolicies => e.kind.pick(DETACH_POLICY),
            Dependent::Members => Op::RemoveUserFromGroup,
            Dependent::MfaDevice => {
                let account = caller.account_id().as_str();
                if let Some(device) = mfa::find_for_owner(&mut **tx, account, &e.id).await? {
                    op.authorize_action(Op::DeactivateMFADevice, &e.arn, &none)
                        .await?;
                    op.authorize_action(Op::DeleteVirtualMFADevice, &device.serial_number, &none)
                        .await?;
                }
                return Ok(());
            }
            Dependent::GroupMemberships => {
                for group in groups::for_user(&mut **tx, &e.id).await? {
                    let arn = group_arn(caller.account_id(), &group.path, &group.name);
                    op.authorize_action(Op::RemoveUserFromGroup, &arn, &none)
                        .await?;
                }
                return Ok(());
            }
            Dependent::InstanceProfiles => {
                for profile in instance_profiles::for_role(&mut **tx, &e.id).await? {
                    let arn =
                        instance_profile_arn(caller.account_id(), &profile.path, &profile.name);
                    op.authorize_action(Op::RemoveRoleFromInstanceProfile, &arn, &none)
                        .await?;
                }
                return Ok(());
            }
        };
        op.authorize_action(on_entity, &e.arn, &none).await?;
        Ok(())
    }

    async fn remove(self, tx: &mut Tx, caller: &Caller, e: &Entity) -> Result<(), ServiceError> {
        let account = caller.account_id().as_str();
        match self {
            Dependent::LoginProfile => {
                login_profiles::delete(&mut **tx, &e.id).await?;
            }
            Dependent::AccessKeys => {
                access_keys::delete_for_owner(&mut **tx, account, &e.id).await?;
            }
            Dependent::MfaDevice => {
                mfa::delete_for_owner(&mut **tx, account, &e.id).await?;
            }
            Dependent::InlinePolicies => {
                inline::delete_all(&mut **tx, e.kind, &e.id).await?;
            }
            Dependent::AttachedPolicies => {
                attachments::detach_all_from_entity(&mut **tx, e.kind, &e.id).await?;
            }
            Dependent::GroupMemberships => {
                groups::remove_user_from_all(&mut **tx, &e.id).await?;
            }
            Dependent::Members => {
                groups::remove_all_members(&mut **tx, &e.id).await?;
            }
            Dependent::InstanceProfiles => {
                for profile in instance_profiles::for_role(&mut **tx, &e.id).await? {
                    instance_profiles::set_role(&mut **tx, &profile.instance_profile_id, None)
                        .await?;
                }
            }
        }
        Ok(())
    }
}

/// Deletes the entity `name` of `kind`, refusing or removing what hangs on it.
pub async fn delete(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    dependents: Dependents,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(DELETE_ENTITY), |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            // The delete itself first: a caller that may not delete the entity learns nothing
            // of what hangs on it (nor whether it exists).
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let mut held = Vec::new();
            for dependent in Dependent::of(kind) {
                if dependent.present(&mut tx, caller, &entity).await? {
                    held.push(*dependent);
                }
            }
            match (dependents, held.first()) {
                (Dependents::Refuse, Some(first)) => {
                    return Err(ServiceError::DeleteConflict(first.conflict().to_string()));
                }
                (Dependents::Refuse, None) => {}
                (Dependents::Remove, _) => {
                    for dependent in &held {
                        dependent
                            .authorize_removal(op, &mut tx, caller, &entity)
                            .await?;
                    }
                    for dependent in &held {
                        dependent.remove(&mut tx, caller, &entity).await?;
                    }
                }
            }
            remove(&mut tx, &entity).await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// The entity itself, once nothing hangs on it: its tags, its row, and (for a user) the console
/// sessions signed in as it.
async fn remove(tx: &mut Tx, entity: &Entity) -> Result<(), ServiceError> {
    tags::remove_all(&mut **tx, entity.kind, &entity.id).await?;
    match entity.kind {
        EntityKind::User => users::TABLE.delete(&mut **tx, &entity.id).await?,
        EntityKind::Group => groups::TABLE.delete(&mut **tx, &entity.id).await?,
        EntityKind::Role => roles::TABLE.delete(&mut **tx, &entity.id).await?,
    }
    if entity.kind == EntityKind::User {
        console_sessions::end_all_sessions(tx, &entity.arn).await?;
    }
    Ok(())
}
