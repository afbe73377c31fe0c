//! Policy documents: grammar, compiled patterns, condition operators, variables.
//!
//! A document is parsed and compiled once ([`PolicyDocument::parse`]): action patterns
//! are lower-cased and split at the service prefix, resource ARN patterns are split into
//! their fields, principals are classified, condition values are typed. Evaluation
//! ([`Statement::evaluate`]) is then three-valued ([`Tri`]): a condition on a key the
//! request does not know is Unknown.

mod action;
mod condition;
mod document;
mod error;
mod glob;
mod keys;
mod listed;
mod principal;
mod resource;
mod stream;
mod strict_json;
mod tri;
mod values;

pub use action::{ActionName, ActionPattern, ServiceFilter};
pub use condition::{BaseOp, Condition, Operator, SetOp, MULTIVALUED_KEYS};
pub use document::{
    ActionSpec, Effect, InvalidStatement, Mismatch, PolicyDocument, ResourceSpec, Statement,
    StatementInput, StatementMatch, Version,
};
pub use error::PolicyError;
pub use glob::{Part, Template, TemplateMatch};
pub(crate) use keys::Unknowns;
pub use keys::{KeyLookup, KeyValues};
pub use listed::ListedActions;
pub use principal::{Caller, CallerKind, PrincipalEntry, PrincipalMatch, PrincipalSpec};
pub use resource::ResourcePattern;
pub use tri::Tri;
pub use values::{decode_base64, parse_date, parse_ip, Cidr};
