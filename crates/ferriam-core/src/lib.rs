//! Ferriam's pure core: the domain types (`domain`) and the AWS IAM policy engine (`policy`).
//!
//! No I/O, no clock, no randomness: time and random values are parameters. The server and the
//! browser (wasm32) both use this crate, so the console checks input with exactly the server's
//! rules. INVARIANT: no async runtime, database, HTTP or UI crate in its dependency tree
//! (`make core-purity`).

pub mod domain;
pub mod policy;
