#!/usr/bin/env bash
# Times iamscope beside its offline peers on the same generated accounts and writes a
# markdown table (not run by CI). Peers come from PyPI into virtual environments:
# cloudsplaining (`scan`, the whole-account audit) and principalmapper (PMapper:
# building its graph, then a who-can query over it). PMapper reads AWS through
# botocore; here it is fed the generated GAAD through a stand-in IAM client and builds
# its graph in offline mode (no session), storing it as `pmapper graph create` does
# (a ~/.principalmapper-style directory, under PMAPPER_STORAGE), from which
# `pmapper argquery` answers.
#
# Usage: bash scripts/bench-peers.sh [PRINCIPALS...]      (default: 1000 5000)
# Environment: PEERS_TIMEOUT (seconds per run, default 900), PEERS_DIR (work folder,
# default target/bench-peers), IAMSCOPE_BIN_DIR (use the iamscope binaries there
# instead of building them). The table goes to $PEERS_DIR/peers.md and stdout.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000)
timeout_s=${PEERS_TIMEOUT:-900}
dir=${PEERS_DIR:-target/bench-peers}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

if [ -n "${IAMSCOPE_BIN_DIR:-}" ]; then
    bin=$IAMSCOPE_BIN_DIR # already built there
else
    cargo build --release --quiet --bin iamscope --bin iamscope-gen
    bin=$(pwd)/target/release
fi

venv() { # name package
    if [ ! -x "$dir/$1/bin/python" ]; then
        python3 -m venv "$dir/$1"
        "$dir/$1/bin/pip" install --quiet --disable-pip-version-check "$2"
    fi
}
venv venv-cs cloudsplaining
venv venv-pm principalmapper
cs_version=$("$dir/venv-cs/bin/pip" show cloudsplaining | sed -n 's/^Version: //p')
pm_version=$("$dir/venv-pm/bin/pip" show principalmapper | sed -n 's/^Version: //p')

# PMapper 1.1.5 imports Mapping from `collections`, which Python 3.10 removed: the
# shim puts the names back before PMapper loads (its code is not changed).
cat > "$dir/pmapper_offline.py" <<'EOF'
import collections, collections.abc, json, os, sys
for name in ("Mapping", "MutableMapping", "Sequence", "Iterable"):
    setattr(collections, name, getattr(collections.abc, name))

def cli():
    from principalmapper.__main__ import main
    sys.argv = ["pmapper"] + sys.argv[2:]
    sys.exit(main())

class Pages:
    def __init__(self, pages): self.pages = pages
    def paginate(self, **_): return iter(self.pages)

class OfflineIam:
    """Answers the IAM calls PMapper's gathering makes, from a GAAD file."""
    def __init__(self, gaad): self.gaad = gaad
    def get_paginator(self, name):
        if name == "get_account_authorization_details":
            return Pages([self.gaad])
        if name == "list_virtual_mfa_devices":
            return Pages([{"VirtualMFADevices": []}])
        raise NotImplementedError(name)
    def list_access_keys(self, **_): return {"AccessKeyMetadata": []}
    def get_login_profile(self, **_): raise Exception("NoSuchEntity")
    def list_mfa_devices(self, **_): return {"MFADevices": []}

def create(gaad_path, account):
    import principalmapper
    from principalmapper.common import Graph
    from principalmapper.graphing import gathering, edge_identification
    from principalmapper.util.storage import get_default_graph_path
    gaad = json.load(open(gaad_path))
    found = gathering.get_nodes_groups_and_policies(OfflineIam(gaad))
    gathering.update_admin_status(found["nodes"])
    edges = edge_identification.obtain_edges(
        None, list(edge_identification.checker_map), found["nodes"])
    graph = Graph(found["nodes"], edges, found["policies"], found["groups"],
                  {"account_id": account, "pmapper_version": principalmapper.__version__})
    graph.store_graph_as_json(get_default_graph_path(account))
    print(f"{len(found['nodes'])} nodes, {len(edges)} edges")

if sys.argv[1] == "create":
    create(sys.argv[2], sys.argv[3])
else:
    cli()
EOF

# Runs a command with a timeout; prints "wall_seconds cpu_seconds peak_MiB status"
# (cpu: user + system of the command; status: ok, timeout, or exit N). On a shared
# machine the CPU time is the steadier figure.
measure() {
    python3 - "$timeout_s" "$@" <<'EOF'
import resource, subprocess, sys, time
timeout, cmd = float(sys.argv[1]), sys.argv[2:]
start = time.monotonic()
try:
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    status = "ok" if p.returncode in (0, 1) else f"exit {p.returncode}"
except subprocess.TimeoutExpired:
    status = "timeout"
took = time.monotonic() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{took:.2f} {usage.ru_utime + usage.ru_stime:.2f} {usage.ru_maxrss / 1024:.0f} {status}")
EOF
}

account=123456789012
action=s3:GetObject
resource=arn:aws:s3:::data-bucket-1/reports/2026.csv
table="$dir/peers.md"
{
    echo "| principals | GAAD | task | tool | wall time | CPU time | peak RSS | result |"
    echo "|---|---|---|---|---|---|---|---|"
} > "$table"
row() { # principals size task tool measurement...
    local n=$1 size=$2 task=$3 tool=$4 secs=$5 cpu=$6 peak=$7
    shift 7
    local status=$*
    local shown="${secs} s"
    [ "$status" = timeout ] && shown="> ${timeout_s} s (timeout)"
    echo "| $n | $size | $task | $tool | $shown | ${cpu} s | ${peak} MiB | $status |" | tee -a "$table"
}

for n in "${sizes[@]}"; do
    gaad="$dir/gaad-$n.json"
    [ -s "$gaad" ] || "$bin/iamscope-gen" --users $((n / 2)) --roles $((n - n / 2)) \
        --groups $(( n / 33 > 0 ? n / 33 : 1 )) --policies $(( n * 15 / 100 > 10 ? n * 15 / 100 : 10 )) \
        --seed 7 --output "$gaad"
    size="$(du -m "$gaad" | cut -f1) MB"
    store="$dir/pmapper-$n"
    rm -rf "$store" "$dir/cs-$n"
    mkdir -p "$dir/cs-$n"

    row "$n" "$size" "audit the account" "iamscope findings" \
        $(measure "$bin/iamscope" findings -b "$gaad")
    row "$n" "$size" "audit the account" "cloudsplaining $cs_version scan" \
        $(measure "$dir/venv-cs/bin/cloudsplaining" scan --input-file "$gaad" --output "$dir/cs-$n" --skip-open-report)
    row "$n" "$size" "graph with escalation edges" "iamscope graph --format json" \
        $(measure "$bin/iamscope" graph -b "$gaad" --format json)
    row "$n" "$size" "graph with escalation edges" "PMapper $pm_version graph (offline)" \
        $(PMAPPER_STORAGE="$store" measure "$dir/venv-pm/bin/python" "$dir/pmapper_offline.py" create "$gaad" "$account")
    row "$n" "$size" "who can $action, through the graph" "iamscope who-can --escalation" \
        $(measure "$bin/iamscope" who-can "$action" "$resource" -b "$gaad" --escalation)
    if [ -d "$store/$account" ]; then
        row "$n" "$size" "who can $action, through the graph" "PMapper argquery (graph stored)" \
            $(PMAPPER_STORAGE="$store" measure "$dir/venv-pm/bin/python" "$dir/pmapper_offline.py" cli \
                --account "$account" argquery --action "$action" --resource "$resource")
    else
        echo "| $n | $size | who can $action, through the graph | PMapper argquery | – | – | – | no graph (its build did not finish) |" | tee -a "$table"
    fi
done

machine="$(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
echo | tee -a "$table"
echo "Measured $(date -u +%Y-%m-%d) on $machine; timeout ${timeout_s} s per run." | tee -a "$table"
