#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the end-to-end tests drive
# (tmux for the TUI, Graphviz and Mermaid for the graph exports, moto and the AWS CLI
# for the collector) when missing, then runs `cargo test`. Installing needs apt (root),
# the npm registry and PyPI.
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

# tests/collector_moto.rs runs scripts/collect-account.sh against a moto server: both
# moto and the AWS CLI live in a virtual environment (never the system Python). No
# PyPI means no collector test: fail here, loudly, rather than skip it.
venv=${IAMSCOPE_MOTO_VENV:-target/moto-venv}
if [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/aws" ]; then
    python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || apt_install python3 python3-venv
    rm -rf "$venv"
    # Wheels are kept under target/ too, so a venv made again does not download them again.
    python3 -m venv "$venv" &&
        "$venv/bin/pip" install -q --disable-pip-version-check --cache-dir target/pip-cache 'moto[server]>=5.1,<6' 'awscli>=1.29,<2' ||
        { echo "error: cannot install moto and the AWS CLI from PyPI into $venv (tests/collector_moto.rs needs them)" >&2; exit 1; }
fi
IAMSCOPE_MOTO_VENV=$(cd "$venv" && pwd)
export IAMSCOPE_MOTO_VENV

cargo test "$@"
