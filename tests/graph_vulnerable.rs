//! Acceptance: the seeded escalation paths of the `vulnerable` sample, read at test time
//! from `sample-accounts/vulnerable/README.md`'s machine-checkable tables, are found —
//! through the library and through `iamscope paths/trust --json` — with the right
//! technique, hop count and evidence; and no path is reported that the README does not
//! list (every user and role of the account, and the decoys D1–D4).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use iamscope::eval::Engine;
use iamscope::graph::search::Target;
use iamscope::graph::Graph;
use iamscope::load::{self, Input};
use iamscope::query;
use serde_json::Value;

const BUNDLE: &str = "sample:vulnerable";

fn readme() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/vulnerable/README.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The lines of the README section that starts with `heading` (up to the next `## `).
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(heading));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("README has no section {heading:?}"));
    std::iter::once(first)
        .chain(lines.take_while(|l| !l.starts_with("## ")))
        .collect()
}

/// Table rows (cells trimmed) whose first cell satisfies `key`.
fn rows(lines: &[&str], key: impl Fn(&str) -> bool) -> Vec<Vec<String>> {
    lines
        .iter()
        .filter(|l| l.starts_with('|'))
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|cells| key(&cells[0]))
        .collect()
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|s| s.trim().trim_matches('`').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// One seeded path (rows a–j).
#[derive(Debug)]
struct Seeded {
    id: String,
    from: String,
    to: String,
    technique: String,
    required: Vec<String>,
    evidence: Vec<String>,
}

fn seeded() -> Vec<Seeded> {
    let text = readme();
    let lines = section(&text, "## Seeded paths");
    let out: Vec<Seeded> = rows(&lines, |c| {
        c.len() == 1 && c.chars().all(|ch| ch.is_ascii_lowercase())
    })
    .into_iter()
    .map(|c| {
        assert_eq!(c.len(), 6, "seeded-path row has 6 columns: {c:?}");
        Seeded {
            id: c[0].clone(),
            from: c[1].clone(),
            to: c[2].clone(),
            technique: c[3].clone(),
            required: c[4].split(',').map(|s| s.trim().to_string()).collect(),
            evidence: split_list(&c[5]),
        }
    })
    .collect();
    let ids: Vec<&str> = out.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]);
    out
}

/// The hops of row h: (from, to, identity-side evidence, trust evidence).
fn hops_of_h() -> Vec<[String; 4]> {
    let text = readme();
    let lines = section(&text, "## Seeded paths");
    let out: Vec<[String; 4]> = rows(&lines, |c| c.starts_with("h."))
        .into_iter()
        .map(|c| [c[1].clone(), c[2].clone(), c[3].clone(), c[4].clone()])
        .collect();
    assert_eq!(out.len(), 3, "README lists the 3 hops of h");
    out
}

/// The admin set as exported (first column of the "Admin set" table).
fn admins() -> BTreeSet<String> {
    let text = readme();
    let lines = section(&text, "## Admin set");
    let out: BTreeSet<String> = rows(&lines, |c| c.starts_with("`arn:"))
        .into_iter()
        .map(|c| c[0].trim_matches('`').to_string())
        .collect();
    assert_eq!(out.len(), 6, "README lists 6 admins: {out:?}");
    out
}

/// "the non-admin principals **with** a route to admin are exactly: users …, and roles …"
fn with_route() -> BTreeSet<String> {
    let text = readme();
    let start = text
        .find("So the non-admin principals")
        .expect("README states the principals with a route to admin");
    let para = &text[start..];
    let para = &para[..para.find("Every other").expect("end of the list")];
    let users_at = para.find("users ").expect("users part");
    let roles_at = para.find("roles ").expect("roles part");
    let names = |s: &str| -> Vec<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let account = "arn:aws:iam::666666666666";
    let mut out = BTreeSet::new();
    for n in names(&para[users_at..roles_at]) {
        out.insert(format!("{account}:user/{n}"));
    }
    for n in names(&para[roles_at..]) {
        out.insert(format!("{account}:role/{n}"));
    }
    assert_eq!(out.len(), 10, "README lists 8 users and 2 roles: {out:?}");
    out
}

/// Decoys: (id, principal ARN, evidence).
fn decoys() -> Vec<(String, String, Vec<String>)> {
    let text = readme();
    let lines = section(&text, "## Decoys");
    let out: Vec<_> = rows(&lines, |c| c.starts_with('D') && c.len() == 2)
        .into_iter()
        .map(|c| (c[0].clone(), c[1].clone(), split_list(&c[4])))
        .collect();
    assert_eq!(out.len(), 4, "README lists decoys D1–D4");
    out
}

/// The edge kind the README's technique text names.
fn expected_kind(row: &Seeded) -> &'static str {
    let t = row.technique.as_str();
    let table: &[(&str, &str)] = &[
        ("PassRole to EC2", "pass_role_to_ec2"),
        ("PassRole to Lambda", "pass_role_to_lambda"),
        ("CreatePolicyVersion", "create_policy_version"),
        ("AttachUserPolicy", "attach_own_policy"),
        ("UpdateAssumeRolePolicy", "update_assume_role_policy"),
        ("CreateAccessKey", "create_access_key"),
        ("AddUserToGroup", "add_user_to_group"),
        ("role chain", "assume_role"),
        ("open trust", "assume_role"),
        ("OIDC trust", "assume_role_with_web_identity"),
    ];
    table
        .iter()
        .find(|(words, _)| t.starts_with(words))
        .map(|(_, kind)| *kind)
        .unwrap_or_else(|| panic!("row {}: unknown technique {t:?}", row.id))
}

fn expected_hops(row: &Seeded) -> usize {
    if row.technique.contains("3 hops") {
        3
    } else {
        1
    }
}

/// Evidence the path must show. Row e is special: once the trust policy names
/// `user/trust-editor`, same-account trust by ARN is enough to assume the role, so the
/// identity-side `sts:AssumeRole` statement (`RoleTrustMaintenance/AssumeMaintainedRole`)
/// is not needed and not expected in the hop's evidence (nor its `sts:AssumeRole`).
fn expected_evidence(row: &Seeded) -> (Vec<String>, Vec<String>) {
    let mut statements = row.evidence.clone();
    let mut actions = row.required.clone();
    if row.id == "e" {
        statements.retain(|s| s != "RoleTrustMaintenance/AssumeMaintainedRole");
        actions.retain(|a| a != "sts:AssumeRole");
        assert_eq!(
            statements.len(),
            row.evidence.len() - 1,
            "row e lists AssumeMaintainedRole"
        );
    }
    (statements, actions)
}

fn bin(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_iamscope"))
        .args(args)
        .args(["-b", BUNDLE, "--json"])
        .output()
        .expect("run iamscope");
    assert!(
        out.status.success(),
        "iamscope {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "iamscope {args:?}: bad JSON {e}: {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Checks one path (an array of hop objects) against a seeded row.
fn check_path(row: &Seeded, path: &Value, how: &str) {
    let hops = path
        .as_array()
        .unwrap_or_else(|| panic!("{how}: path is an array"));
    let ctx = format!(
        "row {} ({how}): {}",
        row.id,
        serde_json::to_string_pretty(path).unwrap()
    );
    assert_eq!(hops.len(), expected_hops(row), "hop count, {ctx}");
    assert_eq!(hops[0]["from"], row.from.as_str(), "{ctx}");
    assert_eq!(hops.last().unwrap()["to"], row.to.as_str(), "{ctx}");
    for w in hops.windows(2) {
        assert_eq!(w[0]["to"], w[1]["from"], "hops chain, {ctx}");
    }
    let kind = expected_kind(row);
    for h in hops {
        assert_eq!(h["kind"], kind, "technique, {ctx}");
    }
    let mut statements = BTreeSet::new();
    let mut actions = BTreeSet::new();
    for h in hops {
        for ev in h["evidence"].as_array().expect("evidence array") {
            let d = ev["decision"].as_str().unwrap_or_default();
            assert!(
                d == "Allow" || d == "Conditional",
                "evidence decision {d}, {ctx}"
            );
            actions.insert(ev["action"].as_str().unwrap().to_string());
            statements.extend(strs(&ev["statements"]));
        }
    }
    let (want_statements, want_actions) = expected_evidence(row);
    for s in &want_statements {
        assert!(statements.contains(s), "evidence {s} missing, {ctx}");
    }
    for a in &want_actions {
        assert!(
            actions.contains(a),
            "required action {a} has no evidence, {ctx}"
        );
    }
}

fn hop_statements(hop: &Value) -> BTreeSet<String> {
    hop["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|ev| strs(&ev["statements"]))
        .collect()
}

struct Lib {
    account: iamscope::model::Account,
}

impl Lib {
    fn new() -> Lib {
        Lib {
            account: load::load(&Input::from_arg(Some(BUNDLE))).expect("load sample"),
        }
    }
}

/// `paths FROM TO` through the library: the shortest path as JSON hops.
fn lib_paths(engine: &Engine<'_>, graph: &Graph, from: &str, to: Option<&str>) -> Value {
    let from = engine
        .resolve(from)
        .unwrap_or_else(|| panic!("resolve {from}"));
    let target = match to {
        Some(t) => {
            Target::Node(graph.node_of(engine.resolve(t).unwrap_or_else(|| panic!("resolve {t}"))))
        }
        None => Target::Admin,
    };
    let found = query::paths::paths(engine, graph, graph.node_of(from), target, false, 6, 50);
    serde_json::to_value(found).unwrap()
}

#[test]
fn seeded_paths_a_to_h_are_found_with_technique_hops_and_evidence() {
    let lib = Lib::new();
    let engine = Engine::new(&lib.account);
    let graph = Graph::build(&engine);
    let rows = seeded();
    for row in rows.iter().filter(|r| r.id.as_str() <= "h") {
        // Self-escalations (from == to) are asked as `paths FROM admin`.
        let to = (row.from != row.to).then_some(row.to.as_str());
        let to_arg = to.unwrap_or("admin");
        let cli = bin(&["paths", &row.from, to_arg]);
        let lib_json = lib_paths(&engine, &graph, &row.from, to);
        for (how, found) in [("cli", &cli), ("library", &lib_json)] {
            let paths = found.as_array().expect("array of paths");
            assert_eq!(
                paths.len(),
                1,
                "row {} ({how}): one shortest path: {found}",
                row.id
            );
            check_path(row, &paths[0], how);
        }
        assert_eq!(cli, lib_json, "row {}: CLI and library agree", row.id);
        if to.is_some() {
            // The seeded target is admin, so `paths FROM admin` finds a path too, and
            // its first hop is the seeded technique.
            let admin = bin(&["paths", &row.from, "admin"]);
            let first = &admin[0][0];
            assert_eq!(first["kind"], expected_kind(row), "row {}: {admin}", row.id);
        }
        // `--all` includes the seeded path.
        let all = bin(&["paths", &row.from, to_arg, "--all"]);
        assert!(
            all.as_array()
                .unwrap()
                .iter()
                .any(|p| p.as_array().unwrap().len() == expected_hops(row)
                    && p.as_array()
                        .unwrap()
                        .iter()
                        .all(|h| h["kind"] == expected_kind(row))),
            "row {}: --all lists the seeded path: {all}",
            row.id
        );
    }
}

#[test]
fn chain_h_hops_carry_their_identity_and_trust_evidence() {
    let row = seeded().into_iter().find(|r| r.id == "h").unwrap();
    let cli = bin(&["paths", &row.from, &row.to]);
    let hops = cli[0].as_array().expect("a path");
    let table = hops_of_h();
    assert_eq!(hops.len(), table.len());
    for (hop, [from, to, identity, trust]) in hops.iter().zip(&table) {
        assert_eq!(hop["from"], from.as_str(), "{hop}");
        assert_eq!(hop["to"], to.as_str(), "{hop}");
        let st = hop_statements(hop);
        assert!(st.contains(identity), "{identity} missing: {hop}");
        assert!(st.contains(trust), "{trust} missing: {hop}");
    }
    // The suffixes of h are the roles' own routes.
    for (i, [from, ..]) in table.iter().enumerate().skip(1) {
        let p = bin(&["paths", from, &row.to]);
        assert_eq!(
            p[0].as_array().unwrap().len(),
            table.len() - i,
            "{from}: {p}"
        );
    }
}

#[test]
fn trust_exposures_i_and_j_are_direct_edges() {
    let rows = seeded();
    let lib = Lib::new();
    let engine = Engine::new(&lib.account);
    let graph = Graph::build(&engine);
    for row in rows.iter().filter(|r| r.id == "i" || r.id == "j") {
        let cli = bin(&["trust", &row.to]);
        let iamscope::eval::PrincipalRef::Role(role) = engine.resolve(&row.to).unwrap() else {
            panic!("{} is a role", row.to)
        };
        let lib_json = serde_json::to_value(query::trust::trust(&engine, &graph, role)).unwrap();
        assert_eq!(cli, lib_json, "row {}: CLI and library agree", row.id);
        assert_eq!(cli["role"], row.to.as_str());
        let direct = cli["direct"].as_array().expect("direct hops");
        let hop = direct
            .iter()
            .find(|h| h["from"] == row.from.as_str())
            .unwrap_or_else(|| panic!("row {}: no direct hop from {}: {cli}", row.id, row.from));
        assert_eq!(hop["to"], row.to.as_str());
        assert_eq!(hop["kind"], expected_kind(row), "row {}: {hop}", row.id);
        let st = hop_statements(hop);
        for e in &row.evidence {
            assert!(
                st.contains(e),
                "row {}: evidence {e} missing: {hop}",
                row.id
            );
        }
        let actions: Vec<String> = hop["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(actions, row.required, "row {}: {hop}", row.id);
        let keys = strs(&hop["missing_keys"]);
        if row.id == "i" {
            // The open trust has no condition, but a caller from another account also
            // needs its own account's policies, which the bundle cannot see.
            assert_eq!(hop["conditional"], true, "{hop}");
            assert!(keys.is_empty(), "open trust has no condition: {hop}");
            assert!(
                strs(&hop["assumptions"])
                    .iter()
                    .any(|a| a.contains("its own account's policies")),
                "{hop}"
            );
        } else {
            assert_eq!(hop["conditional"], true, "{hop}");
            assert!(
                keys.iter()
                    .any(|k| k == "token.actions.githubusercontent.com:aud"),
                "conditional on aud: {hop}"
            );
            assert!(
                !keys.iter().any(|k| k.ends_with(":sub")),
                "no sub condition: {hop}"
            );
        }
        // The role reached is not admin, and no admin path leads on from it.
        assert!(!admins().contains(&row.to));
        assert_eq!(
            bin(&["paths", &row.to, "admin"]),
            Value::Array(vec![]),
            "row {}",
            row.id
        );
    }
}

/// Every user and role of the raw export (not through the loader).
fn principals_of_export() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-accounts/vulnerable/gaad.json");
    let gaad: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for list in ["UserDetailList", "RoleDetailList"] {
        for p in gaad[list].as_array().unwrap() {
            out.push(p["Arn"].as_str().unwrap().to_string());
        }
    }
    assert_eq!(out.len(), 14 + 9, "14 users and 9 roles");
    out
}

#[test]
fn a_path_to_admin_exists_exactly_for_admins_and_the_listed_principals() {
    let admins = admins();
    let listed = with_route();
    assert!(admins.is_disjoint(&listed));
    let lib = Lib::new();
    let engine = Engine::new(&lib.account);
    let graph = Graph::build(&engine);
    for arn in principals_of_export() {
        let expected = admins.contains(&arn) || listed.contains(&arn);
        let cli = bin(&["paths", &arn, "admin"]);
        let lib_json = lib_paths(&engine, &graph, &arn, None);
        assert_eq!(cli, lib_json, "{arn}: CLI and library agree");
        let found = !cli.as_array().unwrap().is_empty();
        assert_eq!(found, expected, "paths {arn} admin: {cli}");
        let node = graph.node_of(engine.resolve(&arn).unwrap());
        assert_eq!(
            graph.is_admin(node),
            admins.contains(&arn),
            "{arn} admin status"
        );
        if admins.contains(&arn) {
            assert_eq!(cli, serde_json::json!([[]]), "{arn} already is admin");
        }
    }
    // Reverse view: the principals the graph says can reach an admin.
    let mut reaching = BTreeSet::new();
    for n in 0..graph.nodes.len() {
        if graph.nodes[n].is_internal() && graph.shortest_path(n, Target::Admin).is_some() {
            reaching.insert(graph.nodes[n].arn(&lib.account));
        }
    }
    let expected: BTreeSet<String> = admins.union(&listed).cloned().collect();
    assert_eq!(reaching, expected);
}

#[test]
fn decoys_have_no_path_to_admin() {
    let rows = seeded();
    for (id, arn, evidence) in decoys() {
        assert_eq!(bin(&["paths", &arn, "admin"]), Value::Array(vec![]), "{id}");
        assert_eq!(
            bin(&["paths", &arn, "admin", "--all"]),
            Value::Array(vec![]),
            "{id} (--all)"
        );
        // Nor to any of the seeded targets, nor to any admin principal.
        for target in rows
            .iter()
            .filter(|r| r.id.as_str() <= "h")
            .map(|r| &r.to)
            .chain(admins().iter())
        {
            if *target != arn {
                assert_eq!(
                    bin(&["paths", &arn, target]),
                    Value::Array(vec![]),
                    "{id} -> {target}"
                );
            }
        }
        assert!(!evidence.is_empty(), "{id} cites its statements");
    }
}
