//! Server functions for a user's console sessions: the list, and ending one or all. Authorized
//! in the service layer (see `service::signin::console_sessions` for the actions that stand in).

use crate::console_protocol::FormArguments;
use leptos::prelude::*;

use crate::api_error::ApiError;
use crate::domain::console_session::ConsoleSession;

#[server(endpoint = "users/list_console_sessions", protocol = FormArguments)]
pub async fn list_console_sessions(user_name: String) -> Result<Vec<ConsoleSession>, ApiError> {
    use crate::server::console;
    use crate::server::service::signin::console_sessions;
    let (iam, caller) = console::signed_in().await?;
    console_sessions::list_user_sessions(&iam, &caller, &user_name)
        .await
        .map_err(console::fail)
}

/// Ends the session named by `session_id`, or every session of the user without one.
#[server(endpoint = "users/end_console_sessions", protocol = FormArguments)]
pub async fn end_console_sessions(
    user_name: String,
    session_id: Option<String>,
) -> Result<u64, ApiError> {
    use crate::server::console;
    use crate::server::service::signin::console_sessions;
    let (iam, caller) = console::signed_in().await?;
    console_sessions::end_user_sessions(&iam, &caller, &user_name, session_id.as_deref())
        .await
        .map_err(console::fail)
}
