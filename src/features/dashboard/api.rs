//! Server functions behind the dashboard.

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::read_models::AccountOverview;

#[server(endpoint = "dashboard/get_account_overview", protocol = FormArguments)]
pub async fn get_account_overview() -> Result<AccountOverview, ApiError> {
    use crate::server::{console, service};
    let (iam, caller) = console::signed_in().await?;
    service::account::accounts::account_overview(&iam, &caller)
        .await
        .map_err(console::fail)
}
