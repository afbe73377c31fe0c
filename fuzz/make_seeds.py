#!/usr/bin/env python3
"""Writes seed corpora for the fuzz targets from the scenario files in tests/data:
every scenario alone (for policy_eval) and every policy document in them (for both)."""
import hashlib, json, pathlib

root = pathlib.Path(__file__).resolve().parent
data = root.parent / "tests" / "data"
eval_dir = root / "corpus" / "policy_eval"
parse_dir = root / "corpus" / "policy_parse"
for d in (eval_dir, parse_dir):
    d.mkdir(parents=True, exist_ok=True)

def put(d, text):
    name = hashlib.sha1(text.encode()).hexdigest()
    (d / name).write_text(text)

for f in sorted(data.glob("*.json")):
    for case in json.loads(f.read_text()):
        put(eval_dir, json.dumps(case))
        docs = list(case.get("identity_policies") or []) + list(case.get("session_policies") or [])
        docs += [case.get("permissions_boundary"), case.get("resource_policy")]
        for level in (case.get("scps") or []) + (case.get("rcps") or []):
            docs += level if isinstance(level, list) else [level]
        for doc in docs:
            if isinstance(doc, dict) and "Statement" in doc:
                text = json.dumps(doc)
                put(eval_dir, text)
                put(parse_dir, text)
print(len(list(eval_dir.iterdir())), len(list(parse_dir.iterdir())))
