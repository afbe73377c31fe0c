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
    /// Words the output (stderr, then stdout) must contain.
    expect: Vec<&'static str>,
    /// The exit code: 2 for every error, 0 for inputs that load with a warning.
    exit: i32,
    /// Makes what `files` cannot: FIFOs, sockets, links, permissions.
    special: Option<fn(&Path)>,
    /// Environment for the run.
    env: Vec<(&'static str, &'static str)>,
}

impl Case {
    fn error(
        name: &'static str,
        files: Vec<(&'static str, Vec<u8>)>,
        bundle: &'static str,
        expect: Vec<&'static str>,
    ) -> Case {
        Case {
            name,
            files,
            bundle,
            stdin: None,
            expect,
            exit: 2,
            special: None,
            env: Vec::new(),
        }
    }

    fn loads(mut self) -> Case {
        self.exit = 0;
        self
    }

    fn with(mut self, special: fn(&Path)) -> Case {
        self.special = Some(special);
        self
    }

    fn env(mut self, key: &'static str, value: &'static str) -> Case {
        self.env.push((key, value));
        self
    }
}

fn good_gaad() -> Vec<u8> {
    format!("{{\"RoleDetailList\": [{GOOD_ROLE}]}}").into_bytes()
}

const REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

fn report_row(user: &str) -> String {
    format!("{user},arn:aws:iam::123456789012:user/x,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
}

fn mkfifo(at: &Path) {
    let status = Command::new("mkfifo").arg(at).status().expect("mkfifo");
    assert!(status.success());
}

/// Runs the command as an unprivileged user when the tests run as root (root reads
/// anything, so permissions would not be tested).
fn unprivileged(command: &mut Command) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        let program = command.get_program().to_owned();
        let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
        let mut wrapped = Command::new("setpriv");
        wrapped
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(program)
            .args(args);
        *command = wrapped;
    }
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn cases() -> Vec<Case> {
    let wrong_type = format!(
        "{{\n    \"RoleDetailList\": [\n        {GOOD_ROLE},\n        {{\"RoleName\": 42, \"Arn\": \"arn:aws:iam::123456789012:role/x\"}}\n    ]\n}}\n"
    );
    let mut cases: Vec<Case> = vec![
        Case {
            name: "missing path",
            files: vec![],
            bundle: "does-not-exist",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["does-not-exist", "no such file or folder"],
        },
        Case {
            name: "unreadable file (gaad.json is a folder)",
            files: vec![("gaad.json/", vec![])],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
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
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["gaad.json:3:22", "not valid UTF-8", "0xE9"],
        },
        Case {
            name: "UTF-8 byte-order mark",
            files: vec![("gaad.json", b"\xef\xbb\xbf{\"Policies\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["gaad.json:1:1", "byte-order mark"],
        },
        Case {
            name: "UTF-16 (PowerShell redirect)",
            files: vec![("gaad.json", b"\xff\xfe{\x00}\x00".to_vec())],
            bundle: "gaad.json",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
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
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["gaad.json:4:", "truncated", "RoleDetailList[1]"],
        },
        Case {
            name: "wrong type at a path",
            files: vec![("gaad.json", wrong_type.clone().into_bytes())],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["gaad.json:4:", "RoleDetailList[1].RoleName", "invalid type: integer `42`"],
        },
        Case {
            name: "wrong type on stdin",
            files: vec![],
            bundle: "-",
            stdin: Some(wrong_type.into_bytes()),
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["-:4:", "RoleDetailList[1].RoleName"],
        },
        Case {
            name: "empty file",
            files: vec![("gaad.json", b"  \n".to_vec())],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["gaad.json", "empty"],
        },
        Case {
            name: "folder without gaad.json",
            files: vec![("account-aliases.json", b"{\"AccountAliases\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["no gaad.json"],
        },
        Case {
            name: "not a GAAD document",
            files: vec![("gaad.json", b"{\"Users\": []}".to_vec())],
            bundle: ".",
            stdin: None,
            exit: 2,
            special: None,
            env: Vec::new(),
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
            exit: 2,
            special: None,
            env: Vec::new(),
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
            exit: 2,
            special: None,
            env: Vec::new(),
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
            exit: 2,
            special: None,
            env: Vec::new(),
            expect: vec!["credential-report.csv:1:1", "base64 -d"],
        },
    ];
    cases.extend([
        Case::error(
            "several concatenated pages load as their union",
            vec![("gaad.json", format!("{}\n{{\"RoleDetailList\": [{}]}}\n", String::from_utf8(good_gaad()).unwrap(), GOOD_ROLE.replace("role/ok", "role/backdoor").replace("\"ok\"", "\"backdoor\"")).into_bytes())],
            ".",
            vec!["2 concatenated JSON pages", "loaded their union", "Roles                        2"],
        )
        .loads(),
        Case::error(
            "trailing garbage after the document",
            vec![("gaad.json", [good_gaad(), b"\n}garbage".to_vec()].concat())],
            ".",
            vec!["gaad.json:2:1", "unexpected text after the JSON document"],
        ),
        Case::error(
            "a NUL byte",
            vec![("gaad.json", [good_gaad(), b"\n\0\0\0\0".to_vec()].concat())],
            ".",
            vec!["gaad.json:2:1", "NUL byte"],
        ),
        Case::error(
            "IsTruncated: a partial export",
            vec![("gaad.json", format!("{{\"RoleDetailList\": [{GOOD_ROLE}], \"IsTruncated\": true, \"Marker\": \"abc\"}}").into_bytes())],
            ".",
            vec!["export is partial", "\"IsTruncated\": true"],
        )
        .loads(),
        Case::error(
            "a Marker alone: a partial export",
            vec![("gaad.json", format!("{{\"RoleDetailList\": [{GOOD_ROLE}], \"Marker\": \"abc\"}}").into_bytes())],
            ".",
            vec!["export is partial", "a Marker"],
        )
        .loads(),
        Case::error(
            "the AWS CLI documentation's example shape (an object where a list was meant)",
            vec![("gaad.json", std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gaad-docs-shape.json")).unwrap())],
            ".",
            vec!["Groups                       1", "Users                        1", "export is partial"],
        )
        .loads(),
        Case::error(
            "a top-level list",
            vec![("gaad.json", b"[]".to_vec())],
            ".",
            vec!["gaad.json:1:", "get-account-authorization-details output"],
        ),
        Case::error(
            "UTF-16 without a byte-order mark",
            vec![("gaad.json", "{\"Policies\": []}".encode_utf16().flat_map(u16::to_le_bytes).collect())],
            ".",
            vec!["gaad.json:1:1", "UTF-16 (little-endian"],
        ),
        Case::error("gaad.json is a FIFO", vec![], ".", vec!["gaad.json", "named pipe (FIFO)", "not a regular file"])
            .with(|dir| mkfifo(&dir.join("gaad.json"))),
        Case::error("an optional part is a FIFO", vec![("gaad.json", good_gaad())], ".", vec!["account-aliases.json", "named pipe (FIFO)"])
            .with(|dir| mkfifo(&dir.join("account-aliases.json"))),
        Case::error("a symbolic link to /dev/zero", vec![], "gaad.json", vec!["gaad.json", "symbolic link to a character device"])
            .with(|dir| std::os::unix::fs::symlink("/dev/zero", dir.join("gaad.json")).unwrap()),
        Case::error("a device", vec![], "null", vec!["null", "character device"])
            .with(|dir| std::os::unix::fs::symlink("/dev/null", dir.join("null")).unwrap()),
        Case::error("a socket", vec![], "gaad.json", vec!["gaad.json", "a socket"])
            .with(|dir| {
                let listener = std::os::unix::net::UnixListener::bind(dir.join("gaad.json")).unwrap();
                std::mem::forget(listener);
            }),
        Case::error("over a configured limit", vec![("gaad.json", good_gaad())], ".", vec!["gaad.json", "over the 64 bytes limit", "IAMSCOPE_MAX_FILE_SIZE"])
            .env("IAMSCOPE_MAX_FILE_SIZE", "64"),
        Case::error("a limit that is not a size", vec![("gaad.json", good_gaad())], ".", vec!["IAMSCOPE_MAX_FILE_SIZE", "is not a size"])
            .env("IAMSCOPE_MAX_FILE_SIZE", "lots"),
        Case::error("an unreadable gaad.json", vec![("gaad.json", good_gaad())], ".", vec!["gaad.json", "permission denied"])
            .with(|dir| chmod(&dir.join("gaad.json"), 0o000)),
        Case::error("an unreadable bundle folder", vec![("b/gaad.json", good_gaad())], "b", vec!["permission denied", "cannot list the folder"])
            .with(|dir| chmod(&dir.join("b"), 0o000)),
        Case::error(
            "a credential report with commas and quotes in a name, and a duplicate row",
            vec![
                ("gaad.json", good_gaad()),
                ("credential-report.csv", format!("{REPORT_HEADER}\n{}\n{}\n{}\n", report_row("\"smith, \"\"j\"\"\""), report_row("plain"), report_row("plain")).into_bytes()),
            ],
            ".",
            vec!["Credential report rows       2", "user plain (arn:aws:iam::123456789012:user/x) has a second row"],
        )
        .loads(),
        Case::error(
            "a credential report cut inside its header",
            vec![("gaad.json", good_gaad()), ("credential-report.csv", REPORT_HEADER.as_bytes()[..60].to_vec())],
            ".",
            vec!["cut inside its header", "Credential report rows       0"],
        )
        .loads(),
        Case::error(
            "a credential report cut inside its last row",
            vec![("gaad.json", good_gaad()), ("credential-report.csv", format!("{REPORT_HEADER}\n{}\nbob,arn:aws", report_row("a")).into_bytes())],
            ".",
            vec!["line 3: the report is cut inside this row", "Credential report rows       1"],
        )
        .loads(),
        Case::error(
            "an ARN that is not one, found after parsing, still has its line:column",
            vec![
                ("gaad.json", good_gaad()),
                ("saml-providers.json", b"{\"SAMLProviderList\": [\n  {\"Arn\": \"okta\"}\n]}".to_vec()),
            ],
            ".",
            vec!["saml-providers.json:2:11", "SAMLProviderList[0].Arn", "expected an ARN"],
        ),
        Case::error(
            "an ARN that is not one in the second page",
            vec![("gaad.json", format!("{}\n{{\"UserDetailList\": [\n {{\"UserName\": \"u\", \"Arn\": \"nope\"}}]}}", String::from_utf8(good_gaad()).unwrap()).into_bytes())],
            ".",
            vec!["gaad.json:3:27", "UserDetailList[0].Arn", "JSON page 2"],
        ),
        Case::error(
            "a credential report row short of columns",
            vec![("gaad.json", good_gaad()), ("credential-report.csv", format!("{REPORT_HEADER}\nbob,arn:aws\n{}\n", report_row("a")).into_bytes())],
            ".",
            vec!["credential-report.csv:2:1", "this row has 2 columns"],
        ),
    ]);
    cases
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

/// Runs one case in a fresh folder, killing it after 10 s: a FIFO must never hang it.
fn run_case(case: &Case) -> (Option<i32>, String, String) {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    // The unprivileged user of the permission cases must reach the folder.
    chmod(dir.path(), 0o755);
    write_case(dir.path(), case);
    if let Some(special) = case.special {
        special(dir.path());
    }
    let bundle: PathBuf = if case.bundle == "-" {
        PathBuf::from("-")
    } else {
        dir.path().join(case.bundle)
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_iamscope"));
    command.args(["summary", "-b", bundle.to_str().unwrap()]);
    unprivileged(&mut command);
    command
        .env_remove("IAMSCOPE_BUNDLE")
        .env_remove("IAMSCOPE_MAX_FILE_SIZE")
        .envs(case.env.iter().copied());
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run iamscope");
    if let Some(bytes) = &case.stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    drop(child.stdin.take());
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(10));
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    });
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    // Let tempdir clean up what the permission cases locked.
    for entry in walk(dir.path()) {
        chmod(&entry, 0o755);
    }
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let path = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                chmod(&path, 0o755);
                out.extend(walk(&path));
            }
            out.push(path);
        }
    }
    out.retain(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() || m.is_dir()));
    out
}

/// Words no message may hold: Rust type names, unknown path steps.
const NEVER: &[&str] = &["struct ", "Raw", "at ?", ".?", "panicked"];

#[test]
fn every_bad_input_gets_its_documented_behaviour() {
    let mut failures = Vec::new();
    for case in cases() {
        let (code, stdout, stderr) = run_case(&case);
        let output = format!("{stderr}{stdout}");
        let lines = stderr.lines().filter(|l| !l.trim().is_empty()).count();
        let problems: Vec<String> = case
            .expect
            .iter()
            .filter(|e| !output.contains(*e))
            .map(|e| format!("missing {e:?}"))
            .chain(
                NEVER
                    .iter()
                    .filter(|w| stderr.contains(*w))
                    .map(|w| format!("says {w:?}")),
            )
            .chain((code != Some(case.exit)).then(|| format!("exit {code:?}, not {}", case.exit)))
            .chain((case.exit == 2 && lines != 1).then(|| format!("{lines} lines of message")))
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
fn the_second_page_of_a_paginated_export_is_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let backdoor = GOOD_ROLE
        .replace("role/ok", "role/backdoor")
        .replace("\"ok\"", "\"backdoor\"");
    let pages = format!(
        "{{\"RoleDetailList\": [{GOOD_ROLE}], \"IsTruncated\": true, \"Marker\": \"m1\"}}\n{{\"RoleDetailList\": [{backdoor}], \"IsTruncated\": false}}\n"
    );
    std::fs::write(dir.path().join("gaad.json"), pages).unwrap();
    let out = iamscope(
        &["summary", "--json", "-b", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["counts"]["roles"], 2);
    let warnings = json["warnings"].to_string();
    assert!(warnings.contains("2 concatenated JSON pages"), "{warnings}");
    // The last page is complete: no partial-export warning.
    assert!(!warnings.contains("partial"), "{warnings}");
    let out = iamscope(
        &["trust", "backdoor", "-b", dir.path().to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn simulate_errors_name_the_file_the_line_and_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    std::fs::write(
        &file,
        "[\n  {\"name\": \"a\",\n   \"request\": {\"principal\": 5, \"action\": \"s3:GetObject\", \"resource\": \"*\"}}\n]\n",
    )
    .unwrap();
    let out = iamscope(&["simulate", file.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cases.json:3:"), "{stderr}");
    assert!(stderr.contains("[0].request.principal"), "{stderr}");
    assert!(!NEVER.iter().any(|w| stderr.contains(w)), "{stderr}");
}

#[test]
fn a_file_over_the_default_limit_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gaad.json");
    // Sparse: takes no disk space, but its size is 3 GiB, over the 2 GiB default.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let out = iamscope(&["summary", "-b", path.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("gaad.json") && stderr.contains("3072.0 MiB, over the 2048.0 MiB limit"),
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

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    for args in [
        &["summary"][..],
        &["graph", "--format", "dot"],
        &["summary", "--json"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
            .args(args)
            .env_remove("IAMSCOPE_BUNDLE")
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output: No space left on device"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_closed_pipe_is_quiet() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(["graph", "--format", "dot", "-b", "sample:enterprise"])
        .env_remove("IAMSCOPE_BUNDLE")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn key_ages_are_measured_from_the_report_not_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let gaad = r#"{"UserDetailList": [
        {"UserName": "old", "Arn": "arn:aws:iam::123456789012:user/old"},
        {"UserName": "new", "Arn": "arn:aws:iam::123456789012:user/new"}]}"#;
    std::fs::write(dir.path().join("gaad.json"), gaad).unwrap();
    let row = |user: &str, rotated: &str, used: &str| {
        format!("{user},arn:aws:iam::123456789012:user/{user},2019-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,{rotated},{used},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
    };
    let report = format!(
        "{REPORT_HEADER}\n{}\n{}\n",
        row(
            "old",
            "2019-06-01T00:00:00+00:00",
            "2020-03-01T00:00:00+00:00"
        ),
        row(
            "new",
            "2020-02-01T00:00:00+00:00",
            "2020-02-15T00:00:00+00:00"
        ),
    );
    std::fs::write(dir.path().join("credential-report.csv"), report).unwrap();
    let account = iamscope::load::load(&iamscope::load::Input::Path(dir.path().into())).unwrap();
    assert_eq!(
        account.credential_report_as_of.as_deref(),
        Some("2020-03-01T00:00:00+00:00")
    );
    // Years after the report by the clock; by the report's own "now" (2020-03-01) only
    // the old key is over 90 days, which the findings say.
    let engine = iamscope::eval::Engine::new(&account);
    let graph = iamscope::graph::Graph::build(&engine);
    let findings =
        iamscope::findings::audit(&engine, &graph, &iamscope::findings::Options::default());
    let old_key = |user: &str| {
        findings
            .iter()
            .any(|f| f.id == "IAM033" && f.entity.ends_with(&format!(":user/{user}")))
    };
    assert!(old_key("old"), "{findings:?}");
    assert!(!old_key("new"), "{findings:?}");
}
