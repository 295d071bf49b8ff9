//! Resolved configuration: the flags and environment variables of the CLI with defaults applied
//! (the CLI parses them and builds these; this module reads no layer above it), and the fixed
//! limits every door shares.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// What every subcommand needs: where the data lives.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub master_key_file: PathBuf,
}

impl Config {
    /// The configuration from the global flags: the database and the master key default to
    /// files in `data_dir`.
    pub fn new(
        data_dir: PathBuf,
        database_url: Option<String>,
        master_key_file: Option<PathBuf>,
    ) -> Self {
        let database_url = database_url
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("ferriam.db").display()));
        let master_key_file = master_key_file.unwrap_or_else(|| data_dir.join("master.key"));
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
    /// Load balancers whose `X-Forwarded-For`/`-Proto` are believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The URL people and identity providers use (`--public-url`).
    pub public_url: Option<PublicUrl>,
    /// Networks besides this host that may read `/metrics` (`--metrics-from`).
    pub metrics_from: Vec<ipnet::IpNet>,
    /// How identity providers may be reached (`--allow-loopback-http-idp`,
    /// `--allow-private-idp-addresses`, `--idp-ca-bundle`).
    pub idp_fetch: crate::server::outbound::FetchRules,
    /// `--unsigned-requests-per-second`.
    pub unsigned_per_second: u32,
    /// `--test-clock-offset-file`: tests move the server's clock through it.
    pub clock_offset_file: Option<PathBuf>,
}

/// The origin (scheme, host and port) people reach Ferriam at through a load balancer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    origin: String,
}

impl PublicUrl {
    /// `http://` or `https://`, a host and an optional port; no path, query or user.
    pub fn parse(text: &str) -> Result<Self, String> {
        let refused = |why: &str| format!("--public-url {text:?}: {why}");
        let uri: axum::http::Uri = text.parse().map_err(|_| refused("not a URL"))?;
        let scheme = match uri.scheme_str() {
            Some(scheme @ ("http" | "https")) => scheme,
            _ => return Err(refused("the scheme must be http or https")),
        };
        let Some(authority) = uri.authority() else {
            return Err(refused("a host is required"));
        };
        if authority.as_str().contains('@') {
            return Err(refused("a user name or password has no place in it"));
        }
        if !matches!(uri.path(), "" | "/") || uri.query().is_some() {
            return Err(refused("Ferriam serves from the root: no path or query"));
        }
        Ok(Self {
            origin: format!("{scheme}://{}", authority.as_str().to_ascii_lowercase()),
        })
    }

    /// `scheme://host[:port]`, lower-case, as a browser's `Origin` header spells it.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// How long console sessions last (`--session-idle-minutes`, `--session-absolute-hours`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle_millis: i64,
    pub absolute_millis: i64,
}

impl SessionLimits {
    /// The defaults of the operator's settings (`--session-idle-minutes 30`,
    /// `--session-absolute-hours 12`).
    pub const DEFAULT: SessionLimits = SessionLimits {
        idle_millis: 30 * 60 * 1000,
        absolute_millis: 12 * 60 * 60 * 1000,
    };

    pub fn new(idle_minutes: u32, absolute_hours: u32) -> Self {
        Self {
            idle_millis: i64::from(idle_minutes) * 60 * 1000,
            absolute_millis: i64::from(absolute_hours) * 60 * 60 * 1000,
        }
    }
}

impl ServeConfig {
    /// `site_root` defaults as `default_site_root` says.
    pub fn new(
        addr: SocketAddr,
        open_signup: bool,
        secure_cookies: bool,
        site_root: Option<PathBuf>,
    ) -> Self {
        Self {
            addr,
            open_signup,
            secure_cookies,
            site_root: site_root.unwrap_or_else(default_site_root),
            trusted_proxies: Vec::new(),
            public_url: None,
            metrics_from: Vec::new(),
            idp_fetch: crate::server::outbound::FetchRules::default(),
            unsigned_per_second: DEFAULT_UNSIGNED_PER_SECOND,
            clock_offset_file: None,
        }
    }
}

/// Each unsigned request costs a signature check and may cost a fetch from an identity
/// provider; this many a second from one source is far more than an application refreshing its
/// credentials needs (`--unsigned-requests-per-second`).
pub const DEFAULT_UNSIGNED_PER_SECOND: u32 = 50;

/// Large enough for the biggest policy document AWS accepts (131,072 characters) once
/// form-encoded; anything larger is refused with 413 before it is read. The router applies it
/// to every route; the Query API answers a body streamed past it with AWS's error.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

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

#[cfg(test)]
mod tests {
    use super::PublicUrl;

    #[test]
    fn a_public_url_is_an_origin() {
        let url = PublicUrl::parse("https://IAM.Example.com:8443/").unwrap();
        assert_eq!(url.origin(), "https://iam.example.com:8443");
        assert_eq!(
            PublicUrl::parse("http://iam.example.com").unwrap().origin(),
            "http://iam.example.com"
        );
        for refused in [
            "iam.example.com",
            "ftp://iam.example.com",
            "https://iam.example.com/iam",
            "https://iam.example.com/?a=b",
            "https://user:pw@iam.example.com",
        ] {
            assert!(PublicUrl::parse(refused).is_err(), "{refused}");
        }
    }
}
