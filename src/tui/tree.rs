//! The entity tree of one account: every node with its label and what it refers to.
//! Navigation works on the list of visible nodes, recomputed only when a node opens or
//! closes.
//!
//! Memory: the categories, accounts, organization levels and entities (users, groups,
//! roles, policies, profiles, providers, inline, organization and resource policies)
//! are made at once; what lies below an entity (its links to other entities, its
//! statements, a role's trusted principals) is made when the entity first opens
//! ([`TreeModel::materialize`]), so an account of 10,000 principals holds a node per
//! entity, not one per link and statement. A label is held once, as text with the
//! styles of its runs; the widget's items are made for the open nodes only
//! ([`TreeModel::items`]), when the open set changes, not for every node.

use std::collections::{HashMap, HashSet};

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use tui_tree_widget::TreeItem;

use crate::model::{Account, GroupId, IdentityId, InstanceProfileId, PolicyId, RoleId, UserId};

use super::theme::Theme;

mod build;

use build::{categories, fill, trusting_provider, Builder, Scope};

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
    /// Children, in display order; empty until made when `deferred`.
    pub children: Vec<NodeId>,
    /// True while the node has children not made yet: they are made when it first
    /// opens ([`TreeModel::materialize`]).
    pub deferred: bool,
    /// Plain label, as shown (without styles).
    pub label: String,
    /// The label's styled runs: (end byte in `label`, style), in order.
    runs: Box<[(u32, Style)]>,
}

impl Node {
    /// True when the node has children, made or not yet.
    pub fn has_children(&self) -> bool {
        self.deferred || !self.children.is_empty()
    }

    /// The label with its styles, as the widget draws it.
    pub fn line(&self) -> Line<'static> {
        let mut start = 0;
        let spans: Vec<Span<'static>> = self
            .runs
            .iter()
            .map(|&(end, style)| {
                let end = end as usize;
                let text = self.label.get(start..end).unwrap_or_default().to_string();
                start = end;
                Span::styled(text, style)
            })
            .collect();
        Line::from(spans)
    }
}

/// The whole tree of one account.
#[derive(Debug)]
pub struct TreeModel {
    /// Every node made so far; a node's id is its index.
    pub nodes: Vec<Node>,
    /// The category nodes, in order.
    pub roots: Vec<NodeId>,
    /// The node where each entity lives (not its links).
    pub primary: HashMap<Target, NodeId>,
    /// The roles whose trust policy names each federated provider (by its ARN).
    trusting_provider: HashMap<String, Vec<RoleId>>,
}

impl TreeModel {
    /// Builds the tree of `account`, with labels styled by `theme`: its categories, or
    /// for an organization bundle one node per account holding that account's. What
    /// lies below an entity is made when it first opens.
    pub fn build(account: &Account, theme: &Theme) -> TreeModel {
        let mut tree = TreeModel {
            nodes: Vec::new(),
            roots: Vec::new(),
            primary: HashMap::new(),
            trusting_provider: trusting_provider(account),
        };
        let mut b = Builder {
            account,
            theme,
            tree: &mut tree,
            counting: false,
            counted: 0,
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
        tree.roots = roots;
        tree
    }

    /// Makes the children of `id` if they are not made yet (see the module docs), with
    /// the same `account` and `theme` the tree was built with.
    pub fn materialize(&mut self, id: NodeId, account: &Account, theme: &Theme) {
        let Some(node) = self.nodes.get_mut(id as usize) else {
            return;
        };
        if !node.deferred {
            return;
        }
        node.deferred = false;
        let target = node.target;
        let mut b = Builder {
            account,
            theme,
            tree: self,
            counting: false,
            counted: 0,
        };
        fill(&mut b, id, target);
    }

    /// Makes every node of the tree (expand all).
    pub fn materialize_all(&mut self, account: &Account, theme: &Theme) {
        let mut id = 0;
        while id < self.nodes.len() {
            self.materialize(id as NodeId, account, theme);
            id += 1;
        }
    }

    /// The node where `target` lives, making its owner's children first for an inline
    /// policy (made when its owner first opens).
    pub fn find(&mut self, target: Target, account: &Account, theme: &Theme) -> Option<NodeId> {
        if let Some(id) = self.primary(target) {
            return Some(id);
        }
        let Target::Inline(owner, _) = target else {
            return None;
        };
        let owner = self.primary(identity_target(account, owner).0)?;
        self.materialize(owner, account, theme);
        self.primary(target)
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

    /// The node where the entity `target` lives (for links and search results), if it
    /// is made.
    pub fn primary(&self, target: Target) -> Option<NodeId> {
        self.primary.get(&target).copied()
    }

    /// The widget's items when the nodes in `opened` are open: the open nodes' children
    /// and every visible node, nothing below a closed node.
    pub fn items(&self, opened: &HashSet<NodeId>) -> Vec<TreeItem<'static, NodeId>> {
        self.roots.iter().map(|&r| self.item(opened, r)).collect()
    }

    /// The widget's item of `id` and its subtree when the nodes in `opened` are open:
    /// with its children's items when it is open, with one placeholder child when it
    /// is closed but has children (so that the widget draws it as closed, not as a
    /// leaf), as a leaf otherwise.
    pub fn item(&self, opened: &HashSet<NodeId>, id: NodeId) -> TreeItem<'static, NodeId> {
        let node = self.node(id);
        if !node.has_children() {
            return TreeItem::new_leaf(id, node.line());
        }
        let children = if opened.contains(&id) && !node.children.is_empty() {
            node.children
                .iter()
                .map(|&c| self.item(opened, c))
                .collect()
        } else {
            vec![TreeItem::new_leaf(PLACEHOLDER, "")]
        };
        // Ids are unique in the whole tree, so this cannot fail; fall back to a bare leaf.
        TreeItem::new(id, node.line(), children).unwrap_or_else(|_| TreeItem::new_leaf(id, "?"))
    }
}

/// The id of a closed node's placeholder child: no node has it.
const PLACEHOLDER: NodeId = NodeId::MAX;

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
