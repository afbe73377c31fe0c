//! `iamscope lessons [TOPIC]`: the list of lessons (those done marked), or one
//! lesson's text; `--done` marks a lesson done in the study progress.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use super::text::clean;
use crate::study::{lessons, render_links, Progress, ProgressStore, Topic};

/// Arguments of `lessons`.
#[derive(Debug, Args)]
pub struct LessonsArgs {
    /// A topic: print its lesson (default: list every lesson).
    pub topic: Option<String>,
    /// Print JSON (the lesson's steps, links and interview questions).
    #[arg(long)]
    pub json: bool,
    /// Mark TOPIC's lesson done in the study progress (the data directory), as the
    /// explorer's study screen does.
    #[arg(long, requires = "topic")]
    pub done: bool,
}

/// The saved progress, for the marks of the list; none when there is none or it
/// cannot be read (the list is still useful without marks).
fn saved_progress() -> Progress {
    ProgressStore::open_default()
        .and_then(|s| s.load())
        .unwrap_or_default()
}

/// `--done`: marks `topic` done and saves.
fn mark_done(topic: Topic, all: usize, out: &mut Output) -> anyhow::Result<ExitCode> {
    let store = ProgressStore::open_default()?;
    let mut progress = store.load()?;
    progress.lesson_done(topic);
    store.save(&progress)?;
    let path = store
        .path()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    writeln!(
        out,
        "Lesson {topic} done ({} of {all} lessons done; progress in {}).",
        progress.lessons_done.len(),
        clean(&path)
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `lessons`.
pub fn run(args: &LessonsArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let all = lessons()?;
    let Some(slug) = &args.topic else {
        if args.json {
            out.json(&all)?;
            return Ok(ExitCode::SUCCESS);
        }
        let width = all.iter().map(|l| l.topic.slug().len()).max().unwrap_or(0);
        let progress = saved_progress();
        for l in &all {
            let quiz = if l.topic.quizzable() { "quiz" } else { "    " };
            let done = if progress.lessons_done.contains(&l.topic) {
                "✓"
            } else {
                " "
            };
            writeln!(
                out,
                "{done} {:width$}  {quiz}  {:10}  {}",
                l.topic.slug(),
                clean(&l.sample),
                clean(&l.title)
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{} of {} done (✓). Read one with `iamscope lessons TOPIC`, mark it done with \
             `--done`; quiz with `iamscope quiz --topic TOPIC`.",
            progress.lessons_done.len(),
            all.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    let topic = Topic::from_slug(slug).with_context(|| {
        let slugs: Vec<&str> = Topic::ALL.iter().map(|t| t.slug()).collect();
        format!(
            "unknown topic `{}`; topics: {}",
            clean(slug),
            slugs.join(", ")
        )
    })?;
    let lesson = all
        .into_iter()
        .find(|l| l.topic == topic)
        .with_context(|| format!("no lesson for {topic}"))?;
    if args.done {
        return mark_done(topic, Topic::ALL.len(), out);
    }
    if args.json {
        out.json(&lesson)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "[sample: {}]", clean(&lesson.sample))?;
    for line in render_links(&lesson.body).lines() {
        writeln!(out, "{}", clean(line))?;
    }
    Ok(ExitCode::SUCCESS)
}
