//! [`Decision`] and [`Trace`]: the answer and how AWS's logic reached it.

use std::fmt;

use serde::Serialize;

use crate::policy::{Effect, PrincipalMatch, Tri};

/// The outcome of one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "PascalCase")]
pub enum Decision {
    /// Allowed.
    Allow,
    /// A matching Deny statement.
    ExplicitDeny,
    /// No applicable Allow (the default).
    ImplicitDeny,
    /// Depends on what the request or the bundle leaves unknown.
    Conditional {
        /// The unknown context keys that decide.
        missing_keys: Vec<String>,
        /// Other unknowns that decide, in plain words: an invalid statement that might
        /// deny, a key policy or a caller's own policies outside the bundle.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<String>,
    },
}

impl Decision {
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny` or `Conditional`.
    pub fn name(&self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
            Decision::Conditional { .. } => "Conditional",
        }
    }

    /// True for Allow.
    pub fn is_allow(&self) -> bool {
        *self == Decision::Allow
    }

    /// The keys that decide a Conditional (empty otherwise).
    pub fn missing_keys(&self) -> &[String] {
        match self {
            Decision::Conditional { missing_keys, .. } => missing_keys,
            _ => &[],
        }
    }

    /// The other unknowns that decide a Conditional (empty otherwise).
    pub fn reasons(&self) -> &[String] {
        match self {
            Decision::Conditional { reasons, .. } => reasons,
            _ => &[],
        }
    }

    /// A Conditional on these context keys alone.
    pub fn conditional_on(missing_keys: Vec<String>) -> Decision {
        Decision::Conditional {
            missing_keys,
            reasons: Vec::new(),
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Conditional {
                missing_keys,
                reasons,
            } => {
                let mut parts = Vec::new();
                if !missing_keys.is_empty() {
                    parts.push(format!("depends on {}", missing_keys.join(", ")));
                }
                if !reasons.is_empty() {
                    parts.push(format!(
                        "cannot be decided from the bundle: {}",
                        reasons.join("; ")
                    ));
                }
                write!(f, "Conditional ({})", parts.join("; "))
            }
            d => f.write_str(d.name()),
        }
    }
}

/// Which layer of AWS's evaluation a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "layer", content = "level")]
pub enum Layer {
    /// Service control policies at one level of the principal's account path (0 = root).
    Scp(usize),
    /// Resource control policies at one level of the resource's account path.
    Rcp(usize),
    /// The resource's resource-based policy.
    ResourcePolicy,
    /// The role's trust policy (resource policy of `sts:AssumeRole*`).
    TrustPolicy,
    /// A KMS key's key policy (which must allow, like a trust policy).
    KeyPolicy,
    /// The principal's identity-based policies.
    Identity,
    /// The principal's permissions boundary.
    Boundary,
    /// Session policies.
    Session,
    /// A rule of the service that no policy changes (e.g. `sts:GetCallerIdentity`).
    ServiceRule,
    /// The final combination.
    Decision,
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Scp(n) => write!(f, "SCP level {n}"),
            Layer::Rcp(n) => write!(f, "RCP level {n}"),
            Layer::ResourcePolicy => f.write_str("resource policy"),
            Layer::TrustPolicy => f.write_str("trust policy"),
            Layer::KeyPolicy => f.write_str("key policy"),
            Layer::Identity => f.write_str("identity"),
            Layer::Boundary => f.write_str("boundary"),
            Layer::Session => f.write_str("session"),
            Layer::ServiceRule => f.write_str("service rule"),
            Layer::Decision => f.write_str("decision"),
        }
    }
}

/// One step of a trace: a statement looked at, a policy skipped, or a layer's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceStep {
    /// The layer.
    pub layer: Layer,
    /// The policy's name (empty for layer verdicts).
    pub policy: String,
    /// Statement index within the policy.
    pub statement: Option<usize>,
    /// The statement's Sid.
    pub sid: Option<String>,
    /// The statement's effect.
    pub effect: Option<Effect>,
    /// Whether the statement matched (None for notes and verdicts).
    pub matched: Option<Tri>,
    /// How a resource policy's Principal named the caller.
    pub principal_match: Option<PrincipalMatch>,
    /// Unknown keys the statement depends on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_keys: Vec<String>,
    /// What happened, in plain words.
    pub note: String,
}

impl fmt::Display for TraceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}]", self.layer)?;
        if !self.policy.is_empty() {
            write!(f, " {}", self.policy)?;
        }
        if let Some(i) = self.statement {
            // Counted from 1, as the details pane and statement labels number them.
            write!(f, " #{}", i + 1)?;
            if let Some(s) = &self.sid {
                write!(f, " ({s})")?;
            }
        }
        if let Some(e) = self.effect {
            write!(f, " {e:?}")?;
        }
        if let Some(m) = self.matched {
            let word = match m {
                Tri::True => "MATCH",
                Tri::False => "no match",
                Tri::Unknown => "MAYBE",
            };
            write!(f, ": {word}")?;
        }
        write!(f, " — {}", self.note)
    }
}

/// Every step of one evaluation, in the order AWS's logic takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// The steps.
    pub steps: Vec<TraceStep>,
}

impl Trace {
    /// Adds a layer verdict or note.
    pub fn note(&mut self, layer: Layer, note: impl Into<String>) {
        self.steps.push(TraceStep {
            layer,
            policy: String::new(),
            statement: None,
            sid: None,
            effect: None,
            matched: None,
            principal_match: None,
            unknown_keys: Vec::new(),
            note: note.into(),
        });
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            writeln!(f, "{:>3}. {s}", i + 1)?;
        }
        Ok(())
    }
}
