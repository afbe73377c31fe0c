//! Making the tree's nodes: the eager ones at build time, a deferred node's children
//! when it first opens (see the parent module's docs).

use std::collections::{HashMap, HashSet};

use ratatui::text::Span;

use super::{entity_target, identity_target, Category, DocRef, Node, NodeId, Target, TreeModel};
use crate::model::{Account, GroupId, IdentityId, InstanceProfileId, PolicyId, RoleId, UserId};
use crate::query::document_view::{short_provider, DocView};
use crate::tui::theme::Theme;

/// Makes nodes: at build time the eager ones, later one deferred node's children.
/// While `counting`, `add` only counts (to learn whether a node has children).
pub(super) struct Builder<'a> {
    pub(super) account: &'a Account,
    pub(super) theme: &'a Theme,
    pub(super) tree: &'a mut TreeModel,
    pub(super) counting: bool,
    pub(super) counted: usize,
}

impl Builder<'_> {
    pub(super) fn add(
        &mut self,
        parent: Option<NodeId>,
        target: Target,
        link: bool,
        mut spans: Vec<Span<'static>>,
    ) -> NodeId {
        if self.counting {
            self.counted += 1;
            return NodeId::MAX;
        }
        let id = self.tree.nodes.len() as NodeId;
        crate::tui::safe_text::scrub_spans(&mut spans);
        let mut label = String::new();
        let mut runs = Vec::with_capacity(spans.len());
        for s in &spans {
            label.push_str(&s.content);
            runs.push((label.len() as u32, s.style));
        }
        label.shrink_to_fit();
        self.tree.nodes.push(Node {
            target,
            link,
            parent,
            children: Vec::new(),
            deferred: false,
            label,
            runs: runs.into_boxed_slice(),
        });
        if let Some(p) = parent {
            self.tree.nodes[p as usize].children.push(id);
        }
        if !link {
            self.tree.primary.entry(target).or_insert(id);
        }
        id
    }

    /// Adds a node whose children are made when it first opens ([`fill`]); it is
    /// marked `deferred` when it has any.
    fn add_deferred(
        &mut self,
        parent: Option<NodeId>,
        target: Target,
        spans: Vec<Span<'static>>,
    ) -> NodeId {
        let id = self.add(parent, target, false, spans);
        if self.counting {
            return id;
        }
        self.counting = true;
        self.counted = 0;
        fill(self, id, target);
        self.counting = false;
        self.tree.nodes[id as usize].deferred = self.counted > 0;
        id
    }

    fn tag(&self, tag: &str) -> Span<'static> {
        Span::styled(format!("{tag} "), self.theme.tag)
    }

    pub(super) fn muted(&self, s: String) -> Span<'static> {
        Span::styled(s, self.theme.muted)
    }

    fn link(&mut self, parent: NodeId, tag: &str, target: Target, name: String) -> NodeId {
        let spans = vec![self.tag(tag), Span::raw(name)];
        self.add(Some(parent), target, true, spans)
    }

    fn statements(&mut self, parent: NodeId, doc: DocRef, text: &str) {
        let Some(view) = DocView::parse(text) else {
            let spans = vec![Span::styled(
                "invalid document".to_string(),
                self.theme.warning,
            )];
            self.add(Some(parent), Target::Statement(doc, 0), false, spans);
            return;
        };
        for (i, st) in view.statements.iter().enumerate() {
            let effect_style = match st.effect {
                Some(crate::policy::Effect::Allow) => self.theme.allow,
                Some(crate::policy::Effect::Deny) => self.theme.deny,
                None => self.theme.warning,
            };
            let summary = st.summary();
            let rest = summary
                .split_once(' ')
                .map(|(_, r)| r.to_string())
                .unwrap_or_default();
            let spans = vec![
                Span::styled(
                    format!("{} ", crate::query::document_view::effect_name(st.effect)),
                    effect_style,
                ),
                Span::raw(st.label(i)),
                Span::raw(": "),
                self.muted(rest),
            ];
            self.add(Some(parent), Target::Statement(doc, i), false, spans);
        }
    }

    fn policy_links(&mut self, parent: NodeId, attached: &[PolicyId], boundary: Option<PolicyId>) {
        let account = self.account;
        for &p in attached {
            let name = account.policy(p).name.clone();
            self.link(parent, "managed", Target::Policy(p), name);
        }
        if let Some(b) = boundary {
            let name = account.policy(b).name.clone();
            self.link(parent, "boundary", Target::Policy(b), name);
        }
    }

    fn inline(&mut self, parent: NodeId, owner: IdentityId) {
        let account = self.account;
        for (i, p) in account.identity(owner).inline_policies.iter().enumerate() {
            let spans = vec![self.tag("inline"), Span::raw(p.name.clone())];
            self.add_deferred(Some(parent), Target::Inline(owner, i), spans);
        }
    }

    fn category(&mut self, parent: Option<NodeId>, c: Category, count: usize) -> NodeId {
        let spans = vec![
            Span::styled(c.title().to_string(), self.theme.heading),
            self.muted(format!(" ({count})")),
        ];
        self.add(parent, Target::Category(c), false, spans)
    }
}

/// Which entities one subtree shows: the whole account, or one account of an
/// organization bundle.
pub(super) struct Scope<'a> {
    /// Index into `Account::members`; 0 for a single account.
    pub(super) index: u16,
    pub(super) member: Option<&'a crate::model::MemberAccount>,
}

impl Scope<'_> {
    fn within(range: Option<std::ops::Range<u32>>, i: usize) -> bool {
        range.is_none_or(|r| r.contains(&(i as u32)))
    }
    fn user(&self, i: usize) -> bool {
        Self::within(self.member.map(|m| m.users.clone()), i)
    }
    fn group(&self, i: usize) -> bool {
        Self::within(self.member.map(|m| m.groups.clone()), i)
    }
    fn role(&self, i: usize) -> bool {
        Self::within(self.member.map(|m| m.roles.clone()), i)
    }
    fn resource(&self, i: usize) -> bool {
        Self::within(self.member.map(|m| m.resource_policies.clone()), i)
    }
    fn identity(&self, id: IdentityId) -> bool {
        match id {
            IdentityId::User(u) => self.user(u.index()),
            IdentityId::Group(g) => self.group(g.index()),
            IdentityId::Role(r) => self.role(r.index()),
        }
    }
    /// An entity known by its ARN's account (profiles, providers).
    fn arn(&self, arn: &crate::model::Arn) -> bool {
        self.member.is_none_or(|m| arn.account() == m.id)
    }
    /// A managed policy: the account's own, or an AWS-managed one its identities use.
    fn policy(&self, p: &crate::model::ManagedPolicy) -> bool {
        match self.member {
            None => true,
            Some(m) if !p.is_aws_managed() => p.arn.account() == m.id,
            Some(_) => p
                .usage
                .attached_to
                .iter()
                .chain(&p.usage.boundary_of)
                .any(|&id| self.identity(id)),
        }
    }
}

fn sorted_by<T>(items: &[T], key: impl Fn(&T) -> String) -> Vec<usize> {
    let mut idx: Vec<(String, usize)> = items
        .iter()
        .enumerate()
        .map(|(i, t)| (key(t).to_lowercase(), i))
        .collect();
    idx.sort();
    idx.into_iter().map(|(_, i)| i).collect()
}

/// The roles whose trust policy names each federated provider, by the provider's ARN.
pub(super) fn trusting_provider(account: &Account) -> HashMap<String, Vec<RoleId>> {
    let mut out: HashMap<String, Vec<RoleId>> = HashMap::new();
    for (i, r) in account.roles.iter().enumerate() {
        let mut seen = HashSet::new();
        for st in DocView::parse(&r.trust_policy.text)
            .map(|d| d.statements)
            .unwrap_or_default()
        {
            for p in st.principals {
                if p.kind == "Federated" && seen.insert(p.value.clone()) {
                    out.entry(p.value).or_default().push(RoleId(i as u32));
                }
            }
        }
    }
    out
}

/// Adds the children of the deferred node `node` (what it refers to: `target`).
pub(super) fn fill(b: &mut Builder<'_>, node: NodeId, target: Target) {
    let account = b.account;
    match target {
        Target::User(id) => {
            let u = account.user(id);
            for &g in &u.groups {
                let name = account.group(g).common.name.clone();
                b.link(node, "group", Target::Group(g), name);
            }
            b.inline(node, IdentityId::User(id));
            b.policy_links(node, &u.common.attached_policies, u.permissions_boundary);
        }
        Target::Group(id) => {
            let g = account.group(id);
            for &m in &g.members {
                let name = account.user(m).common.name.clone();
                b.link(node, "member", Target::User(m), name);
            }
            b.inline(node, IdentityId::Group(id));
            b.policy_links(node, &g.common.attached_policies, None);
        }
        Target::Role(id) => role_children(b, node, id),
        Target::InstanceProfile(id) => {
            for &r in &account.instance_profiles[id.index()].roles {
                let name = account.role(r).common.name.clone();
                b.link(node, "role", Target::Role(r), name);
            }
        }
        Target::Saml(i) => provider_children(b, node, account.saml_providers[i].arn.as_str()),
        Target::Oidc(i) => provider_children(b, node, account.oidc_providers[i].arn.as_str()),
        Target::Policy(id) => {
            let p = account.policy(id);
            match p.default_version() {
                Some(v) => b.statements(node, DocRef::Managed(id), &v.document.text),
                None => {
                    let spans = vec![b.muted("document not in the export".into())];
                    b.add(Some(node), Target::Policy(id), true, spans);
                }
            }
            for &user in &p.usage.attached_to {
                let (t, name) = identity_target(account, user);
                b.link(node, "used by", t, name);
            }
            for &user in &p.usage.boundary_of {
                let (t, name) = identity_target(account, user);
                b.link(node, "boundary of", t, name);
            }
        }
        Target::OrgPolicy(k, pi) => {
            let content = account
                .organization_at(k)
                .and_then(|o| o.policies.get(pi))
                .and_then(|p| p.content.as_ref());
            if let Some(content) = content {
                b.statements(node, DocRef::Org(k, pi), &content.text);
            }
        }
        Target::ResourcePolicy(i) => {
            let text = &account.resource_policies[i].policy.text;
            b.statements(node, DocRef::Resource(i), text);
        }
        Target::Inline(owner, i) => {
            let text = &account.identity(owner).inline_policies[i].document.text;
            b.statements(node, DocRef::Inline(owner, i), text);
        }
        _ => {}
    }
}

/// A role's children: the principals its trust policy names, its inline and attached
/// policies, its instance profiles.
fn role_children(b: &mut Builder<'_>, node: NodeId, id: RoleId) {
    let account = b.account;
    let r = account.role(id);
    let mut seen = HashSet::new();
    for st in DocView::parse(&r.trust_policy.text)
        .map(|d| d.statements)
        .unwrap_or_default()
    {
        for p in st.principals {
            if !seen.insert((p.kind.clone(), p.value.clone())) {
                continue;
            }
            let who = match p.kind.as_str() {
                "Service" => format!("service {}", p.value),
                "Federated" => format!("federated {}", short_provider(&p.value)),
                "*" => "anyone *".to_string(),
                _ => principal_label(account, &p.value),
            };
            match account.by_arn(&p.value).and_then(entity_target) {
                Some(t) => {
                    b.link(node, "trusts", t, who);
                }
                None => {
                    let spans = vec![b.tag("trusts"), Span::raw(who)];
                    b.add(Some(node), Target::Trust(id), false, spans);
                }
            }
        }
    }
    b.inline(node, IdentityId::Role(id));
    b.policy_links(node, &r.common.attached_policies, r.permissions_boundary);
    for &ip in &r.instance_profiles {
        let name = account.instance_profiles[ip.index()].name.clone();
        b.link(node, "profile", Target::InstanceProfile(ip), name);
    }
}

/// A provider's children: the roles that trust it.
fn provider_children(b: &mut Builder<'_>, node: NodeId, arn: &str) {
    let account = b.account;
    let roles = b
        .tree
        .trusting_provider
        .get(arn)
        .cloned()
        .unwrap_or_default();
    for r in roles {
        let name = account.role(r).common.name.clone();
        b.link(node, "trusted by", Target::Role(r), name);
    }
}

/// Adds the categories of `scope` under `parent`, each with its entities (their own
/// children deferred); returns the category nodes.
pub(super) fn categories(
    b: &mut Builder<'_>,
    parent: Option<NodeId>,
    scope: &Scope<'_>,
) -> Vec<NodeId> {
    let account = b.account;
    let mut roots = Vec::new();

    // Users.
    let users: Vec<usize> = sorted_by(&account.users, |u| u.common.name.clone())
        .into_iter()
        .filter(|&i| scope.user(i))
        .collect();
    let cat = b.category(parent, Category::Users, users.len());
    roots.push(cat);
    for i in users {
        let id = UserId(i as u32);
        let spans = vec![Span::raw(account.user(id).common.name.clone())];
        b.add_deferred(Some(cat), Target::User(id), spans);
    }

    // Groups.
    let groups: Vec<usize> = sorted_by(&account.groups, |g| g.common.name.clone())
        .into_iter()
        .filter(|&i| scope.group(i))
        .collect();
    let cat = b.category(parent, Category::Groups, groups.len());
    roots.push(cat);
    for i in groups {
        let id = GroupId(i as u32);
        let g = account.group(id);
        let spans = vec![
            Span::raw(g.common.name.clone()),
            b.muted(format!(" ({} members)", g.members.len())),
        ];
        b.add_deferred(Some(cat), Target::Group(id), spans);
    }

    // Roles (the principals a trust policy names are made when its role opens).
    let roles: Vec<usize> = sorted_by(&account.roles, |r| r.common.name.clone())
        .into_iter()
        .filter(|&i| scope.role(i))
        .collect();
    let cat = b.category(parent, Category::Roles, roles.len());
    roots.push(cat);
    for i in roles {
        let id = RoleId(i as u32);
        let r = account.role(id);
        let mut spans = vec![Span::raw(r.common.name.clone())];
        if r.is_service_linked() {
            spans.push(b.muted(" (service-linked)".into()));
        }
        b.add_deferred(Some(cat), Target::Role(id), spans);
    }

    // Instance profiles.
    let profiles: Vec<usize> = sorted_by(&account.instance_profiles, |p| p.name.clone())
        .into_iter()
        .filter(|&i| scope.arn(&account.instance_profiles[i].arn))
        .collect();
    let cat = b.category(parent, Category::InstanceProfiles, profiles.len());
    roots.push(cat);
    for i in profiles {
        let id = InstanceProfileId(i as u32);
        let spans = vec![Span::raw(account.instance_profiles[i].name.clone())];
        b.add_deferred(Some(cat), Target::InstanceProfile(id), spans);
    }

    // Identity providers (the roles that trust each are made when it opens).
    let count = account
        .saml_providers
        .iter()
        .filter(|p| scope.arn(&p.arn))
        .count()
        + account
            .oidc_providers
            .iter()
            .filter(|p| scope.arn(&p.arn))
            .count();
    let cat = b.category(parent, Category::IdentityProviders, count);
    roots.push(cat);
    for (i, p) in account.saml_providers.iter().enumerate() {
        if scope.arn(&p.arn) {
            let spans = vec![b.tag("saml"), Span::raw(p.arn.name().to_string())];
            b.add_deferred(Some(cat), Target::Saml(i), spans);
        }
    }
    for (i, p) in account.oidc_providers.iter().enumerate() {
        if scope.arn(&p.arn) {
            let spans = vec![b.tag("oidc"), Span::raw(p.host().to_string())];
            b.add_deferred(Some(cat), Target::Oidc(i), spans);
        }
    }

    // Managed policies: customer-managed first.
    let mut order: Vec<usize> = sorted_by(&account.managed_policies, |p| p.name.clone())
        .into_iter()
        .filter(|&i| scope.policy(&account.managed_policies[i]))
        .collect();
    let cat = b.category(parent, Category::ManagedPolicies, order.len());
    roots.push(cat);
    order.sort_by_key(|&i| account.managed_policies[i].is_aws_managed());
    for i in order {
        let id = PolicyId(i as u32);
        let p = account.policy(id);
        let mut spans = vec![Span::raw(p.name.clone())];
        let uses = p.usage.attached_to.len() + p.usage.boundary_of.len();
        let owner = if p.is_aws_managed() {
            "AWS"
        } else {
            "customer"
        };
        spans.push(b.muted(format!(" ({owner}, {uses} uses)")));
        b.add_deferred(Some(cat), Target::Policy(id), spans);
    }

    // SCPs and RCPs by organization level, side by side: both cap what the
    // account's principals (SCPs) and resources (RCPs) allow.
    let org = account.organization_at(scope.index);
    let org_count = org.map_or(0, |o| {
        o.count(crate::model::OrgPolicyKind::Scp) + o.count(crate::model::OrgPolicyKind::Rcp)
    });
    let cat = b.category(parent, Category::Scps, org_count);
    roots.push(cat);
    if let Some(org) = org {
        for (li, (level, scps)) in org.scp_levels().enumerate() {
            let kind = match level.kind {
                crate::model::OrgNodeKind::Root => "root",
                crate::model::OrgNodeKind::OrganizationalUnit => "OU",
                crate::model::OrgNodeKind::Account => "account",
            };
            let spans = vec![b.tag(kind), Span::raw(level.target_id.clone())];
            let lnode = b.add(Some(cat), Target::OrgLevel(scope.index, li), false, spans);
            let rcps = level.rcps.iter().map(|&i| (i, &org.policies[i], "rcp"));
            let scps = level.scps.iter().zip(scps).map(|(&i, p)| (i, p, "scp"));
            for (pi, p, tag) in scps.chain(rcps) {
                let spans = vec![b.tag(tag), Span::raw(p.name.clone())];
                b.add_deferred(Some(lnode), Target::OrgPolicy(scope.index, pi), spans);
            }
        }
    }

    // Resource policies.
    let resources: Vec<usize> = sorted_by(&account.resource_policies, |r| {
        format!("{} {}", r.service, r.name)
    })
    .into_iter()
    .filter(|&i| scope.resource(i))
    .collect();
    let cat = b.category(parent, Category::ResourcePolicies, resources.len());
    roots.push(cat);
    for i in resources {
        let rp = &account.resource_policies[i];
        let spans = vec![b.tag(&rp.service), Span::raw(rp.name.clone())];
        b.add_deferred(Some(cat), Target::ResourcePolicy(i), spans);
    }
    roots
}

/// A short label for an AWS principal: `role/Name` for an entity of this account,
/// `account 123… (this account)` for an account root or id, the ARN otherwise.
fn principal_label(account: &Account, value: &str) -> String {
    let this = |id: &str| {
        if id == account.id {
            format!("account {id} (this account)")
        } else {
            format!("account {id}")
        }
    };
    if value.len() == 12 && value.chars().all(|c| c.is_ascii_digit()) {
        return this(value);
    }
    match crate::model::Arn::parse(value) {
        Some(a) if a.resource() == "root" => this(a.account()),
        Some(a) if a.account() == account.id => a.resource().to_string(),
        _ => value.to_string(),
    }
}
