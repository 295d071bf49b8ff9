//! Every Query API operation's declared input members against AWS's own model (botocore's
//! `service-2.json`, pinned by tests/aws/requirements.txt): each member of an operation's input
//! shape must be either read (and honoured) or explicitly refused, and nothing declared may be
//! unknown to AWS. Together with the dispatcher refusing every undeclared parameter and
//! handlers seeing only declared members, no request parameter is silently ignored.
//!
//! The model is found through `BOTOCORE_DATA` (botocore's `data` directory) or else under the
//! repository's `.tools/aws-venv` (`make test-tools`). Without it the test FAILS: a check that
//! skips itself when its input is missing checks nothing.

use std::io::Read;
use std::path::{Path, PathBuf};

use ferriam::server::query_api::dispatch;
use ferriam::server::query_api::Service;

fn botocore_data() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOTOCORE_DATA") {
        return PathBuf::from(dir);
    }
    let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/aws-venv/lib");
    let found = std::fs::read_dir(&lib).ok().and_then(|entries| {
        entries
            .flatten()
            .map(|entry| entry.path().join("site-packages/botocore/data"))
            .find(|data| data.is_dir())
    });
    found.unwrap_or_else(|| {
        panic!(
            "botocore's model was not found under {} — run `make test-tools` (it installs \
             the pinned botocore) or set BOTOCORE_DATA to botocore's data directory",
            lib.display()
        )
    })
}

/// `<data>/<service>/<version>/service-2.json`, or its `.gz` as recent botocore ships it.
fn model(data: &Path, service: Service) -> serde_json::Value {
    let dir = data.join(service.scope_name()).join(service.version());
    let plain = dir.join("service-2.json");
    let text = if plain.is_file() {
        std::fs::read_to_string(&plain).expect("read service-2.json")
    } else {
        let gz = dir.join("service-2.json.gz");
        let file = std::fs::File::open(&gz)
            .unwrap_or_else(|e| panic!("botocore's model {} is missing: {e}", gz.display()));
        let mut text = String::new();
        flate2::read::GzDecoder::new(file)
            .read_to_string(&mut text)
            .expect("decompress service-2.json.gz");
        text
    };
    serde_json::from_str(&text).expect("service-2.json is JSON")
}

/// The top-level members of an operation's input shape, as the model names them.
fn input_members(model: &serde_json::Value, action: &str) -> Option<Vec<String>> {
    let operation = model["operations"].get(action)?;
    let Some(shape) = operation["input"]["shape"].as_str() else {
        return Some(Vec::new());
    };
    let members = model["shapes"][shape]["members"]
        .as_object()
        .map(|members| members.keys().cloned().collect())
        .unwrap_or_default();
    Some(members)
}

#[test]
fn every_input_member_in_aws_s_model_is_read_or_refused() {
    let data = botocore_data();
    let mut problems = Vec::new();
    let mut checked = 0;
    for service in [Service::Iam, Service::Sts] {
        let model = model(&data, service);
        for declared in dispatch::members(service) {
            let action = declared.op.name();
            let Some(members) = input_members(&model, action) else {
                problems.push(format!("{action}: not an operation of AWS's model"));
                continue;
            };
            for member in &members {
                checked += 1;
                let read = declared.reads.contains(&member.as_str());
                let refused = declared.refuses.contains(&member.as_str());
                if !read && !refused {
                    problems.push(format!(
                        "{action}: member {member} is neither read nor refused"
                    ));
                }
                if read && refused {
                    problems.push(format!(
                        "{action}: member {member} is both read and refused"
                    ));
                }
            }
            for name in declared.reads.iter().chain(declared.refuses) {
                if !members.iter().any(|member| member == name) {
                    problems.push(format!(
                        "{action}: declares {name}, which AWS's model does not know"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the operations' declarations disagree with botocore's model:\n{}",
        problems.join("\n")
    );
    // The model really was read: IAM and STS operations have well over a hundred members.
    assert!(checked > 200, "only {checked} members checked");
}
