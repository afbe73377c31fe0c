//! Three-valued (Kleene) logic: true, false, or unknown because the request does not
//! say whether a context key is present.

use serde::Serialize;

/// A truth value that may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Tri {
    /// Definitely true.
    True,
    /// Definitely false.
    False,
    /// Depends on context keys the request leaves unknown.
    Unknown,
}

impl Tri {
    /// Kleene AND.
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    /// Kleene OR.
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        }
    }

    /// Kleene NOT.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    /// From a definite boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }

    /// True only when definitely true.
    pub fn is_true(self) -> bool {
        self == Tri::True
    }

    /// True when not definitely false.
    pub fn maybe(self) -> bool {
        self != Tri::False
    }
}

impl Default for Tri {
    /// False: nothing matched yet.
    fn default() -> Tri {
        Tri::False
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::*;

    #[test]
    fn kleene_tables() {
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(Unknown.not(), Unknown);
    }
}
