//! Lists of indices by key, all in one buffer (compressed sparse rows): the graph's
//! indices (the sets each node belongs to, the grants leaving or entering each node
//! and set) are one allocation each, without the spare capacity and the allocator's
//! per-block overhead of one `Vec` per key.

use std::ops::Index;

/// For each key `0..len`, a list of `u32`s, in the order they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjacency {
    /// Key `k`'s items are `items[starts[k]..starts[k + 1]]`.
    starts: Vec<usize>,
    items: Vec<u32>,
}

impl Adjacency {
    /// The lists of `keys` keys made of `pairs` (key, item), each list in the pairs'
    /// order. The pairs are walked twice: once to count, once to fill. A key not
    /// below `keys` is a caller's bug and panics.
    pub fn from_pairs<I>(keys: usize, pairs: I) -> Adjacency
    where
        I: Iterator<Item = (usize, u32)> + Clone,
    {
        let mut starts = vec![0usize; keys + 1];
        for (k, _) in pairs.clone() {
            starts[k + 1] += 1;
        }
        for k in 0..keys {
            starts[k + 1] += starts[k];
        }
        let mut next = starts.clone();
        let mut items = vec![0u32; starts[keys]];
        for (k, item) in pairs {
            items[next[k]] = item;
            next[k] += 1;
        }
        Adjacency { starts, items }
    }

    /// Key `key`'s list, `None` past the last key.
    pub fn get(&self, key: usize) -> Option<&[u32]> {
        let range = *self.starts.get(key)?..*self.starts.get(key + 1)?;
        Some(&self.items[range])
    }
}

impl Index<usize> for Adjacency {
    type Output = [u32];

    /// Key `key`'s list; panics past the last key, as a slice index does.
    fn index(&self, key: usize) -> &[u32] {
        &self.items[self.starts[key]..self.starts[key + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::Adjacency;

    #[test]
    fn each_key_lists_its_items_in_the_order_given() {
        let pairs = [(2, 7), (0, 1), (2, 3), (2, 9), (0, 4)];
        let a = Adjacency::from_pairs(4, pairs.iter().copied());
        assert_eq!(&a[0], &[1, 4]);
        assert_eq!(&a[1], &[] as &[u32]);
        assert_eq!(&a[2], &[7, 3, 9]);
        assert_eq!(a.get(3), Some(&[][..]));
        assert_eq!(a.get(4), None);
    }

    #[test]
    fn no_keys_has_no_lists() {
        let a = Adjacency::from_pairs(0, std::iter::empty());
        assert_eq!(a.get(0), None);
        assert_eq!(Adjacency::default().get(0), None);
    }
}
