//! The entity tree, built once per account: every node with its label, what it refers
//! to, and the `tui-tree-widget` items. Navigation works on the list of visible nodes,
//! recomputed only when a node opens or closes.

use std::collections::{HashMap, HashSet};

use ratatui::text::{Line, Span};
use tui_tree_widget::TreeItem;

use crate::model::{Account, GroupId, IdentityId, InstanceProfileId, PolicyId, RoleId, UserId};

use super::theme::Theme;
use crate::query::document_view::{short_provider, DocView};

/// Index of a node in [`TreeModel::nodes`]; unique in the whole tree.
pub type NodeId = u32;

/// The top-level groups of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// IAM users.
    Users,
    /// IAM groups.
    Groups,
    /// IAM roles.
    Roles,
    /// EC2 instance profiles.
    InstanceProfiles,
    /// SAML and OIDC providers.
    IdentityProviders,
    /// Customer- and AWS-managed policies.
    ManagedPolicies,
    /// Service and resource control policies, by level of the organization.
    Scps,
    /// Resource-based policies.
    ResourcePolicies,
}

impl Category {
    /// Every category, in tree order.
    pub const ALL: [Category; 8] = [
        Category::Users,
        Category::Groups,
        Category::Roles,
        Category::InstanceProfiles,
        Category::IdentityProviders,
        Category::ManagedPolicies,
        Category::Scps,
        Category::ResourcePolicies,
    ];

    /// Display name.
    pub fn title(self) -> &'static str {
        match self {
            Category::Users => "Users",
            Category::Groups => "Groups",
            Category::Roles => "Roles",
            Category::InstanceProfiles => "Instance profiles",
            Category::IdentityProviders => "Identity providers",
            Category::ManagedPolicies => "Managed policies",
            Category::Scps => "SCPs and RCPs",
            Category::ResourcePolicies => "Resource policies",
        }
    }
}

/// Which policy document a statement belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocRef {
    /// Inline policy `index` of an identity.
    Inline(IdentityId, usize),
    /// A role's trust policy.
    Trust(RoleId),
    /// The default version of a managed policy.
    Managed(PolicyId),
    /// An Organizations policy: (account index, index into `Organization::policies`),
    /// the organization being [`Account::organization_at`] that account.
    Org(u16, usize),
    /// A resource policy (index into `Account::resource_policies`).
    Resource(usize),
}

/// What a node shows in the details pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A top-level group.
    Category(Category),
    /// An account of an organization bundle (index into `Account::members`).
    Account(u16),
    /// A user.
    User(UserId),
    /// A group.
    Group(GroupId),
    /// A role.
    Role(RoleId),
    /// A managed policy.
    Policy(PolicyId),
    /// An instance profile.
    InstanceProfile(InstanceProfileId),
    /// A SAML provider.
    Saml(usize),
    /// An OIDC provider.
    Oidc(usize),
    /// One level (root, OU, account) of an account's organization path: (account
    /// index, level).
    OrgLevel(u16, usize),
    /// An Organizations policy: (account index, index into its `Organization::policies`).
    OrgPolicy(u16, usize),
    /// A resource policy.
    ResourcePolicy(usize),
    /// An inline policy of an identity.
    Inline(IdentityId, usize),
    /// A role's trust policy (the node of one trusted principal that is not an entity
    /// of the account).
    Trust(RoleId),
    /// Statement `index` of a document.
    Statement(DocRef, usize),
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it refers to.
    pub target: Target,
    /// True for a reference to an entity whose own node is elsewhere (a user's group,
    /// a role's attached policy): `open` follows it.
    pub link: bool,
    /// Parent node; `None` for a category.
    pub parent: Option<NodeId>,
    /// Children, in display order.
    pub children: Vec<NodeId>,
    /// Plain label, as shown (without styles).
    pub label: String,
}

/// The whole tree of one account.
#[derive(Debug)]
pub struct TreeModel {
    /// Every node; a node's id is its index.
    pub nodes: Vec<Node>,
    /// The category nodes, in order.
    pub roots: Vec<NodeId>,
    /// The widget items, built once.
    pub items: Vec<TreeItem<'static, NodeId>>,
    /// The node where each entity lives (not its links).
    pub primary: HashMap<Target, NodeId>,
}

struct Builder<'a> {
    account: &'a Account,
    theme: &'a Theme,
    nodes: Vec<Node>,
    lines: Vec<Line<'static>>,
    primary: HashMap<Target, NodeId>,
}

impl Builder<'_> {
    fn add(
        &mut self,
        parent: Option<NodeId>,
        target: Target,
        link: bool,
        mut spans: Vec<Span<'static>>,
    ) -> NodeId {
        let id = self.nodes.len() as NodeId;
        super::safe_text::scrub_spans(&mut spans);
        let label: String = spans.iter().map(|s| s.content.as_ref()).collect();
        self.nodes.push(Node {
            target,
            link,
            parent,
            children: Vec::new(),
            label,
        });
        self.lines.push(Line::from(spans));
        if let Some(p) = parent {
            self.nodes[p as usize].children.push(id);
        }
        if !link {
            self.primary.entry(target).or_insert(id);
        }
        id
    }

    fn tag(&self, tag: &str) -> Span<'static> {
        Span::styled(format!("{tag} "), self.theme.tag)
    }

    fn muted(&self, s: String) -> Span<'static> {
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
            let node = self.add(Some(parent), Target::Inline(owner, i), false, spans);
            self.statements(node, DocRef::Inline(owner, i), &p.document.text);
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
struct Scope<'a> {
    /// Index into `Account::members`; 0 for a single account.
    index: u16,
    member: Option<&'a crate::model::MemberAccount>,
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

impl TreeModel {
    /// Builds the tree of `account`, with labels styled by `theme`: its categories, or
    /// for an organization bundle one node per account holding that account's.
    pub fn build(account: &Account, theme: &Theme) -> TreeModel {
        let mut b = Builder {
            account,
            theme,
            nodes: Vec::new(),
            lines: Vec::new(),
            primary: HashMap::new(),
        };
        let mut roots = Vec::new();
        if account.members.is_empty() {
            let scope = Scope {
                index: 0,
                member: None,
            };
            roots = categories(&mut b, None, &scope);
        }
        for (k, m) in account.members.iter().enumerate() {
            let name = m.name.as_deref().or(m.alias.as_deref());
            let principals = m.users.len() + m.roles.len();
            let spans = vec![
                Span::styled(format!("Account {}", m.id), b.theme.heading),
                b.muted(match name {
                    Some(n) => format!(" {n} ({principals} principals)"),
                    None => format!(" ({principals} principals)"),
                }),
            ];
            let node = b.add(None, Target::Account(k as u16), false, spans);
            roots.push(node);
            let scope = Scope {
                index: k as u16,
                member: Some(m),
            };
            categories(&mut b, Some(node), &scope);
        }
        let Builder {
            nodes,
            mut lines,
            primary,
            ..
        } = b;
        let items = roots
            .iter()
            .map(|&r| widget_item(&nodes, &mut lines, r))
            .collect();
        TreeModel {
            nodes,
            roots,
            items,
            primary,
        }
    }
}

/// Adds the categories of `scope` under `parent`; returns the category nodes.
fn categories(b: &mut Builder<'_>, parent: Option<NodeId>, scope: &Scope<'_>) -> Vec<NodeId> {
    let account = b.account;
    {
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
            let u = account.user(id);
            let node = b.add(
                Some(cat),
                Target::User(id),
                false,
                vec![Span::raw(u.common.name.clone())],
            );
            for &g in &u.groups {
                b.link(
                    node,
                    "group",
                    Target::Group(g),
                    account.group(g).common.name.clone(),
                );
            }
            b.inline(node, IdentityId::User(id));
            b.policy_links(node, &u.common.attached_policies, u.permissions_boundary);
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
            let node = b.add(
                Some(cat),
                Target::Group(id),
                false,
                vec![
                    Span::raw(g.common.name.clone()),
                    b.muted(format!(" ({} members)", g.members.len())),
                ],
            );
            for &m in &g.members {
                b.link(
                    node,
                    "member",
                    Target::User(m),
                    account.user(m).common.name.clone(),
                );
            }
            b.inline(node, IdentityId::Group(id));
            b.policy_links(node, &g.common.attached_policies, None);
        }

        // Roles, with the principals their trust policy names.
        let roles: Vec<usize> = sorted_by(&account.roles, |r| r.common.name.clone())
            .into_iter()
            .filter(|&i| scope.role(i))
            .collect();
        let cat = b.category(parent, Category::Roles, roles.len());
        roots.push(cat);
        let mut trusting_provider: HashMap<String, Vec<RoleId>> = HashMap::new();
        for i in roles {
            let id = RoleId(i as u32);
            let r = account.role(id);
            let mut spans = vec![Span::raw(r.common.name.clone())];
            if r.is_service_linked() {
                spans.push(b.muted(" (service-linked)".into()));
            }
            let node = b.add(Some(cat), Target::Role(id), false, spans);
            let mut seen = HashSet::new();
            for st in DocView::parse(&r.trust_policy.text)
                .map(|d| d.statements)
                .unwrap_or_default()
            {
                for p in st.principals {
                    if !seen.insert((p.kind.clone(), p.value.clone())) {
                        continue;
                    }
                    if p.kind == "Federated" {
                        trusting_provider
                            .entry(p.value.clone())
                            .or_default()
                            .push(id);
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

        // Instance profiles.
        let profiles: Vec<usize> = sorted_by(&account.instance_profiles, |p| p.name.clone())
            .into_iter()
            .filter(|&i| scope.arn(&account.instance_profiles[i].arn))
            .collect();
        let cat = b.category(parent, Category::InstanceProfiles, profiles.len());
        roots.push(cat);
        for i in profiles {
            let id = InstanceProfileId(i as u32);
            let p = &account.instance_profiles[i];
            let node = b.add(
                Some(cat),
                Target::InstanceProfile(id),
                false,
                vec![Span::raw(p.name.clone())],
            );
            for &r in &p.roles {
                b.link(
                    node,
                    "role",
                    Target::Role(r),
                    account.role(r).common.name.clone(),
                );
            }
        }

        // Identity providers, with the roles that trust each.
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
        let provider_children = |b: &mut Builder<'_>, node: NodeId, arn: &str| {
            for &r in trusting_provider.get(arn).map(Vec::as_slice).unwrap_or(&[]) {
                b.link(
                    node,
                    "trusted by",
                    Target::Role(r),
                    account.role(r).common.name.clone(),
                );
            }
        };
        for (i, p) in account.saml_providers.iter().enumerate() {
            if !scope.arn(&p.arn) {
                continue;
            }
            let spans = vec![b.tag("saml"), Span::raw(p.arn.name().to_string())];
            let node = b.add(Some(cat), Target::Saml(i), false, spans);
            provider_children(b, node, p.arn.as_str());
        }
        for (i, p) in account.oidc_providers.iter().enumerate() {
            if !scope.arn(&p.arn) {
                continue;
            }
            let spans = vec![b.tag("oidc"), Span::raw(p.host().to_string())];
            let node = b.add(Some(cat), Target::Oidc(i), false, spans);
            provider_children(b, node, p.arn.as_str());
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
            let node = b.add(Some(cat), Target::Policy(id), false, spans);
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
                    let pnode = b.add(
                        Some(lnode),
                        Target::OrgPolicy(scope.index, pi),
                        false,
                        spans,
                    );
                    if let Some(content) = &p.content {
                        b.statements(pnode, DocRef::Org(scope.index, pi), &content.text);
                    }
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
            let node = b.add(Some(cat), Target::ResourcePolicy(i), false, spans);
            b.statements(node, DocRef::Resource(i), &rp.policy.text);
        }
        roots
    }
}

impl TreeModel {
    /// The node `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// The ids from the root down to `id`, as `tui-tree-widget` identifies nodes.
    pub fn path(&self, id: NodeId) -> Vec<NodeId> {
        let mut path = vec![id];
        let mut cur = id;
        while let Some(p) = self.node(cur).parent {
            path.push(p);
            cur = p;
        }
        path.reverse();
        path
    }

    /// The visible nodes, in display order, when the nodes in `opened` are open.
    pub fn visible(&self, opened: &HashSet<NodeId>) -> Vec<NodeId> {
        let mut out = Vec::with_capacity(self.roots.len());
        let mut stack: Vec<NodeId> = self.roots.iter().rev().copied().collect();
        while let Some(id) = stack.pop() {
            out.push(id);
            if opened.contains(&id) {
                stack.extend(self.node(id).children.iter().rev());
            }
        }
        out
    }

    /// The node where the entity `target` lives (for links and search results).
    pub fn primary(&self, target: Target) -> Option<NodeId> {
        self.primary.get(&target).copied()
    }
}

/// The widget item of `id` and its subtree; moves the lines out of `lines`.
fn widget_item(
    nodes: &[Node],
    lines: &mut [Line<'static>],
    id: NodeId,
) -> TreeItem<'static, NodeId> {
    let node = &nodes[id as usize];
    let text = std::mem::take(&mut lines[id as usize]);
    if node.children.is_empty() {
        return TreeItem::new_leaf(id, text);
    }
    let children = node
        .children
        .iter()
        .map(|&c| widget_item(nodes, lines, c))
        .collect();
    // Ids are unique in the whole tree, so this cannot fail; fall back to a bare leaf.
    TreeItem::new(id, text, children).unwrap_or_else(|_| TreeItem::new_leaf(id, "?"))
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

/// The tree target of an entity found by ARN.
pub fn entity_target(e: crate::model::EntityRef) -> Option<Target> {
    use crate::model::EntityRef as E;
    Some(match e {
        E::User(u) => Target::User(u),
        E::Group(g) => Target::Group(g),
        E::Role(r) => Target::Role(r),
        E::Policy(p) => Target::Policy(p),
        E::InstanceProfile(p) => Target::InstanceProfile(p),
        E::SamlProvider(i) => Target::Saml(i),
        E::OidcProvider(i) => Target::Oidc(i),
    })
}

/// The tree target and the name of an identity.
pub fn identity_target(account: &Account, id: IdentityId) -> (Target, String) {
    let t = match id {
        IdentityId::User(u) => Target::User(u),
        IdentityId::Group(g) => Target::Group(g),
        IdentityId::Role(r) => Target::Role(r),
    };
    (t, account.identity(id).name.clone())
}
