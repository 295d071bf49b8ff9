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
