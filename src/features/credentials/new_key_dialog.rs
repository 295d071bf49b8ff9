//! The dialog that shows a new access key's secret, the only time it can be seen: copy
//! buttons for both values and the `.csv` download. Closing it drops the secret.

use leptos::prelude::*;

use super::csv::{access_key_csv, csv_data_url, csv_file_name};
use super::model::CreatedAccessKey;
use crate::features::ui::{CopyButton, BUTTON_PRIMARY, BUTTON_SECONDARY};

#[component]
pub fn NewKeyDialog(key: CreatedAccessKey, #[prop(into)] on_close: Callback<()>) -> impl IntoView {
    let show_secret = RwSignal::new(false);
    let id = key.access_key_id.clone();
    let secret = key.secret_access_key.clone();
    let csv_href = csv_data_url(&access_key_csv(&id, &secret));
    let file_name = csv_file_name(&id);
    let masked = "*".repeat(secret.len());
    let shown_secret = secret.clone();
    view! {
        <div role="dialog" aria-modal="true" aria-labelledby="new-key-title" class="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 px-4">
            <div class="w-full max-w-2xl rounded-lg bg-white p-6 shadow-xl" data-testid="new-key-dialog">
                <h2 id="new-key-title" class="text-lg font-semibold text-slate-900">"Access key created"</h2>
                <p class="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
                    "This is the only time that the secret access key can be viewed or downloaded. You cannot recover it later. However, you can create a new access key any time."
                </p>
                <dl class="mt-4 grid grid-cols-[10rem_1fr_auto] items-center gap-x-3 gap-y-3 text-sm">
                    <dt class="text-slate-500">"Access key ID"</dt>
                    <dd class="font-mono text-xs" data-testid="new-key-id">{id.clone()}</dd>
                    <dd><CopyButton text=id.clone() label="Copy ID" /></dd>
                    <dt class="text-slate-500">"Secret access key"</dt>
                    <dd class="flex items-center gap-2">
                        <code class="break-all font-mono text-xs" data-testid="new-key-secret">
                            {move || if show_secret.get() { shown_secret.clone() } else { masked.clone() }}
                        </code>
                        <button type="button" class="text-xs font-medium text-orange-700 hover:underline" on:click=move |_| show_secret.update(|s| *s = !*s)>
                            {move || if show_secret.get() { "Hide" } else { "Show" }}
                        </button>
                    </dd>
                    <dd><CopyButton text=secret.clone() label="Copy secret" /></dd>
                </dl>
                <div class="mt-6 flex justify-end gap-3">
                    <a class=BUTTON_SECONDARY href=csv_href download=file_name>"Download .csv file"</a>
                    <button type="button" class=BUTTON_PRIMARY on:click=move |_| on_close.run(())>"Done"</button>
                </div>
            </div>
        </div>
    }
}
