//! The [`ListCatalog`] and [`ReviewCatalog`] contracts, run on every backend: a relatives'
//! list imported, cross-referenced and reviewed reads back the same on SQLite and
//! PostgreSQL, and the histories refuse to be rewritten.

mod common;

use chrono::{TimeZone, Utc};
use common::{TestCatalog, assert_backends_agree, line, run_on_every_backend};
use trove_model::{
    FieldScore, FindingDecision, FindingReview, ListEntry, ListInfo, MatchCandidate, Review,
    ReviewDecision, SubjectKind, Verification, VerificationStatus,
};
use trove_store::{CandidateFilter, StoreError, XrefBatch};

const LIST: &str = "relatives-2022";

fn entry(row: u32, name: &str) -> ListEntry {
    ListEntry {
        row,
        name: name.to_owned(),
        birth_date: None,
        birth_year: Some(1980),
        sex: None,
        place: Some("Kashgar".to_owned()),
        extra: Vec::new(),
        raw: Vec::new(),
    }
}

fn info(entries: u32) -> ListInfo {
    ListInfo {
        name: LIST.to_owned(),
        file_name: "relatives.csv".to_owned(),
        blake3: "ab".repeat(32),
        entries,
    }
}

fn candidate(row: u32, person: &str, score: f64) -> MatchCandidate {
    MatchCandidate {
        list: LIST.to_owned(),
        row,
        person: person.to_owned(),
        score,
        fields: vec![FieldScore {
            field: "name".to_owned(),
            score: Some(score),
            detail: format!("row {row} against {person}"),
            compared: None,
        }],
        review: Review::Unreviewed,
    }
}

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 10, minute, 0).unwrap()
}

/// Every read of both facets over the same writes, as text.
fn reads(backend: &TestCatalog) -> Vec<String> {
    let (lists, review) = (backend.lists(), backend.review());
    let mut out = Vec::new();
    let mut say = |what: &str, value: String| out.push(format!("{what}: {value}"));

    let entries = vec![
        entry(1, "Abdugheni Tursun"),
        entry(2, "Ablet Qadir"),
        entry(3, "Mehmet"),
    ];
    lists.import_list(&info(3), &entries).unwrap();
    say(
        "info",
        format!(
            "{:?}",
            lists
                .list_info(LIST)
                .unwrap()
                .map(|i| (i.file_name, i.blake3, i.entries))
        ),
    );
    say(
        "no such list",
        format!("{:?}", lists.list_info("other").unwrap()),
    );
    say(
        "entries",
        format!("{:?}", lists.list_entries(LIST).unwrap()),
    );
    say(
        "entry 2",
        format!("{:?}", lists.list_entry(LIST, 2).unwrap()),
    );
    say(
        "entry 9",
        format!("{:?}", lists.list_entry(LIST, 9).unwrap()),
    );

    let batch = XrefBatch {
        candidates: vec![
            candidate(1, "pA", 0.91),
            candidate(2, "pB", 0.55),
            candidate(1, "pC", 0.55),
            candidate(3, "pA", 0.72),
        ],
        scored_rows: vec![1, 2],
        persons: vec!["pA".to_owned(), "pB".to_owned()],
    };
    lists.save_xref(LIST, &batch).unwrap();
    say(
        "xref persons",
        format!("{:?}", sorted(lists.xref_persons(LIST).unwrap())),
    );
    say(
        "scored",
        format!(
            "{:?}",
            lists
                .list_entries(LIST)
                .unwrap()
                .iter()
                .map(|e| e.scored)
                .collect::<Vec<_>>()
        ),
    );
    say(
        "candidates",
        format!("{:?}", lists.match_candidates(LIST).unwrap()),
    );

    let decide = |row, person: &str, review, minute| ReviewDecision {
        list: LIST.to_owned(),
        row,
        person: person.to_owned(),
        review,
        note: format!("minute {minute}"),
        by: "ana".to_owned(),
        at: at(minute),
    };
    review
        .record_review(&decide(1, "pA", Review::Unsure, 1))
        .unwrap();
    review
        .record_review(&decide(1, "pA", Review::Accepted, 2))
        .unwrap();
    review
        .record_review(&decide(2, "pB", Review::Rejected, 3))
        .unwrap();
    say(
        "review of a missing pair",
        format!(
            "{:?}",
            review
                .record_review(&decide(9, "pZ", Review::Accepted, 4))
                .map_err(|e| e.to_string())
        ),
    );
    say(
        "unreviewed is no decision",
        format!(
            "{:?}",
            review
                .record_review(&decide(3, "pA", Review::Unreviewed, 4))
                .is_err()
        ),
    );
    let mut refused = || {
        Err(StoreError::NotRecorded(
            "the audit trail is full".to_owned(),
        ))
    };
    say(
        "audit refused",
        format!(
            "{:?}",
            review
                .record_review_then(&decide(3, "pA", Review::Accepted, 5), &mut refused)
                .is_err()
        ),
    );

    // Saved again (a later xref): candidates keep their review.
    lists
        .save_xref(
            LIST,
            &XrefBatch {
                candidates: vec![candidate(1, "pA", 0.93)],
                ..XrefBatch::default()
            },
        )
        .unwrap();
    say(
        "candidates reviewed",
        format!("{:?}", lists.match_candidates(LIST).unwrap()),
    );
    for filter in [
        CandidateFilter::default(),
        CandidateFilter {
            review: Some(Review::Unreviewed),
            ..CandidateFilter::default()
        },
        CandidateFilter {
            min_score: Some(0.6),
            ..CandidateFilter::default()
        },
        CandidateFilter {
            below_score: Some(0.9),
            min_score: Some(0.5),
            ..CandidateFilter::default()
        },
    ] {
        say(
            &format!("page {filter:?}"),
            format!("{:?}", lists.candidates_page(LIST, &filter, 1, 2).unwrap()),
        );
    }
    say(
        "progress",
        format!("{:?}", review.review_progress().unwrap()),
    );
    say(
        "matches of pA",
        format!("{:?}", review.person_matches("pA").unwrap()),
    );
    say(
        "history",
        format!("{:?}", review.review_history(LIST).unwrap()),
    );
    say(
        "history of 1/pA",
        format!("{:?}", review.candidate_history(LIST, 1, "pA").unwrap()),
    );

    let verify = |subject: &str, status, minute| Verification {
        subject_kind: SubjectKind::Person,
        subject: subject.to_owned(),
        status,
        note: "called the village committee".to_owned(),
        evidence: vec!["https://example.org/report".to_owned()],
        by: "ana".to_owned(),
        at: at(minute),
    };
    review
        .record_verification(&verify("pA", VerificationStatus::Corroborated, 6))
        .unwrap();
    review
        .record_verification(&verify("pA", VerificationStatus::Verified, 7))
        .unwrap();
    review
        .record_verification(&verify("pB", VerificationStatus::Disputed, 8))
        .unwrap();
    say(
        "verifications of pA",
        format!(
            "{:?}",
            review
                .verification_history(SubjectKind::Person, "pA")
                .unwrap()
        ),
    );
    say(
        "statuses",
        format!(
            "{:?}",
            sorted(
                review
                    .current_statuses(SubjectKind::Person)
                    .unwrap()
                    .into_iter()
                    .map(|(subject, status)| format!("{subject} {status:?}"))
            )
        ),
    );
    say(
        "document statuses",
        format!(
            "{:?}",
            review.current_statuses(SubjectKind::Document).unwrap()
        ),
    );
    review
        .record_finding_review_then(
            &FindingDecision {
                finding: "id-checksum:row-7".to_owned(),
                review: FindingReview::Explained,
                note: "a typo in the register".to_owned(),
                by: "ana".to_owned(),
                at: at(9),
            },
            &mut || Ok(()),
        )
        .unwrap();
    say(
        "finding reviews",
        format!("{:?}", review.finding_reviews().unwrap()),
    );

    // Imported again: entries, candidates and xref state start over; decisions stay.
    lists.import_list(&info(1), &entries[..1]).unwrap();
    say(
        "after reimport",
        format!(
            "{:?} {:?} {:?}",
            lists.list_entries(LIST).unwrap().len(),
            lists.match_candidates(LIST).unwrap(),
            lists.xref_persons(LIST).unwrap()
        ),
    );
    say(
        "history kept",
        format!("{}", review.review_history(LIST).unwrap().len()),
    );
    out
}

fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut items: Vec<T> = items.into_iter().collect();
    items.sort();
    items
}

#[test]
fn lists_and_reviews_read_the_same_on_every_backend() {
    let runs = run_on_every_backend(reads);
    // The reads say what they should, so that agreeing on nothing cannot pass.
    let find = |what: &str| line(&runs, what);
    assert!(
        find("candidates").contains("0.91"),
        "{}",
        find("candidates")
    );
    assert!(find("candidates reviewed").contains("Accepted"));
    assert!(find("candidates reviewed").contains("0.93"));
    assert!(find("review of a missing pair").contains("Err"));
    assert!(find("audit refused").ends_with("true"));
    assert!(
        find("history").matches("ReviewDecision").count() == 3,
        "{}",
        find("history")
    );
    assert!(find("statuses").contains("Verified") && find("statuses").contains("Disputed"));
    assert!(find("history kept").ends_with(": 3"));
    assert_backends_agree(&runs);
}

#[test]
fn decisions_are_history_on_postgres_too() {
    let Some((_catalog, schema)) = common::postgres() else {
        return;
    };
    let mut client = schema.client();
    client
        .batch_execute(
            "INSERT INTO review_decisions (list, row, person, review, by_user, at)
             VALUES ('l', 1, 'p', 'accepted', 'ana', '2026-12-04T10:00:00Z')",
        )
        .unwrap();
    for change in [
        "UPDATE review_decisions SET review = 'rejected'",
        "DELETE FROM review_decisions",
    ] {
        let refused = client.batch_execute(change).unwrap_err();
        let message = refused.as_db_error().map(|e| e.message().to_owned());
        assert!(
            message.as_deref().is_some_and(|m| m.contains("history")),
            "{refused:?}"
        );
    }
}
