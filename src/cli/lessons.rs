//! `iamscope lessons [TOPIC]`: the list of lessons, or one lesson's text.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

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
pub fn run(args: &LessonsArgs) -> anyhow::Result<ExitCode> {
    let all = lessons()?;
    let Some(slug) = &args.topic else {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&all)?);
            return Ok(ExitCode::SUCCESS);
        }
        let width = all.iter().map(|l| l.topic.slug().len()).max().unwrap_or(0);
        for l in &all {
            let quiz = if l.topic.quizzable() { "quiz" } else { "    " };
            println!(
                "{:width$}  {quiz}  {:10}  {}",
                l.topic.slug(),
                clean(&l.sample),
                clean(&l.title)
            );
        }
        println!();
        println!(
            "Read one with `iamscope lessons TOPIC`; quiz with `iamscope quiz --topic TOPIC`."
        );
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
        println!("{}", serde_json::to_string_pretty(&lesson)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("[sample: {}]", clean(&lesson.sample));
    for line in render_links(&lesson.body).lines() {
        println!("{}", clean(line));
    }
    Ok(ExitCode::SUCCESS)
}
