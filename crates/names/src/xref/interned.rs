//! Names analysed once and numbered. A leak of a million people holds far fewer distinct
//! names (Uyghur given names come from a few thousand), so each distinct name is analysed
//! once, each distinct part is numbered, and pair scores can be remembered by number.

use rustc_hash::FxHashMap;

use crate::key::skeleton;
use rayon::prelude::*;

use crate::structure::{MAX_PARTS, NameAnalysis, analyse};

/// The number of a distinct name (by its analysed parts) in a [`NameTable`].
pub type NameId = u32;
/// The number of a distinct part (by its phonetic forms and suffix marker).
pub type PartId = u32;

/// One distinct part: its phonetic forms, whether it carries a suffix marker (-jan), and
/// the distinct consonant skeletons of its forms (for blocking).
#[derive(Debug)]
pub struct InternedPart {
    /// The part's phonetic forms, as [`PartAnalysis::forms`] gives them.
    ///
    /// [`PartAnalysis::forms`]: crate::structure::PartAnalysis::forms
    pub forms: Box<[Box<str>]>,
    /// Whether a suffix marker (-jan) was split off the part.
    pub suffix: bool,
    /// The first three consonant classes of each form (or its first letter, for a
    /// form without consonants), without repeats, in the order of `forms`.
    pub skeletons: Box<[Box<str>]>,
}

/// What makes a part distinct: its phonetic forms and whether it carries a suffix marker.
type PartIdentity = (Box<[Box<str>]>, bool);

/// Names and parts, each numbered once.
#[derive(Debug, Default)]
pub struct NameTable {
    by_text: FxHashMap<Box<str>, NameId>,
    by_parts: FxHashMap<Box<[PartId]>, NameId>,
    names: Vec<Box<[PartId]>>,
    part_ids: FxHashMap<PartIdentity, PartId>,
    parts: Vec<InternedPart>,
}

impl NameTable {
    /// An empty table.
    pub fn new() -> NameTable {
        NameTable::default()
    }

    /// The number of `name`, analysing it the first time it is seen.
    pub fn intern(&mut self, name: &str) -> NameId {
        match self.get(name) {
            Some(id) => id,
            None => self.intern_analysed(name, &analyse(name)),
        }
    }

    /// The number of a name seen before.
    pub fn get(&self, name: &str) -> Option<NameId> {
        self.by_text.get(name).copied()
    }

    /// Numbers many names, analysing the new ones in parallel (analysis is the costly
    /// step: tens of microseconds a name).
    pub fn intern_all<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        let mut new: Vec<&str> = names
            .into_iter()
            .filter(|n| self.get(n).is_none())
            .collect();
        new.sort_unstable();
        new.dedup();
        let analysed: Vec<NameAnalysis> = new.par_iter().map(|n| analyse(n)).collect();
        for (name, analysis) in new.into_iter().zip(&analysed) {
            self.intern_analysed(name, analysis);
        }
    }

    /// The number of `name`, given its analysis.
    pub fn intern_analysed(&mut self, name: &str, analysis: &NameAnalysis) -> NameId {
        if let Some(id) = self.get(name) {
            return id;
        }
        let parts: Box<[PartId]> = analysis
            .parts
            .iter()
            .take(MAX_PARTS)
            .map(|p| self.intern_part(&p.forms, p.suffix.is_some()))
            .collect();
        let id = match self.by_parts.get(&parts) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as NameId;
                self.names.push(parts.clone());
                self.by_parts.insert(parts, id);
                id
            }
        };
        self.by_text.insert(name.into(), id);
        id
    }

    fn intern_part(&mut self, forms: &[String], suffix: bool) -> PartId {
        let forms: Box<[Box<str>]> = forms.iter().map(|f| f.as_str().into()).collect();
        let key = (forms, suffix);
        if let Some(&id) = self.part_ids.get(&key) {
            return id;
        }
        let mut skeletons: Vec<Box<str>> = Vec::new();
        for form in key.0.iter() {
            let skeleton = blocking_skeleton(form);
            if !skeletons.contains(&skeleton) {
                skeletons.push(skeleton);
            }
        }
        let id = self.parts.len() as PartId;
        self.parts.push(InternedPart {
            forms: key.0.clone(),
            suffix,
            skeletons: skeletons.into(),
        });
        self.part_ids.insert(key, id);
        id
    }

    /// The parts of a name, in written order.
    pub fn parts_of(&self, name: NameId) -> &[PartId] {
        &self.names[name as usize]
    }

    /// The part numbered `part`; panics for a number this table did not give.
    pub fn part(&self, part: PartId) -> &InternedPart {
        &self.parts[part as usize]
    }

    /// How many distinct names (by their parts) the table holds.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether the table holds no name yet.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// The first three consonant classes of a folded form, or for a form without consonants
/// its first letter: coarse enough that spellings of one name share it.
fn blocking_skeleton(form: &str) -> Box<str> {
    let skeleton = skeleton(form);
    if skeleton.is_empty() {
        form.chars().take(1).collect::<String>().into()
    } else {
        skeleton.chars().take(3).collect::<String>().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_in_several_writings_and_scripts_is_numbered_by_its_parts() {
        let mut table = NameTable::new();
        let a = table.intern("Rahile Dawut");
        let b = table.intern("rahile  dawut");
        let c = table.intern("Memet Tursun");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(table.len(), 2);
        assert_eq!(table.parts_of(a).len(), 2);
        assert_eq!(table.intern("Rahile Dawut"), a);
    }

    #[test]
    fn shared_parts_are_stored_once() {
        let mut table = NameTable::new();
        let a = table.intern("Memet Tursun");
        let b = table.intern("Tursun Memet");
        assert_eq!(table.parts_of(a)[0], table.parts_of(b)[1]);
        assert!(!table.part(table.parts_of(a)[0]).skeletons.is_empty());
    }
}
