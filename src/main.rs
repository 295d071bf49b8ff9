//! The `ferriam` binary: parses the command line and runs the chosen subcommand.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    ferriam::server::cli::run().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser bundle has no binary; `cargo leptos` builds this target with `ssr`.
}
