//! Credentials for applications without long-term keys: instance profiles, the containers of
//! the role a workload runs as, and the workload tokens that buy that role's credentials.

pub mod instance_profiles;
pub mod tokens;
