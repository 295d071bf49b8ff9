//! Ferriam: self-hosted identity and access management that behaves like AWS IAM.
//!
//! `domain` and `policy` are pure and compile for the browser too (they live in the
//! `ferriam-core` crate, re-exported here so `crate::policy::…` paths read as before);
//! `features` holds the console (pages and their server functions); `server` is everything that
//! runs only on the server.

// The console's nested view types, when not erased (fuzzing builds, and any build outside
// cargo-leptos, which erases them), outgrow the compiler's default query depth.
#![recursion_limit = "256"]

pub mod api_error;
pub mod app;
pub mod catalog;
pub mod console_protocol;
pub mod features;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

pub use ferriam_core::{domain, policy};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        pages::load_area_of_current_page().await;
        leptos::mount::hydrate_body(app::App);
    });
}
