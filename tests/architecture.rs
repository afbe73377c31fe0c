//! The domain core knows nothing of terminals or argument parsing: no module outside
//! `src/tui/`, `src/cli/` and the binaries (`src/main.rs`, `src/bin/`) may use
//! ratatui, crossterm or clap.

use std::path::{Path, PathBuf};

const FRONT_ENDS: &[&str] = &["tui", "cli", "bin", "main.rs"];
const UI_CRATES: &[&str] = &["ratatui", "crossterm", "clap", "tui_tree_widget"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reading src/") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The UI crates a source text names as paths (`ratatui::…`, `use clap …`).
fn ui_crates_used(text: &str) -> Vec<&'static str> {
    UI_CRATES
        .iter()
        .copied()
        .filter(|krate| {
            text.lines().any(|line| {
                let code = line.split("//").next().unwrap_or_default();
                code.contains(&format!("{krate}::"))
                    || code.contains(&format!("use {krate}"))
                    || code.contains(&format!("extern crate {krate}"))
            })
        })
        .collect()
}

#[test]
fn the_core_does_not_depend_on_terminal_or_cli_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "found the sources: {}", files.len());
    let mut offenders = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        if FRONT_ENDS.contains(&top.as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for krate in ui_crates_used(&text) {
            offenders.push(format!("{} uses {krate}", rel.display()));
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn the_check_recognises_a_use() {
    assert_eq!(ui_crates_used("use ratatui::text::Line;"), vec!["ratatui"]);
    assert_eq!(
        ui_crates_used("let k = crossterm::event::read();"),
        vec!["crossterm"]
    );
    assert_eq!(ui_crates_used("#[derive(clap::Args)]"), vec!["clap"]);
    assert!(ui_crates_used("// a comment about ratatui::Frame").is_empty());
    assert!(ui_crates_used("let clapping = 1;").is_empty());
}
