//! Handles and detail views onto the catalogue's services and actions.

use std::fmt;

use super::level::AccessLevel;
use super::store::{Action, Catalog, Service};

/// A cheap, copyable handle to one action of a [`Catalog`].
/// Displays as `service:Action` (`s3:GetObject`).
#[derive(Clone, Copy)]
pub struct ActionRef<'a> {
    cat: &'a Catalog,
    id: u32,
}

impl<'a> ActionRef<'a> {
    pub(crate) fn new(cat: &'a Catalog, id: usize) -> Self {
        ActionRef { cat, id: id as u32 }
    }

    fn action(&self) -> &'a Action {
        &self.cat.actions[self.id as usize]
    }

    fn svc(&self) -> &'a Service {
        &self.cat.services[usize::from(self.action().service)]
    }

    /// A dense index of this action within its catalogue (`0..action_count()`),
    /// usable as a key in side tables.
    pub fn id(&self) -> usize {
        self.id as usize
    }

    /// The service prefix, e.g. `"s3"`.
    pub fn service_prefix(&self) -> &'a str {
        self.svc().prefix
    }

    /// The action name as AWS spells it, e.g. `"GetObject"`.
    pub fn name(&self) -> &'a str {
        self.action().name
    }

    /// `service:Action`, e.g. `"s3:GetObject"`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service_prefix(), self.name())
    }

    /// `service:action` lower-cased, e.g. `"s3:getobject"` (no allocation).
    pub fn lower_name(&self) -> &'a str {
        self.cat.lower_name(self.id as usize)
    }

    /// The access level AWS documents.
    pub fn access_level(&self) -> AccessLevel {
        self.action().level
    }

    /// The service this action belongs to.
    pub fn service(&self) -> ServiceRef<'a> {
        ServiceRef::new(self.cat, usize::from(self.action().service))
    }

    /// Full details: resource types and condition keys.
    pub fn info(&self) -> ActionInfo<'a> {
        let a = self.action();
        let s = self.svc();
        let keys = |idx: &[u16]| {
            idx.iter()
                .map(|&c| s.conditions[usize::from(c)].0)
                .collect()
        };
        ActionInfo {
            service_prefix: s.prefix,
            service_name: s.name,
            name: a.name,
            access_level: a.level,
            resource_types: a
                .resources
                .iter()
                .map(|(r, required, conds)| {
                    let rt = &s.resources[usize::from(*r)];
                    ActionResourceType {
                        name: rt.name,
                        arn_pattern: rt.arn,
                        required: *required,
                        condition_keys: keys(conds),
                    }
                })
                .collect(),
            condition_keys: keys(&a.conditions),
        }
    }
}

impl PartialEq for ActionRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.cat, other.cat) && self.id == other.id
    }
}

impl Eq for ActionRef<'_> {}

impl std::hash::Hash for ActionRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl fmt::Display for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service_prefix(), self.name())
    }
}

impl fmt::Debug for ActionRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionRef({self})")
    }
}

/// Everything the catalogue knows about one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInfo<'a> {
    /// The service prefix, e.g. `"s3"`.
    pub service_prefix: &'a str,
    /// The service's name, e.g. `"Amazon S3"`.
    pub service_name: &'a str,
    /// The action name as AWS spells it, e.g. `"GetObject"`.
    pub name: &'a str,
    /// The access level AWS documents.
    pub access_level: AccessLevel,
    /// The resource types the action accepts in a policy's `Resource`.
    /// Empty for actions that take no resource ARN (policies use `"*"`), e.g. `iam:ListUsers`.
    pub resource_types: Vec<ActionResourceType<'a>>,
    /// Condition keys the action supports whatever the resource
    /// (resource-specific ones are in [`ActionResourceType::condition_keys`]).
    pub condition_keys: Vec<&'a str>,
}

impl ActionInfo<'_> {
    /// `service:Action`, e.g. `"s3:GetObject"`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service_prefix, self.name)
    }

    /// Every condition key the action supports: its own, then those of its
    /// resource types, without duplicates.
    pub fn all_condition_keys(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let per_resource = self.resource_types.iter().flat_map(|r| &r.condition_keys);
        for &k in self.condition_keys.iter().chain(per_resource) {
            if !out.contains(&k) {
                out.push(k);
            }
        }
        out
    }
}

/// One resource type as an action accepts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionResourceType<'a> {
    /// The resource type's name, e.g. `"object"`.
    pub name: &'a str,
    /// Its ARN pattern, e.g. `"arn:${Partition}:s3:::${BucketName}/${ObjectName}"`.
    pub arn_pattern: &'a str,
    /// Whether AWS marks it required (`*` in the reference tables).
    pub required: bool,
    /// Condition keys that apply when the action acts on this resource type.
    pub condition_keys: Vec<&'a str>,
}

/// A resource type a service defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceTypeInfo<'a> {
    /// The resource type's name, e.g. `"bucket"`.
    pub name: &'a str,
    /// Its ARN pattern, e.g. `"arn:${Partition}:s3:::${BucketName}"`.
    pub arn_pattern: &'a str,
    /// Condition keys that apply to resources of this type.
    pub condition_keys: Vec<&'a str>,
}

/// A condition key a service defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConditionKeyInfo<'a> {
    /// The key, e.g. `"s3:prefix"` or `"aws:ResourceTag/${TagKey}"`.
    pub name: &'a str,
    /// Its value type as AWS names it (`"String"`, `"ARN"`, `"Bool"`,
    /// `"ArrayOfString"`, …); empty if the reference does not say.
    pub value_type: &'a str,
}

/// A cheap, copyable handle to one service of a [`Catalog`].
#[derive(Clone, Copy)]
pub struct ServiceRef<'a> {
    cat: &'a Catalog,
    idx: u16,
}

impl<'a> ServiceRef<'a> {
    pub(crate) fn new(cat: &'a Catalog, idx: usize) -> Self {
        ServiceRef {
            cat,
            idx: idx as u16,
        }
    }

    fn svc(&self) -> &'a Service {
        &self.cat.services[usize::from(self.idx)]
    }

    /// The service prefix used in action names, e.g. `"s3"`.
    pub fn prefix(&self) -> &'a str {
        self.svc().prefix
    }

    /// The service's name, e.g. `"Amazon S3"`.
    pub fn name(&self) -> &'a str {
        self.svc().name
    }

    /// Number of actions of the service.
    pub fn action_count(&self) -> usize {
        self.svc().actions.len()
    }

    /// The service's actions, sorted by name (case-insensitively).
    pub fn actions(&self) -> impl ExactSizeIterator<Item = ActionRef<'a>> + 'a {
        let cat = self.cat;
        self.svc()
            .actions
            .clone()
            .map(move |id| ActionRef::new(cat, id as usize))
    }

    /// The resource types the service defines.
    pub fn resource_types(&self) -> Vec<ResourceTypeInfo<'a>> {
        let s = self.svc();
        s.resources
            .iter()
            .map(|r| ResourceTypeInfo {
                name: r.name,
                arn_pattern: r.arn,
                condition_keys: r
                    .conditions
                    .iter()
                    .map(|&c| s.conditions[usize::from(c)].0)
                    .collect(),
            })
            .collect()
    }

    /// The condition keys the service defines or its actions use.
    pub fn condition_keys(&self) -> impl ExactSizeIterator<Item = ConditionKeyInfo<'a>> + 'a {
        self.svc()
            .conditions
            .iter()
            .map(|&(name, value_type)| ConditionKeyInfo { name, value_type })
    }
}

impl PartialEq for ServiceRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.cat, other.cat) && self.idx == other.idx
    }
}

impl Eq for ServiceRef<'_> {}

impl fmt::Debug for ServiceRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServiceRef({})", self.prefix())
    }
}
