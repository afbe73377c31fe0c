//! `iamscope findings`: the account audit as text, JSON or SARIF.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use clap::Args;

use super::output::Output;
use super::BundleArg;
use crate::eval::Engine;
use crate::findings::{
    at_least, audit, days_from_iso, iso_from_days, rule, sarif, Finding, Options, Severity,
};
use crate::graph::Graph;

/// Arguments of `findings`.
#[derive(Debug, Args)]
pub struct FindingsArgs {
    #[command(flatten)]
    pub bundle: BundleArg,
    /// Print JSON: an array of findings {id, title, family, severity, entity, summary,
    /// explanation, evidence, remediation, location}.
    #[arg(long, conflicts_with = "sarif")]
    pub json: bool,
    /// Print a SARIF 2.1.0 log (for code-scanning tools).
    #[arg(long)]
    pub sarif: bool,
    /// Show only findings at or above this severity.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "low")]
    pub min_severity: Severity,
    /// Exit 1 when a finding at or above this severity exists (for CI).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// "Now" for ages and unused credentials, YYYY-MM-DD [default: the latest date the
    /// bundle records].
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("`{text}` is not low, medium, high or critical"))
}

/// Runs `findings`.
pub fn run(args: &FindingsArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    let now = match &args.as_of {
        Some(d) => match days_from_iso(d) {
            Some(n) => Some(n),
            None => bail!("--as-of {d:?} is not a date (YYYY-MM-DD)"),
        },
        None => None,
    };
    let account = args.bundle.load().context("loading the account")?;
    let engine = Engine::new(&account);
    let graph = Graph::build(&engine);
    let options = Options { now };
    let all = audit(&engine, &graph, &options);
    let failed = args
        .fail_on
        .is_some_and(|min| all.iter().any(|f| f.severity >= min));
    let shown = at_least(all, args.min_severity);
    if args.sarif {
        out.json(&sarif::to_sarif(&shown))?;
    } else if args.json {
        out.json(&shown)?;
    } else {
        let date = now.or_else(|| crate::findings::as_of(&account));
        let name = account.alias.as_deref().unwrap_or("account");
        write!(out, "{}", render_text(&shown, name, &account.id, date))?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Text from the bundle shown safely (see [`crate::findings::sanitize`]).
fn clean(text: &str) -> String {
    crate::findings::sanitize(text)
}

/// The findings as text: a count line, the findings most severe first, then what each
/// check means.
pub fn render_text(findings: &[Finding], name: &str, id: &str, date: Option<i64>) -> String {
    let mut out = String::new();
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let _ = writeln!(
        out,
        "Findings for {} ({}){}: {} — {} critical, {} high, {} medium, {} low",
        clean(name),
        clean(id),
        date.map(|d| format!(" as of {}", iso_from_days(d)))
            .unwrap_or_default(),
        findings.len(),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
    );
    for f in findings {
        let _ = writeln!(
            out,
            "\n{:<8} {}  {}",
            f.severity.as_str().to_uppercase(),
            f.id,
            f.title
        );
        let _ = writeln!(out, "  entity    {}", clean(&f.entity));
        let _ = writeln!(out, "  finding   {}", clean(&f.summary));
        for e in &f.evidence {
            for line in e.lines() {
                let _ = writeln!(out, "  evidence  {line}");
            }
        }
        if let Some(loc) = &f.location {
            let path = loc.json_path.as_deref().map(|p| format!(" {}", clean(p)));
            let _ = writeln!(
                out,
                "  where     {}{}",
                clean(&loc.file),
                path.unwrap_or_default()
            );
        }
    }
    let mut ids: Vec<&str> = findings.iter().map(|f| f.id).collect();
    ids.sort_unstable();
    ids.dedup();
    if !ids.is_empty() {
        let _ = writeln!(out, "\nAbout these checks");
        for id in ids {
            if let Some(r) = rule(id) {
                let _ = writeln!(
                    out,
                    "\n{} {}\n  {}\n  Fix: {}",
                    r.id, r.title, r.explanation, r.remediation
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(clean("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        let f = Finding::new("IAM001", "arn:aws:iam::1:role/r\u{9b}", "evil\u{7}".into());
        let text = render_text(&[f], "x\u{1b}", "1", None);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
    }
}
