//! The text of the details pane for one tree node, built once per selection (never per
//! frame): a principal's policies and where each comes from, trust in words, policy
//! documents as coloured JSON, attachments, and the findings of the account audit
//! about the entity (computed by the core, [`crate::findings`]).

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::findings::{sanitize, Family, Finding};
use crate::model::{Account, IdentityId, PolicyId, PolicySource, RoleId};

use super::json::pretty_lines;
use super::theme::Theme;
use super::tree::{identity_target, Category, DocRef, Target};
use super::views::severity_style;
use crate::policy::Effect;
use crate::query::document_view::{
    condition_text, effect_name, trust_sentence, DocView, StatementView,
};

/// The findings of the audit, when computed, and the one to highlight (id, summary).
#[derive(Clone, Copy, Default)]
pub struct FindingsInput<'f> {
    /// Every finding of the account; `None` until the audit is done (or without the
    /// evaluator).
    pub all: Option<&'f [Finding]>,
    /// The finding the findings view jumped to.
    pub highlight: Option<&'f (&'static str, String)>,
}

struct Out<'a> {
    theme: &'a Theme,
    lines: Vec<Line<'static>>,
    findings: FindingsInput<'a>,
}

impl Out<'_> {
    fn title(&mut self, kind: &str, name: &str) {
        let mut spans = Vec::new();
        if !kind.is_empty() {
            spans.push(Span::styled(format!("{kind} "), self.theme.tag));
        }
        spans.push(Span::styled(name.to_string(), self.theme.heading));
        self.lines.push(Line::from(spans));
    }
    fn heading(&mut self, text: &str) {
        self.blank();
        self.lines
            .push(Line::styled(text.to_string(), self.theme.heading));
    }
    fn blank(&mut self) {
        if !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
    }
    fn kv(&mut self, key: &str, value: impl Into<String>) {
        self.lines.push(Line::from(vec![
            Span::styled(format!("{key:<10} "), self.theme.muted),
            Span::raw(value.into()),
        ]));
    }
    fn text(&mut self, text: impl Into<String>) {
        self.lines.push(Line::raw(text.into()));
    }
    fn muted(&mut self, text: impl Into<String>) {
        self.lines.push(Line::styled(text.into(), self.theme.muted));
    }
    fn warn(&mut self, text: impl Into<String>) {
        self.lines.push(Line::from(vec![
            Span::styled("⚠ ", self.theme.warning),
            Span::styled(text.into(), self.theme.warning),
        ]));
    }
    fn statement(&mut self, indent: &str, st: &StatementView, i: usize) {
        let style = match st.effect {
            Some(Effect::Allow) => self.theme.allow,
            Some(Effect::Deny) => self.theme.deny,
            None => self.theme.warning,
        };
        let summary = st.summary();
        let rest = summary.split_once(' ').map(|(_, r)| r).unwrap_or_default();
        self.lines.push(Line::from(vec![
            Span::raw(indent.to_string()),
            Span::styled(format!("{} ", effect_name(st.effect)), style),
            Span::styled(format!("{}: ", st.label(i)), self.theme.muted),
            Span::raw(rest.to_string()),
        ]));
    }
    fn json(&mut self, heading: &str, source: &PolicySource) {
        self.heading(heading);
        if let Some(e) = source.error() {
            self.warn(format!("invalid policy: {e}"));
        }
        let pretty = pretty_lines(&source.text, self.theme);
        self.lines.extend(pretty);
    }
}

impl Out<'_> {
    /// The findings about `arn` (of `families`, or all when empty), each with its
    /// evidence; the highlighted one stands out.
    fn findings(&mut self, arn: &str, families: &[Family]) {
        // Until the audit is done (or without the evaluator) there is nothing to list.
        let Some(all) = self.findings.all else {
            return;
        };
        let about: Vec<&Finding> = all
            .iter()
            .filter(|f| f.entity == arn && (families.is_empty() || families.contains(&f.family)))
            .collect();
        if about.is_empty() {
            return;
        }
        self.heading(&format!("Findings ({})", about.len()));
        for f in about {
            let lit = self
                .findings
                .highlight
                .is_some_and(|(id, summary)| *id == f.id && *summary == f.summary);
            let text_style = if lit {
                self.theme.selected
            } else {
                self.theme.text
            };
            self.lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<8} ", f.severity.as_str().to_uppercase()),
                    severity_style(self.theme, f.severity),
                ),
                Span::styled(format!("{} {}", f.id, f.title), self.theme.heading),
            ]));
            self.lines.push(Line::styled(
                format!("  {}", sanitize(&f.summary)),
                text_style,
            ));
            if lit {
                for e in &f.evidence {
                    for line in e.lines() {
                        self.lines.push(Line::styled(
                            format!("    • {line}"),
                            self.theme.text.add_modifier(Modifier::BOLD),
                        ));
                    }
                }
                self.lines.push(Line::styled(
                    format!("    Fix: {}", f.remediation),
                    self.theme.muted,
                ));
            }
        }
        self.muted("(F: every finding, with evidence)");
    }
}

/// The details of `target`, as styled lines, with the audit's findings about it.
pub fn details(
    account: &Account,
    target: Target,
    theme: &Theme,
    findings: Option<&[Finding]>,
    highlight: Option<&(&'static str, String)>,
) -> Vec<Line<'static>> {
    let mut o = Out {
        theme,
        lines: Vec::new(),
        findings: FindingsInput {
            all: findings,
            highlight,
        },
    };
    match target {
        Target::Category(c) => category(&mut o, account, c),
        Target::Account(k) => member_account(&mut o, account, k),
        Target::User(u) => identity(&mut o, account, IdentityId::User(u)),
        Target::Group(g) => identity(&mut o, account, IdentityId::Group(g)),
        Target::Role(r) => identity(&mut o, account, IdentityId::Role(r)),
        Target::Trust(r) => {
            o.title("Trust policy of role", &account.role(r).common.name);
            o.findings(
                account.role(r).common.arn.as_str(),
                &[Family::Trust, Family::ExternalAccess],
            );
            trust(&mut o, account, r);
        }
        Target::Policy(p) => managed(&mut o, account, p),
        Target::Inline(owner, i) => {
            let (_, owner_name) = identity_target(account, owner);
            let p = &account.identity(owner).inline_policies[i];
            o.title("Inline policy", &p.name);
            o.kv("owner", format!("{} {owner_name}", identity_kind(owner)));
            document(&mut o, &p.document);
        }
        Target::Statement(doc, i) => statement(&mut o, account, doc, i),
        Target::InstanceProfile(id) => {
            let p = &account.instance_profiles[id.index()];
            o.title("Instance profile", &p.name);
            o.kv("ARN", p.arn.as_str());
            o.kv("path", p.path.clone());
            o.kv("created", p.create_date.clone());
            o.heading("Roles");
            if p.roles.is_empty() {
                o.muted("(none)");
            }
            for &r in &p.roles {
                o.text(format!("role {}", account.role(r).common.name));
            }
        }
        Target::Saml(i) => {
            let p = &account.saml_providers[i];
            o.title("SAML provider", p.arn.name());
            o.kv("ARN", p.arn.as_str());
            o.kv("valid until", p.valid_until.clone().unwrap_or_default());
            o.kv("created", p.create_date.clone().unwrap_or_default());
        }
        Target::Oidc(i) => {
            let p = &account.oidc_providers[i];
            o.title("OIDC provider", p.host());
            o.kv("ARN", p.arn.as_str());
            o.kv("URL", p.url.clone());
            o.kv("audiences", p.client_ids.join(", "));
            o.kv("thumbprint", p.thumbprints.join(", "));
            o.blank();
            o.muted("Roles that trust this provider should require a `sub` condition naming");
            o.muted(
                "exactly which identities (repository, branch, service account) may assume them.",
            );
        }
        Target::OrgLevel(k, li) => {
            if let Some(org) = account.organization_at(k) {
                let level = &org.path[li];
                o.title("Organization level", &level.target_id);
                o.kv("kind", format!("{:?}", level.kind));
                o.heading("SCPs attached here");
                for &p in &level.scps {
                    o.text(org.policies[p].name.clone());
                }
                if !level.rcps.is_empty() {
                    o.heading("RCPs attached here");
                    for &p in &level.rcps {
                        o.text(org.policies[p].name.clone());
                    }
                }
                o.blank();
                o.muted("An action is allowed only if an SCP allows it at every level, root to account.");
            }
        }
        Target::OrgPolicy(k, pi) => {
            if let Some(p) = account.organization_at(k).map(|o| &o.policies[pi]) {
                o.title(
                    if p.kind == crate::model::OrgPolicyKind::Scp {
                        "SCP"
                    } else {
                        "RCP"
                    },
                    &p.name,
                );
                o.kv("id", p.id.clone());
                if let Some(arn) = &p.arn {
                    o.kv("ARN", arn.clone());
                }
                if let Some(d) = &p.description {
                    o.kv("about", d.clone());
                }
                o.kv(
                    "managed",
                    if p.aws_managed {
                        "by AWS"
                    } else {
                        "by the organization"
                    },
                );
                o.findings(p.arn.as_deref().unwrap_or(&p.id), &[]);
                match &p.content {
                    Some(c) => document(&mut o, c),
                    None => o.muted("content not in the export"),
                }
            }
        }
        Target::ResourcePolicy(i) => {
            let rp = &account.resource_policies[i];
            o.title(&format!("{} resource policy", rp.service), &rp.name);
            o.kv("ARN", rp.resource_arn.clone());
            o.kv("file", rp.file.clone());
            o.findings(&rp.resource_arn, &[]);
            document(&mut o, &rp.policy);
        }
    }
    super::safe_text::scrub_lines(&mut o.lines);
    o.lines
}

fn identity_kind(id: IdentityId) -> &'static str {
    match id {
        IdentityId::User(_) => "user",
        IdentityId::Group(_) => "group",
        IdentityId::Role(_) => "role",
    }
}

/// One account of an organization bundle: who it is, what it holds, its place in the
/// organization.
fn member_account(o: &mut Out<'_>, account: &Account, k: u16) {
    let Some(m) = account.members.get(k as usize) else {
        return;
    };
    o.title("Account", &m.id);
    if let Some(n) = &m.name {
        o.kv("name", n.clone());
    }
    if let Some(a) = &m.alias {
        o.kv("alias", a.clone());
    }
    o.kv("source", m.source.clone());
    let len = |r: &std::ops::Range<u32>| (r.end - r.start).to_string();
    o.kv("users", len(&m.users));
    o.kv("groups", len(&m.groups));
    o.kv("roles", len(&m.roles));
    o.kv("customer policies", m.customer_policies.to_string());
    o.kv("resource policies", len(&m.resource_policies));
    if let Some(org) = &m.organization {
        let path: Vec<&str> = org.path.iter().map(|l| l.target_id.as_str()).collect();
        o.kv("organization path", path.join(" → "));
    }
    o.blank();
    o.muted("One account of the organization bundle: trust, who-can and paths follow its principals into the other accounts, decided with their own policies and SCPs.");
}

fn category(o: &mut Out<'_>, account: &Account, c: Category) {
    o.title("", c.title());
    let about = match c {
        Category::Users => "Long-term identities with a password and/or access keys. Their permissions are their inline and attached policies plus those of their groups, limited by a boundary and the SCPs.",
        Category::Groups => "Collections of users. A group's policies apply to every member; a group cannot be a principal itself.",
        Category::Roles => "Identities assumed for a session. The trust policy says who may assume the role; the permissions policies say what the session can do.",
        Category::InstanceProfiles => "Containers that hand one role to EC2 instances.",
        Category::IdentityProviders => "SAML and OIDC providers that federated identities (SSO, GitHub Actions, EKS) use to assume roles.",
        Category::ManagedPolicies => "Standalone policies attached to users, groups and roles, or used as permissions boundaries.",
        Category::Scps => "Service control policies (SCPs) and resource control policies (RCPs) of AWS Organizations: SCPs cap what principals of the account can do, RCPs what can be done to its resources, level by level.",
        Category::ResourcePolicies => "Policies on resources (buckets, keys, queues…) that grant access to principals, possibly in other accounts.",
    };
    o.blank();
    o.text(about);
    o.heading("Account");
    o.kv("id", account.id.clone());
    if let Some(a) = &account.alias {
        o.kv("alias", a.clone());
    }
    o.kv("source", account.source.clone());
    if c == Category::Users {
        // The root user has no node of its own: its findings show here.
        o.findings(
            &format!("arn:{}:iam::{}:root", partition(account), account.id),
            &[],
        );
    }
    o.kv("users", account.users.len().to_string());
    o.kv("groups", account.groups.len().to_string());
    o.kv("roles", account.roles.len().to_string());
    o.kv("policies", account.managed_policies.len().to_string());
    if !account.warnings.is_empty() {
        o.heading(&format!("Load warnings ({})", account.warnings.len()));
        for w in account.warnings.iter().take(20) {
            o.warn(w.to_string());
        }
    }
}

fn partition(account: &Account) -> &str {
    if account.partition.is_empty() {
        "aws"
    } else {
        &account.partition
    }
}

/// A document's statements and JSON.
fn document(o: &mut Out<'_>, source: &PolicySource) {
    let view = DocView::parse(&source.text).unwrap_or_default();
    o.heading(&format!("Statements ({})", view.statements.len()));
    for (i, st) in view.statements.iter().enumerate() {
        o.statement("", st, i);
    }
    o.json("Document", source);
}

fn managed(o: &mut Out<'_>, account: &Account, id: PolicyId) {
    let p = account.policy(id);
    o.title("Managed policy", &p.name);
    o.kv("ARN", p.arn.as_str());
    o.kv(
        "owner",
        if p.is_aws_managed() {
            "AWS-managed"
        } else {
            "customer-managed"
        },
    );
    if let Some(d) = &p.description {
        o.kv("about", d.clone());
    }
    if let Some(v) = &p.default_version_id {
        o.kv(
            "version",
            format!("{v} (of {} in the export)", p.versions.len()),
        );
    }
    o.heading(&format!(
        "Attached to ({})",
        p.usage.attached_to.len() + p.usage.boundary_of.len()
    ));
    if p.usage.attached_to.is_empty() && p.usage.boundary_of.is_empty() {
        o.muted("(not attached)");
    }
    for &who in &p.usage.attached_to {
        let (_, name) = identity_target(account, who);
        o.text(format!("{} {name}", identity_kind(who)));
    }
    for &who in &p.usage.boundary_of {
        let (_, name) = identity_target(account, who);
        o.text(format!(
            "{} {name} (as permissions boundary)",
            identity_kind(who)
        ));
    }
    o.findings(p.arn.as_str(), &[]);
    match p.default_version() {
        Some(v) => document(o, &v.document),
        None => {
            o.blank();
            o.muted("The document is not in the export: only its attachment is known.");
        }
    }
}

fn statement(o: &mut Out<'_>, account: &Account, doc: DocRef, i: usize) {
    let (source, name) = match doc {
        DocRef::Inline(owner, pi) => {
            let p = &account.identity(owner).inline_policies[pi];
            (Some(&p.document), format!("inline policy {}", p.name))
        }
        DocRef::Trust(r) => (
            Some(&account.role(r).trust_policy),
            format!("trust policy of {}", account.role(r).common.name),
        ),
        DocRef::Managed(p) => {
            let mp = account.policy(p);
            (
                mp.default_version().map(|v| &v.document),
                format!("managed policy {}", mp.name),
            )
        }
        DocRef::Org(k, pi) => {
            let p = account.organization_at(k).map(|o| &o.policies[pi]);
            (
                p.and_then(|p| p.content.as_ref()),
                format!("SCP {}", p.map(|p| p.name.as_str()).unwrap_or_default()),
            )
        }
        DocRef::Resource(ri) => {
            let rp = &account.resource_policies[ri];
            (
                Some(&rp.policy),
                format!("{} policy of {}", rp.service, rp.name),
            )
        }
    };
    let Some(source) = source else {
        o.muted("document not in the export");
        return;
    };
    let view = DocView::parse(&source.text).unwrap_or_default();
    let Some(st) = view.statements.get(i) else {
        o.title("Statement", "(invalid document)");
        o.json("Document", source);
        return;
    };
    o.title("Statement", &st.label(i));
    o.kv("in", name);
    let style = if st.effect == Some(Effect::Deny) {
        o.theme.deny
    } else {
        o.theme.allow
    };
    o.lines.push(Line::from(vec![
        Span::styled(format!("{:<10} ", "effect"), o.theme.muted),
        Span::styled(effect_name(st.effect).to_string(), style),
    ]));
    let list = |o: &mut Out<'_>, key: &str, items: &[String]| {
        if items.is_empty() {
            return;
        }
        o.kv(key, items[0].clone());
        for it in &items[1..] {
            o.kv("", it.clone());
        }
    };
    if !st.principals.is_empty() {
        let ps: Vec<String> = st
            .principals
            .iter()
            .map(|p| format!("{}: {}", p.kind, p.value))
            .collect();
        list(
            o,
            if st.not_principal {
                "NotPrinc."
            } else {
                "principal"
            },
            &ps,
        );
    }
    list(
        o,
        if st.not_action { "NotAction" } else { "action" },
        &st.actions,
    );
    list(
        o,
        if st.not_resource {
            "NotRes."
        } else {
            "resource"
        },
        &st.resources,
    );
    let conds: Vec<String> = st.conditions.iter().map(condition_text).collect();
    list(o, "condition", &conds);
    o.json("Document", source);
}

fn trust(o: &mut Out<'_>, account: &Account, r: RoleId) {
    let role = account.role(r);
    let view = DocView::parse(&role.trust_policy.text).unwrap_or_default();
    o.heading("Trust (who can assume this role)");
    for st in &view.statements {
        o.text(trust_sentence(st));
        for c in &st.conditions {
            o.muted(format!("  when {}", condition_text(c)));
        }
    }
    o.json("Trust policy", &role.trust_policy);
}

fn identity(o: &mut Out<'_>, account: &Account, id: IdentityId) {
    let c = account.identity(id);
    let kind = identity_kind(id);
    o.title(
        &format!("{}{}", kind[..1].to_uppercase(), &kind[1..]),
        &c.name,
    );
    o.kv("ARN", c.arn.as_str());
    o.kv("id", c.id.clone());
    o.kv("path", c.path.clone());
    o.kv("created", c.create_date.clone());
    let tags = match id {
        IdentityId::User(u) => &account.user(u).tags[..],
        IdentityId::Role(r) => &account.role(r).tags[..],
        IdentityId::Group(_) => &[],
    };
    if !tags.is_empty() {
        let t: Vec<String> = tags
            .iter()
            .map(|t| format!("{}={}", t.key, t.value))
            .collect();
        o.kv("tags", t.join(", "));
    }
    if let IdentityId::Role(r) = id {
        let role = account.role(r);
        if let Some(d) = &role.description {
            o.kv("about", d.clone());
        }
        if let Some(s) = role.max_session_duration {
            o.kv("session", format!("up to {} h", s as f64 / 3600.0));
        }
        if let Some(lu) = &role.last_used {
            o.kv(
                "last used",
                format!(
                    "{} {}",
                    lu.date.as_deref().unwrap_or("never"),
                    lu.region.as_deref().unwrap_or("")
                )
                .trim_end()
                .to_string(),
            );
        }
    }

    // The audit's findings about this identity (credentials, trust, privilege…).
    o.findings(c.arn.as_str(), &[]);
    let sources = policy_sources(account, id);

    if let IdentityId::Group(g) = id {
        let members = &account.group(g).members;
        o.heading(&format!("Members ({})", members.len()));
        for &m in members {
            o.text(account.user(m).common.name.clone());
        }
    }
    if let IdentityId::User(u) = id {
        let groups = &account.user(u).groups;
        if !groups.is_empty() {
            let names: Vec<String> = groups
                .iter()
                .map(|&g| account.group(g).common.name.clone())
                .collect();
            o.kv("groups", names.join(", "));
        }
    }

    o.heading(&format!("Policies ({})", sources.len()));
    if sources.is_empty() {
        o.muted("(none: this identity can do nothing on its own)");
    }
    let width = sources
        .iter()
        .map(|s| s.via.chars().count())
        .max()
        .unwrap_or(0);
    for s in &sources {
        o.lines.push(Line::from(vec![
            Span::styled(format!("{:<width$}  ", s.via), o.theme.muted),
            Span::styled(format!("{} ", s.kind), o.theme.tag),
            Span::raw(s.name.clone()),
        ]));
        match s.doc.and_then(|d| DocView::parse(&d.text)) {
            Some(view) => {
                for (i, st) in view.statements.iter().enumerate() {
                    o.statement("    ", st, i);
                }
            }
            None if s.doc.is_none() => o.muted("    (document not in the export)"),
            None => o.warn("    invalid document"),
        }
    }

    if let IdentityId::Role(r) = id {
        let role = account.role(r);
        trust(o, account, r);
        if !role.instance_profiles.is_empty() {
            o.heading("Instance profiles");
            for &ip in &role.instance_profiles {
                o.text(account.instance_profiles[ip.index()].name.clone());
            }
        }
    }
}

/// One policy that applies to an identity, and where it comes from.
struct Source<'a> {
    via: String,
    kind: &'static str,
    name: String,
    doc: Option<&'a PolicySource>,
}

fn policies_of<'a>(account: &'a Account, via: &str, who: IdentityId, out: &mut Vec<Source<'a>>) {
    let c = account.identity(who);
    for p in &c.inline_policies {
        out.push(Source {
            via: via.to_string(),
            kind: "inline",
            name: p.name.clone(),
            doc: Some(&p.document),
        });
    }
    for &p in &c.attached_policies {
        let mp = account.policy(p);
        out.push(Source {
            via: via.to_string(),
            kind: "managed",
            name: mp.name.clone(),
            doc: mp.default_version().map(|v| &v.document),
        });
    }
}

fn policy_sources(account: &Account, id: IdentityId) -> Vec<Source<'_>> {
    let mut out = Vec::new();
    policies_of(account, "direct", id, &mut out);
    let boundary = match id {
        IdentityId::User(u) => {
            for &g in &account.user(u).groups {
                let via = format!("via group {}", account.group(g).common.name);
                policies_of(account, &via, IdentityId::Group(g), &mut out);
            }
            account.user(u).permissions_boundary
        }
        IdentityId::Role(r) => account.role(r).permissions_boundary,
        IdentityId::Group(_) => None,
    };
    if let Some(b) = boundary {
        let mp = account.policy(b);
        out.push(Source {
            via: "boundary".into(),
            kind: "managed",
            name: mp.name.clone(),
            doc: mp.default_version().map(|v| &v.document),
        });
    }
    let scp_applies = match id {
        IdentityId::Role(r) => !account.role(r).is_service_linked(),
        IdentityId::User(_) => true,
        IdentityId::Group(_) => false,
    };
    if let (true, Some(org)) = (scp_applies, &account.organization) {
        for (level, scps) in org.scp_levels() {
            for p in scps {
                out.push(Source {
                    via: format!("SCP at {}", level.target_id),
                    kind: "scp",
                    name: p.name.clone(),
                    doc: p.content.as_ref(),
                });
            }
        }
    }
    out
}
