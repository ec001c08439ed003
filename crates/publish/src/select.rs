//! Who is published: one person's verification status, the editors' decision and age
//! judged against the rules. Withheld consent wins over everything; a minor (or a person
//! whose age cannot be told) is published without name and photo unless allowed.

use serde::Serialize;
use trove_model::{Consent, PublicationDecision, VerificationStatus};

use crate::rules::PersonRules;

/// What the rules are judged on, for one person.
#[derive(Debug, Clone, Copy)]
pub struct Standing<'a> {
    /// The current verification status, if any was set.
    pub status: Option<VerificationStatus>,
    /// The editors' current publication decision, if any.
    pub decision: Option<&'a PublicationDecision>,
    /// Age when photographed (or first recorded), when it can be told.
    pub age_at_capture: Option<u32>,
}

/// What the rules decide for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict", content = "reason")]
pub enum Verdict {
    /// Published in full (as the field rules allow).
    Published,
    /// Published without name or photo: a minor, or of unknown age.
    PublishedWithoutIdentity,
    /// Not published, for this reason.
    Withheld(Withheld),
}

/// Why a person is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Withheld {
    /// Consent is recorded as withheld.
    ConsentWithheld,
    /// The verification status is below the rules' least, or disputed.
    NotVerified,
    /// No editor marked the person for publication.
    NotMarked,
    /// Neither family consent nor a public interest is recorded.
    NoConsent,
}

impl Withheld {
    /// The reason in words, for the preview and the report.
    pub fn reason(self) -> &'static str {
        match self {
            Withheld::ConsentWithheld => "consent withheld",
            Withheld::NotVerified => "verification status below the rules' least (or disputed)",
            Withheld::NotMarked => "not marked for publication",
            Withheld::NoConsent => "no consent or public interest recorded",
        }
    }
}

/// Judges one person.
pub fn judge(rules: &PersonRules, person: &Standing<'_>) -> Verdict {
    let decision = person.decision;
    let consent = decision.map_or(Consent::Unrecorded, |d| d.consent);
    if consent == Consent::Withheld {
        return Verdict::Withheld(Withheld::ConsentWithheld);
    }
    if !rules.min_status.admits(person.status) {
        return Verdict::Withheld(Withheld::NotVerified);
    }
    if rules.require_flag && !decision.is_some_and(|d| d.publish) {
        return Verdict::Withheld(Withheld::NotMarked);
    }
    if rules.require_consent && !consent.allows_publication() {
        return Verdict::Withheld(Withheld::NoConsent);
    }
    let adult = person
        .age_at_capture
        .is_some_and(|age| age >= rules.adult_age);
    if adult || decision.is_some_and(|d| d.minor_allowed) {
        Verdict::Published
    } else {
        Verdict::PublishedWithoutIdentity
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::rules::{MinStatus, Rules};

    fn decision(publish: bool, consent: Consent, minor_allowed: bool) -> PublicationDecision {
        PublicationDecision {
            person: "p".to_owned(),
            publish,
            consent,
            minor_allowed,
            note: String::new(),
            by: "editor".to_owned(),
            at: Utc::now(),
        }
    }

    fn judged(
        status: Option<VerificationStatus>,
        decision: Option<&PublicationDecision>,
        age: Option<u32>,
    ) -> Verdict {
        let rules = Rules::default().persons;
        judge(
            &rules,
            &Standing {
                status,
                decision,
                age_at_capture: age,
            },
        )
    }

    const VERIFIED: Option<VerificationStatus> = Some(VerificationStatus::Verified);

    #[test]
    fn a_verified_adult_marked_with_consent_is_published() {
        let marked = decision(true, Consent::FamilyConsent, false);
        assert_eq!(
            judged(VERIFIED, Some(&marked), Some(40)),
            Verdict::Published
        );
        let public = decision(true, Consent::PublicInterest, false);
        assert_eq!(
            judged(VERIFIED, Some(&public), Some(18)),
            Verdict::Published
        );
    }

    #[test]
    fn withheld_consent_wins_over_every_other_rule() {
        let withheld = decision(true, Consent::Withheld, true);
        let loose = Rules::from_toml(
            "[persons]\nmin_status = \"unverified\"\nrequire_flag = false\nrequire_consent = false",
        )
        .unwrap();
        let standing = Standing {
            status: VERIFIED,
            decision: Some(&withheld),
            age_at_capture: Some(40),
        };
        assert_eq!(
            judge(&loose.persons, &standing),
            Verdict::Withheld(Withheld::ConsentWithheld)
        );
    }

    #[test]
    fn each_missing_condition_withholds_with_its_reason() {
        let marked = decision(true, Consent::FamilyConsent, false);
        let unmarked = decision(false, Consent::FamilyConsent, false);
        let no_consent = decision(true, Consent::Unrecorded, false);
        let corroborated = Some(VerificationStatus::Corroborated);
        let disputed = Some(VerificationStatus::Disputed);
        let not_verified = Verdict::Withheld(Withheld::NotVerified);
        assert_eq!(judged(corroborated, Some(&marked), Some(40)), not_verified);
        assert_eq!(judged(disputed, Some(&marked), Some(40)), not_verified);
        assert_eq!(judged(None, Some(&marked), Some(40)), not_verified);
        assert_eq!(
            judged(VERIFIED, Some(&unmarked), Some(40)),
            Verdict::Withheld(Withheld::NotMarked)
        );
        assert_eq!(
            judged(VERIFIED, None, Some(40)),
            Verdict::Withheld(Withheld::NotMarked)
        );
        assert_eq!(
            judged(VERIFIED, Some(&no_consent), Some(40)),
            Verdict::Withheld(Withheld::NoConsent)
        );
        let mut rules = Rules::default().persons;
        rules.min_status = MinStatus::Corroborated;
        let standing = Standing {
            status: corroborated,
            decision: Some(&marked),
            age_at_capture: Some(40),
        };
        assert_eq!(judge(&rules, &standing), Verdict::Published);
    }

    #[test]
    fn a_minor_or_a_person_of_unknown_age_keeps_name_and_photo_unless_allowed() {
        let marked = decision(true, Consent::FamilyConsent, false);
        let allowed = decision(true, Consent::FamilyConsent, true);
        let anonymous = Verdict::PublishedWithoutIdentity;
        assert_eq!(judged(VERIFIED, Some(&marked), Some(17)), anonymous);
        assert_eq!(judged(VERIFIED, Some(&marked), None), anonymous);
        assert_eq!(
            judged(VERIFIED, Some(&allowed), Some(15)),
            Verdict::Published
        );
    }
}
