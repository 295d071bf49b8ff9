//! The "Sessions" tab of a user's page: where the user is signed in to the console (since
//! when, last seen, from which address and browser), with a button to end one or all.

use leptos::prelude::*;

use super::sessions_api::{list_console_sessions, EndConsoleSessions};
use crate::domain::console_session::ConsoleSession;
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::table::{EmptyRow, Table, CELL};
use crate::features::ui::{format_millis, FormAlert};

#[component]
pub fn SessionsTab(user_name: String) -> impl IntoView {
    let end = ServerAction::<EndConsoleSessions>::new();
    let list = {
        let user_name = user_name.clone();
        Resource::new(
            move || end.version().get(),
            move |_| list_console_sessions(user_name.clone()),
        )
    };
    let failed = Signal::derive(move || failure(end.value().get()));
    view! {
        <section class="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex items-center justify-between">
                <div>
                    <h2 class="text-base font-semibold text-slate-800">"Console sessions"</h2>
                    <p class="text-sm text-slate-600">
                        "Where this user is signed in to the console. Changing the password, the MFA device or console access ends them too."
                    </p>
                </div>
                <ConfirmButton
                    label="End all sessions"
                    confirm_label="End all"
                    denied=Signal::derive(|| None::<String>)
                    pending=end.pending()
                    on_confirm={
                        let user_name = user_name.clone();
                        move |_| {
                            end.dispatch(EndConsoleSessions { user_name: user_name.clone(), session_id: None });
                        }
                    }
                />
            </div>
            <FormAlert message=failed />
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || {
                    let user_name = user_name.clone();
                    Suspend::new(async move {
                        match list.await {
                            Ok(sessions) => view! { <SessionRows sessions user_name end /> }.into_any(),
                            Err(error) => view! { <ApiErrorView error /> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn SessionRows(
    sessions: Vec<ConsoleSession>,
    user_name: String,
    end: ServerAction<EndConsoleSessions>,
) -> impl IntoView {
    view! {
        <Table headings=vec!["Signed in", "Last seen", "Expires", "MFA", "Source IP", "Browser", ""]>
            {if sessions.is_empty() {
                view! { <EmptyRow columns=7 message="This user is not signed in anywhere.".to_string() /> }.into_any()
            } else {
                sessions
                    .into_iter()
                    .map(|session| {
                        let user_name = user_name.clone();
                        let id = session.id.clone();
                        view! {
                            <tr data-testid="console-session">
                                <td class=CELL>{format_millis(session.signed_in_at)}</td>
                                <td class=CELL>{format_millis(session.last_seen_at)}</td>
                                <td class=CELL>{format_millis(session.expires_at)}</td>
                                <td class=CELL>{if session.mfa { "Yes" } else { "No" }}</td>
                                <td class=CELL><span class="font-mono text-xs">{session.source_ip.unwrap_or_else(|| "—".to_string())}</span></td>
                                <td class=CELL><span class="block max-w-xs truncate text-xs" title=session.user_agent.clone()>{session.user_agent.clone().unwrap_or_else(|| "—".to_string())}</span></td>
                                <td class="px-4 py-2 text-right">
                                    {session.current.then(|| view! { <span class="mr-2 text-xs text-slate-500">"This session"</span> })}
                                    <ConfirmButton
                                        label="End"
                                        confirm_label="End session"
                                        denied=Signal::derive(|| None::<String>)
                                        pending=end.pending()
                                        on_confirm=move |_| {
                                            end.dispatch(EndConsoleSessions { user_name: user_name.clone(), session_id: Some(id.clone()) });
                                        }
                                    />
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </Table>
    }
}
