//! Duplicates: one file at several paths (and whether its names agree), and one picture
//! in several files (re-encoded, resized or cropped), found by perceptual-hash distance
//! through a BK-tree, never by comparing every pair. A picture filed under two ID
//! numbers is a strong anomaly: one person's photo cannot be another's.

use std::collections::{BTreeMap, BTreeSet};

use trove_model::BlobId;

use super::{DocumentFact, Evidence, Finding, ImageFact, Section, Strength};

/// Perceptual hashes (64 bits) at most this many bits apart are the same picture. The
/// gradient hash of a re-encoded or slightly cropped photo moves a few bits; unrelated
/// photos differ in about half of them.
pub const NEAR_DUPLICATE_BITS: u32 = 8;

/// A group of more pictures than this, each near another, says less about reuse than
/// about the hash: pictures of one backdrop and framing (a wall of mugshots) can lie
/// within a few bits of each other. Such a group is reported for a person to compare.
pub const MAX_CONCLUSIVE_GROUP: usize = 4;

pub(super) fn findings(images: &[ImageFact], documents: &[DocumentFact]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let many_paths = images
        .iter()
        .map(|i| (&i.blob, &i.paths))
        .chain(documents.iter().map(|d| (&d.blob, &d.paths)))
        .filter(|(_, paths)| paths.len() > 1)
        .collect::<Vec<_>>();
    if !many_paths.is_empty() {
        findings.push(Finding::new(
            Section::Duplicates,
            "same_file_many_paths",
            Strength::Fact,
            format!(
                "{} found at more than one path",
                match many_paths.len() {
                    1 => "1 file was".to_owned(),
                    n => format!("{n} files were"),
                }
            ),
        ));
    }
    for (blob, paths) in &many_paths {
        findings.extend(names_disagree(blob, paths));
    }
    findings.extend(near_duplicates(images));
    findings
}

/// A file's name without folders or extension.
fn stem(path: &str) -> &str {
    let name = path.rsplit(['/', '!']).next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// One file under several names that carry different ID numbers is the same photo
/// filed for two people; other differing names are noted (copies and backups are often
/// renamed).
fn names_disagree(blob: &BlobId, paths: &[String]) -> Option<Finding> {
    let stems: BTreeSet<&str> = paths.iter().map(|p| stem(p)).collect();
    if stems.len() < 2 {
        return None;
    }
    let numbers: BTreeSet<String> = stems
        .iter()
        .flat_map(|s| trove_records::resident_id::find_ids(s))
        .collect();
    let (code, strength) = if numbers.len() > 1 {
        ("same_file_two_ids", Strength::Strong)
    } else {
        ("same_file_names_disagree", Strength::Fact)
    };
    Some(
        Finding::new(
            Section::Duplicates,
            code,
            strength,
            format!(
                "one file under {} names: {}",
                stems.len(),
                stems.into_iter().collect::<Vec<_>>().join(", ")
            ),
        )
        .with(paths.iter().map(|p| Evidence::Document {
            blob: blob.to_string(),
            path: p.clone(),
        })),
    )
}

/// Clusters of images whose perceptual hashes are within [`NEAR_DUPLICATE_BITS`].
fn near_duplicates(images: &[ImageFact]) -> Vec<Finding> {
    let hashed: Vec<(u64, &ImageFact)> = images
        .iter()
        .filter_map(|image| {
            let hash = image.facts.perceptual_hash.as_deref()?;
            Some((u64::from_str_radix(hash, 16).ok()?, image))
        })
        .collect();
    let mut tree = BkTree::default();
    for (index, (hash, _)) in hashed.iter().enumerate() {
        tree.insert(*hash, index);
    }
    let mut clusters = UnionFind::new(hashed.len());
    for (index, (hash, _)) in hashed.iter().enumerate() {
        for other in tree.within(*hash, NEAR_DUPLICATE_BITS) {
            clusters.join(index, other);
        }
    }
    let mut groups: BTreeMap<usize, Vec<&ImageFact>> = BTreeMap::new();
    for (index, (_, image)) in hashed.iter().enumerate() {
        groups.entry(clusters.root(index)).or_default().push(image);
    }
    let mut findings = Vec::new();
    for members in groups.into_values().filter(|m| m.len() > 1) {
        let numbers: BTreeSet<&str> = members
            .iter()
            .flat_map(|m| m.id_numbers.iter().map(String::as_str))
            .collect();
        let names: Vec<&str> = members
            .iter()
            .filter_map(|m| m.paths.first().map(|p| stem(p)))
            .collect();
        let (code, strength, said) = if members.len() > MAX_CONCLUSIVE_GROUP {
            (
                "photos_too_alike",
                Strength::Fact,
                format!(
                    "{} pictures lie within a few bits of each other: too alike (one backdrop and framing) for the perceptual hash to tell reuse from likeness; compare them by eye",
                    members.len()
                ),
            )
        } else if numbers.len() > 1 {
            (
                "same_photo_two_ids",
                Strength::Strong,
                format!(
                    "one picture filed under {} ID numbers ({})",
                    numbers.len(),
                    numbers.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            )
        } else {
            (
                "near_duplicate_photos",
                Strength::Fact,
                "one picture in several files".to_owned(),
            )
        };
        let shown: Vec<&str> = names.iter().take(MAX_CONCLUSIVE_GROUP).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        findings.push(
            Finding::new(
                Section::Duplicates,
                code,
                strength,
                format!(
                    "{said}: {}{more} (perceptual hashes within {NEAR_DUPLICATE_BITS} of 64 bits)",
                    shown.join(", ")
                ),
            )
            .with(
                members
                    .iter()
                    .map(|m| Evidence::document(&m.blob, &m.paths)),
            ),
        );
    }
    findings
}

/// A BK-tree over 64-bit hashes under Hamming distance: a search within a small radius
/// visits only the branches the triangle inequality allows.
#[derive(Default)]
struct BkTree {
    nodes: Vec<BkNode>,
}

struct BkNode {
    hash: u64,
    item: usize,
    children: BTreeMap<u32, usize>,
}

impl BkTree {
    fn insert(&mut self, hash: u64, item: usize) {
        let new = BkNode {
            hash,
            item,
            children: BTreeMap::new(),
        };
        if self.nodes.is_empty() {
            self.nodes.push(new);
            return;
        }
        let mut at = 0;
        loop {
            let distance = (self.nodes[at].hash ^ hash).count_ones();
            match self.nodes[at].children.get(&distance) {
                Some(&child) => at = child,
                None => {
                    let index = self.nodes.len();
                    self.nodes.push(new);
                    self.nodes[at].children.insert(distance, index);
                    return;
                }
            }
        }
    }

    /// Items whose hash is within `radius` of `hash`.
    fn within(&self, hash: u64, radius: u32) -> Vec<usize> {
        let mut found = Vec::new();
        let mut stack = if self.nodes.is_empty() {
            vec![]
        } else {
            vec![0]
        };
        while let Some(at) = stack.pop() {
            let node = &self.nodes[at];
            let distance = (node.hash ^ hash).count_ones();
            if distance <= radius {
                found.push(node.item);
            }
            let low = distance.saturating_sub(radius);
            let high = distance + radius;
            stack.extend(node.children.range(low..=high).map(|(_, child)| *child));
        }
        found
    }
}

/// Disjoint sets with path halving.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(size: usize) -> Self {
        UnionFind {
            parent: (0..size).collect(),
        }
    }

    fn root(&mut self, mut item: usize) -> usize {
        while self.parent[item] != item {
            self.parent[item] = self.parent[self.parent[item]];
            item = self.parent[item];
        }
        item
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authenticity::photos::tests::photo;

    fn hashed(n: u8, name: &str, hash: u64, ids: &[&str]) -> ImageFact {
        let mut image = photo(n, name, None, ids);
        image.facts.perceptual_hash = Some(format!("{hash:016x}"));
        image
    }

    #[test]
    fn one_picture_under_two_id_numbers_is_a_strong_anomaly() {
        let base = 0x9f3c_5a01_77e2_0c4bu64;
        let images = vec![
            hashed(1, "653121199001010027.jpg", base, &["653121199001010027"]),
            hashed(
                2,
                "653121198503150017.jpg",
                base ^ 0b1011,
                &["653121198503150017"],
            ),
            hashed(3, "风景.jpg", !base, &[]),
            hashed(4, "风景-副本.jpg", !base ^ 1, &[]),
        ];
        let found = findings(&images, &[]);
        let codes: Vec<(&str, Strength)> = found
            .iter()
            .map(|f| (f.code.as_str(), f.strength))
            .collect();
        assert_eq!(
            codes,
            [
                ("same_photo_two_ids", Strength::Strong),
                ("near_duplicate_photos", Strength::Fact)
            ]
        );
        assert_eq!(found[0].evidence.len(), 2);
    }

    #[test]
    fn a_crowd_of_alike_pictures_is_inconclusive_not_a_reuse() {
        let images: Vec<ImageFact> = (0..8u8)
            .map(|n| {
                let id = format!("65312119900101{:03}7", n);
                hashed(
                    n,
                    &format!("{id}.jpg"),
                    0xabcd_u64 ^ u64::from(n),
                    &[id.as_str()],
                )
            })
            .collect();
        let found = findings(&images, &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].code.as_str(), found[0].strength),
            ("photos_too_alike", Strength::Fact)
        );
    }

    #[test]
    fn one_file_under_names_with_two_id_numbers_is_named() {
        let mut image = photo(1, "653121199001010027.jpg", None, &[]);
        image.paths.push("另存/653121198503150017.jpg".into());
        let found = findings(&[image], &[]);
        assert_eq!(found[0].code, "same_file_many_paths");
        assert_eq!(found[1].code, "same_file_two_ids");
    }

    #[test]
    fn the_tree_finds_exactly_the_hashes_within_the_radius() {
        let mut tree = BkTree::default();
        let hashes: Vec<u64> = (0..2000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        for (i, h) in hashes.iter().enumerate() {
            tree.insert(*h, i);
        }
        let probe = hashes[7] ^ 0b111;
        let mut found = tree.within(probe, 8);
        found.sort();
        let expected: Vec<usize> = (0..hashes.len())
            .filter(|i| (hashes[*i] ^ probe).count_ones() <= 8)
            .collect();
        assert_eq!(found, expected);
    }
}
