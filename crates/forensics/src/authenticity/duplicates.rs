//! Duplicates: one file at several paths (and whether its names agree), and one picture
//! in several files (re-encoded, resized or cropped), found by perceptual-hash distance
//! through a multi-index over the hashes' quarters, never by comparing every pair. A picture filed under two ID
//! numbers is a strong anomaly: one person's photo cannot be another's.

use std::collections::{BTreeMap, BTreeSet};

use trove_model::BlobId;

use super::{DocumentFact, Evidence, Finding, ImageFact, Section, Strength, Value, Words};

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
            match many_paths.len() {
                1 => Words::new("authenticity.finding.same_file_many_paths_one"),
                n => Words::new("authenticity.finding.same_file_many_paths").arg("count", n),
            },
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
            Words::new("authenticity.finding.same_file_names")
                .arg("count", stems.len())
                .arg("names", stems.into_iter().collect::<Vec<_>>().join(", ")),
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
    let hashes: Vec<u64> = hashed.iter().map(|(hash, _)| *hash).collect();
    let index = QuarterIndex::new(&hashes);
    let mut clusters = UnionFind::new(hashed.len());
    for (item, hash) in hashes.iter().enumerate() {
        for other in index.within(&hashes, *hash, NEAR_DUPLICATE_BITS) {
            clusters.join(item, other);
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
                Words::new("authenticity.finding.photos_too_alike").arg("count", members.len()),
            )
        } else if numbers.len() > 1 {
            (
                "same_photo_two_ids",
                Strength::Strong,
                Words::new("authenticity.finding.same_photo_two_ids")
                    .arg("count", numbers.len())
                    .arg(
                        "numbers",
                        numbers.iter().copied().collect::<Vec<_>>().join(", "),
                    ),
            )
        } else {
            (
                "near_duplicate_photos",
                Strength::Fact,
                Words::new("authenticity.finding.near_duplicate_photos"),
            )
        };
        let shown: Vec<&str> = names.iter().take(MAX_CONCLUSIVE_GROUP).copied().collect();
        let more = names.len().saturating_sub(shown.len());
        let more = if more > 0 {
            Words::new("authenticity.finding.and_more")
                .arg("more", more)
                .into()
        } else {
            Value::Text(String::new())
        };
        findings.push(
            Finding::new(
                Section::Duplicates,
                code,
                strength,
                said.arg("names", shown.join(", "))
                    .value("more", more)
                    .arg("bits", NEAR_DUPLICATE_BITS),
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

/// Multi-index hashing over 64-bit hashes: four tables, one per 16-bit quarter. Two
/// hashes at most [`NEAR_DUPLICATE_BITS`] (8) apart differ in at most 2 bits in some
/// quarter (pigeonhole), so a search looks up, in each table, the quarter's values within
/// 2 bits of the probe's (137 a table) and checks only what those buckets hold: about a
/// thousand candidates a probe among 100,000 random hashes, not 100,000. (A BK-tree,
/// tried first, visits most of its nodes at this radius: 156 s for 100,000 images.)
struct QuarterIndex {
    tables: [Vec<Vec<u32>>; 4],
}

/// Bits of a quarter that may differ, for a radius of [`NEAR_DUPLICATE_BITS`].
const QUARTER_RADIUS: u32 = NEAR_DUPLICATE_BITS / 4;

impl QuarterIndex {
    fn new(hashes: &[u64]) -> Self {
        let mut tables: [Vec<Vec<u32>>; 4] = std::array::from_fn(|_| vec![Vec::new(); 1 << 16]);
        for (item, hash) in hashes.iter().enumerate() {
            for (quarter, table) in tables.iter_mut().enumerate() {
                table[usize::from(quarter_of(*hash, quarter))].push(item as u32);
            }
        }
        QuarterIndex { tables }
    }

    /// Items whose hash is within `radius` (at most [`NEAR_DUPLICATE_BITS`]) of `hash`,
    /// some perhaps more than once.
    fn within<'a>(
        &'a self,
        hashes: &'a [u64],
        hash: u64,
        radius: u32,
    ) -> impl Iterator<Item = usize> + 'a {
        (0..4).flat_map(move |quarter| {
            let key = quarter_of(hash, quarter);
            near_keys(key, QUARTER_RADIUS).flat_map(move |near| {
                self.tables[quarter][usize::from(near)]
                    .iter()
                    .map(|item| *item as usize)
                    .filter(move |item| (hashes[*item] ^ hash).count_ones() <= radius)
            })
        })
    }
}

fn quarter_of(hash: u64, quarter: usize) -> u16 {
    (hash >> (16 * quarter)) as u16
}

/// `key` and every 16-bit value within `radius` (0 to 2) bits of it.
fn near_keys(key: u16, radius: u32) -> impl Iterator<Item = u16> {
    let ones = (0..16u32).map(move |i| key ^ (1 << i));
    let twos = (0..16u32).flat_map(move |i| ((i + 1)..16).map(move |j| key ^ (1 << i) ^ (1 << j)));
    std::iter::once(key)
        .chain(ones.filter(move |_| radius >= 1))
        .chain(twos.filter(move |_| radius >= 2))
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
    use crate::authenticity::codes_of;
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
        assert_eq!(
            codes_of(&found),
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
    fn the_index_finds_exactly_the_hashes_within_the_radius() {
        let mut hashes: Vec<u64> = (0..2000u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        // Copies 1 to 8 bits away, the changed bits spread over the quarters.
        for bits in 1..=8u32 {
            let flips = (0..bits).fold(0u64, |acc, b| acc | 1 << (b * 7 % 64));
            hashes.push(hashes[7] ^ flips);
        }
        let index = QuarterIndex::new(&hashes);
        let probe = hashes[7] ^ 0b111;
        let mut found: Vec<usize> = index.within(&hashes, probe, 8).collect();
        found.sort();
        found.dedup();
        let expected: Vec<usize> = (0..hashes.len())
            .filter(|i| (hashes[*i] ^ probe).count_ones() <= 8)
            .collect();
        assert_eq!(found, expected);
    }
}
