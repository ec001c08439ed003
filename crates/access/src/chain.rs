//! The walk of the audit trail's hash chain that finds the first event altered, removed
//! or reordered (each event's hash is made in [`crate::event_hash`]). The chain proves order and
//! completeness up to its newest event: removing events from the end leaves a
//! valid shorter chain, which is why `trove verify` prints the head hash to
//! keep elsewhere.

use std::collections::HashSet;

use trove_model::AuditEvent;

use super::audit::{EVENT_COLUMNS, event_from_row};
use super::event_hash::{FIRST_PREV_HASH, event_hash};
use super::{AccessDb, AccessError};

/// What a walk of the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// Events checked and found sound before the first problem (all of them if none).
    pub checked: u64,
    /// Where the chain first breaks; `None` when every event is sound.
    pub first_problem: Option<ChainProblem>,
    /// The newest event's hash: kept somewhere else, it also reveals events
    /// later removed from the end.
    pub head_hash: Option<String>,
}

/// The first event whose place in the chain is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    /// Sequence number of the event at fault.
    pub seq: u64,
    /// Whether the event was altered, removed or moved.
    pub kind: ProblemKind,
    /// A sentence for the reader, naming the event and what does not hold.
    pub message: String,
}

/// How the chain was broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The event's fields or hash were changed.
    Altered,
    /// The event is gone.
    Removed,
    /// The event is not where its sequence number puts it.
    Reordered,
}

impl ProblemKind {
    /// The word shown in reports and the audit page.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Altered => "altered",
            ProblemKind::Removed => "removed",
            ProblemKind::Reordered => "reordered",
        }
    }
}

impl AccessDb {
    /// Walks the audit trail in the order it was written (rowid), recomputing
    /// every hash and checking every link and sequence number; stops at the
    /// first problem.
    pub fn verify_audit_chain(&self) -> Result<ChainReport, AccessError> {
        self.unlocked(|db| {
            let present: HashSet<u64> = db
                .all("SELECT seq FROM audit_events", &[], |row| row.get(0))?
                .into_iter()
                .collect();
            let mut walk = ChainWalk::new(present);
            let mut first_problem = None;
            db.each(
                &format!("SELECT {EVENT_COLUMNS} FROM audit_events ORDER BY rowid"),
                &[],
                &mut |row| {
                    first_problem = walk.step(&event_from_row(&row)?);
                    Ok(first_problem.is_none())
                },
            )?;
            Ok(walk.report(first_problem))
        })
    }
}

/// The state of a walk: what the next event must look like.
struct ChainWalk {
    present: HashSet<u64>,
    expected_seq: u64,
    prev_hash: String,
    checked: u64,
}

impl ChainWalk {
    fn new(present: HashSet<u64>) -> Self {
        ChainWalk {
            present,
            expected_seq: 1,
            prev_hash: FIRST_PREV_HASH.to_string(),
            checked: 0,
        }
    }

    fn step(&mut self, event: &AuditEvent) -> Option<ChainProblem> {
        let expected = self.expected_seq;
        if event.seq != expected {
            return Some(if self.present.contains(&expected) {
                problem(
                    expected,
                    ProblemKind::Reordered,
                    format!(
                        "event {expected} was moved: event {} stands where it should be",
                        event.seq
                    ),
                )
            } else if event.seq > expected {
                problem(
                    expected,
                    ProblemKind::Removed,
                    format!(
                        "event {expected} is missing: the trail goes from event {} to event {}",
                        expected - 1,
                        event.seq
                    ),
                )
            } else {
                problem(
                    event.seq,
                    ProblemKind::Reordered,
                    format!(
                        "event {} appears again after event {}",
                        event.seq,
                        expected - 1
                    ),
                )
            });
        }
        if event_hash(event) != event.hash {
            return Some(problem(
                event.seq,
                ProblemKind::Altered,
                format!(
                    "event {} no longer matches its hash: its fields were changed",
                    event.seq
                ),
            ));
        }
        if event.prev_hash != self.prev_hash {
            return Some(if event.seq == 1 {
                problem(
                    1,
                    ProblemKind::Altered,
                    "event 1 does not start the chain".into(),
                )
            } else {
                problem(
                    event.seq - 1,
                    ProblemKind::Altered,
                    format!(
                        "event {} was altered and rehashed: event {} committed to another hash",
                        event.seq - 1,
                        event.seq
                    ),
                )
            });
        }
        self.prev_hash = event.hash.clone();
        self.expected_seq += 1;
        self.checked += 1;
        None
    }

    fn report(self, first_problem: Option<ChainProblem>) -> ChainReport {
        ChainReport {
            checked: self.checked,
            head_hash: (self.checked > 0 && first_problem.is_none()).then_some(self.prev_hash),
            first_problem,
        }
    }
}

fn problem(seq: u64, kind: ProblemKind, message: String) -> ChainProblem {
    ChainProblem { seq, kind, message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{TestDb, backends};
    use crate::{AuditAction, NewAuditEvent};

    /// On each backend: a trail of six events, its append-only guards lifted, as an
    /// attacker holding the database could.
    fn trails() -> Vec<TestDb> {
        let all = backends();
        for test in &all {
            for user in ["amina", "bob", "chen", "dilnur", "erkin", "fatima"] {
                test.db
                    .append_audit(
                        NewAuditEvent::new(AuditAction::Login)
                            .actor(user)
                            .detail("from 10.0.0.1"),
                    )
                    .unwrap();
            }
            test.unguard_trail();
        }
        all
    }

    fn first_problem(test: &TestDb) -> (u64, ProblemKind) {
        let problem = test
            .db
            .verify_audit_chain()
            .unwrap()
            .first_problem
            .unwrap_or_else(|| panic!("a problem on {}", test.backend()));
        (problem.seq, problem.kind)
    }

    #[test]
    fn an_intact_trail_verifies_with_its_head_hash() {
        for test in trails() {
            let report = test.db.verify_audit_chain().unwrap();
            assert_eq!(report.checked, 6, "{}", test.backend());
            assert_eq!(report.first_problem, None);
            let newest = &test.db.audit_events(&Default::default(), 0, 1).unwrap()[0];
            assert_eq!(report.head_hash.as_deref(), Some(newest.hash.as_str()));
        }
    }

    #[test]
    fn an_empty_trail_is_intact() {
        for test in backends() {
            let report = test.db.verify_audit_chain().unwrap();
            assert_eq!((report.checked, report.first_problem), (0, None));
        }
    }

    #[test]
    fn a_changed_field_names_that_event_as_altered() {
        for test in trails() {
            test.behind_its_back("UPDATE audit_events SET actor = 'mallory' WHERE seq = 3")
                .unwrap();
            assert_eq!(first_problem(&test), (3, ProblemKind::Altered));
        }
    }

    #[test]
    fn a_changed_and_rehashed_event_is_caught_by_the_next_link() {
        for test in trails() {
            let mut event = test
                .db
                .audit_events(&Default::default(), 3, 1)
                .unwrap()
                .remove(0);
            assert_eq!(event.seq, 3);
            event.detail = "from 192.0.2.9".into();
            test.behind_its_back(&format!(
                "UPDATE audit_events SET detail = '{}', hash = '{}' WHERE seq = 3",
                event.detail,
                event_hash(&event)
            ))
            .unwrap();
            assert_eq!(first_problem(&test), (3, ProblemKind::Altered));
        }
    }

    #[test]
    fn a_deleted_event_is_named_as_removed() {
        for test in trails() {
            test.behind_its_back("DELETE FROM audit_events WHERE seq = 4")
                .unwrap();
            assert_eq!(first_problem(&test), (4, ProblemKind::Removed));
            test.behind_its_back("DELETE FROM audit_events WHERE seq = 1")
                .unwrap();
            assert_eq!(first_problem(&test), (1, ProblemKind::Removed));
        }
    }

    #[test]
    fn swapped_events_name_the_first_one_out_of_place_as_reordered() {
        for test in trails() {
            // Event 4 written before event 3: the rows trade places in the file.
            test.behind_its_back(
                "UPDATE audit_events SET rowid = -1 WHERE seq = 3;
                 UPDATE audit_events SET rowid = 3 WHERE seq = 4;
                 UPDATE audit_events SET rowid = 4 WHERE rowid = -1;",
            )
            .unwrap();
            let report = test.db.verify_audit_chain().unwrap();
            assert_eq!(report.checked, 2, "{}", test.backend());
            let problem = report.first_problem.unwrap();
            assert_eq!((problem.seq, problem.kind), (3, ProblemKind::Reordered));
            assert!(
                problem.message.contains("event 4 stands where"),
                "{}",
                problem.message
            );
        }
    }

    #[test]
    fn swapped_sequence_numbers_are_named_as_reordered() {
        for test in trails() {
            test.behind_its_back(
                "UPDATE audit_events SET seq = -2 WHERE seq = 2;
                 UPDATE audit_events SET seq = 2 WHERE seq = 5;
                 UPDATE audit_events SET seq = 5 WHERE seq = -2;",
            )
            .unwrap();
            assert_eq!(first_problem(&test), (2, ProblemKind::Reordered));
        }
    }

    #[test]
    fn the_encoding_keeps_fields_apart() {
        let event = |actor: Option<&str>, target: Option<&str>| AuditEvent {
            seq: 1,
            at: "2026-11-23T10:00:00.000000Z".into(),
            actor: actor.map(str::to_string),
            action: "login".into(),
            case: None,
            target: target.map(str::to_string),
            detail: String::new(),
            prev_hash: FIRST_PREV_HASH.into(),
            hash: String::new(),
        };
        assert_ne!(
            event_hash(&event(Some("ab"), None)),
            event_hash(&event(None, Some("ab")))
        );
        assert_ne!(
            event_hash(&event(Some(""), None)),
            event_hash(&event(None, None))
        );
    }
}
