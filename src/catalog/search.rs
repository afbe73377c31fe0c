//! Wildcard expansion and prefix completion over all actions.

use std::cmp::Ordering;
use std::ops::Range;

use super::pattern::{has_wildcard, wildcard_match};
use super::store::{cmp_ignore_case, Catalog};
use super::views::ActionRef;

impl Catalog {
    /// Every action matching the IAM action pattern `pattern`, case-insensitively:
    /// `"s3:Get*"`, `"iam:*AccessKey*"`, `"ec2:Describe?pcs"`, `"*"`.
    /// Results are in catalogue order (by service prefix, then action name).
    /// A pattern without wildcards yields at most the one action it names.
    pub fn expand(&self, pattern: &str) -> Vec<ActionRef<'_>> {
        let pat = pattern.trim().to_ascii_lowercase();
        if pat == "*" {
            return self.all_actions().collect();
        }
        // A literal service part narrows the search to that service.
        if let Some((svc, act)) = pat.split_once(':') {
            if !has_wildcard(svc) {
                let Some(si) = self.service_index(svc) else {
                    return Vec::new();
                };
                let skip = svc.len() + 1;
                // A service's actions are sorted by name: only those starting with the
                // pattern's literal head can match (one, for a literal name).
                let head = &act[..act.find(['*', '?']).unwrap_or(act.len())];
                let range = self.starting_with(si, skip, head.as_bytes());
                return range
                    .map(|id| id as usize)
                    .filter(|&id| {
                        wildcard_match(
                            act.as_bytes(),
                            &self.lower_name(id).as_bytes()[skip..],
                            false,
                        )
                    })
                    .map(|id| ActionRef::new(self, id))
                    .collect();
            }
        }
        (0..self.actions.len())
            .filter(|&id| wildcard_match(pat.as_bytes(), self.lower_name(id).as_bytes(), false))
            .map(|id| ActionRef::new(self, id))
            .collect()
    }

    /// The ids of service `si`'s actions whose lower-cased name (after its first `skip`
    /// bytes, the `service:` part) starts with `head`: one run, as the names are sorted.
    fn starting_with(&self, si: usize, skip: usize, head: &[u8]) -> Range<u32> {
        let actions = self.services[si].actions.clone();
        let name = |id: u32| &self.lower_name(id as usize).as_bytes()[skip..];
        // The first id in `actions` for which `before` is false (`before` holds on a prefix).
        let first = |before: &dyn Fn(&[u8]) -> bool| {
            let (mut lo, mut hi) = (actions.start, actions.end);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if before(name(mid)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        let start = first(&|n| n < head);
        let end = first(&|n| n < head || n.starts_with(head));
        start..end
    }

    /// Up to `limit` actions whose `service:Action` name starts with `prefix`,
    /// case-insensitively, for completion. Sorted by service prefix, then action
    /// name, so an exact service (`"ec2"`) comes before longer ones that start
    /// the same (`"ec2-instance-connect"`). Without a `:` the text is matched
    /// against service prefixes: `"s3"` offers `s3:…`, then `s3express:…`, ….
    /// An empty prefix offers the first `limit` actions.
    pub fn complete(&self, prefix: &str, limit: usize) -> Vec<ActionRef<'_>> {
        let pre = prefix.trim().to_ascii_lowercase();
        if limit == 0 {
            return Vec::new();
        }
        if let Some((svc, act)) = pre.split_once(':') {
            let Some(si) = self.service_index(svc) else {
                return Vec::new();
            };
            let skip = svc.len() + 1;
            return self.services[si]
                .actions
                .clone()
                .map(|id| id as usize)
                .filter(|&id| self.lower_name(id)[skip..].starts_with(act))
                .take(limit)
                .map(|id| ActionRef::new(self, id))
                .collect();
        }
        // Services are sorted, so those starting with `pre` are one contiguous run.
        let lo = self
            .services
            .partition_point(|s| cmp_ignore_case(s.prefix, &pre) == Ordering::Less);
        self.services[lo..]
            .iter()
            .take_while(|s| {
                let p = s.prefix.as_bytes();
                p.len() >= pre.len() && p[..pre.len()].eq_ignore_ascii_case(pre.as_bytes())
            })
            .flat_map(|s| s.actions.clone())
            .take(limit)
            .map(|id| ActionRef::new(self, id as usize))
            .collect()
    }

    /// All actions in catalogue order.
    pub(crate) fn all_actions(&self) -> impl ExactSizeIterator<Item = ActionRef<'_>> + '_ {
        (0..self.actions.len()).map(move |id| ActionRef::new(self, id))
    }
}
