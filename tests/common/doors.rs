//! Service calls made as a door makes them: the request's parameters parsed into the service's
//! validated inputs first, so a test of bad input sees the error a client would.

use ferriam::domain::entity_requests::{NewEntity, Rename};
use ferriam::domain::iam_models::Group;
use ferriam::server::service::entities::{groups, users};
use ferriam::server::service::{Caller, Iam, ServiceError};

pub async fn create_group(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    path: Option<&str>,
) -> Result<Group, ServiceError> {
    groups::create_group(iam, caller, NewEntity::parse(name, path)?).await
}

pub async fn update_user(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), ServiceError> {
    users::update_user(iam, caller, Rename::parse(name, new_name, new_path)?).await
}

pub async fn update_group(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    new_name: Option<&str>,
    new_path: Option<&str>,
) -> Result<(), ServiceError> {
    groups::update_group(iam, caller, Rename::parse(name, new_name, new_path)?).await
}
