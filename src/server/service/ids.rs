//! Fresh unique IDs for new entities, from the CSPRNG.

use rand::Rng;

use crate::domain::unique_id::unique_id;

pub fn new_id(prefix: &str) -> String {
    unique_id(prefix, rand::rng().random())
}
