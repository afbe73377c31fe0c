//! `iamscope lessons [TOPIC]`: the list of lessons, or one lesson's text.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use super::text::clean;
use crate::study::{lessons, render_links, Topic};

/// Arguments of `lessons`.
#[derive(Debug, Args)]
pub struct LessonsArgs {
    /// A topic: print its lesson (default: list every lesson).
    pub topic: Option<String>,
    /// Print JSON (the lesson's steps, links and interview questions).
    #[arg(long)]
    pub json: bool,
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
        for l in &all {
            let quiz = if l.topic.quizzable() { "quiz" } else { "    " };
            writeln!(
                out,
                "{:width$}  {quiz}  {:10}  {}",
                l.topic.slug(),
                clean(&l.sample),
                clean(&l.title)
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "Read one with `iamscope lessons TOPIC`; quiz with `iamscope quiz --topic TOPIC`."
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
