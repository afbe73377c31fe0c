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
    /// Feature of each target, numbered from 0 in order of first use (equal: the
    /// decision reads the same facts of both).
    pub features: Vec<u32>,
    /// Number of distinct features.
    feature_count: usize,
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
    /// A universe of `(node, arn, feature)` targets; equal feature ids: the decision
    /// reads the same facts of both targets.
    pub fn new(targets: impl Iterator<Item = (u32, &'a str, u32)>) -> Universe<'a> {
        let mut u = Universe {
            nodes: Vec::new(),
            arns: Vec::new(),
            features: Vec::new(),
            feature_count: 0,
            by_arn: FastMap::default(),
            patterns: Mutex::new(FastMap::default()),
        };
        let mut dense: FastMap<u32, u32> = FastMap::default();
        for (node, arn, feature) in targets {
            let next = dense.len() as u32;
            u.by_arn.insert(arn, u.nodes.len() as u32);
            u.nodes.push(node);
            u.arns.push(arn);
            u.features.push(*dense.entry(feature).or_insert(next));
        }
        u.feature_count = dense.len();
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

    /// A bit set over the targets with every target in it.
    pub fn everyone(&self) -> Vec<u64> {
        let mut words = vec![u64::MAX; self.words()];
        if let Some(last) = words.last_mut() {
            let tail = self.len() % 64;
            if tail != 0 {
                *last = (1u64 << tail) - 1;
            }
        }
        words
    }

    /// A bit set over the targets holding `members` (indices into this universe).
    pub fn bits_of(&self, members: impl IntoIterator<Item = u32>) -> Vec<u64> {
        let mut words = vec![0u64; self.words()];
        for i in members {
            words[i as usize / 64] |= 1 << (i % 64);
        }
        words
    }

    /// The targets, as indices into this universe, grouped into blocks that `who`
    /// (and every principal of its class) is decided alike on: same feature, and each
    /// statement covering `action` matches all of a block or none of it. `keep` says
    /// which targets to look at (see [`Keep`]); the others are never touched, so a class
    /// whose statements name a few targets costs a few steps, not one per target.
    ///
    /// The blocks are found by partition refinement: the kept targets start grouped by
    /// feature, and each statement whose match varies splits the groups it touches —
    /// one step per target it matches when it is a plain set of targets. Blocks come
    /// out ordered by their first target, each listing its targets in order.
    pub fn blocks(
        &self,
        engine: &Engine<'_>,
        ids: &StatementIds<'_>,
        who: PrincipalRef,
        action: &ActionName,
        keep: Keep<'_>,
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
        let mut kept = self.allowed(&columns);
        if let Some(within) = keep.allowed_within {
            for (w, x) in kept.iter_mut().zip(within) {
                *w &= x;
            }
        }
        for &i in keep.open {
            kept[i as usize / 64] |= 1 << (i % 64);
        }
        let mut refine = Refinement::new(&self.features, self.feature_count, kept);
        for &i in keep.alone {
            refine.isolate(i as usize);
        }
        for (_, c) in &columns {
            if refine.is_finest() {
                break;
            }
            match c {
                Column::Same(_) => {}
                Column::Bits(b) => refine.split_by_bits(b),
                Column::Each(v) => refine.split_by_codes(v),
            }
        }
        refine.into_blocks(|i| {
            statements
                .iter()
                .zip(&columns)
                .map(|((id, _), (_, c))| (*id, tri_code(c.at(i))))
                .filter(|(_, code)| *code != 0)
                .collect()
        })
    }

    /// The targets an identity Allow column may match, as a bit set.
    fn allowed(&self, columns: &[(bool, Column)]) -> Vec<u64> {
        let mut words = vec![0u64; self.words()];
        for (_, c) in columns.iter().filter(|(allow, _)| *allow) {
            match c {
                Column::Same(Tri::False) => {}
                Column::Same(_) => return self.everyone(),
                Column::Bits(b) => {
                    for (w, x) in words.iter_mut().zip(b.iter()) {
                        *w |= x;
                    }
                }
                Column::Each(v) => {
                    for (i, t) in v.iter().enumerate().take(self.len()) {
                        if *t != Tri::False {
                            words[i / 64] |= 1 << (i % 64);
                        }
                    }
                }
            }
        }
        words
    }
}

/// Which targets [`Universe::blocks`] keeps: those an identity Allow statement of the
/// class may match (within `allowed_within`), and `open` whatever the identity policies
/// say. (A boundary, an SCP or an RCP only limits: without an identity Allow, only a
/// trust naming the caller or `*` can let it in.)
#[derive(Clone, Copy, Default)]
pub struct Keep<'k> {
    /// Of the targets an identity Allow may match, only these (a bit set over the
    /// universe, e.g. the roles whose trust delegates to the caller's account); `None`:
    /// all of them.
    pub allowed_within: Option<&'k [u64]>,
    /// Targets kept whatever the identity policies say (sorted).
    pub open: &'k [u32],
    /// Targets each put in a block of its own (sorted), e.g. roles whose trust names
    /// the caller, whose decision is the caller's own.
    pub alone: &'k [u32],
}

/// The kept targets' groups while [`Universe::blocks`] refines them.
struct Refinement {
    /// The kept targets, as a bit set and in order.
    kept_bits: Vec<u64>,
    kept: Vec<u32>,
    /// Kept targets in the words before each word: a target's position in `kept`.
    before: Vec<u32>,
    /// Group of each kept target (by position), and each group's size.
    group: Vec<u32>,
    size: Vec<u32>,
    /// Groups with members.
    live: usize,
    /// Where a group's members with match code 1 and 2 move in the current split.
    moved_to: Vec<[u32; 2]>,
    touched: Vec<u32>,
}

impl Refinement {
    /// The kept targets grouped by feature (`features` numbered below `feature_count`).
    fn new(features: &[u32], feature_count: usize, kept_bits: Vec<u64>) -> Refinement {
        let total = kept_bits.iter().map(|w| w.count_ones() as usize).sum();
        let mut before = Vec::with_capacity(kept_bits.len());
        let mut kept = Vec::with_capacity(total);
        for (w, &word) in kept_bits.iter().enumerate() {
            before.push(kept.len() as u32);
            let mut x = word;
            while x != 0 {
                kept.push((w * 64) as u32 + x.trailing_zeros());
                x &= x - 1;
            }
        }
        let mut size = vec![0u32; feature_count];
        let group = kept
            .iter()
            .map(|&i| {
                let g = features[i as usize];
                size[g as usize] += 1;
                g
            })
            .collect();
        Refinement {
            live: size.iter().filter(|&&n| n > 0).count(),
            moved_to: vec![[u32::MAX; 2]; feature_count],
            kept_bits,
            kept,
            before,
            group,
            size,
            touched: Vec::new(),
        }
    }

    /// Whether every kept target is alone in its group: nothing left to split.
    fn is_finest(&self) -> bool {
        self.live == self.kept.len()
    }

    /// The position in `kept` of kept target `i`.
    fn position(&self, i: usize) -> usize {
        let (w, bit) = (i / 64, i % 64);
        let below = self.kept_bits[w] & ((1u64 << bit) - 1);
        self.before[w] as usize + below.count_ones() as usize
    }

    fn is_kept(&self, i: usize) -> bool {
        self.kept_bits[i / 64] >> (i % 64) & 1 == 1
    }

    /// Moves the target at `position` out of its group into the group the current
    /// split sends match code `code` (1 or 2) of that group to, made on first use.
    fn move_out(&mut self, position: usize, code: usize) {
        let from = self.group[position] as usize;
        let mut to = self.moved_to[from][code - 1];
        if to == u32::MAX {
            to = self.size.len() as u32;
            self.size.push(0);
            self.moved_to.push([u32::MAX; 2]);
            self.moved_to[from][code - 1] = to;
            self.touched.push(from as u32);
            self.live += 1;
        }
        self.size[from] -= 1;
        if self.size[from] == 0 {
            self.live -= 1;
        }
        self.size[to as usize] += 1;
        self.group[position] = to;
    }

    /// Ends a split: the next one starts afresh.
    fn end_split(&mut self) {
        for g in self.touched.drain(..) {
            self.moved_to[g as usize] = [u32::MAX; 2];
        }
    }

    /// Puts kept target `i` in a group of its own.
    fn isolate(&mut self, i: usize) {
        if self.is_kept(i) {
            let p = self.position(i);
            if self.size[self.group[p] as usize] > 1 {
                self.move_out(p, 1);
            }
            self.end_split();
        }
    }

    /// Splits every group by membership in `bits`: one step per kept member.
    fn split_by_bits(&mut self, bits: &[u64]) {
        for (w, &word) in bits.iter().enumerate().take(self.kept_bits.len()) {
            let mut x = word & self.kept_bits[w];
            while x != 0 {
                let i = w * 64 + x.trailing_zeros() as usize;
                x &= x - 1;
                let p = self.position(i);
                self.move_out(p, 1);
            }
        }
        self.end_split();
    }

    /// Splits every group by each kept target's match.
    fn split_by_codes(&mut self, codes: &[Tri]) {
        for p in 0..self.kept.len() {
            let code = tri_code(codes[self.kept[p] as usize]);
            if code != 0 {
                self.move_out(p, usize::from(code));
            }
        }
        self.end_split();
    }

    /// The groups as blocks, ordered by first target; `applying` is called with each
    /// block's first target.
    fn into_blocks(self, applying: impl Fn(usize) -> Vec<(u32, u8)>) -> Vec<Block> {
        let mut block_of = vec![u32::MAX; self.size.len()];
        let mut out: Vec<Block> = Vec::new();
        for (&g, &i) in self.group.iter().zip(&self.kept) {
            let b = &mut block_of[g as usize];
            if *b == u32::MAX {
                *b = out.len() as u32;
                out.push(Block {
                    targets: Vec::with_capacity(self.size[g as usize] as usize),
                    applying: applying(i as usize),
                });
            }
            out[*b as usize].targets.push(i);
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
            let alone: Vec<u32> = (0..universe.len() as u32).step_by(7).collect();
            // An identity Allow keeps a target only outside every third.
            let within = universe.bits_of((0..universe.len() as u32).filter(|k| k % 3 != 0));
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
                        Keep {
                            allowed_within: Some(&within),
                            open: &open,
                            alone: &alone,
                        },
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
                        if !((allowed && !i.is_multiple_of(3)) || i.is_multiple_of(11)) {
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
