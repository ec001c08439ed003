//! The [`AnnotationCatalog`] and [`PublicationCatalog`] contracts, run on every backend:
//! tags, notes and stars, publication decisions and the secret read back the same on
//! SQLite and PostgreSQL.

mod common;

use chrono::{TimeZone, Utc};
use common::{TestCatalog, assert_backends_agree, line, run_on_every_backend};
use trove_model::{Consent, PublicationDecision, Review, ReviewDecision, SubjectKind};
use trove_store::{Annotation, StoreError, XrefBatch};

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 11, minute, 0).unwrap()
}

/// Every read of both facets over the same writes, as text.
fn reads(backend: &TestCatalog) -> Vec<String> {
    let (notes, publication) = (backend.annotations(), backend.publication());
    let mut out = Vec::new();
    let mut say = |what: &str, value: String| out.push(format!("{what}: {value}"));
    let annotate = |kind, subject: &str, change: Annotation, by: &str, minute| {
        notes
            .annotate_then(kind, subject, &change, by, at(minute), &mut || Ok(()))
            .unwrap()
    };
    let person = SubjectKind::Person;
    annotate(person, "pA", Annotation::Tag("follow-up".into()), "ana", 1);
    annotate(person, "pA", Annotation::Tag("follow-up".into()), "bo", 2);
    annotate(person, "pA", Annotation::Tag("Kashgar".into()), "ana", 3);
    annotate(person, "pB", Annotation::Tag("follow-up".into()), "ana", 4);
    annotate(
        SubjectKind::Document,
        "d1",
        Annotation::Tag("speech".into()),
        "ana",
        5,
    );
    annotate(person, "pB", Annotation::Untag("follow-up".into()), "bo", 6);
    annotate(
        person,
        "pA",
        Annotation::Note("the sister wrote in 2019".into()),
        "ana",
        7,
    );
    annotate(
        person,
        "pA",
        Annotation::Note("a second letter".into()),
        "bo",
        8,
    );
    annotate(person, "pA", Annotation::Star, "ana", 9);
    annotate(person, "pA", Annotation::Star, "ana", 10);
    annotate(person, "pB", Annotation::Star, "ana", 11);
    annotate(person, "pB", Annotation::Unstar, "ana", 12);
    let refused = notes.annotate_then(
        person,
        "pC",
        &Annotation::Note("never kept".into()),
        "ana",
        at(13),
        &mut || Err(StoreError::NotRecorded("audit refused".into())),
    );
    say("refused", format!("{}", refused.is_err()));

    say(
        "tags of pA",
        format!("{:?}", notes.tags_of(person, "pA").unwrap()),
    );
    say(
        "tags of pB",
        format!("{:?}", notes.tags_of(person, "pB").unwrap()),
    );
    say(
        "notes of pA",
        format!("{:?}", notes.notes_of(person, "pA").unwrap()),
    );
    say(
        "notes of pC",
        format!("{:?}", notes.notes_of(person, "pC").unwrap()),
    );
    say(
        "starred",
        format!(
            "{:?}",
            [
                notes.starred("ana", person, "pA").unwrap(),
                notes.starred("ana", person, "pB").unwrap(),
                notes.starred("bo", person, "pA").unwrap(),
            ]
        ),
    );
    say(
        "tagged",
        format!("{:?}", notes.tagged("follow-up", person).unwrap()),
    );
    say("tag counts", format!("{:?}", notes.tag_counts().unwrap()));

    // Activity gathers reviews and verifications too.
    backend
        .lists()
        .import_list(
            &trove_model::ListInfo {
                name: "l".into(),
                file_name: "l.csv".into(),
                blake3: "00".into(),
                entries: 0,
            },
            &[],
        )
        .unwrap();
    backend
        .lists()
        .save_xref(
            "l",
            &XrefBatch {
                candidates: vec![trove_model::MatchCandidate {
                    list: "l".into(),
                    row: 4,
                    person: "pA".into(),
                    score: 0.8,
                    fields: vec![],
                    review: Review::Unreviewed,
                }],
                ..XrefBatch::default()
            },
        )
        .unwrap();
    backend
        .review()
        .record_review(&ReviewDecision {
            list: "l".into(),
            row: 4,
            person: "pA".into(),
            review: Review::Accepted,
            note: String::new(),
            by: "bo".into(),
            at: at(14),
        })
        .unwrap();
    say(
        "activity",
        format!("{:?}", notes.recent_activity(3).unwrap()),
    );

    let decide = |person: &str, publish, consent, minute| PublicationDecision {
        person: person.to_owned(),
        publish,
        consent,
        minor_allowed: false,
        note: format!("minute {minute}"),
        by: "editor".to_owned(),
        at: at(minute),
    };
    publication
        .record_publication_then(
            &decide("pA", false, Consent::Unrecorded, 20),
            &mut || Ok(()),
        )
        .unwrap();
    publication
        .record_publication_then(&decide("pA", true, Consent::FamilyConsent, 21), &mut || {
            Ok(())
        })
        .unwrap();
    publication
        .record_publication_then(&decide("pB", false, Consent::Withheld, 22), &mut || Ok(()))
        .unwrap();
    say(
        "history of pA",
        format!("{:?}", publication.publication_history("pA").unwrap()),
    );
    let mut current: Vec<String> = publication
        .publication_decisions()
        .unwrap()
        .into_iter()
        .map(|(person, decision)| format!("{person} {} {:?}", decision.publish, decision.consent))
        .collect();
    current.sort();
    say("current", format!("{current:?}"));
    let secret = publication.publication_secret().unwrap();
    say(
        "secret is stable",
        format!("{}", publication.publication_secret().unwrap() == secret),
    );
    say("secret is no constant", format!("{}", secret != [0; 32]));
    out
}

#[test]
fn annotations_and_publication_read_the_same_on_every_backend() {
    let runs = run_on_every_backend(reads);
    // The reads say what they should, so that agreeing on nothing cannot pass.
    let find = |what: &str| line(&runs, what);
    assert!(find("refused").ends_with("true"));
    assert!(
        find("tags of pA").contains("[\"Kashgar\", \"follow-up\"]"),
        "{}",
        find("tags of pA")
    );
    assert!(find("tags of pB").ends_with("[]"));
    assert!(find("notes of pA").contains("a second letter"));
    assert!(
        find("notes of pC").ends_with("[]"),
        "a refused note is not kept"
    );
    assert!(find("starred").contains("[true, false, false]"));
    assert!(find("activity").contains("review"), "{}", find("activity"));
    assert!(find("current").contains("pA true FamilyConsent"));
    assert!(find("secret is stable").ends_with("true"));
    assert!(find("secret is no constant").ends_with("true"));
    assert_backends_agree(&runs);
}
