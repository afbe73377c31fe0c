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
# load_bundle: the sample accounts, the fixtures (hostile ones included), each as a
# bundle whose parts are separated by lines holding only "----".
load_dir = root / "corpus" / "load_bundle"
load_dir.mkdir(parents=True, exist_ok=True)
parts = ["gaad.json", "credential-report.csv", None, "account-aliases.json", None, "instance-profiles.json"]
def bundle_seed(folder):
    texts = []
    for name in parts:
        path = folder / name if name else None
        if name is None:
            found = sorted((folder / "resource-policies" / "s3").glob("*.json")) if len(texts) == 2 else sorted((folder / "oidc-providers").glob("*.json"))
            path = found[0] if found else None
        texts.append(path.read_bytes() if path and path.exists() else b"")
    while texts and not texts[-1]:
        texts.pop()
    return b"\n----\n".join(texts)
def put_bytes(d, data):
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)
fixtures = root.parent / "tests" / "fixtures"
for folder in sorted((root.parent / "sample-accounts").glob("*")) + [fixtures / "hostile"]:
    if (folder / "gaad.json").exists():
        put_bytes(load_dir, bundle_seed(folder))
for single in sorted(fixtures.glob("*.json")):
    put_bytes(load_dir, single.read_bytes())
print(len(list(eval_dir.iterdir())), len(list(parse_dir.iterdir())), len(list(load_dir.iterdir())))
