#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the end-to-end tests drive
# (tmux for the TUI, Graphviz and Mermaid for the graph exports) when missing, then
# runs `cargo test`. Installing needs apt (root) and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
    if command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && apt-get install -y -qq "$@") >/dev/null 2>&1 || echo "warning: could not install $*" >&2
    else
        echo "warning: please install $* (needed by the end-to-end tests)" >&2
    fi
}
command -v tmux >/dev/null 2>&1 || apt_install tmux
command -v dot >/dev/null 2>&1 || apt_install graphviz
{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || apt_install nodejs npm
[ -d scripts/node_modules/mermaid ] || npm ci --prefix scripts --no-audit --no-fund --loglevel=error

cargo test "$@"
