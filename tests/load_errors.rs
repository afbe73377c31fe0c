//! Every kind of bad input gives exit code 2 and one message naming the file, the
//! JSON path and the line:column where they are known. Never a panic.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn iamscope(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .env_remove("IAMSCOPE_BUNDLE")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run iamscope");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

const GOOD_ROLE: &str = r#"{"RoleName": "ok", "Arn": "arn:aws:iam::123456789012:role/ok", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}"#;

/// How one case is set up: files to write in a fresh folder, and what to pass as -b.
struct Case {
    name: &'static str,
    /// (relative path, bytes); a path ending in `/` makes a folder.
    files: Vec<(&'static str, Vec<u8>)>,
    /// The -b argument relative to the case folder (`-` for stdin).
    bundle: &'static str,
    stdin: Option<Vec<u8>>,
    /// Substrings the error message must contain.
    expect: Vec<&'static str>,
}

fn cases() -> Vec<Case> {
    let wrong_type = format!(
        "{{\n    \"RoleDetailList\": [\n        {GOOD_ROLE},\n        {{\"RoleName\": 42, \"Arn\": \"arn:aws:iam::123456789012:role/x\"}}\n    ]\n}}\n"
    );
    vec![
        Case {
            name: "missing path",
            files: vec![],
            bundle: "does-not-exist",
            stdin: None,
            expect: vec!["does-not-exist", "no such file or folder"],
        },
        Case {
            name: "unreadable file (gaad.json is a folder)",
            files: vec![("gaad.json/", vec![])],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json", "expected a file, found a folder"],
        },
        Case {
            name: "non-UTF-8 bytes",
            files: vec![(
                "gaad.json",
                b"{\n  \"UserDetailList\": [\n    {\"UserName\": \"caf\xe9\"}\n  ]\n}".to_vec(),
            )],
            bundle: "gaad.json",
            stdin: None,
            expect: vec!["gaad.json:3:22", "not valid UTF-8", "0xE9"],
        },
        Case {
            name: "UTF-8 byte-order mark",
            files: vec![("gaad.json", b"\xef\xbb\xbf{\"Policies\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json:1:1", "byte-order mark"],
        },
        Case {
            name: "UTF-16 (PowerShell redirect)",
            files: vec![("gaad.json", b"\xff\xfe{\x00}\x00".to_vec())],
            bundle: "gaad.json",
            stdin: None,
            expect: vec!["gaad.json:1:1", "UTF-16"],
        },
        Case {
            name: "truncated JSON",
            files: vec![(
                "gaad.json",
                format!("{{\n    \"RoleDetailList\": [\n        {GOOD_ROLE},\n        {{\"RoleName\": \"cut")
                    .into_bytes(),
            )],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json:4:", "truncated", "RoleDetailList[1]"],
        },
        Case {
            name: "wrong type at a path",
            files: vec![("gaad.json", wrong_type.clone().into_bytes())],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json:4:", "RoleDetailList[1].RoleName", "invalid type: integer `42`"],
        },
        Case {
            name: "wrong type on stdin",
            files: vec![],
            bundle: "-",
            stdin: Some(wrong_type.into_bytes()),
            expect: vec!["-:4:", "RoleDetailList[1].RoleName"],
        },
        Case {
            name: "empty file",
            files: vec![("gaad.json", b"  \n".to_vec())],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json", "empty"],
        },
        Case {
            name: "folder without gaad.json",
            files: vec![("account-aliases.json", b"{\"AccountAliases\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            expect: vec!["no gaad.json"],
        },
        Case {
            name: "not a GAAD document",
            files: vec![("gaad.json", b"{\"Users\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            expect: vec!["gaad.json", "not get-account-authorization-details output"],
        },
        Case {
            name: "not an ARN",
            files: vec![(
                "gaad.json",
                b"{\"UserDetailList\": [{\"UserName\": \"a\", \"Arn\": \"alice\"}]}".to_vec(),
            )],
            bundle: ".",
            stdin: None,
            expect: vec!["UserDetailList[0].Arn", "expected an ARN"],
        },
        Case {
            name: "bad optional file names its own path",
            files: vec![
                ("gaad.json", format!("{{\"RoleDetailList\": [{GOOD_ROLE}]}}").into_bytes()),
                ("saml-providers.json", b"{\"SAMLProviderList\": [{\"Arn\": 7}]}".to_vec()),
            ],
            bundle: ".",
            stdin: None,
            expect: vec!["saml-providers.json:1:", "SAMLProviderList[0].Arn"],
        },
        Case {
            name: "credential report that is still base64",
            files: vec![
                ("gaad.json", format!("{{\"RoleDetailList\": [{GOOD_ROLE}]}}").into_bytes()),
                ("credential-report.csv", b"dXNlcixhcm4K\n".to_vec()),
            ],
            bundle: ".",
            stdin: None,
            expect: vec!["credential-report.csv:1:1", "base64 -d"],
        },
    ]
}

fn write_case(dir: &Path, case: &Case) {
    for (rel, bytes) in &case.files {
        let path = dir.join(rel.trim_end_matches('/'));
        if rel.ends_with('/') {
            std::fs::create_dir_all(&path).unwrap();
        } else {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        }
    }
}

#[test]
fn every_bad_input_exits_2_with_a_located_message() {
    let mut failures = Vec::new();
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        write_case(dir.path(), &case);
        let bundle: PathBuf = if case.bundle == "-" {
            PathBuf::from("-")
        } else {
            dir.path().join(case.bundle)
        };
        let out = iamscope(
            &["summary", "-b", bundle.to_str().unwrap()],
            case.stdin.as_deref(),
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let lines = stderr.lines().filter(|l| !l.trim().is_empty()).count();
        let problems: Vec<String> = case
            .expect
            .iter()
            .filter(|e| !stderr.contains(*e))
            .map(|e| format!("missing {e:?}"))
            .chain((out.status.code() != Some(2)).then(|| format!("exit {:?}", out.status.code())))
            .chain((lines != 1).then(|| format!("{lines} lines of message")))
            .chain(stderr.contains("panicked").then(|| "panicked".to_string()))
            .collect();
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {} — stderr: {stderr}",
                case.name,
                problems.join(", ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_of_one_gigabyte_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaad.json");
    // Sparse: takes no disk space, but its size is 1 GiB.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let out = iamscope(&["summary", "-b", path.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("gaad.json") && stderr.contains("1024.0 MiB"),
        "{stderr}"
    );
    assert!(stderr.contains("limit"), "{stderr}");
}

#[test]
fn a_malformed_policy_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let gaad = r#"{
    "RoleDetailList": [
        {"RoleName": "ok", "Arn": "arn:aws:iam::123456789012:role/ok",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": 5}}
    ]
}"#;
    std::fs::write(dir.path().join("gaad.json"), gaad).unwrap();
    let out = iamscope(
        &["summary", "--json", "-b", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["roles"], 1);
    assert_eq!(json["invalid_policies"], 1);
    let warning = &json["warnings"][0];
    assert!(
        warning["json_path"]
            .as_str()
            .unwrap()
            .starts_with("RoleDetailList[0].AssumeRolePolicyDocument"),
        "{warning}"
    );
    assert_eq!(warning["line"], 4);
}
