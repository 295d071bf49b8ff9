//! Credentials for applications without long-term keys: instance profiles, the containers of
//! the role a workload runs as.

pub mod instance_profiles;
