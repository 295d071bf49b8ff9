//! What the service keeps in memory between requests: caches of store reads, each valid only
//! while the account generation it was read at is current, and memos whose loss costs only a
//! repeated read or write.

pub mod bounded_map;
pub mod key_use;
pub mod policy_sets;
pub mod request_generations;
pub mod shared_generation_reads;
pub mod signing_keys;
pub mod user_views;
