//! `iamscope quiz`: questions generated from the account, answered on stdin, graded by
//! the evaluator; `--json` prints them with their answers instead.

use std::fmt::Write as _;
use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;

use super::output::Output;
use super::text::clean;
use super::BundleArg;
use crate::load::{self, Input};
use crate::study::{
    generate, parse_choice, Progress, ProgressStore, Question, QuizOptions, Topic, DECISION_CHOICES,
};

/// Arguments of `quiz`.
#[derive(Debug, Args)]
pub struct QuizArgs {
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Use a sample account by name instead (see `iamscope samples`).
    #[arg(long, value_name = "NAME", conflicts_with = "bundle")]
    pub sample: Option<String>,
    /// How many questions.
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// The seed: the same seed on the same account gives the same quiz [default: the clock].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Only questions of this topic (see `iamscope lessons`); repeatable.
    #[arg(long, value_name = "TOPIC")]
    pub topic: Vec<String>,
    /// Only the topics due for review (Leitner boxes over earlier sessions).
    #[arg(long, conflicts_with = "topic")]
    pub review: bool,
    /// Print the questions with their answers and traces as JSON (nothing is asked).
    #[arg(long)]
    pub json: bool,
    /// Keep no progress (scores, missed questions) in the data directory.
    #[arg(long)]
    pub no_save: bool,
}

/// Parses topic slugs, naming the valid ones on error.
pub fn parse_topics(slugs: &[String]) -> anyhow::Result<Vec<Topic>> {
    slugs
        .iter()
        .map(|s| {
            Topic::from_slug(s).with_context(|| {
                let valid: Vec<&str> = Topic::ALL
                    .iter()
                    .filter(|t| t.quizzable())
                    .map(|t| t.slug())
                    .collect();
                format!(
                    "unknown topic `{}`; quiz topics: {}",
                    clean(s),
                    valid.join(", ")
                )
            })
        })
        .collect()
}

/// Runs `quiz`.
pub fn run(args: &QuizArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let bundle_text = match (&args.sample, &args.bundle.bundle) {
        (Some(name), _) => format!("sample:{name}"),
        (None, Some(path)) => path.clone(),
        (None, None) => "sample:".to_string(),
    };
    if bundle_text == "-" && !args.json {
        bail!("the bundle comes from stdin, which leaves no way to answer: use --json, or a bundle file");
    }
    let input = Input::from_arg(Some(&bundle_text));
    let account = load::load(&input).context("loading the account")?;
    let store = if args.no_save || args.json {
        ProgressStore::none()
    } else {
        ProgressStore::open_default().unwrap_or_else(|e| {
            eprintln!("warning: {e}; progress will not be kept");
            ProgressStore::none()
        })
    };
    let (store, mut progress) = match store.load() {
        Ok(p) => (store, p),
        Err(e) => {
            eprintln!("warning: {e}; progress will not be kept");
            (ProgressStore::none(), Progress::default())
        }
    };
    let session = progress.sessions + 1;
    let mut topics = parse_topics(&args.topic)?;
    if args.review {
        topics = progress.due_topics(session);
        if topics.is_empty() {
            writeln!(
                out,
                "Nothing is due for review: take a quiz first, or come back next session."
            )?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let seed = args.seed.unwrap_or_else(clock_seed);
    let options = QuizOptions {
        count: args.count,
        seed,
        topics: topics.clone(),
    };
    let questions = generate(&account, &options);
    if questions.is_empty() {
        let which: Vec<&str> = topics.iter().map(|t| t.slug()).collect();
        bail!(
            "no questions on this account for {}",
            if which.is_empty() {
                "any topic".to_string()
            } else {
                which.join(", ")
            }
        );
    }
    if args.json {
        let answer = serde_json::json!({
            "account": account.id,
            "seed": seed,
            "count": questions.len(),
            "questions": questions,
        });
        out.json(&answer)?;
        return Ok(ExitCode::SUCCESS);
    }
    progress.start_session();
    ask(&questions, seed, &bundle_text, &mut progress, out)?;
    store.save(&progress)?;
    Ok(ExitCode::SUCCESS)
}

fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_secs())
}

/// Asks each question on stdin, reveals the evaluator's answer and trace, and records
/// the result. Stops at end of input.
fn ask(
    questions: &[Question],
    seed: u64,
    bundle: &str,
    progress: &mut Progress,
    out: &mut Output,
) -> anyhow::Result<()> {
    let choices: Vec<String> = DECISION_CHOICES
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} {c}", i + 1))
        .collect();
    writeln!(
        out,
        "{} questions (seed {seed}). Answer {} (or a/e/i/c); Enter reveals the answer.",
        questions.len(),
        choices.join(", ")
    )?;
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let (mut asked, mut right) = (0, 0);
    for q in questions {
        writeln!(out)?;
        writeln!(
            out,
            "Q{}/{} [{}] {}",
            q.number,
            questions.len(),
            q.topic,
            clean(&q.prompt)
        )?;
        out.flush_stdout()?;
        let Some(line) = lines.next().transpose()? else {
            writeln!(out, "(end of input)")?;
            break;
        };
        match parse_choice(&line) {
            Some(choice) => {
                asked += 1;
                if q.is_correct(choice) {
                    right += 1;
                    writeln!(out, "> {choice}: right.")?;
                } else {
                    writeln!(out, "> {choice}: wrong, the evaluator says {}.", q.answer)?;
                }
                progress.record(q, choice);
            }
            None => writeln!(out, "> (no answer) The evaluator says {}.", q.answer)?,
        }
        reveal(q, bundle, out)?;
    }
    writeln!(out)?;
    writeln!(out, "Score: {right}/{asked}")?;
    let mut by_topic: Vec<String> = progress
        .topics
        .iter()
        .map(|(t, r)| format!("{t} {}/{} (box {})", r.correct, r.asked, r.leitner_box))
        .collect();
    by_topic.sort();
    if !by_topic.is_empty() {
        writeln!(out, "All sessions, by topic: {}", by_topic.join(", "))?;
    }
    let due = progress.due_topics(progress.sessions + 1);
    if !due.is_empty() {
        let slugs: Vec<&str> = due.iter().map(|t| t.slug()).collect();
        writeln!(
            out,
            "Review next time: {} (`iamscope lessons TOPIC`, `iamscope quiz --review`)",
            slugs.join(", ")
        )?;
    }
    Ok(())
}

/// The decision, the step that decided it and the whole trace.
fn reveal(q: &Question, bundle: &str, out: &mut Output) -> anyhow::Result<()> {
    writeln!(out, "  {}", clean(&q.decision.to_string()))?;
    let d = &q.deciding;
    let mut at = format!("{}", d.layer);
    if !d.policy.is_empty() {
        at.push_str(&format!(" · {}", d.policy));
    }
    if let Some(i) = d.statement {
        at.push_str(&format!(" #{}", i + 1));
    }
    if let Some(s) = &d.sid {
        at.push_str(&format!(" ({s})"));
    }
    writeln!(out, "  Decided by: {}", clean(&at))?;
    writeln!(out, "  Why: {}", clean(&d.summary))?;
    writeln!(out, "  Trace:")?;
    for line in q.trace.to_string().lines() {
        writeln!(out, "    {}", clean(line))?;
    }
    let mut replay = vec![
        "iamscope can".to_string(),
        shell_word(&q.principal),
        shell_word(&q.action),
        shell_word(&q.resource),
    ];
    replay.extend(q.context.can_args().iter().map(|a| shell_word(a)));
    replay.push("-b".into());
    replay.push(shell_word(bundle));
    writeln!(out, "  Replay: {}", clean(&replay.join(" ")))?;
    Ok(())
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
