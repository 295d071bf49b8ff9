//! Service calls made as a door makes them: the request's parameters parsed into the service's
//! validated inputs first (a refusal audited as the operation's failure), so a test of bad input
//! sees the error, and leaves the record, a client would.

use ferriam::catalog::Op;
use ferriam::domain::entity_requests::{NewEntity, Rename};
use ferriam::domain::iam_models::{Group, User};
use ferriam::server::service::entities::{groups, users};
use ferriam::server::service::{Caller, Iam, Operation, ServiceError};

pub async fn create_user(iam: &Iam, caller: &Caller, name: &str) -> Result<User, ServiceError> {
    let parsed = NewEntity::parse(name, None);
    let entity = Operation::parsed(iam, caller, Op::CreateUser, parsed).await?;
    let input = users::CreateUser {
        entity,
        tags: Vec::new(),
        permissions_boundary: None,
        groups: Vec::new(),
        policy_arns: Vec::new(),
    };
    users::create_user(iam, caller, input).await
}

pub async fn create_group(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
) -> Result<Group, ServiceError> {
    let parsed = NewEntity::parse(name, path);
    let group = Operation::parsed(iam, caller, Op::CreateGroup, parsed).await?;
    groups::create_group(iam, caller, group).await
}

pub async fn update_user(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), ServiceError> {
    let parsed = Rename::parse(name, new_name, new_path);
    let rename = Operation::parsed(iam, caller, Op::UpdateUser, parsed).await?;
    users::update_user(iam, caller, rename).await
}

pub async fn update_group(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), ServiceError> {
    let parsed = Rename::parse(name, new_name, new_path);
    let rename = Operation::parsed(iam, caller, Op::UpdateGroup, parsed).await?;
    groups::update_group(iam, caller, rename).await
}
