//! Resolved configuration: the flags and environment variables of the CLI with defaults applied.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::cli::{GlobalArgs, ServeArgs};

/// What every subcommand needs: where the data lives.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub master_key_file: PathBuf,
}

impl Config {
    pub fn from_global(args: &GlobalArgs) -> Self {
        let data_dir = args.data_dir.clone();
        let database_url = args
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("ferriam.db").display()));
        let master_key_file = args
            .master_key_file
            .clone()
            .unwrap_or_else(|| data_dir.join("master.key"));
        Self {
            data_dir,
            database_url,
            master_key_file,
        }
    }

    /// A configuration rooted in one directory, for tests.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            data_dir: dir.to_path_buf(),
            database_url: format!("sqlite://{}", dir.join("ferriam.db").display()),
            master_key_file: dir.join("master.key"),
        }
    }
}

/// What `serve` adds.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub open_signup: bool,
    pub secure_cookies: bool,
    pub site_root: PathBuf,
}

/// How long console sessions last (`--session-idle-minutes`, `--session-absolute-hours`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle_millis: i64,
    pub absolute_millis: i64,
}

impl SessionLimits {
    pub fn from_args(args: &ServeArgs) -> Self {
        Self {
            idle_millis: i64::from(args.session_idle_minutes) * 60 * 1000,
            absolute_millis: i64::from(args.session_absolute_hours) * 60 * 60 * 1000,
        }
    }
}

impl ServeConfig {
    pub fn from_args(args: &ServeArgs) -> Self {
        Self {
            addr: args.addr,
            open_signup: args.open_signup,
            secure_cookies: args.secure_cookies,
            site_root: args.site_root.clone().unwrap_or_else(default_site_root),
        }
    }
}

/// Where the built site is when no flag says: cargo-leptos's variable when it runs us, else a
/// `site` folder beside the executable (how the README deploys it), else `target/site`.
fn default_site_root() -> PathBuf {
    if let Ok(root) = std::env::var("LEPTOS_SITE_ROOT") {
        return PathBuf::from(root);
    }
    if let Some(beside_exe) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("site")))
        .filter(|dir| dir.join("pkg").is_dir())
    {
        return beside_exe;
    }
    PathBuf::from("target/site")
}
