use std::time::Instant;

use trove_model::{Hidden, Part, PartKind};

use crate::Limits;

/// Collects parts while enforcing [`Limits::max_text_bytes`] over the whole
/// document, so that a crafted file cannot make one extraction hold gigabytes
/// of text, and [`Limits::deadline`], so that it cannot hold a worker for ever.
#[derive(Debug)]
pub(crate) struct PartsBuilder {
    parts: Vec<Part>,
    remaining: usize,
    truncated: bool,
    deadline: Option<Instant>,
}

impl PartsBuilder {
    pub(crate) fn new(limits: &Limits) -> Self {
        PartsBuilder {
            parts: Vec::new(),
            remaining: limits.max_text_bytes,
            truncated: false,
            deadline: limits.deadline,
        }
    }

    /// Whether the budget of text or time is spent, so that callers stop reading: they
    /// ask before each page, sheet or slide, and every few thousand cells. Out of time,
    /// the document is marked truncated.
    pub(crate) fn is_full(&mut self) -> bool {
        if self.remaining == 0 {
            return true;
        }
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            self.remaining = 0;
            self.truncated = true;
            return true;
        }
        false
    }

    /// Adds a part, cut at a character boundary if the budget runs out.
    pub(crate) fn push(
        &mut self,
        kind: PartKind,
        index: u32,
        label: Option<String>,
        mut text: String,
    ) {
        if text.len() > self.remaining {
            let mut cut = self.remaining;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            self.truncated = true;
        }
        self.remaining -= text.len();
        self.parts.push(Part {
            kind,
            index,
            label,
            text,
            hidden: Hidden::default(),
        });
    }

    /// Adds a sheet, with what its workbook hides of it.
    pub(crate) fn push_sheet(&mut self, index: u32, name: String, text: String, hidden: Hidden) {
        self.push(PartKind::Sheet, index, Some(name), text);
        if let Some(sheet) = self.parts.last_mut() {
            sheet.hidden = hidden;
        }
    }

    /// The parts and whether any text was dropped.
    pub(crate) fn finish(self) -> (Vec<Part>, bool) {
        (self.parts, self.truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_builder_past_its_deadline_is_full_and_truncated() {
        let limits = Limits {
            deadline: Some(Instant::now()),
            ..Limits::default()
        };
        let mut builder = PartsBuilder::new(&limits);
        assert!(builder.is_full());
        let (parts, truncated) = builder.finish();
        assert!(parts.is_empty());
        assert!(truncated);

        let mut unhurried = PartsBuilder::new(&Limits::default());
        assert!(!unhurried.is_full());
    }

    #[test]
    fn text_beyond_the_budget_is_cut_on_a_character_boundary() {
        let limits = Limits {
            max_text_bytes: 7,
            ..Limits::default()
        };
        let mut builder = PartsBuilder::new(&limits);
        builder.push(PartKind::Page, 1, None, "ab".into());
        builder.push(PartKind::Page, 2, None, "教育转化".into());
        assert!(builder.is_full() || builder.remaining < 3);
        let (parts, truncated) = builder.finish();
        assert!(truncated);
        assert_eq!(parts[1].text, "教");
    }
}
