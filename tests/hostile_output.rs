//! The hostile fixture (`tests/fixtures/hostile/`) holds terminal escapes (OSC title,
//! clear screen, C1 CSI, DEL, a right-to-left override, a newline) in every
//! free-text field: alias, names, paths, Sids, tag keys and values, condition values,
//! descriptions, resource-policy text, provider URLs and credential-report cells, and
//! values that look like a secret access key and a session token. No subcommand's
//! output and no TUI frame may contain a raw control character from it; secrets are
//! masked unless `--show-secrets`.

use std::process::{Command, Output};

use iamscope::eval::Engine;
use iamscope::load::{self, Input};
use iamscope::sanitize::{is_unsafe, MASKED_SECRET_KEY, MASKED_SESSION_TOKEN};
use iamscope::tui::action::{Action, Command as TuiCommand, InputKey};
use iamscope::tui::analysis::{drive, Analyst};
use iamscope::tui::{render_to_test_backend, test_app};

const BUNDLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
const OSC: &str = "\u{1b}]0;pwned\u{7}";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const ALICE: &str = "arn:aws:iam::123456789012:user/ops\u{1b}[2J/alice\u{1b}]0;pwned\u{7}";

fn iamscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .args(["-b", BUNDLE])
        .env_remove("IAMSCOPE_BUNDLE")
        .output()
        .expect("run iamscope")
}

/// The first character no terminal may receive raw, other than the layout's own
/// newlines.
fn first_unsafe(text: &str) -> Option<(usize, char)> {
    text.char_indices()
        .find(|&(_, c)| is_unsafe(c) && c != '\n')
}

fn commands() -> Vec<Vec<String>> {
    let admin = "role/admin\u{1b}]0;pwned\u{7}".to_string();
    let deploy = "role/deploy\u{202e}".to_string();
    let list = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut out = vec![
        list(&["summary"]),
        list(&["who-can", "s3:GetObject", "*", "--escalation"]),
        list(&["who-can", "s3:GetObject", "arn:aws:s3:::bucket/a"]),
        list(&["who-can", "iam:PassRole", "*"]),
        list(&[
            "can",
            ALICE,
            "s3:GetObject",
            "arn:aws:s3:::bucket\u{1b}[2J/x",
        ]),
        list(&["can", ALICE, "ec2:RunInstances", "*"]),
        list(&["what-can", ALICE]),
        list(&["what-can", &deploy]),
        list(&["paths", ALICE, "admin", "--all"]),
        list(&["paths", ALICE, &admin]),
        list(&["trust", &deploy]),
        list(&["trust", &admin]),
        list(&["graph", "--format", "dot"]),
        list(&["graph", "--format", "mermaid"]),
        // An error message quoting hostile input.
        list(&["what-can", "user/alice"]),
    ];
    let with_json: Vec<Vec<String>> = out
        .iter()
        .filter(|c| !matches!(c[0].as_str(), "graph" | "what-can") || c.len() == 2)
        .map(|c| {
            let mut c = c.clone();
            c.push("--json".to_string());
            c
        })
        .collect();
    out.extend(with_json);
    out.push(list(&["graph", "--format", "json"]));
    out
}

#[test]
fn no_subcommand_prints_a_raw_control_character() {
    let mut failures = Vec::new();
    let mut escapes_seen = 0;
    for args in commands() {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = iamscope(&args);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = format!("{args:?}").escape_debug().to_string();
        if stderr.contains("panicked") || out.status.code().is_none_or(|c| c > 3) {
            failures.push(format!("{shown}: exit {:?}: {stderr}", out.status.code()));
        }
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            if let Some((at, c)) = first_unsafe(text) {
                let context: String = text[at.saturating_sub(40)..].chars().take(60).collect();
                failures.push(format!("{shown} {stream}: raw {c:?} in {context:?}"));
            }
        }
        if out.status.code() == Some(2) {
            // An error: its message is checked above.
        } else if args.contains(&"--json") || args.ends_with(&["json"]) {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&stdout) {
                failures.push(format!("{shown}: not JSON ({e}): {stdout}"));
            }
        } else if stdout.contains("\\x1b") || stderr.contains("\\x1b") {
            escapes_seen += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The data is shown escaped, not dropped.
    assert!(
        escapes_seen >= 10,
        "only {escapes_seen} outputs showed a visible escape"
    );
}

#[test]
fn json_keeps_the_data_exactly() {
    let out = iamscope(&["summary", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["alias"], format!("acme{OSC}"));
    let out = iamscope(&["who-can", "s3:GetObject", "arn:aws:s3:::bucket/a", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let principals: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["principal"].as_str())
        .collect();
    assert!(principals.contains(&"*"), "{principals:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{9b}') && !text.contains('\u{202e}'));
}

#[test]
fn secrets_are_masked_unless_asked() {
    // The trust policy of role deploy names the secret in an ExternalId condition.
    let deploy = "role/deploy\u{202e}";
    for json in [false, true] {
        let mut args = vec!["trust", deploy];
        if json {
            args.push("--json");
        }
        let plain = String::from_utf8_lossy(&iamscope(&args).stdout).into_owned();
        assert!(!plain.contains(SECRET_KEY), "{plain}");
        assert!(plain.contains(MASKED_SECRET_KEY), "{plain}");
        args.push("--show-secrets");
        let revealed = String::from_utf8_lossy(&iamscope(&args).stdout).into_owned();
        assert!(revealed.contains(SECRET_KEY), "{revealed}");
        if json {
            let value: serde_json::Value = serde_json::from_str(&plain).unwrap();
            assert!(value.is_object());
        }
    }
}

#[test]
fn no_tui_frame_holds_a_raw_control_character() {
    let account = load::load(&Input::from_arg(Some(BUNDLE))).expect("hostile bundle loads");
    let engine = Engine::new(&account);
    let mut failures = Vec::new();
    let mut escapes_seen = 0;
    let mut masked_seen = 0;
    let mut token_masked_seen = 0;
    let mut check = |what: &str, app: &mut iamscope::tui::app::App| {
        let terminal = render_to_test_backend(app);
        let buffer = terminal.backend().buffer();
        let mut frame = String::new();
        for cell in &buffer.content {
            frame.push_str(cell.symbol());
        }
        if let Some((_, c)) = first_unsafe(&frame) {
            failures.push(format!("{what}: raw {c:?}"));
        }
        if frame.contains("\\x1b") {
            escapes_seen += 1;
        }
        if frame.contains(SECRET_KEY) || frame.contains("IQoJb3JpZ2lu") {
            failures.push(format!("{what}: secret shown"));
        }
        masked_seen += usize::from(frame.contains("[secret access key masked"));
        token_masked_seen += usize::from(frame.contains(&MASKED_SESSION_TOKEN[..20]));
    };
    let mut app = test_app(account.clone(), 160, 48, true);
    // Every node, those made when their parent first opens included: each is opened
    // (making its children) once it is shown.
    let mut n = 0;
    while n < app.model.tree.nodes.len() {
        app.reveal(n as u32);
        app.open(n as u32);
        let label = app.model.tree.node(n as u32).label.clone();
        check(&format!("node {n} {label:?}"), &mut app);
        n += 1;
    }
    // who-can on the hostile bucket, its trace, and the trust graph of each role.
    let mut analyst = Analyst {
        engine: &engine,
        graph: None,
    };
    let mut app = test_app(account.clone(), 160, 48, true);
    drive(&mut app, Action::Command(TuiCommand::WhoCan), &mut analyst);
    for c in "s3:GetObject".chars() {
        drive(&mut app, Action::Input(InputKey::Char(c)), &mut analyst);
    }
    drive(&mut app, Action::Input(InputKey::Tab), &mut analyst);
    for c in "*".chars() {
        drive(&mut app, Action::Input(InputKey::Char(c)), &mut analyst);
    }
    for _ in 0..iamscope::tui::update::DEBOUNCE_TICKS {
        drive(&mut app, Action::Tick, &mut analyst);
    }
    check("who-can", &mut app);
    drive(&mut app, Action::Input(InputKey::Toggle), &mut analyst);
    check("who-can with escalation", &mut app);
    drive(&mut app, Action::Input(InputKey::Accept), &mut analyst);
    check("who-can trace", &mut app);
    for role in &account.roles {
        let mut app = test_app(account.clone(), 160, 48, true);
        let node = app
            .model
            .tree
            .nodes
            .iter()
            .position(|n| {
                n.label == role.common.name
                    || n.label == iamscope::sanitize::display(&role.common.name)
            })
            .expect("role in the tree");
        app.reveal(node as u32);
        drive(
            &mut app,
            Action::Command(TuiCommand::TrustGraph),
            &mut analyst,
        );
        check(&format!("trust graph of {:?}", role.common.name), &mut app);
    }
    // The study screen's quiz on the hostile account: each question, answer and trace.
    let mut app = test_app(account.clone(), 160, 48, true);
    drive(&mut app, Action::Command(TuiCommand::Study), &mut analyst);
    drive(&mut app, Action::Command(TuiCommand::Open), &mut analyst);
    let asked = app.study.ready_quiz().map_or(0, |q| q.questions.len());
    assert!(asked > 0, "no quiz on the hostile account");
    for i in 0..asked {
        check(&format!("study question {i}"), &mut app);
        drive(&mut app, Action::Command(TuiCommand::Open), &mut analyst);
        check(&format!("study answer {i}"), &mut app);
        drive(&mut app, Action::Command(TuiCommand::Top), &mut analyst);
        drive(&mut app, Action::Command(TuiCommand::Open), &mut analyst);
    }
    check("study score", &mut app);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        escapes_seen >= 5,
        "only {escapes_seen} frames showed a visible escape"
    );
    // The role's description and the user's tags hold the secrets: shown masked.
    assert!(
        masked_seen >= 2,
        "the masked secret key appeared in {masked_seen} frames"
    );
    assert!(
        token_masked_seen >= 1,
        "the masked token appeared in {token_masked_seen} frames"
    );
}
