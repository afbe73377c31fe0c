//! Study mode: quiz answers are `can`'s answers, every topic is asked, lessons link only
//! entities of their sample, and the CLI keeps progress only when asked to.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use iamscope::eval::{Engine, Trace};
use iamscope::load::{self, Input};
use iamscope::model::Account;
use iamscope::study::{self, QuizOptions, Topic};

const SAMPLES: [&str; 3] = ["startup", "enterprise", "vulnerable"];

fn sample(name: &str) -> Account {
    load::load(&Input::Sample(name.to_string())).expect("sample loads")
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_iamscope"))
}

fn quiz(account: &Account, count: usize, seed: u64, topics: Vec<Topic>) -> Vec<study::Question> {
    study::generate(
        account,
        &QuizOptions {
            count,
            seed,
            topics,
        },
    )
}

#[test]
fn every_answer_is_the_evaluators_decision_replayed() {
    let mut replayed = 0;
    for name in SAMPLES {
        let account = sample(name);
        let engine = Engine::new(&account);
        for seed in [1, 2] {
            for q in quiz(&account, 80, seed, Vec::new()) {
                // The fast path (no trace) and the traced path must agree.
                let fast = engine.decide_arn(&q.principal, &q.query(), None);
                assert_eq!(fast, q.decision, "{name} seed {seed}: {}", q.prompt);
                assert_eq!(q.answer, fast.name());
                let mut trace = Trace::default();
                engine.decide_arn(&q.principal, &q.query(), Some(&mut trace));
                assert_eq!(trace, q.trace);
                replayed += 1;
            }
        }
    }
    assert!(replayed >= 300, "only {replayed} questions replayed");
}

#[test]
fn answers_equal_can_through_the_binary() {
    let mut checked = 0;
    for name in SAMPLES {
        let account = sample(name);
        for q in quiz(&account, 12, 3, Vec::new()) {
            let out = bin()
                .args(["can", &q.principal, &q.action, &q.resource])
                .args(["-b", &format!("sample:{name}"), "--json"])
                .args(q.context.can_args())
                .output()
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
            assert_eq!(json["decision"], q.answer, "{name}: {}", q.prompt);
            assert_eq!(
                json["missing_keys"],
                serde_json::json!(q.decision.missing_keys()),
                "{name}: {}",
                q.prompt
            );
            checked += 1;
        }
    }
    assert!(checked >= 30);
}

#[test]
fn every_quiz_topic_is_asked_on_the_samples_and_only_when_asked() {
    let accounts: Vec<Account> = SAMPLES.iter().map(|n| sample(n)).collect();
    for topic in Topic::ALL.into_iter().filter(|t| t.quizzable()) {
        let mut found = 0;
        for a in &accounts {
            let qs = quiz(a, 5, 1, vec![topic]);
            assert!(qs.iter().all(|q| q.topic == topic), "{topic}");
            found += qs.len();
        }
        assert!(found > 0, "no question on the samples for {topic}");
    }
}

#[test]
fn quizzes_pick_interacting_layers() {
    // The kinds of interaction the issue names, each found on the samples.
    let mut kinds = BTreeSet::new();
    for name in SAMPLES {
        for q in quiz(&sample(name), 120, 1, Vec::new()) {
            let granted = q.trace.steps.iter().any(|s| {
                s.effect == Some(iamscope::policy::Effect::Allow)
                    && s.matched == Some(iamscope::policy::Tri::True)
                    && !matches!(
                        s.layer,
                        iamscope::eval::Layer::Scp(_) | iamscope::eval::Layer::Rcp(_)
                    )
            });
            use iamscope::eval::{Decision, Layer};
            let kind = match (&q.decision, q.deciding.layer) {
                (Decision::ImplicitDeny | Decision::ExplicitDeny, Layer::Scp(_)) => "scp",
                (Decision::ExplicitDeny, _) if granted => "deny over allow",
                (Decision::ImplicitDeny, Layer::Boundary) if granted => "boundary cuts a grant",
                (Decision::Allow, Layer::ResourcePolicy) => "resource policy grants",
                (_, Layer::TrustPolicy) if !q.context.values.is_empty() => "trust condition",
                (Decision::Conditional { .. }, _) => "conditional",
                _ => continue,
            };
            kinds.insert(kind);
        }
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
}

#[test]
fn enterprise_fifty_questions_json_is_varied_and_deterministic() {
    let run = |seed: &str| {
        let out = bin()
            .args([
                "quiz",
                "--sample",
                "enterprise",
                "--count",
                "50",
                "--seed",
                seed,
                "--json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let first = run("1");
    assert_eq!(first, run("1"), "same seed, same quiz");
    assert_ne!(first, run("2"), "another seed, another quiz");
    let json: serde_json::Value = serde_json::from_slice(&first).unwrap();
    let qs = json["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 50);
    let topics: BTreeSet<&str> = qs.iter().map(|q| q["topic"].as_str().unwrap()).collect();
    let answers: BTreeSet<&str> = qs.iter().map(|q| q["answer"].as_str().unwrap()).collect();
    assert!(topics.len() >= 5, "{topics:?}");
    assert!(answers.len() >= 3, "{answers:?}");
    for q in qs {
        for field in [
            "principal",
            "action",
            "resource",
            "context",
            "topic",
            "choices",
            "answer",
        ] {
            assert!(!q[field].is_null(), "missing {field}");
        }
        let choices = q["choices"].as_array().unwrap();
        assert!(choices.contains(&q["answer"]));
    }
}

#[test]
fn lessons_cover_every_topic_and_link_only_entities_of_their_sample() {
    let lessons = study::lessons().expect("lessons parse");
    let topics: Vec<Topic> = lessons.iter().map(|l| l.topic).collect();
    assert_eq!(
        topics,
        Topic::ALL.to_vec(),
        "one lesson per topic, in order"
    );
    let mut links = 0;
    for l in &lessons {
        assert!(
            SAMPLES.contains(&l.sample.as_str()),
            "{}: sample {}",
            l.topic,
            l.sample
        );
        let account = sample(&l.sample);
        assert!(l.steps.len() >= 3, "{}: too few steps", l.topic);
        assert!(
            l.interview.len() >= 2,
            "{}: too few interview questions",
            l.topic
        );
        assert!(!l.links.is_empty(), "{}: links nothing", l.topic);
        for link in &l.links {
            assert!(
                link.resolve(&account).is_some(),
                "{}: {} is not in sample {}",
                l.topic,
                link.display(),
                l.sample
            );
            links += 1;
        }
    }
    assert!(links >= 60, "{links} links");
}

#[test]
fn lesson_commands_give_the_decisions_the_lessons_state() {
    // Every `iamscope can …` a lesson shows must be a valid request on its sample, and
    // when the text after it states a decision (`…`: Allow), `can` must agree.
    let (mut ran, mut stated) = (0, 0);
    for l in study::lessons().unwrap() {
        let mut rest = l.body.as_str();
        while let Some(start) = rest.find("`iamscope can ") {
            let after = &rest[start + 1..];
            let end = after.find('`').expect("closed command");
            let cmd = &after[..end];
            rest = &after[end + 1..];
            let words: Vec<&str> = cmd
                .split_whitespace()
                .skip(1)
                .map(|w| w.trim_matches('\''))
                .collect();
            let out = bin().args(&words).arg("--json").output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1 | 3)),
                "{}: `{cmd}`: {}",
                l.topic,
                String::from_utf8_lossy(&out.stderr)
            );
            ran += 1;
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let claim: String = rest
                .trim_start_matches(|c: char| c == ':' || c.is_whitespace())
                .chars()
                .take_while(|c| c.is_ascii_alphabetic())
                .collect();
            if study::DECISION_CHOICES.contains(&claim.as_str()) {
                assert_eq!(json["decision"], claim.as_str(), "{}: `{cmd}`", l.topic);
                stated += 1;
            }
        }
    }
    assert!(
        ran >= 20 && stated >= 15,
        "{ran} commands, {stated} stated decisions"
    );
}

fn quiz_text(args: &[&str], answers: &str, data_home: &std::path::Path) -> String {
    let mut child = bin()
        .args(["quiz", "--seed", "5"])
        .args(args)
        .env("XDG_DATA_HOME", data_home)
        .env("HOME", data_home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn text_quiz_grades_answers_and_saves_progress_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let json = bin()
        .args([
            "quiz",
            "--sample",
            "vulnerable",
            "--seed",
            "5",
            "--count",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let answers: Vec<String> = json["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["answer"].as_str().unwrap().to_string())
        .collect();
    // Right, right, then a wrong answer to the third.
    let wrong = if answers[2] == "Allow" {
        "ImplicitDeny"
    } else {
        "Allow"
    };
    let input = format!("{}\n{}\n{wrong}\n", answers[0], answers[1]);

    let out = quiz_text(
        &["--sample", "vulnerable", "--no-save", "--count", "3"],
        &input,
        dir.path(),
    );
    assert!(out.contains("Score: 2/3"), "{out}");
    assert!(out.contains("Decided by: "), "{out}");
    assert!(out.contains("Replay: iamscope can "), "{out}");
    let files: Vec<_> = walk(dir.path());
    assert!(files.is_empty(), "--no-save wrote {files:?}");

    let out = quiz_text(
        &["--sample", "vulnerable", "--count", "3"],
        &input,
        dir.path(),
    );
    assert!(out.contains("Score: 2/3"), "{out}");
    let files = walk(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(saved["sessions"], 1);
    assert_eq!(saved["missed"].as_array().unwrap().len(), 1);

    // The missed topic is due next session: --review asks only it.
    let missed_topic = saved["missed"][0]["topic"].as_str().unwrap().to_string();
    let out = quiz_text(
        &["--sample", "vulnerable", "--review", "--count", "3"],
        "\n\n\n",
        dir.path(),
    );
    assert!(out.contains(&format!("[{missed_topic}]")), "{out}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let text = include_str!("fixtures/gaad-cli-shape.json")
        .replace("\"Sid\": \"", "\"Sid\": \"\\u001b[2J\\u0007");
    let path = dir.path().join("gaad.json");
    std::fs::write(&path, text).unwrap();
    let path = path.to_str().unwrap();
    let out = quiz_text(
        &["-b", path, "--no-save", "--count", "20"],
        &"\n".repeat(20),
        dir.path(),
    );
    assert!(out.contains("\\x1b[2J"), "escaped Sids are shown: {out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out}");
}

#[test]
fn unknown_topics_are_errors_naming_the_valid_ones() {
    let out = bin()
        .args(["quiz", "--sample", "startup", "--topic", "nope", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown topic `nope`") && err.contains("passrole"),
        "{err}"
    );
}

#[test]
fn a_questions_entities_are_its_caller_resource_and_the_policies_its_trace_read() {
    use iamscope::study::{EntityLink, LinkKind, LinkTarget};
    let mut checked = 0;
    for name in SAMPLES {
        let account = sample(name);
        for q in quiz(&account, 40, 1, Vec::new()) {
            let links = study::involved(&q, &account);
            for (i, l) in links.iter().enumerate() {
                assert!(l.resolve(&account).is_some(), "{name}: {}", l.display());
                assert!(!links[..i].contains(l), "{name}: {} twice", l.display());
            }
            if let Some(e) = account.by_arn(&q.principal) {
                let first = links.first().and_then(|l| l.resolve(&account));
                assert_eq!(first, Some(LinkTarget::Entity(e)), "{name}: {}", q.prompt);
            }
            // Every identity whose policy the trace read can be opened.
            for step in &q.trace.steps {
                for (prefix, kind) in [
                    ("user/", LinkKind::User),
                    ("group/", LinkKind::Group),
                    ("role/", LinkKind::Role),
                ] {
                    let Some(owner) = step
                        .policy
                        .strip_prefix(prefix)
                        .and_then(|r| r.split_once(':'))
                    else {
                        continue;
                    };
                    let link = EntityLink {
                        kind,
                        name: owner.0.to_string(),
                        account: None,
                    };
                    assert!(links.contains(&link), "{name}: {} missing", link.display());
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 100, "{checked}");

    // ec2-launcher passing the EC2 admin role: the user, the role, and the group whose
    // policy the user gets (ec2-launcher is in `trainees` in the sample's export).
    let account = sample("vulnerable");
    let q = quiz(&account, 40, 1, vec![Topic::Passrole])
        .into_iter()
        .find(|q| {
            q.principal.ends_with(":user/ec2-launcher")
                && q.resource.ends_with(":role/dvia-ec2-admin-role")
        })
        .expect("the lesson's PassRole question is generated");
    let names: Vec<String> = study::involved(&q, &account)
        .iter()
        .map(EntityLink::display)
        .collect();
    for want in [
        "user/ec2-launcher",
        "role/dvia-ec2-admin-role",
        "group/trainees",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
}

#[test]
fn lessons_done_marks_a_lesson_in_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        bin()
            .arg("lessons")
            .args(args)
            .env("XDG_DATA_HOME", dir.path())
            .env("HOME", dir.path())
            .output()
            .unwrap()
    };
    let before = String::from_utf8(run(&[]).stdout).unwrap();
    assert!(before.contains("0 of 15 done"), "{before}");
    assert!(!before.contains("✓ passrole"), "{before}");

    let out = run(&["passrole", "--done"]);
    assert!(out.status.success(), "{out:?}");
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("Lesson passrole done (1 of 15"), "{said}");
    let saved = std::fs::read_to_string(dir.path().join("iamscope/progress.json")).unwrap();
    let progress: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(progress["lessons_done"], serde_json::json!(["passrole"]));

    let after = String::from_utf8(run(&[]).stdout).unwrap();
    assert!(after.contains("✓ passrole"), "{after}");
    assert!(after.contains("1 of 15 done"), "{after}");

    // An unknown topic is an error and changes nothing.
    let bad = run(&["nope", "--done"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("iamscope/progress.json")).unwrap(),
        saved
    );
}
