//! End-to-end test of the real binary inside tmux: navigate, open a role, search,
//! ask who-can and read a trace, open a role's trust graph, quit; and check that the
//! terminal is restored after quitting and after SIGTERM. tmux is required (CI installs it): without it
//! the test fails with a message saying so.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const PROMPT: &str = "e2e$ ";
const TIMEOUT: Duration = Duration::from_secs(10);

/// A private tmux server with one 120×40 session running `sh`, killed on drop.
struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn start() -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        match version {
            Ok(o) if o.status.success() => {}
            _ => panic!(
                "tmux is required for the TUI end-to-end test but was not found on PATH; \
                 install it (e.g. `apt-get install tmux`)"
            ),
        }
        // One private server per test: tests run in parallel.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("iamscope-e2e-{}-{n}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let t = Tmux { socket, dir };
        let config = t.dir.path().join("no-config.toml");
        let out = t.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            &format!("IAMSCOPE_CONFIG={}", config.display()),
            "-e",
            "NO_COLOR=",
            "sh",
        ]);
        assert!(out.status.success(), "tmux new-session: {out:?}");
        // Some shells ignore PS1 from the environment (dash as root): set it here.
        t.type_text(&format!("PS1='{PROMPT}'"));
        t.keys(&["Enter"]);
        t.tmux(&["send-keys", "-t", "e2e", "clear", "Enter"]);
        t.wait_for("shell prompt", |s| {
            s.trim_start().starts_with(PROMPT.trim_end())
        });
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("running tmux")
    }

    /// Types `text` literally.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "e2e", "-l", text]);
    }

    /// Sends named keys (`Enter`, `Escape`, `Tab`, `j`, …). A pause follows Escape:
    /// the terminal would read Escape and the next key together as one Alt-key.
    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "e2e", k]);
            if *k == "Escape" {
                std::thread::sleep(Duration::from_millis(150));
            }
        }
    }

    fn capture(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "e2e"]).stdout)
            .into_owned()
    }

    fn alternate_screen_on(&self) -> bool {
        let out = self.tmux(&["display-message", "-p", "-t", "e2e", "#{alternate_on}"]);
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Waits until the screen satisfies `pred`; panics with the screen otherwise.
    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if pred(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_all(&[text])
    }

    /// Waits until every text is on screen (a frame can be captured half-drawn, so
    /// a check on one part of the screen says nothing about another).
    fn wait_all(&self, texts: &[&str]) -> String {
        self.wait_for(&format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// After the TUI ended: back on the main screen with the prompt, the exit code as
    /// expected, and the tty in cooked mode with echo.
    fn assert_restored(&self, expected_rc: i32) {
        self.wait_for("the prompt after exit", |s| {
            s.lines().any(|l| l.trim_end() == PROMPT.trim_end())
        });
        assert!(!self.alternate_screen_on(), "still on the alternate screen");
        self.type_text("echo rc=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ,; echo");
        self.keys(&["Enter"]);
        let screen = self.wait_for("exit code and tty modes", |s| {
            s.lines().any(|l| l.starts_with("rc=")) && s.contains("icanon,")
        });
        let rc_line = screen
            .lines()
            .find(|l| l.starts_with("rc="))
            .unwrap_or_default();
        assert_eq!(
            rc_line.trim(),
            format!("rc={expected_rc}"),
            "screen:\n{screen}"
        );
        assert!(
            screen.contains("\nicanon,echo,"),
            "tty not restored:\n{screen}"
        );
        self.tmux(&["send-keys", "-t", "e2e", "clear", "Enter"]);
        self.wait_for("a cleared screen", |s| !s.contains("rc="));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_iamscope"))
}

#[test]
fn explore_search_who_can_quit_and_sigterm() {
    let t = Tmux::start();
    let bin = binary();

    // Start on the default sample account.
    t.type_text(&format!("{} --sample startup", bin.display()));
    t.keys(&["Enter"]);
    t.wait_text("Users (8)");
    assert!(t.alternate_screen_on());

    // Navigate: down to Roles, open it, select the first role.
    t.keys(&["j", "j", "l"]);
    t.wait_text("acme-admin");
    t.keys(&["j"]);
    t.wait_text("Role acme-admin");

    // Open the role: its trust principals and policies appear in the tree.
    t.keys(&["Enter"]);
    t.wait_text("trusts ");

    // Search, jump to the match.
    t.keys(&["/"]);
    t.wait_text("Search");
    t.type_text("role/gh-deplo");
    t.wait_all(&["/ role/gh-deplo", "1 of "]);
    t.keys(&["Enter"]);
    t.wait_all(&[
        "Role github-actions-deploy",
        "Trust (who can assume this role)",
        "Allows federated `token.actions.githubusercontent.com`",
        "Enter open",
    ]);

    // Help lists the bindings.
    t.keys(&["?"]);
    t.wait_text(":who-can");
    t.keys(&["Escape"]);
    t.wait_for("help closed", |s| !s.contains(":who-can"));

    // The who-can pane: type, complete, and the evaluator's answer appears.
    t.keys(&["w"]);
    t.wait_text("Resource");
    t.type_text("s3:GetObj");
    t.wait_text("s3:GetObjectAcl");
    t.keys(&["Tab"]);
    t.wait_text("Amazon S3");
    t.type_text("arn:aws:s3:::acme-webapp-assets/index.html");
    t.wait_all(&[
        "acme-webapp-assets/index.html",
        "Principals (10)",
        "role/acme-web-app-ec2",
        "cloudfront.amazonaws.com",
        "AdministratorAccess#1",
    ]);
    // Enter: the trace of the selected row; Esc back to the list.
    t.keys(&["Enter"]);
    t.wait_all(&["Trace (Esc back)", "Evaluation, step by step", "[identity]"]);
    t.keys(&["Escape"]);
    t.wait_text("Principals (10)");
    t.keys(&["Escape"]);
    t.wait_text("Users (8)");

    // The trust graph of the role selected by the search (github-actions-deploy).
    t.keys(&["t"]);
    t.wait_all(&[
        "path: role/github-actions-deploy",
        "Who can become it (1)",
        "assume_role_with_web_identity",
        "trust:github-actions-deploy/GitHubActionsWebappMain",
    ]);
    t.keys(&["Escape"]);
    t.wait_text("Users (8)");
    // Esc on the main screen goes back no further: it never quits.
    t.keys(&["Escape"]);
    t.wait_text("q quits");
    assert!(t.alternate_screen_on());

    // Quit: the terminal is restored.
    t.keys(&["q"]);
    t.assert_restored(0);

    // Again, ended by SIGTERM instead.
    let pid_file = t.dir.path().join("pid");
    t.type_text(&format!(
        "sh -c 'echo $$ > {}; exec {} --sample startup'",
        pid_file.display(),
        bin.display()
    ));
    t.keys(&["Enter"]);
    t.wait_text("Users (8)");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let status = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .unwrap();
    assert!(status.success());
    t.assert_restored(143);
}

/// Kills the process whose pid is in `file` when dropped, so that a failed assertion
/// never leaves an iamscope behind (SIGKILL: its terminal may already be gone). The
/// test removes the file once the process has exited by itself.
struct KillOnDrop(PathBuf);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(pid) = std::fs::read_to_string(&self.0) {
            let _ = Command::new("kill").args(["-KILL", pid.trim()]).status();
        }
    }
}

/// Starts iamscope on `sample` with its pid recorded in `pid_file`.
fn start_sample(t: &Tmux, pid_file: &std::path::Path, sample: &str) {
    t.type_text(&format!(
        "sh -c 'echo $$ > {}; exec {} --sample {sample}'",
        pid_file.display(),
        binary().display()
    ));
    t.keys(&["Enter"]);
}

#[test]
fn responder_blast_paths_and_context() {
    let t = Tmux::start();
    let pid_file = t.dir.path().join("responder.pid");
    let _guard = KillOnDrop(pid_file.clone());

    // A low-privilege user of the vulnerable sample: what can it reach?
    start_sample(&t, &pid_file, "vulnerable");
    t.wait_text("Users (14)");
    t.keys(&["/"]);
    t.type_text("user/ec2-launcher");
    t.wait_text("2 of ");
    t.keys(&["Enter"]);
    t.wait_text("User ec2-launcher");
    t.keys(&["b"]);
    t.wait_all(&[
        "reaches admin in 1 hop(s)",
        "role/dvia-ec2-admin-role",
        "Sensitive data within reach",
        "secretsmanager:GetSecretValue",
    ]);
    // How does it get to admin: the paths screen, each hop with its evidence.
    t.keys(&["p"]);
    t.wait_all(&[
        "Paths (1) to admin",
        "user/ec2-launcher --pass_role_to_ec2--> role/dvia-ec2-admin-role",
        "EC2LaunchAccess/PassAdminInstanceRole",
    ]);
    // Enter replays the hop as `can` traces.
    t.keys(&["Enter"]);
    t.wait_all(&[
        "Replayed as `can`",
        "deciding: EC2LaunchAccess/PassAdminInstanceRole",
    ]);
    t.keys(&["Escape", "Escape"]);
    t.wait_text("Users (14)");

    // Who can assume the MFA-guarded admin role: Conditional until the context says
    // MFA was used.
    t.keys(&["w"]);
    t.wait_text("Resource");
    t.type_text("sts:AssumeRole");
    t.keys(&["Escape", "Tab"]);
    t.type_text("arn:aws:iam::666666666666:role/dvia-admin-role");
    t.wait_all(&[
        "user/admin-alice",
        "? Conditional",
        "aws:MultiFactorAuthPresent",
    ]);
    t.keys(&["C-k"]);
    t.wait_text("Context keys");
    t.type_text("aws:MultiFactorAuthPresent=true");
    t.keys(&["Enter", "Escape"]);
    t.wait_all(&["ctx aws:MultiFactorAuthPresent=true", "✓ Allow"]);
    let screen = t.capture();
    assert!(!screen.contains("? Conditional"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_text("Users (14)");
    t.keys(&["q"]);
    t.assert_restored(0);
    std::fs::remove_file(&pid_file).unwrap();

    // Who can read the startup's web bucket when the request uses TLS?
    start_sample(&t, &pid_file, "startup");
    t.wait_text("Users (8)");
    t.keys(&["w"]);
    t.wait_text("Resource");
    t.type_text("s3:GetObject");
    t.keys(&["Escape", "Tab"]);
    t.type_text("arn:aws:s3:::acme-webapp-assets/index.html");
    t.wait_all(&["Principals (10)", "? Conditional", "aws:SecureTransport"]);
    t.keys(&["C-k"]);
    t.type_text("aws:SecureTr");
    t.keys(&["Tab"]);
    t.type_text("true");
    t.keys(&["Enter", "Escape"]);
    t.wait_all(&[
        "ctx aws:SecureTransport=true",
        "user/alice               ✓ Allow",
    ]);
    t.keys(&["Escape"]);
    t.wait_text("Users (8)");
    t.keys(&["q"]);
    t.assert_restored(0);
    std::fs::remove_file(&pid_file).unwrap();
}

#[test]
fn without_a_terminal_exits_2_and_points_to_subcommands() {
    let out = Command::new(binary())
        .args(["--sample", "startup"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a terminal"), "{err}");
    assert!(err.contains("iamscope summary"), "{err}");
    assert!(out.stdout.is_empty());
}

/// Whether process `pid` has ended: gone, or a zombie waiting for a parent that the
/// closed session took with it.
fn has_exited(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        // The state follows the command name in parentheses.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
    }
}

/// Starts the TUI in the session through `sh -c`, so that its pid is known; waits for
/// the first frame.
fn start_with_pid(t: &Tmux) -> String {
    let pid_file = t.dir.path().join("pid");
    let _ = std::fs::remove_file(&pid_file);
    t.type_text(&format!(
        "sh -c 'echo $$ > {}; exec {} --sample startup'",
        pid_file.display(),
        binary().display()
    ));
    t.keys(&["Enter"]);
    t.wait_text("Users (8)");
    std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string()
}

/// Ends `pid` if a failed test left it running.
fn kill_if_running(pid: &str) {
    if !has_exited(pid) {
        let _ = Command::new("kill").args(["-KILL", pid]).status();
    }
}

#[test]
fn the_tui_ends_when_its_terminal_goes_away() {
    let t = Tmux::start();
    let pid = start_with_pid(&t);
    let start = Instant::now();
    let out = t.tmux(&["kill-session", "-t", "e2e"]);
    assert!(out.status.success(), "{out:?}");
    while !has_exited(&pid) && start.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let took = start.elapsed();
    let exited = has_exited(&pid);
    kill_if_running(&pid);
    assert!(
        exited,
        "iamscope still running 3 s after its terminal closed"
    );
    assert!(
        took < Duration::from_secs(2),
        "iamscope took {took:?} to end after its terminal closed"
    );
}

#[test]
fn sigtstp_suspends_and_fg_resumes_with_a_usable_terminal() {
    let t = Tmux::start();
    let pid = start_with_pid(&t);
    let status = Command::new("kill").args(["-TSTP", &pid]).status().unwrap();
    assert!(status.success());
    // Stopped: the shell has the terminal back, on the main screen, in cooked mode.
    t.wait_text("Stopped");
    let screen = t.wait_for("the prompt", |s| {
        s.lines().any(|l| l.trim_end() == PROMPT.trim_end())
    });
    assert!(
        !t.alternate_screen_on(),
        "still on the alternate screen:\n{screen}"
    );
    t.type_text(
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo -e -icanon -e -echo | tr '\\n' ,; echo",
    );
    t.keys(&["Enter"]);
    let modes = t.wait_for("tty modes", |s| s.contains("icanon,"));
    assert!(
        modes.contains("\nicanon,echo,"),
        "tty not cooked while stopped:\n{modes}"
    );
    // fg: the TUI takes the terminal back and draws a whole frame again.
    t.tmux(&["send-keys", "-t", "e2e", "clear", "Enter"]);
    t.wait_for("a cleared screen", |s| !s.contains("icanon"));
    t.type_text("fg");
    t.keys(&["Enter"]);
    t.wait_all(&["Users (8)", "Details"]);
    assert!(t.alternate_screen_on());
    // It still answers keys; Ctrl-Z (a key in raw mode) suspends as well.
    t.keys(&["j", "j", "l"]);
    t.wait_text("acme-admin");
    t.keys(&["C-z"]);
    t.wait_for("stopped again", |s| {
        s.matches("Stopped").count() >= 1 && !s.contains("acme-admin")
    });
    t.type_text("fg");
    t.keys(&["Enter"]);
    t.wait_text("acme-admin");
    t.keys(&["q"]);
    t.assert_restored(0);
    kill_if_running(&pid);
}

#[test]
fn every_signal_restores_the_terminal_with_the_conventional_status() {
    let t = Tmux::start();
    // SIGQUIT dumps core by default: not into the source tree.
    t.tmux(&["send-keys", "-t", "e2e", "ulimit -c 0; clear", "Enter"]);
    t.wait_for("a cleared screen", |s| !s.contains("ulimit"));
    for (signal, status) in [("INT", 130), ("HUP", 129), ("QUIT", 131)] {
        let pid = start_with_pid(&t);
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        t.assert_restored(status);
        kill_if_running(&pid);
    }
}

/// A generated account large enough that the graph takes a while (3,000 principals;
/// this test runs a debug build): the load says what it does, the trust view shows the
/// build's progress with its counts, and `q` ends the TUI at once in the middle of the
/// build. (The trust view answering once the graph is ready is the first test's.)
#[test]
fn a_large_account_shows_the_graph_build_progress_and_quits_at_once() {
    use iamscope::synth::{generate_gaad_json, SynthOptions};
    let t = Tmux::start();
    let gaad = t.dir.path().join("large.json");
    let options = SynthOptions {
        users: 1_500,
        roles: 1_500,
        groups: 50,
        policies: 450,
        seed: 7,
        ..SynthOptions::default()
    };
    std::fs::write(&gaad, generate_gaad_json(&options)).unwrap();
    let pid_file = t.dir.path().join("large.pid");
    let _guard = KillOnDrop(pid_file.clone());
    // Standard error to a file, to read what the load said before the TUI started.
    let stderr = t.dir.path().join("large.stderr");
    let start = |t: &Tmux| {
        let _ = std::fs::remove_file(&pid_file);
        t.type_text(&format!(
            "sh -c 'echo $$ > {}; exec {} {} 2> {}'",
            pid_file.display(),
            binary().display(),
            gaad.display(),
            stderr.display()
        ));
        t.keys(&["Enter"]);
        // A debug build loads 11 MB slowly: longer than the usual wait.
        let asked = Instant::now();
        while !t.capture().contains("Users (1500)") {
            assert!(
                asked.elapsed() < Duration::from_secs(120),
                "no explorer 120 s after starting; screen:\n{}",
                t.capture()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .to_string()
    };

    // The first user's trust view: the graph starts building, and says how far it got.
    let pid = start(&t);
    t.keys(&["l", "j", "t"]);
    let screen = t.wait_all(&["building trust graph… step", " of 6 (", "3,000 principals"]);
    assert!(screen.contains("grants so far"), "{screen}");
    // Quit in the middle of the build: the process ends at once.
    let asked = Instant::now();
    t.keys(&["q"]);
    while !has_exited(&pid) && asked.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = asked.elapsed();
    let exited = has_exited(&pid);
    kill_if_running(&pid);
    assert!(exited, "iamscope still running 5 s after q, mid-build");
    eprintln!("quit mid-build took {took:?}");
    assert!(
        took < Duration::from_millis(500),
        "quitting mid-build took {took:?}"
    );
    t.assert_restored(0);
    std::fs::remove_file(&pid_file).unwrap();
    // The load said what it was doing, with the file's size and then the counts.
    let said = std::fs::read_to_string(&stderr).unwrap();
    let mb = std::fs::metadata(&gaad).unwrap().len() as f64 / 1e6;
    assert!(
        said.contains(&format!(
            "iamscope: loading {} ({mb:.1} MB)…",
            gaad.display()
        )),
        "{said:?}"
    );
    assert!(
        said.contains("indexing 1500 users, 1500 roles, 50 groups, "),
        "{said:?}"
    );
}

/// Starts iamscope on the vulnerable sample with its data directory in `data`.
fn start_study(t: &Tmux, pid_file: &std::path::Path, data: &std::path::Path, extra: &str) {
    t.type_text(&format!(
        "XDG_DATA_HOME={} sh -c 'echo $$ > {}; exec {} --sample vulnerable {extra}'",
        data.display(),
        pid_file.display(),
        binary().display()
    ));
    t.keys(&["Enter"]);
    t.wait_text("Users (14)");
}

#[test]
fn study_lesson_then_a_quiz_question_with_its_trace_and_saved_progress() {
    let t = Tmux::start();
    let pid_file = t.dir.path().join("study.pid");
    let _guard = KillOnDrop(pid_file.clone());
    let data = t.dir.path().join("data");
    start_study(&t, &pid_file, &data, "");

    // `s` opens the study screen; the PassRole lesson is the eleventh lesson.
    t.keys(&["s"]);
    t.wait_all(&[
        "New quiz: 10 questions on sample:vulnerable",
        "Lessons (0 of 15 done)",
    ]);
    for _ in 0..11 {
        t.keys(&["j"]);
    }
    t.wait_text("▸   passrole               vulnerable");
    t.keys(&["Enter"]);
    t.wait_all(&[
        "Lesson: iam:PassRole and privilege escalation",
        "▸ 1. Open user/ec2-launcher",
    ]);
    // Its first step opens the user in the explorer; Backspace comes back.
    t.keys(&["Enter"]);
    t.wait_all(&["User ec2-launcher", "Backspace returns to study"]);
    t.keys(&["BSpace"]);
    t.wait_text("Steps and questions");

    // A quiz: the question first, then the evaluator's answer and trace.
    t.keys(&["Escape"]);
    t.wait_text("New quiz");
    t.keys(&["g", "Enter"]);
    let asked = t.wait_all(&["Question 1 of 10", "4 Conditional"]);
    assert!(!asked.contains("Decided by"), "{asked}");
    t.keys(&["Enter"]);
    let shown = t.wait_all(&[
        "You said Allow: ",
        "Decided by: ",
        "The evaluator's trace",
        "1. [",
    ]);
    assert!(
        shown.contains("score 1/1") || shown.contains("score 0/1"),
        "{shown}"
    );
    t.keys(&["q"]);
    t.assert_restored(0);
    std::fs::remove_file(&pid_file).unwrap();

    // The answer is in the progress file of the data directory.
    let saved = std::fs::read_to_string(data.join("iamscope/progress.json")).unwrap();
    let progress: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(progress["sessions"], 1, "{saved}");
    let asked: u64 = progress["topics"]
        .as_object()
        .unwrap()
        .values()
        .map(|r| r["asked"].as_u64().unwrap())
        .sum();
    assert_eq!(asked, 1, "{saved}");

    // --no-save: the same answer, nothing written.
    let data = t.dir.path().join("data-no-save");
    start_study(&t, &pid_file, &data, "--no-save");
    t.keys(&["s"]);
    t.wait_text("not saved (--no-save");
    t.keys(&["Enter"]);
    t.wait_text("Question 1 of 10");
    t.keys(&["Enter"]);
    t.wait_all(&["You said Allow: ", "Decided by: "]);
    t.keys(&["q"]);
    t.assert_restored(0);
    std::fs::remove_file(&pid_file).unwrap();
    assert!(!data.exists(), "--no-save wrote {}", data.display());
}
