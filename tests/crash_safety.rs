//! Crash safety of the real server binary: 50 concurrent writers create users through the
//! Query API (signed with an imported root key), the server is killed with SIGKILL mid-flight
//! and restarted; every write it acknowledged must be there and SQLite's integrity check must
//! pass. Prints acknowledged vs present.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ferriam::server::query_api::sigv4::{self, Authorization, Credential, SignedRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const BIN: &str = env!("CARGO_BIN_EXE_ferriam");
const ACCOUNT: &str = "123456789012";
const KEY: &str = "AKIACRASHTESTROOT001";
const SECRET: &str = "crashTestRootSecretKey000000000000000000";
const WRITERS: usize = 50;

fn ferriam(data_dir: &Path, args: &[&str]) {
    let output = Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run ferriam");
    assert!(
        output.status.success(),
        "ferriam {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_server(data_dir: &Path, port: u16) -> Child {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data_dir)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--site-root")
        .arg(data_dir.join("site"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    for _ in 0..200 {
        if let Ok((status, _)) = http(port, "GET /readyz HTTP/1.1\r\n", "").await {
            if status == 200 {
                return child;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().ok();
    child.wait().ok();
    panic!("the server did not become ready");
}

/// One HTTP/1.1 exchange on a fresh connection: the status and the body.
async fn http(port: u16, head: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "{head}host: 127.0.0.1:{port}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn amz_date() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

/// A SigV4-signed `CreateUser` request head and body.
fn create_user_request(port: u16, user_name: &str) -> (String, String) {
    let body = format!("Action=CreateUser&Version=2010-05-08&UserName={user_name}");
    let date = amz_date();
    let host = format!("127.0.0.1:{port}");
    let content_type = "application/x-www-form-urlencoded; charset=utf-8";
    let headers = vec![
        ("content-type".to_string(), content_type.to_string()),
        ("host".to_string(), host.clone()),
        ("x-amz-date".to_string(), date.clone()),
    ];
    let auth = Authorization {
        credential: Credential {
            access_key_id: KEY.to_string(),
            date: date[..8].to_string(),
            region: "us-east-1".to_string(),
            service: "iam".to_string(),
        },
        signed_headers: vec!["content-type".into(), "host".into(), "x-amz-date".into()],
        signature: String::new(),
        amz_date: date.clone(),
        expires: None,
    };
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        body: body.as_bytes(),
    };
    let canonical = sigv4::canonical_request(&request, &auth).unwrap();
    let signature = sigv4::signature(
        &sigv4::signing_key(SECRET.as_bytes(), &auth.credential),
        &sigv4::string_to_sign(&auth, &canonical),
    );
    let head = format!(
        "POST / HTTP/1.1\r\ncontent-type: {content_type}\r\nx-amz-date: {date}\r\n\
         authorization: AWS4-HMAC-SHA256 Credential={KEY}/{}/us-east-1/iam/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, Signature={signature}\r\n",
        &date[..8]
    );
    (head, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let password_file = data.join("root-password");
    std::fs::write(&password_file, "correct horse battery staple").unwrap();
    ferriam(
        data,
        &[
            "account",
            "create",
            "--email",
            "root@example.com",
            "--password-file",
            password_file.to_str().unwrap(),
            "--account-id",
            ACCOUNT,
        ],
    );
    ferriam(
        data,
        &[
            "access-key",
            "create",
            "--account",
            ACCOUNT,
            "--access-key-id",
            KEY,
            "--secret-access-key",
            SECRET,
        ],
    );
    let port = free_port();
    let mut server = start_server(data, port).await;

    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let stop = Arc::clone(&stop);
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut attempted = 0;
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let name = format!("w{writer}-{n}");
                let (head, body) = create_user_request(port, &name);
                attempted += 1;
                match http(port, &head, &body).await {
                    Ok((200, _)) => acknowledged.push(name),
                    Ok((status, body)) => panic!("{name}: HTTP {status}: {body}"),
                    // The server died mid-request: not acknowledged.
                    Err(_) => break,
                }
            }
            (acknowledged, attempted)
        }));
    }
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    // SIGKILL, with writes in flight.
    server.kill().unwrap();
    server.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    let mut acknowledged = Vec::new();
    let mut attempted = 0;
    for writer in writers {
        let (names, tries) = writer.await.unwrap();
        acknowledged.extend(names);
        attempted += tries;
    }
    assert!(
        !acknowledged.is_empty(),
        "some writes were acknowledged before the kill"
    );

    // Restart: the server opens the database it was killed over and answers.
    let mut restarted = start_server(data, port).await;
    let store = ferriam::server::store::Store::open(&format!(
        "sqlite://{}",
        data.join("ferriam.db").display()
    ))
    .await
    .unwrap();
    let present: Vec<(String,)> = sqlx::query_as("SELECT name FROM users")
        .fetch_all(store.reader())
        .await
        .unwrap();
    let present: std::collections::HashSet<String> = present.into_iter().map(|(n,)| n).collect();
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|n| !present.contains(*n))
        .collect();
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(store.reader())
        .await
        .unwrap();
    restarted.kill().unwrap();
    restarted.wait().unwrap();
    println!(
        "crash test: {WRITERS} writers, {attempted} requests sent, {} acknowledged, {} present after SIGKILL + restart ({} unacknowledged also present), {} missing, integrity_check = {integrity}",
        acknowledged.len(),
        present.len(),
        present.len().saturating_sub(acknowledged.len() - missing.len()),
        missing.len()
    );
    assert!(missing.is_empty(), "acknowledged but lost: {missing:?}");
    assert_eq!(integrity, "ok");
}
