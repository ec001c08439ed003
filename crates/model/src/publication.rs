//! What editors decided about publishing a person: whether to, on what consent, and whether
//! a minor's name and photo may appear. Kept as a history like verification statuses; the
//! latest entry is the person's current decision.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::coded_enum;

coded_enum! {
    /// On what ground a person may be published. `Withheld` always wins over every rule.
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Consent as "consent" {
        /// Nobody has recorded consent or a public-interest reason yet.
        #[default]
        Unrecorded => "unrecorded",
        /// The family agreed, and the editor recorded how.
        FamilyConsent => "family_consent",
        /// Publication serves the public interest, documented in the note.
        PublicInterest => "public_interest",
        /// Never publish this person, whatever else is set.
        Withheld => "withheld",
    }
}

impl Consent {
    /// Whether this consent allows publication at all.
    pub fn allows_publication(self) -> bool {
        matches!(self, Consent::FamilyConsent | Consent::PublicInterest)
    }
}

/// One editor's publication decision on a person, kept with every earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationDecision {
    /// The person's key.
    pub person: String,
    /// The explicit per-person publish flag.
    pub publish: bool,
    /// The ground for publishing (or withholding).
    pub consent: Consent,
    /// A person under 18 at capture may show name and photo only when this is set.
    pub minor_allowed: bool,
    /// Why, in the editor's words (how consent was given, the public interest).
    pub note: String,
    /// The user who decided.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_recorded_consent_or_public_interest_allows_publication() {
        for consent in Consent::ALL {
            assert_eq!(consent.code().parse(), Ok(consent));
        }
        assert!(Consent::FamilyConsent.allows_publication());
        assert!(Consent::PublicInterest.allows_publication());
        assert!(!Consent::Unrecorded.allows_publication());
        assert!(!Consent::Withheld.allows_publication());
    }
}
