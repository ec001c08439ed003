//! The store digest: a Merkle root over every original, computed from the catalog alone.
//!
//! Leaves are the originals in BLAKE3 order, each hashed with its SHA-256 and size;
//! pairs are hashed upward, an odd node rising as it is, until one hash remains. Domain
//! prefixes keep a leaf from ever passing for a node. Anyone who ingests the same
//! originals gets the same root, whatever paths they were found at; one byte changed,
//! one file added or missing, and the roots differ.

/// What the digest knows of one original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestLeaf {
    /// BLAKE3, 64 lower-case hex digits (the blob's id).
    pub blake3: String,
    /// SHA-256, 64 lower-case hex digits.
    pub sha256: String,
    /// Length in bytes.
    pub size: u64,
}

const LEAF: &[u8] = b"trove-store-digest-leaf-v1\0";
const NODE: &[u8] = b"trove-store-digest-node-v1\0";

/// The Merkle root of `leaves` (in any order) as 64 hex digits; the hash of nothing for
/// an empty store.
pub fn store_digest(mut leaves: Vec<DigestLeaf>) -> String {
    leaves.sort_by(|a, b| a.blake3.cmp(&b.blake3));
    leaves.dedup_by(|a, b| a.blake3 == b.blake3);
    let mut level: Vec<blake3::Hash> = leaves.iter().map(leaf_hash).collect();
    if level.is_empty() {
        return blake3::hash(LEAF).to_hex().to_string();
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => node_hash(left, right),
                [odd] => *odd,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    level[0].to_hex().to_string()
}

fn leaf_hash(leaf: &DigestLeaf) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(LEAF);
    hasher.update(leaf.blake3.as_bytes());
    hasher.update(b"\0");
    hasher.update(leaf.sha256.as_bytes());
    hasher.update(b"\0");
    hasher.update(&leaf.size.to_le_bytes());
    hasher.finalize()
}

fn node_hash(left: &blake3::Hash, right: &blake3::Hash) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    hasher.update(NODE);
    hasher.update(left.as_bytes());
    hasher.update(right.as_bytes());
    hasher.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(n: u8, size: u64) -> DigestLeaf {
        DigestLeaf {
            blake3: format!("{n:02x}").repeat(32),
            sha256: format!("{:02x}", n ^ 0xff).repeat(32),
            size,
        }
    }

    #[test]
    fn the_same_set_gives_the_same_root_in_any_order() {
        let set: Vec<DigestLeaf> = (0..7).map(|n| leaf(n, 10)).collect();
        let mut shuffled = set.clone();
        shuffled.reverse();
        shuffled.push(leaf(3, 10)); // the same original seen twice
        assert_eq!(store_digest(set.clone()), store_digest(shuffled));
    }

    #[test]
    fn any_change_to_the_set_changes_the_root() {
        let set: Vec<DigestLeaf> = (0..5).map(|n| leaf(n, 10)).collect();
        let root = store_digest(set.clone());
        let mut missing = set.clone();
        missing.pop();
        let mut added = set.clone();
        added.push(leaf(9, 10));
        let mut resized = set.clone();
        resized[2].size = 11;
        for other in [missing, added, resized, Vec::new()] {
            assert_ne!(store_digest(other), root);
        }
        assert_eq!(root.len(), 64);
    }
}
