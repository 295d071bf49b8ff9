//! The command-line contract outside tests rely on: `ferriam account create` prints one JSON
//! object, refuses bad input with AWS-style JSON errors, and the master key file is private.

use std::process::Command;

fn ferriam(data_dir: &std::path::Path, args: &[&str]) -> (bool, serde_json::Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_ferriam"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run ferriam");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 stdout");
    let json = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {stdout:?}"));
    (output.status.success(), json)
}

#[test]
fn account_create_prints_the_account_and_refuses_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("pw");
    std::fs::write(&password_file, "a long root password\n").unwrap();
    let pw = password_file.to_str().unwrap();

    let (ok, out) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "owner@example.com",
            "--password-file",
            pw,
            "--account-id",
            "123456789012",
            "--alias",
            "fixture",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(
        out,
        serde_json::json!({"AccountId": "123456789012", "Alias": "fixture", "RootEmail": "owner@example.com"})
    );

    let (ok, out) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "other@example.com",
            "--password-file",
            pw,
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(out["Alias"], serde_json::Value::Null);
    let id = out["AccountId"].as_str().unwrap();
    assert!(id.len() == 12 && !id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()));

    let (ok, out) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "OWNER@example.com",
            "--password-file",
            pw,
        ],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "EntityAlreadyExists");

    let (ok, out) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "x@example.com",
            "--password-file",
            pw,
            "--alias",
            "Bad_Alias",
        ],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "ValidationError");

    let (ok, out) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "y@example.com",
            "--password-file",
            "/nonexistent/pw",
        ],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "ValidationError");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("master.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

fn ferriam_stdin(args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_ferriam"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run ferriam");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

const ALLOW_LIST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:List*","Resource":"*"}]}"#;

#[test]
fn policy_simulate_reads_json_and_writes_json() {
    let request = serde_json::json!({
        "PolicyInputList": [ALLOW_LIST],
        "ActionNames": ["iam:ListUsers", "iam:CreateUser"],
        "ResourceArns": ["arn:aws:iam::123456789012:user/alice"],
    });
    let (ok, out) = ferriam_stdin(&["policy", "simulate"], &request.to_string());
    assert!(ok, "{out}");
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = out["EvaluationResults"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["EvalActionName"], "iam:ListUsers");
    assert_eq!(results[0]["EvalDecision"], "allowed");
    assert_eq!(
        results[0]["MatchedStatements"][0]["SourcePolicyId"],
        "PolicyInputList.1"
    );
    assert_eq!(results[1]["EvalDecision"], "implicitDeny");

    let (ok, out) = ferriam_stdin(&["policy", "simulate"], "{not json");
    assert!(!ok);
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(out["Error"]["Code"].is_string(), "{out}");

    // Batch mode: one response line per request line.
    let line = request.to_string();
    let (ok, out) = ferriam_stdin(
        &["policy", "simulate", "--lines"],
        &format!("{line}\n{line}\n"),
    );
    assert!(ok);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn policy_validate_prints_findings_or_aws_error() {
    let (ok, out) = ferriam_stdin(&["policy", "validate", "--kind", "managed"], ALLOW_LIST);
    assert!(ok, "{out}");
    assert!(serde_json::from_str::<serde_json::Value>(&out).is_ok());

    let no_action = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#;
    let (ok, out) = ferriam_stdin(&["policy", "validate", "--kind", "managed"], no_action);
    assert!(!ok);
    let out: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out["Error"]["Code"], "MalformedPolicyDocument");
    assert_eq!(
        out["Error"]["Message"],
        "Policy statement must contain actions."
    );

    let (ok, _) = ferriam_stdin(&["policy", "validate", "--kind", "sideways"], ALLOW_LIST);
    assert!(!ok);
}

#[test]
fn access_key_create_prints_aws_s_shape_and_imports_known_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("pw");
    std::fs::write(&password_file, "a long root password\n").unwrap();
    let pw = password_file.to_str().unwrap();
    let (ok, _) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "owner@example.com",
            "--password-file",
            pw,
            "--account-id",
            "123456789012",
        ],
    );
    assert!(ok);

    let (ok, root_key) = ferriam(
        dir.path(),
        &["access-key", "create", "--account", "123456789012"],
    );
    assert!(ok, "{root_key}");
    assert!(root_key["AccessKeyId"]
        .as_str()
        .unwrap()
        .starts_with("AKIA"));
    assert_eq!(root_key["SecretAccessKey"].as_str().unwrap().len(), 40);
    assert_eq!(root_key["UserName"], serde_json::Value::Null);
    assert_eq!(root_key["Status"], "Active");
    assert!(root_key["CreateDate"].as_str().unwrap().ends_with('Z'));

    let (ok, imported) = ferriam(
        dir.path(),
        &[
            "access-key",
            "create",
            "--account",
            "123456789012",
            "--access-key-id",
            "AKIAIOSFODNN7EXAMPLE",
            "--secret-access-key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ],
    );
    assert!(ok, "{imported}");
    assert_eq!(imported["AccessKeyId"], "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(
        imported["SecretAccessKey"],
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    );

    // A third root key breaks AWS's quota; an unknown user or account is refused.
    let (ok, out) = ferriam(
        dir.path(),
        &["access-key", "create", "--account", "123456789012"],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "LimitExceeded");
    let (ok, out) = ferriam(
        dir.path(),
        &[
            "access-key",
            "create",
            "--account",
            "123456789012",
            "--user",
            "nobody",
        ],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "NoSuchEntity");
    let (ok, out) = ferriam(
        dir.path(),
        &["access-key", "create", "--account", "999999999999"],
    );
    assert!(!ok);
    assert_eq!(out["Error"]["Code"], "NoSuchEntity");
}

#[test]
fn audit_verify_reports_an_intact_chain_and_the_first_broken_record() {
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("pw");
    std::fs::write(&password_file, "a long root password\n").unwrap();
    let (ok, _) = ferriam(
        dir.path(),
        &[
            "account",
            "create",
            "--email",
            "owner@example.com",
            "--password-file",
            password_file.to_str().unwrap(),
            "--account-id",
            "123456789012",
        ],
    );
    assert!(ok);
    for _ in 0..3 {
        let (ok, out) = ferriam(
            dir.path(),
            &["access-key", "create", "--account", "123456789012"],
        );
        assert!(ok || out["Error"]["Code"] == "LimitExceeded", "{out}");
    }
    let (ok, out) = ferriam(dir.path(), &["audit", "verify"]);
    assert!(ok, "{out}");
    assert_eq!(out, serde_json::json!({"Records": 3, "Valid": true}));

    // Someone with the database file rewrites history.
    let url = format!("sqlite://{}", dir.path().join("ferriam.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = ferriam::server::store::Store::open(&url).await.unwrap();
        for sql in [
            "DROP TRIGGER audit_events_no_update",
            "UPDATE audit_events SET result = 'Success' WHERE seq = 3",
        ] {
            sqlx::query(sql).execute(store.writer()).await.unwrap();
        }
    });
    let (ok, out) = ferriam(dir.path(), &["audit", "verify"]);
    assert!(!ok, "{out}");
    assert_eq!(out["Valid"], false);
    assert_eq!(out["BrokenRecord"], 3);
    assert!(out["Reason"].as_str().unwrap().contains("altered"), "{out}");
}
