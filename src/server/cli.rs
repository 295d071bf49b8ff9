//! The `ferriam` command line: global flags, subcommands, and what each one runs.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use super::clock::rfc3339;
use super::config::{Config, PublicUrl, ServeConfig, SessionLimits};
use super::service::account::accounts::NewAccount;
use super::service::database;
use super::service::iam::{self, Settings};
use super::service::Iam;
use super::service::{audit::lookup, Caller, ServiceError};
use super::telemetry;

#[derive(Parser, Debug)]
#[command(
    name = "ferriam",
    version,
    about = "Self-hosted identity and access management that behaves like AWS IAM"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// `serve`'s flags, accepted without the subcommand because `serve` is the default.
    #[command(flatten)]
    pub serve: ServeArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Directory for the SQLite database and the master key.
    #[arg(long, env = "FERRIAM_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL [default: sqlite://<data-dir>/ferriam.db].
    #[arg(long, env = "FERRIAM_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// File holding the master key that encrypts secrets at rest; created (mode 0600) when
    /// missing [default: <data-dir>/master.key].
    #[arg(long, env = "FERRIAM_MASTER_KEY_FILE", global = true)]
    pub master_key_file: Option<PathBuf>,
}

impl GlobalArgs {
    /// The resolved configuration, with the defaults applied.
    pub fn config(&self) -> Config {
        Config::new(
            self.data_dir.clone(),
            self.database_url.clone(),
            self.master_key_file.clone(),
        )
    }
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "FERRIAM_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: std::net::SocketAddr,
    /// Let anyone create a new account from the sign-in page, not only the first visitor.
    #[arg(long, env = "FERRIAM_OPEN_SIGNUP", value_parser = clap::builder::FalseyValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub open_signup: bool,
    /// Mark session cookies `Secure` (serve behind HTTPS).
    #[arg(long, env = "FERRIAM_SECURE_COOKIES", value_parser = clap::builder::FalseyValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub secure_cookies: bool,
    /// Directory with the built site (wasm, JS, CSS) [default: $LEPTOS_SITE_ROOT, else `site`
    /// beside the executable, else target/site].
    #[arg(long, env = "FERRIAM_SITE_ROOT")]
    pub site_root: Option<PathBuf>,
    /// End a console session after this many minutes without a request.
    #[arg(long, env = "FERRIAM_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=10_080))]
    pub session_idle_minutes: u32,
    /// The URL people and identity providers reach Ferriam at, e.g. https://iam.example.com,
    /// when a load balancer or proxy stands in front.
    #[arg(long, env = "FERRIAM_PUBLIC_URL", value_parser = PublicUrl::parse)]
    pub public_url: Option<PublicUrl>,
    /// A load balancer's address or network (CIDR); repeat or separate with commas. Only from
    /// these are X-Forwarded-For and X-Forwarded-Proto believed.
    #[arg(long = "trusted-proxy", env = "FERRIAM_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// An address or network (CIDR) besides this host that may read /metrics (Prometheus);
    /// repeat or separate with commas.
    #[arg(long = "metrics-from", env = "FERRIAM_METRICS_FROM", value_delimiter = ',', value_parser = parse_network)]
    pub metrics_from: Vec<ipnet::IpNet>,
    /// Also reach identity providers at plain-http issuers on 127.0.0.1 or localhost (tests and
    /// labs only: tokens from such an issuer are as good as the loopback host is private).
    #[arg(long, env = "FERRIAM_ALLOW_LOOPBACK_HTTP_IDP", value_parser = clap::builder::FalseyValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub allow_loopback_http_idp: bool,
    /// Also reach identity providers at private, loopback and link-local addresses (an IdP
    /// inside your network). Without it such addresses are refused, so registering a provider
    /// cannot make the server fetch from its own network.
    #[arg(long, env = "FERRIAM_ALLOW_PRIVATE_IDP_ADDRESSES", value_parser = clap::builder::FalseyValueParser::new(), default_value = "false", num_args = 0..=1, default_missing_value = "true")]
    pub allow_private_idp_addresses: bool,
    /// A PEM file of certificate authorities trusted for identity providers besides the
    /// system's (an internal IdP's CA).
    #[arg(long, env = "FERRIAM_IDP_CA_BUNDLE")]
    pub idp_ca_bundle: Option<PathBuf>,
    /// Unsigned requests (AssumeRoleWithWebIdentity) one client address may make per second,
    /// with bursts of twice as many; 0 for no limit.
    #[arg(long, env = "FERRIAM_UNSIGNED_REQUESTS_PER_SECOND", default_value_t = crate::server::config::DEFAULT_UNSIGNED_PER_SECOND)]
    pub unsigned_requests_per_second: u32,
    /// End a console session this many hours after sign-in, however active.
    #[arg(long, env = "FERRIAM_SESSION_ABSOLUTE_HOURS", default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=720))]
    pub session_absolute_hours: u32,
    /// For tests only: a file whose number of seconds is added to the server's clock, read
    /// again while it runs (to move past an expiry instead of waiting).
    #[arg(long, env = "FERRIAM_TEST_CLOCK_OFFSET_FILE", hide = true)]
    pub test_clock_offset_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web console and the AWS Query API (the default).
    Serve(ServeArgs),
    /// Manage accounts headlessly.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Manage access keys headlessly.
    #[command(subcommand, name = "access-key")]
    AccessKey(AccessKeyCommand),
    /// Manage workload tokens headlessly (an application's way to its instance profile's role
    /// credentials, from GET /workload/credentials).
    #[command(subcommand, name = "workload-token")]
    WorkloadToken(WorkloadTokenCommand),
    /// Evaluate and validate policies: JSON in on stdin, JSON out on stdout.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Check the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the master key that encrypts secrets at rest.
    #[command(subcommand, name = "master-key")]
    MasterKey(MasterKeyCommand),
    /// Migrate or copy the database.
    #[command(subcommand)]
    Db(DbCommand),
    /// Write a consistent copy of the SQLite database to a new file, while it serves; prints
    /// {"Backup": FILE}. Restore: stop the server, put the file in place of ferriam.db (removing
    /// ferriam.db-wal and ferriam.db-shm), start it with the same master key.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Apply this release's migrations (serve does this at start); refuses a database migrated
    /// by a newer release. Prints {"SchemaVersion": N}.
    Migrate,
    /// Copy every row of one database into a new, empty one (SQLite to PostgreSQL, or back) in
    /// one transaction; prints the rows copied per table. Secrets stay sealed under the same
    /// master key; the audit chain keeps verifying.
    Copy {
        /// The database to read [default: the configured one].
        #[arg(long)]
        from: Option<String>,
        /// The empty database to fill (created tables first); refused if it holds any row.
        #[arg(long)]
        to: String,
        /// Copy console sessions and STS temporary credentials too (otherwise people sign in
        /// again and applications ask for new credentials).
        #[arg(long)]
        sessions: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk the audit log's hash chain; prints {"Records": N, "Valid": true}, or the first
    /// broken record and why (exit 1).
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum MasterKeyCommand {
    /// Re-encrypt every sealed secret under a new key (generated, or read from
    /// --new-key-file), then replace the key file. Stop the server first: it keeps the old key
    /// in memory.
    Rotate {
        /// A file holding the new key (32 bytes, base64), instead of a generated one.
        #[arg(long)]
        new_key_file: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccessKeyCommand {
    /// Create an access key (the root user's without --user); prints it in AWS's
    /// CreateAccessKey shape. With --access-key-id and --secret-access-key, imports that pair.
    Create {
        #[arg(long)]
        account: String,
        #[arg(long)]
        user: Option<String>,
        #[arg(long, requires = "secret_access_key")]
        access_key_id: Option<String>,
        #[arg(long, requires = "access_key_id")]
        secret_access_key: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum WorkloadTokenCommand {
    /// Issue a token for an instance profile (which must hold a role); prints
    /// {"Token", "TokenId", "InstanceProfileName"} — the token this once only.
    Create {
        #[arg(long)]
        account: String,
        #[arg(long)]
        instance_profile: String,
    },
    /// The profile's tokens: {"WorkloadTokens": [{"TokenId", "CreateDate", "LastUsedDate",
    /// "Uses"}]}.
    List {
        #[arg(long)]
        account: String,
        #[arg(long)]
        instance_profile: String,
    },
    /// Revoke a token: its application gets no new credentials from then on.
    Delete {
        #[arg(long)]
        account: String,
        #[arg(long)]
        instance_profile: String,
        #[arg(long)]
        token_id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Read a SimulateCustomPolicy-style request; print the evaluation results.
    Simulate {
        /// One request per input line, one response per output line.
        #[arg(long)]
        lines: bool,
    },
    /// Read a policy document; print AWS's error (exit 1) or the findings (exit 0).
    Validate {
        /// managed, user, group, role, trust or resource.
        #[arg(long)]
        kind: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AccountCommand {
    /// Create an account with its root user; prints {"AccountId", "Alias", "RootEmail"}.
    Create {
        #[arg(long)]
        email: String,
        /// File whose first line is the root password (keeps it out of the process list).
        #[arg(long)]
        password_file: PathBuf,
        /// A fixed 12-digit account ID (for test fixtures); random when omitted.
        #[arg(long)]
        account_id: Option<String>,
        #[arg(long)]
        alias: Option<String>,
    },
}

/// Runs the command line and returns the process exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let config = cli.global.config();
    match cli.command {
        None => serve(config, cli.serve).await,
        Some(Command::Serve(args)) => serve(config, args).await,
        Some(Command::Account(AccountCommand::Create {
            email,
            password_file,
            account_id,
            alias,
        })) => create_account(config, email, password_file, account_id, alias).await,
        Some(Command::Policy(command)) => run_policy_command(command),
        Some(Command::Audit(AuditCommand::Verify)) => verify_audit_log(config).await,
        Some(Command::MasterKey(MasterKeyCommand::Rotate { new_key_file })) => {
            rotate_master_key(config, new_key_file).await
        }
        Some(Command::Db(DbCommand::Migrate)) => migrate_database(config).await,
        Some(Command::Db(DbCommand::Copy { from, to, sessions })) => {
            let from = from.unwrap_or_else(|| config.database_url.clone());
            copy_database(&from, &to, sessions).await
        }
        Some(Command::Backup { to }) => back_up_database(config, to).await,
        Some(Command::AccessKey(AccessKeyCommand::Create {
            account,
            user,
            access_key_id,
            secret_access_key,
        })) => create_access_key(config, account, user, access_key_id, secret_access_key).await,
        Some(Command::WorkloadToken(command)) => run_workload_token_command(config, command).await,
    }
}

async fn serve(config: Config, args: ServeArgs) -> ExitCode {
    use crate::server::outbound::{tls::TrustedRoots, FetchRules};
    telemetry::init();
    let serve_config = ServeConfig::new(
        args.addr,
        args.open_signup,
        args.secure_cookies,
        args.site_root.clone(),
    );
    let roots = match TrustedRoots::load(args.idp_ca_bundle.as_deref()) {
        Ok(roots) => roots,
        Err(error) => {
            tracing::error!(error = %error, "--idp-ca-bundle");
            return ExitCode::FAILURE;
        }
    };
    let serve_config = ServeConfig {
        trusted_proxies: args.trusted_proxies.clone(),
        public_url: args.public_url.clone(),
        metrics_from: args.metrics_from.clone(),
        idp_fetch: FetchRules {
            allow_loopback_http: args.allow_loopback_http_idp,
            allow_private_addresses: args.allow_private_idp_addresses,
            roots,
        },
        unsigned_per_second: args.unsigned_requests_per_second,
        clock_offset_file: args.test_clock_offset_file.clone(),
        ..serve_config
    };
    let limits = SessionLimits::new(args.session_idle_minutes, args.session_absolute_hours);
    match super::http::serve(config, serve_config, limits).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "server stopped");
            ExitCode::FAILURE
        }
    }
}

async fn create_account(
    config: Config,
    email: String,
    password_file: PathBuf,
    account_id: Option<String>,
    alias: Option<String>,
) -> ExitCode {
    telemetry::init_for_cli();
    let password = match read_password_file(&password_file) {
        Ok(password) => password,
        Err(message) => return print_error("ValidationError", &message),
    };
    let iam = match Iam::open(&config, Settings::default()).await {
        Ok(iam) => iam,
        Err(error) => return print_error(error.code(), &error.to_string()),
    };
    let request = NewAccount {
        email,
        password: password.clone(),
        confirm_password: password,
        alias,
        account_id,
    };
    match super::service::account::accounts::create_account_headless(&iam, request).await {
        Ok(account) => {
            let out = serde_json::json!({
                "AccountId": account.account_id.as_str(),
                "Alias": account.alias.as_ref().map(|a| a.as_str()),
                "RootEmail": account.root_email.as_str(),
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(error) => print_error(error.code(), &error.public_message()),
    }
}

async fn create_access_key(
    config: Config,
    account: String,
    user: Option<String>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
) -> ExitCode {
    use super::service::credentials::access_keys;
    telemetry::init_for_cli();
    let (iam, caller) = match as_account_root(&config, &account).await {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let created = match (access_key_id, secret_access_key) {
        (Some(id), Some(secret)) => {
            access_keys::import_access_key(&iam, &caller, user.as_deref(), &id, &secret).await
        }
        _ => access_keys::create_access_key(&iam, &caller, user.as_deref()).await,
    };
    iam.audit().flush().await;
    match created {
        Ok(key) => {
            let create_date = rfc3339(key.create_date);
            let out = serde_json::json!({
                "AccessKeyId": key.access_key_id,
                "SecretAccessKey": key.secret_access_key,
                "UserName": key.user_name,
                "Status": key.status,
                "CreateDate": create_date,
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(error) => print_error(error.code(), &error.public_message()),
    }
}

/// The service and the caller an operator's command acts as: the account's root user.
async fn as_account_root(config: &Config, account: &str) -> Result<(Iam, Caller), ExitCode> {
    let account_id = crate::domain::AccountId::parse("Account", account.trim())
        .map_err(|error| print_error("ValidationError", &error.message))?;
    let iam = Iam::open(config, Settings::default())
        .await
        .map_err(|error| print_error(error.code(), &error.to_string()))?;
    match super::service::account::accounts::account_exists(&iam, &account_id).await {
        Ok(true) => Ok((
            iam,
            Caller::local(crate::domain::Principal::root(account_id)),
        )),
        Ok(false) => Err(print_error(
            "NoSuchEntity",
            &format!("The account {account_id} does not exist."),
        )),
        Err(error) => Err(print_failure(&error)),
    }
}

async fn run_workload_token_command(config: Config, command: WorkloadTokenCommand) -> ExitCode {
    use super::service::workloads::tokens;
    telemetry::init_for_cli();
    let account = match &command {
        WorkloadTokenCommand::Create { account, .. }
        | WorkloadTokenCommand::List { account, .. }
        | WorkloadTokenCommand::Delete { account, .. } => account.clone(),
    };
    let (iam, caller) = match as_account_root(&config, &account).await {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let out = match command {
        WorkloadTokenCommand::Create {
            instance_profile, ..
        } => tokens::create(&iam, &caller, &instance_profile)
            .await
            .map(|issued| {
                serde_json::json!({
                    "Token": issued.token,
                    "TokenId": issued.token_id,
                    "InstanceProfileName": issued.instance_profile_name,
                })
            }),
        WorkloadTokenCommand::List {
            instance_profile, ..
        } => tokens::list(&iam, &caller, &instance_profile)
            .await
            .map(|listed| {
                let listed: Vec<serde_json::Value> = listed
                    .into_iter()
                    .map(|token| {
                        serde_json::json!({
                            "TokenId": token.token_id,
                            "CreateDate": rfc3339(token.created_at),
                            "LastUsedDate": token.last_used_at.map(rfc3339),
                            "Uses": token.uses,
                        })
                    })
                    .collect();
                serde_json::json!({ "WorkloadTokens": listed })
            }),
        WorkloadTokenCommand::Delete {
            instance_profile,
            token_id,
            ..
        } => tokens::delete(&iam, &caller, &instance_profile, &token_id)
            .await
            .map(|()| serde_json::json!({ "Deleted": token_id })),
    };
    iam.audit().flush().await;
    match out {
        Ok(out) => print_json(out),
        Err(error) => print_error(error.code(), &error.public_message()),
    }
}

async fn verify_audit_log(config: Config) -> ExitCode {
    telemetry::init_for_cli();
    let store = match iam::open_store(&config).await {
        Ok(store) => store,
        Err(error) => return print_failure(&error),
    };
    match lookup::verify_chain(&store).await {
        Ok(report) => {
            let mut out = serde_json::json!({
                "Records": report.records,
                "Valid": report.broken.is_none(),
            });
            if let Some(broken) = &report.broken {
                out["BrokenRecord"] = serde_json::json!(broken.seq);
                out["Reason"] = serde_json::json!(broken.reason);
            }
            println!("{out}");
            if report.broken.is_none() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(error) => print_failure(&error),
    }
}

async fn rotate_master_key(config: Config, new_key_file: Option<PathBuf>) -> ExitCode {
    telemetry::init_for_cli();
    let store = match iam::open_store(&config).await {
        Ok(store) => store,
        Err(error) => return print_failure(&error),
    };
    match super::master_key::rotate(&store, &config.master_key_file, new_key_file.as_deref()).await
    {
        Ok(rotated) => {
            let out = serde_json::json!({
                "Rotated": rotated,
                "MasterKeyFile": config.master_key_file.display().to_string(),
            });
            println!("{out}");
            ExitCode::SUCCESS
        }
        Err(error) => print_error("ServiceFailure", &error.to_string()),
    }
}

async fn migrate_database(config: Config) -> ExitCode {
    telemetry::init_for_cli();
    match database::migrate(&config).await {
        Ok(version) => print_json(serde_json::json!({ "SchemaVersion": version })),
        Err(error) => print_failure(&error),
    }
}

async fn copy_database(from: &str, to: &str, sessions: bool) -> ExitCode {
    telemetry::init_for_cli();
    match database::copy(from, to, sessions).await {
        Ok(report) => {
            let tables: serde_json::Map<String, serde_json::Value> = report
                .into_iter()
                .map(|(table, rows)| (table.to_string(), rows.into()))
                .collect();
            print_json(serde_json::json!({ "Copied": tables }))
        }
        Err(error) => print_failure(&error),
    }
}

async fn back_up_database(config: Config, to: PathBuf) -> ExitCode {
    telemetry::init_for_cli();
    match database::backup(&config, &to).await {
        Ok(()) => print_json(serde_json::json!({ "Backup": to.display().to_string() })),
        Err(error) => print_failure(&error),
    }
}

fn print_json(out: serde_json::Value) -> ExitCode {
    println!("{out}");
    ExitCode::SUCCESS
}

fn run_policy_command(command: PolicyCommand) -> ExitCode {
    let mut input = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut input) {
        return print_error(
            "InvalidInput",
            &format!("Cannot read standard input: {error}"),
        );
    }
    let (output, failed) = match command {
        PolicyCommand::Simulate { lines: false } => crate::policy::run_simulate(&input),
        PolicyCommand::Simulate { lines: true } => crate::policy::run_simulate_lines(&input),
        PolicyCommand::Validate { kind } => crate::policy::run_validate(&kind, &input),
    };
    print!("{output}");
    if !output.is_empty() && !output.ends_with('\n') {
        println!();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A CIDR network, or one address (a /32 or /128).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR network"))
}

fn read_password_file(path: &PathBuf) -> Result<String, String> {
    let mut text = zeroize::Zeroizing::new(String::new());
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| format!("Cannot read the password file {}: {e}", path.display()))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

/// The operator's terminal may read an internal failure's detail (the store's or the key
/// file's error, as before), which a client of the service never does.
fn print_failure(error: &ServiceError) -> ExitCode {
    match error {
        ServiceError::Internal(internal) => print_error(error.code(), &internal.report()),
        other => print_error(other.code(), &other.public_message()),
    }
}

fn print_error(code: &str, message: &str) -> ExitCode {
    let out = serde_json::json!({ "Error": { "Code": code, "Message": message } });
    println!("{out}");
    ExitCode::FAILURE
}
