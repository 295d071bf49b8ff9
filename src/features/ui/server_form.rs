//! A form bound to a server action: without JavaScript it posts to the server function like any
//! HTML form; once the page is hydrated, submitting dispatches the action instead.

use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

use crate::api_error::ApiError;
use crate::console_protocol::FormArguments;

/// Leptos's `ActionForm` for the console's protocol (it only takes Leptos's own `Http`). The
/// browser's own validation is off: the server's messages are shown next to the fields.
#[component]
pub fn ServerForm<ServFn>(action: ServerAction<ServFn>, children: Children) -> impl IntoView
where
    ServFn: ServerFn<Protocol = FormArguments, Error = ApiError>
        + DeserializeOwned
        + Clone
        + Send
        + Sync
        + 'static,
    ServFn::Output: Send + Sync + 'static,
{
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        if event.default_prevented() {
            return;
        }
        event.prevent_default();
        match ServFn::from_event(&event) {
            Ok(input) => {
                action.dispatch(input);
            }
            Err(error) => {
                let error = ServerFnErrorErr::Serialization(error.to_string());
                action
                    .value()
                    .set(Some(Err(ApiError::from_server_fn_error(error))));
                action.version().update(|version| *version += 1);
            }
        }
    };
    view! {
        <form action=ServFn::url() method="post" novalidate=true on:submit=on_submit>
            {children()}
        </form>
    }
}
