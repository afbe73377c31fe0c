//! Target blocks: the targets of a technique (users, roles) that every statement of a
//! principal class matches alike and that share the facts a decision reads, so one
//! decision holds for the whole block.
//!
//! Matching a statement's resource patterns against every target is done once per
//! pattern (a bitset over the targets, shared by every class whose policies hold that
//! pattern); only patterns with policy variables are matched per principal, and a
//! variable pattern that resolves to a plain ARN is a single lookup.

use std::sync::{Arc, Mutex};

use super::class::{covering_statements, StatementIds};
use crate::eval::{Context, Engine, PrincipalRef, Request, RequestKeys};
use crate::fast_hash::FastMap;
use crate::policy::{ActionName, Effect, ResourcePattern, Statement, Tri};

/// The targets of one technique: their graph nodes, ARNs and a feature id per target
/// (equal ids: the decision reads the same facts of both).
pub struct Universe<'a> {
    /// Graph node of each target.
    pub nodes: Vec<u32>,
    /// ARN of each target.
    pub arns: Vec<&'a str>,
    /// Feature id of each target.
    pub features: Vec<u32>,
    by_arn: FastMap<&'a str, u32>,
    patterns: Mutex<FastMap<Box<str>, Arc<Vec<u64>>>>,
}

/// How one statement's Resource element matches each target.
enum Column {
    /// The same for every target.
    Same(Tri),
    /// Matched (bit set) or not.
    Bits(Arc<Vec<u64>>),
    /// Per target (variables that may be unknown).
    Each(Vec<Tri>),
}

impl Column {
    fn at(&self, i: usize) -> Tri {
        match self {
            Column::Same(t) => *t,
            Column::Bits(b) => Tri::from_bool(b[i / 64] >> (i % 64) & 1 == 1),
            Column::Each(v) => v[i],
        }
    }
}

fn tri_code(t: Tri) -> u8 {
    match t {
        Tri::False => 0,
        Tri::True => 1,
        Tri::Unknown => 2,
    }
}

impl<'a> Universe<'a> {
    /// A universe of `(node, arn, feature)` targets.
    pub fn new(targets: impl Iterator<Item = (u32, &'a str, u32)>) -> Universe<'a> {
        let mut u = Universe {
            nodes: Vec::new(),
            arns: Vec::new(),
            features: Vec::new(),
            by_arn: FastMap::default(),
            patterns: Mutex::new(FastMap::default()),
        };
        for (node, arn, feature) in targets {
            u.by_arn.insert(arn, u.nodes.len() as u32);
            u.nodes.push(node);
            u.arns.push(arn);
            u.features.push(feature);
        }
        u
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    fn words(&self) -> usize {
        self.len().div_ceil(64)
    }

    /// The targets a pattern matches, computed once per `id`: its text, and for a
    /// pattern with variables the values they take (see
    /// [`ResourcePattern::variable_values`]), which decide its matches.
    fn pattern_bits(
        &self,
        p: &ResourcePattern,
        id: &str,
        keys: &RequestKeys<'_, '_>,
    ) -> Arc<Vec<u64>> {
        if let Some(b) = self
            .patterns
            .lock()
            .map(|m| m.get(id).cloned())
            .ok()
            .flatten()
        {
            return b;
        }
        let mut bits = vec![0u64; self.words()];
        for (i, arn) in self.arns.iter().enumerate() {
            if p.matches(arn, keys).0 == Tri::True {
                bits[i / 64] |= 1 << (i % 64);
            }
        }
        let bits = Arc::new(bits);
        if let Ok(mut m) = self.patterns.lock() {
            m.insert(id.into(), Arc::clone(&bits));
        }
        bits
    }

    /// The one target whose ARN is `arn`, if any.
    fn only(&self, arn: &str) -> Column {
        let mut bits = vec![0u64; self.words()];
        if let Some(&i) = self.by_arn.get(arn) {
            bits[i as usize / 64] |= 1 << (i % 64);
        }
        Column::Bits(Arc::new(bits))
    }

    fn column(&self, s: &Statement, keys: &RequestKeys<'_, '_>) -> Column {
        let facts = keys.request.principal;
        let Some(spec) = &s.resource else {
            return Column::Same(Tri::True);
        };
        let mut any = Column::Same(Tri::False);
        for p in &spec.patterns {
            let col = if p.as_str() == "*" {
                Column::Same(Tri::True)
            } else {
                match p.variable_values(keys) {
                    // Without wildcards, a pattern matches only the ARN it spells.
                    Some(values) if values.is_empty() && !p.as_str().contains(['*', '?']) => {
                        self.only(p.as_str())
                    }
                    Some(values) if values.is_empty() => {
                        let id = format!("t{}", p.as_str());
                        Column::Bits(self.pattern_bits(p, &id, keys))
                    }
                    Some(values) => match plain_arn(p.as_str(), facts) {
                        Some(arn) => self.only(&arn),
                        None => {
                            // Tagged, so that no plain text can stand for these values.
                            let id = format!("v{}\0{values:?}", p.as_str());
                            Column::Bits(self.pattern_bits(p, &id, keys))
                        }
                    },
                    // A variable the request does not know: matched target by target.
                    None => {
                        Column::Each(self.arns.iter().map(|arn| p.matches(arn, keys).0).collect())
                    }
                }
            };
            any = or(any, col, self.len());
        }
        if spec.negated {
            not(any)
        } else {
            any
        }
    }

    /// The targets, as indices into this universe, grouped into blocks that `who`
    /// (and every principal of its class) is decided alike on: same feature, and each
    /// statement covering `action` matches all of a block or none of it. `consider`
    /// says which targets to keep, given whether an Allow statement of `who`'s identity
    /// policies could match it (a boundary, an SCP or an RCP only limits: without an
    /// identity Allow, only a trust naming the caller or `*` can let it in, which
    /// `consider` and `open` say);
    /// targets with different `split` values never share a block. `open`: the only
    /// targets `consider` may keep where no Allow statement matches (sorted); the others
    /// are not looked at, so a class whose statements name a few targets costs a few
    /// steps, not one per target.
    #[allow(clippy::too_many_arguments)]
    pub fn blocks(
        &self,
        engine: &Engine<'_>,
        ids: &StatementIds<'_>,
        who: PrincipalRef,
        action: &ActionName,
        consider: impl Fn(usize, bool) -> bool,
        split: impl Fn(usize) -> u32,
        open: &[u32],
    ) -> Vec<Block> {
        let unknown = Context::new(false);
        let request = Request {
            principal: engine.facts(who),
            action,
            resource: "*",
            resource_account: None,
            context: &unknown,
        };
        let keys = RequestKeys { request: &request };
        let (statements, identity) = covering_statements(engine, ids, who, action);
        // Each column, and whether it is an identity policy's Allow.
        let columns: Vec<(bool, Column)> = statements
            .iter()
            .enumerate()
            .map(|(k, (_, s))| match s {
                Some(s) => (
                    k < identity && s.effect == Effect::Allow,
                    self.column(s, &keys),
                ),
                None => (false, Column::Same(Tri::Unknown)),
            })
            .collect();
        // Partition refinement: targets start grouped by (feature, split), and each
        // column that varies splits every group by its match. Ids are handed out in
        // order of first target, so blocks come out ordered by their first target.
        let kept: Vec<usize> = self
            .candidates(&columns, open)
            .into_iter()
            .filter(|&i| {
                let allowed = columns
                    .iter()
                    .any(|(allow, c)| *allow && c.at(i) != Tri::False);
                consider(i, allowed)
            })
            .collect();
        let mut first_of: FastMap<(u32, u32), u32> = FastMap::default();
        let mut group: Vec<u32> = kept
            .iter()
            .map(|&i| {
                let next = first_of.len() as u32;
                *first_of.entry((self.features[i], split(i))).or_insert(next)
            })
            .collect();
        let mut groups = first_of.len();
        let mut split_ids: Vec<[u32; 3]> = Vec::new();
        for (_, c) in columns
            .iter()
            .filter(|(_, c)| !matches!(c, Column::Same(_)))
        {
            if groups == kept.len() {
                break;
            }
            split_ids.clear();
            split_ids.resize(groups, [u32::MAX; 3]);
            let mut next = 0u32;
            for (g, &i) in group.iter_mut().zip(&kept) {
                let slot = &mut split_ids[*g as usize][usize::from(tri_code(c.at(i)))];
                if *slot == u32::MAX {
                    *slot = next;
                    next += 1;
                }
                *g = *slot;
            }
            groups = next as usize;
        }
        let mut out: Vec<Block> = Vec::with_capacity(groups);
        for (&g, &i) in group.iter().zip(&kept) {
            if g as usize == out.len() {
                let applying = statements
                    .iter()
                    .zip(&columns)
                    .map(|((id, _), (_, c))| (*id, tri_code(c.at(i))))
                    .filter(|(_, code)| *code != 0)
                    .collect();
                out.push(Block {
                    targets: Vec::new(),
                    applying,
                });
            }
            out[g as usize].targets.push(i as u32);
        }
        out
    }
}

impl Universe<'_> {
    /// The targets an identity Allow column may match, and `open`, in order: every target
    /// when some identity Allow column is not a plain bit set.
    fn candidates(&self, columns: &[(bool, Column)], open: &[u32]) -> Vec<usize> {
        let mut words = vec![0u64; self.words()];
        for (_, c) in columns.iter().filter(|(allow, _)| *allow) {
            match c {
                Column::Same(Tri::False) => {}
                Column::Bits(b) => {
                    for (w, x) in words.iter_mut().zip(b.iter()) {
                        *w |= x;
                    }
                }
                Column::Same(_) | Column::Each(_) => return (0..self.len()).collect(),
            }
        }
        for &i in open {
            words[i as usize / 64] |= 1 << (i % 64);
        }
        let mut out = Vec::new();
        for (w, &word) in words.iter().enumerate() {
            let mut x = word;
            while x != 0 {
                let bit = x.trailing_zeros() as usize;
                out.push(w * 64 + bit);
                x &= x - 1;
            }
        }
        out
    }
}

/// Targets decided alike, with what the decision on them reads.
pub struct Block {
    /// Indices into the universe.
    pub targets: Vec<u32>,
    /// The statements whose Resource may match these targets (content id, match).
    pub applying: Vec<(u32, u8)>,
}

fn or(a: Column, b: Column, n: usize) -> Column {
    match (a, b) {
        (Column::Same(Tri::True), _) | (_, Column::Same(Tri::True)) => Column::Same(Tri::True),
        (Column::Same(Tri::False), c) | (c, Column::Same(Tri::False)) => c,
        (Column::Bits(mut x), Column::Bits(y)) => {
            for (a, b) in Arc::make_mut(&mut x).iter_mut().zip(y.iter()) {
                *a |= b;
            }
            Column::Bits(x)
        }
        (x, y) => Column::Each((0..n).map(|i| x.at(i).or(y.at(i))).collect()),
    }
}

fn not(c: Column) -> Column {
    match c {
        Column::Same(t) => Column::Same(t.not()),
        Column::Bits(b) => Column::Each(
            (0..b.len() * 64)
                .map(|i| Tri::from_bool(b[i / 64] >> (i % 64) & 1 == 0))
                .collect(),
        ),
        Column::Each(v) => Column::Each(v.into_iter().map(Tri::not).collect()),
    }
}

/// The ARN a pattern stands for once `${aws:username}` / `${aws:userid}` are filled
/// from the principal, when that leaves no wildcard and no other variable.
fn plain_arn(pattern: &str, facts: &crate::eval::PrincipalFacts) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}')? + start;
        let value = match rest[start + 2..end].trim().to_ascii_lowercase().as_str() {
            "aws:username" if facts.caller.is_iam() => facts.username.as_deref()?,
            "aws:userid" => facts.userid.as_deref()?,
            _ => return None,
        };
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    (!out.contains(['*', '?', '$'])).then_some(out)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::synth::{generate_gaad_json, SynthOptions};

    /// Each target's signature as the blocks are defined: feature, split, and how every
    /// covering statement's Resource matches it.
    fn signature(
        universe: &Universe<'_>,
        columns: &[Column],
        split: u32,
        i: usize,
    ) -> (u32, u32, Vec<u8>) {
        let codes = columns.iter().map(|c| tri_code(c.at(i))).collect();
        (universe.features[i], split, codes)
    }

    /// The blocks are exactly the kept targets grouped by signature, ordered by first
    /// target, each listing its targets in order: checked against a plain grouping for
    /// every principal of generated accounts, for the actions the graph asks by block.
    #[test]
    fn blocks_are_the_targets_grouped_by_signature() {
        let mut most_varying = 0;
        let mut split_blocks = 0;
        for seed in [5, 13] {
            let opts = SynthOptions {
                users: 80,
                roles: 120,
                groups: 20,
                policies: 60,
                seed,
                ..SynthOptions::default()
            };
            let bytes = generate_gaad_json(&opts).into_bytes();
            let account = crate::load::load_gaad_bytes("generated", bytes).expect("loads");
            let engine = Engine::new(&account);
            let ids = StatementIds::new(&engine);
            let mut paths: HashMap<&str, u32> = HashMap::new();
            let universe = Universe::new(account.roles.iter().enumerate().map(|(i, r)| {
                let next = paths.len() as u32;
                let f = *paths.entry(r.common.path.as_str()).or_insert(next);
                (i as u32, r.common.arn.as_str(), f)
            }));
            // Every 7th role is split off on its own, as a trust naming the caller is.
            let split = |k: usize| if k.is_multiple_of(7) { k as u32 + 1 } else { 0 };
            let open: Vec<u32> = (0..universe.len() as u32).step_by(11).collect();
            for action in [
                "sts:AssumeRole",
                "iam:PassRole",
                "iam:UpdateAssumeRolePolicy",
            ] {
                let action = ActionName::new(action);
                for who in engine.principals() {
                    let blocks = universe.blocks(
                        &engine,
                        &ids,
                        who,
                        &action,
                        |k, allowed| allowed || k.is_multiple_of(11),
                        split,
                        &open,
                    );
                    let unknown = Context::new(false);
                    let request = Request {
                        principal: engine.facts(who),
                        action: &action,
                        resource: "*",
                        resource_account: None,
                        context: &unknown,
                    };
                    let keys = RequestKeys { request: &request };
                    let (statements, identity) = covering_statements(&engine, &ids, who, &action);
                    let columns: Vec<Column> = statements
                        .iter()
                        .map(|(_, s)| match s {
                            Some(s) => universe.column(s, &keys),
                            None => Column::Same(Tri::Unknown),
                        })
                        .collect();
                    let varying = columns
                        .iter()
                        .filter(|c| !matches!(c, Column::Same(_)))
                        .count();
                    most_varying = most_varying.max(varying);
                    // The plain grouping, in order of first target.
                    let mut expected: Vec<Vec<u32>> = Vec::new();
                    let mut index: HashMap<(u32, u32, Vec<u8>), usize> = HashMap::new();
                    for i in 0..universe.len() {
                        let allowed =
                            statements
                                .iter()
                                .zip(&columns)
                                .enumerate()
                                .any(|(k, ((_, s), c))| {
                                    k < identity
                                        && s.is_some_and(|s| s.effect == Effect::Allow)
                                        && c.at(i) != Tri::False
                                });
                        if !(allowed || i.is_multiple_of(11)) {
                            continue;
                        }
                        let key = signature(&universe, &columns, split(i), i);
                        match index.get(&key) {
                            Some(&b) => expected[b].push(i as u32),
                            None => {
                                index.insert(key, expected.len());
                                expected.push(vec![i as u32]);
                            }
                        }
                    }
                    let got: Vec<Vec<u32>> = blocks.iter().map(|b| b.targets.clone()).collect();
                    assert_eq!(got, expected, "{who:?} {action:?}");
                    split_blocks += blocks.len();
                    for block in &blocks {
                        let first = block.targets[0] as usize;
                        let applying: Vec<(u32, u8)> = statements
                            .iter()
                            .zip(&columns)
                            .map(|((id, _), c)| (*id, tri_code(c.at(first))))
                            .filter(|(_, code)| *code != 0)
                            .collect();
                        assert_eq!(block.applying, applying);
                    }
                }
            }
        }
        // The accounts give classes several varying columns to refine by.
        assert!(most_varying >= 3, "at most {most_varying} varying columns");
        assert!(split_blocks > 0);
    }
}
