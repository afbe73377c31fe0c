//! `iamscope diff OLD NEW`: what changed between two exports, entities and access.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::Args;

use super::output::Output;
use crate::diff::{diff, AccessState, ChangeKind, Diff, FindingDelta};
use crate::load::{self, Input};
use crate::query::hop::Hop;
use crate::sanitize::display as safe;

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old export: a bundle folder, a GAAD file, `-` for stdin, or `sample:NAME`.
    pub old: String,
    /// The new export, likewise.
    pub new: String,
    /// Print JSON: {old, new, access_grew, entities, access, admin_paths,
    /// external_trust, findings, reevaluated} (see the README).
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when access grew: Allow or Conditional where there was none, Conditional
    /// become Allow, or Conditional on other keys (for CI).
    #[arg(long)]
    pub fail_on_new_access: bool,
}

/// Runs `diff`.
pub fn run(args: &DiffArgs, out: &mut Output) -> anyhow::Result<ExitCode> {
    if args.old == "-" && args.new == "-" {
        anyhow::bail!("only one of OLD and NEW can be read from standard input");
    }
    let old = load::load(&Input::from_arg(Some(&args.old)))
        .with_context(|| format!("loading the old export {}", args.old))?;
    let new = load::load(&Input::from_arg(Some(&args.new)))
        .with_context(|| format!("loading the new export {}", args.new))?;
    let answer = diff(&old, &new);
    if args.json {
        out.json(&answer)?;
    } else {
        write!(out, "{}", render_text(&answer))?;
    }
    Ok(if args.fail_on_new_access && answer.access_grew {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn state(s: &AccessState) -> String {
    let mut text = s.decision.clone();
    if !s.missing_keys.is_empty() {
        text += &format!(" (depends on {})", s.missing_keys.join(", "));
    }
    text
}

fn sign(grew: bool) -> char {
    if grew {
        '+'
    } else {
        '-'
    }
}

fn path(hops: &Option<Vec<Hop>>) -> String {
    match hops {
        None => "none".into(),
        Some(h) if h.is_empty() => "is an administrator".into(),
        Some(h) => h
            .iter()
            .map(|hop| format!("--{}--> {}", hop.kind, hop.to))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The diff as text, made safe for a terminal by [`Output`].
pub fn render_text(d: &Diff) -> String {
    let mut o = String::new();
    let name = |e: &crate::diff::Export| match &e.alias {
        Some(a) => format!("{} ({a}, {})", e.source, e.account_id),
        None => format!("{} ({})", e.source, e.account_id),
    };
    let _ = writeln!(o, "Diff {} → {}", safe(&name(&d.old)), safe(&name(&d.new)));
    if d.is_empty() {
        let _ = writeln!(o, "No differences.");
        return o;
    }
    let _ = writeln!(
        o,
        "Access grew: {}",
        if d.access_grew { "yes" } else { "no" }
    );
    if !d.access.is_empty() {
        let _ = writeln!(o, "\nAccess ({}):", d.access.len());
        for c in &d.access {
            let _ = writeln!(
                o,
                "  {} {:<17} {}  {} on {}: {} → {}",
                sign(c.grew),
                c.change.name(),
                safe(&c.principal),
                safe(&c.action),
                safe(&c.resource),
                safe(&state(&c.old)),
                safe(&state(&c.new)),
            );
            for (when, s) in [("was", &c.old), ("now", &c.new)] {
                if !s.statements.is_empty() {
                    let _ = writeln!(o, "      {when}: {}", safe(&s.statements.join(", ")));
                }
            }
        }
    }
    if !d.admin_paths.is_empty() {
        let _ = writeln!(o, "\nWays to administrator ({}):", d.admin_paths.len());
        for c in &d.admin_paths {
            let _ = writeln!(
                o,
                "  {} {:<17} {}",
                sign(c.grew),
                c.change.name(),
                safe(&c.principal)
            );
            let _ = writeln!(o, "      was: {}", safe(&path(&c.old_path)));
            let _ = writeln!(o, "      now: {}", safe(&path(&c.new_path)));
        }
    }
    if !d.external_trust.is_empty() {
        let _ = writeln!(
            o,
            "\nTrust from outside the account ({}):",
            d.external_trust.len()
        );
        for c in &d.external_trust {
            let _ = writeln!(
                o,
                "  {} {:<17} {} ({}) --{}--> {}: {} → {}",
                sign(c.grew),
                c.change.name(),
                safe(&c.principal),
                c.principal_kind,
                c.via,
                safe(&c.role),
                safe(&state(&c.old)),
                safe(&state(&c.new)),
            );
        }
    }
    if !d.findings.is_empty() {
        let _ = writeln!(o, "\nFindings ({}):", d.findings.len());
        for f in &d.findings {
            let mark = match f.change {
                FindingDelta::Appeared => "+ appeared",
                FindingDelta::Gone => "- gone    ",
            };
            let _ = writeln!(
                o,
                "  {mark} {:<8} {} {}: {}",
                f.severity.as_str().to_uppercase(),
                f.id,
                safe(&f.entity),
                safe(&f.summary)
            );
        }
    }
    if !d.entities.is_empty() {
        let _ = writeln!(o, "\nEntities ({}):", d.entities.len());
        for e in &d.entities {
            let mark = match e.kind {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
            };
            let _ = writeln!(
                o,
                "  {mark} {:<7} {} {}",
                e.kind.name(),
                e.entity.name(),
                safe(&e.id)
            );
            for line in &e.details {
                let _ = writeln!(o, "      {}", safe(line));
            }
            for doc in &e.documents {
                let statements: Vec<String> = doc
                    .statements
                    .iter()
                    .map(|s| format!("{} {}", s.statement, s.kind.name()))
                    .collect();
                let _ = writeln!(
                    o,
                    "      {} {}: {}",
                    safe(&doc.document),
                    doc.kind.name(),
                    safe(&statements.join(", "))
                );
            }
        }
    }
    let r = &d.reevaluated;
    let _ = writeln!(
        o,
        "\nRe-evaluated {} of {} principals{} and {} resource polic{} that changed.",
        r.principals,
        r.of_principals,
        if r.account_wide {
            " (an account-wide input changed)"
        } else {
            ""
        },
        r.resources,
        if r.resources == 1 { "y" } else { "ies" },
    );
    o
}
