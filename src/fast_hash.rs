//! A fast hash for tables that are read on every decision or hold hundreds of thousands
//! of keys (what-can's resource texts and statement lists, the evaluator's SCP and RCP
//! chains by account): SipHash's flooding defence buys nothing there — the keys come
//! from the bundle itself, and a flood would only slow the answer, never change it.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map hashed with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A set hashed with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Hashes eight bytes at a time (a multiply-rotate mix, as FxHash does).
#[derive(Default)]
pub(crate) struct FastHasher(u64);

const MIX: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(MIX);
    }
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_alike_and_a_map_keeps_distinct_ones() {
        let mut map: FastMap<Vec<u32>, usize> = FastMap::default();
        for i in 0..10_000u32 {
            map.insert(vec![i, i / 7], i as usize);
        }
        assert_eq!(map.len(), 10_000);
        assert_eq!(map[&vec![700, 100]], 700);
        assert_eq!(map.get([1u32, 2].as_slice()), None);
    }
}
