//! IAM wildcard matching for action names: `*` matches any run of
//! characters (including none), `?` exactly one; no other character is special.

/// Whether `action` (`"s3:GetObject"`) matches the IAM action pattern `pattern`
/// (`"s3:Get*"`), ignoring ASCII case as IAM does for action names.
pub fn matches_action_pattern(pattern: &str, action: &str) -> bool {
    wildcard_match(pattern.as_bytes(), action.as_bytes(), true)
}

/// Matches `text` against `pat` (`*`, `?`); with `fold`, ASCII case is ignored,
/// without it both must already be lower-cased.
///
/// Greedy with single-star backtracking: linear for patterns with one `*`,
/// at worst O(|pat| · |text|).
pub(crate) fn wildcard_match(pat: &[u8], text: &[u8], fold: bool) -> bool {
    let eq = |p: u8, t: u8| p == b'?' || p == t || (fold && p.eq_ignore_ascii_case(&t));
    let (mut p, mut t) = (0, 0);
    // Position after the last `*` seen, and the text position it is tried at.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pat.len() && pat[p] == b'*' {
            p += 1;
            star = Some((p, t));
        } else if p < pat.len() && eq(pat[p], text[t]) {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Whether `pat` contains a wildcard character.
pub(crate) fn has_wildcard(pat: &str) -> bool {
    pat.bytes().any(|c| c == b'*' || c == b'?')
}
