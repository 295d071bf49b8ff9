//! A SAML metadata document's field: a file picker that reads the IdP's metadata XML into a
//! text area (where it can also be pasted), sent with the form as `metadata`.

use leptos::prelude::*;

#[component]
pub fn MetadataInput(
    /// The document, as typed, pasted or read from the file.
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let read_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let file = ev
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                leptos::task::spawn_local(async move {
                    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                    if let Some(text) = text.ok().and_then(|t| t.as_string()) {
                        value.set(text);
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <div class="space-y-1">
            <label for="field-SAMLMetadataDocumentFile" class="block text-sm font-medium text-slate-700">
                "Metadata document"
            </label>
            <input
                id="field-SAMLMetadataDocumentFile"
                type="file"
                accept=".xml,application/samlmetadata+xml,text/xml"
                class="block text-sm"
                on:change=read_file
            />
            <label for="field-SAMLMetadataDocument" class="block text-xs text-slate-600">
                "The identity provider's SAML metadata (an EntityDescriptor with its signing certificate): choose its file, or paste it here."
            </label>
            <textarea
                id="field-SAMLMetadataDocument"
                name="metadata"
                rows="6"
                spellcheck="false"
                aria-describedby="field-SAMLMetadataDocument-error"
                class="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p class="text-sm text-red-700" role="alert" id="field-SAMLMetadataDocument-error">{move || error.get()}</p>
        </div>
    }
}
