//! Appending to the audit trail and reading it back, filtered and paged.

use chrono::Utc;
use trove_model::AuditEvent;

use super::event_hash::{FIRST_PREV_HASH, event_hash};
use super::{AccessDb, AccessError, Actor, AuditAction, rfc3339};
use crate::sql::{Row, Sql, Value, params};

/// An event to append; the trail gives it its sequence number, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    action: AuditAction,
    by: Option<Actor>,
    case: Option<String>,
    target: Option<String>,
    detail: String,
}

impl NewAuditEvent {
    /// An event of `action`.
    pub fn new(action: AuditAction) -> Self {
        NewAuditEvent {
            action,
            by: None,
            case: None,
            target: None,
            detail: String::new(),
        }
    }

    /// Done by the logged-in user `name`.
    pub fn actor(self, name: &str) -> Self {
        self.by(&Actor::user(name))
    }

    /// Done by `actor`: a user is named as the actor; the command line or the demo are
    /// said in the detail.
    pub fn by(mut self, actor: &Actor) -> Self {
        self.by = Some(actor.clone());
        self
    }

    /// In which case.
    pub fn case(mut self, case: &str) -> Self {
        self.case = Some(case.to_string());
        self
    }

    /// In `case`, if there is one.
    pub fn maybe_case(mut self, case: Option<&str>) -> Self {
        self.case = case.map(str::to_owned);
        self
    }

    /// To whom or what.
    pub fn target(mut self, target: &str) -> Self {
        self.target = Some(target.to_string());
        self
    }

    /// Anything else worth keeping, as text.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }
}

/// Which events to list; every field that is set must match. `since` and
/// `until` are RFC 3339 times or dates (`2026-11-23`), compared as text
/// (events are stored in UTC, so this is their order): `since` inclusive,
/// `until` exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// The user who acted, by name.
    pub actor: Option<String>,
    /// An [`crate::AuditAction`] code, such as `login`.
    pub action: Option<String>,
    /// The case the event concerns.
    pub case: Option<String>,
    /// Earliest time, inclusive.
    pub since: Option<String>,
    /// Latest time, exclusive.
    pub until: Option<String>,
}

impl AuditFilter {
    /// The WHERE clause and its values.
    fn clause(&self) -> (String, Vec<Value>) {
        let conditions = [
            ("actor = ?", &self.actor),
            ("action = ?", &self.action),
            ("case_name = ?", &self.case),
            ("at >= ?", &self.since),
            ("at < ?", &self.until),
        ];
        let mut sql = Vec::new();
        let mut values = Vec::new();
        for (condition, value) in conditions {
            if let Some(value) = value {
                sql.push(condition);
                values.push(Value::Text(value.clone()));
            }
        }
        if sql.is_empty() {
            (String::new(), values)
        } else {
            (format!("WHERE {}", sql.join(" AND ")), values)
        }
    }
}

impl AccessDb {
    /// Appends an event that records no change of its own (a page read, a download, a
    /// change in a case's catalog that the caller commits after this) and returns it as
    /// stored. Changes to accounts go through the operations, which audit themselves.
    pub fn append_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, AccessError> {
        self.write(|tx| append(tx, event))
    }

    /// Events matching `filter`, newest first, skipping `offset` and returning at most `limit`.
    pub fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<AuditEvent>, AccessError> {
        let (clause, mut values) = filter.clause();
        values.push(Value::Integer(limit.min(i64::MAX as u64) as i64));
        values.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events {clause} ORDER BY seq DESC LIMIT ? OFFSET ?"
        );
        self.unlocked(|db| db.all(&sql, &values, event_from_row))
    }

    /// How many events match `filter`.
    pub fn audit_count(&self, filter: &AuditFilter) -> Result<u64, AccessError> {
        let (clause, values) = filter.clause();
        self.unlocked(|db| {
            db.value(
                &format!("SELECT COUNT(*) FROM audit_events {clause}"),
                &values,
            )
        })
    }
}

/// How many events of chosen actions one user made in one hour (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HourlyActivity {
    /// The user, by name.
    pub actor: String,
    /// The hour as the trail writes its start: `2026-12-04T03`.
    pub hour: String,
    /// How many events.
    pub events: u64,
}

impl AccessDb {
    /// The events of `actions` made by users at or after `since` (RFC 3339), counted per
    /// user and hour, by user then hour.
    pub fn hourly_activity(
        &self,
        actions: &[AuditAction],
        since: &str,
    ) -> Result<Vec<HourlyActivity>, AccessError> {
        if actions.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = vec![Value::Text(since.to_owned())];
        values.extend(
            actions
                .iter()
                .map(|action| Value::Text(action.code().to_owned())),
        );
        let placeholders = vec!["?"; actions.len()].join(", ");
        let sql = format!(
            "SELECT actor, substr(at, 1, 13) AS hour, COUNT(*) FROM audit_events
             WHERE at >= ? AND actor IS NOT NULL AND action IN ({placeholders})
             GROUP BY actor, hour ORDER BY actor, hour"
        );
        self.unlocked(|db| {
            db.all(&sql, &values, |row| {
                Ok(HourlyActivity {
                    actor: row.get(0)?,
                    hour: row.get(1)?,
                    events: row.get(2)?,
                })
            })
        })
    }
}

/// Appends `event` inside the caller's transaction, which must hold the write lock from
/// its start ([`AccessDb::write`]), so that appends from several threads or processes
/// read the same last hash and form one chain.
pub(crate) fn append(db: &mut dyn Sql, event: NewAuditEvent) -> Result<AuditEvent, AccessError> {
    let (seq, prev_hash) = match head(db)? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, FIRST_PREV_HASH.to_string()),
    };
    let (actor, detail) = match &event.by {
        Some(by) => (by.name().map(str::to_owned), by.describe(event.detail)),
        None => (None, event.detail),
    };
    let mut stored = AuditEvent {
        seq,
        at: rfc3339(Utc::now()),
        actor,
        action: event.action.code().to_owned(),
        case: event.case,
        target: event.target,
        detail,
        prev_hash,
        hash: String::new(),
    };
    stored.hash = event_hash(&stored);
    db.execute(
        "INSERT INTO audit_events
             (seq, at, actor, action, case_name, target, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            seq_value(stored.seq)?,
            &stored.at,
            &stored.actor,
            &stored.action,
            &stored.case,
            &stored.target,
            &stored.detail,
            &stored.prev_hash,
            &stored.hash
        ],
    )?;
    Ok(stored)
}

/// The newest event's sequence number and hash; `None` for an empty trail.
pub(crate) fn head(db: &mut dyn Sql) -> Result<Option<(u64, String)>, AccessError> {
    db.first(
        "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
        &[],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// A sequence number as stored (a signed 64-bit integer in both backends).
pub(crate) fn seq_value(seq: u64) -> Result<i64, AccessError> {
    i64::try_from(seq).map_err(|_| AccessError::Corrupt(format!("sequence number {seq}")))
}

/// The columns [`event_from_row`] reads, in its order.
pub(super) const EVENT_COLUMNS: &str =
    "seq, at, actor, action, case_name, target, detail, prev_hash, hash";

pub(super) fn event_from_row(row: &Row) -> Result<AuditEvent, AccessError> {
    Ok(AuditEvent {
        // Read as stored: a sequence number tampered to a negative one is for the chain
        // check to name, not for reading to refuse.
        seq: row.get::<i64>(0)? as u64,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        case: row.get(4)?,
        target: row.get(5)?,
        detail: row.get(6)?,
        prev_hash: row.get(7)?,
        hash: row.get(8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_listed_newest_first_and_filtered() {
        for test in crate::testing::backends() {
            let db = &test.db;
            db.append_audit(NewAuditEvent::new(AuditAction::Login).actor("amina"))
                .unwrap();
            db.append_audit(NewAuditEvent::new(AuditAction::LoginFailed).target("bob"))
                .unwrap();
            db.append_audit(
                NewAuditEvent::new(AuditAction::Login)
                    .actor("bob")
                    .case("demo"),
            )
            .unwrap();

            let all = db.audit_events(&AuditFilter::default(), 0, 10).unwrap();
            assert_eq!(all.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 2, 1]);
            let logins = AuditFilter {
                action: Some("login".into()),
                ..AuditFilter::default()
            };
            assert_eq!(db.audit_count(&logins).unwrap(), 2);
            let page = db.audit_events(&logins, 1, 1).unwrap();
            assert_eq!(page[0].actor.as_deref(), Some("amina"));
            let in_demo = AuditFilter {
                case: Some("demo".into()),
                since: Some("2000-01-01".into()),
                ..AuditFilter::default()
            };
            assert_eq!(db.audit_events(&in_demo, 0, 10).unwrap()[0].seq, 3);
        }
    }

    #[test]
    fn the_trail_refuses_updates_and_deletes() {
        for test in crate::testing::backends() {
            let db = &test.db;
            db.append_audit(NewAuditEvent::new(AuditAction::Login).actor("amina"))
                .unwrap();
            for change in [
                "UPDATE audit_events SET actor = 'mallory'",
                "DELETE FROM audit_events",
            ] {
                let refused = db.unlocked(|db| db.execute(change, &[])).unwrap_err();
                assert!(
                    refused.to_string().contains("append-only"),
                    "{refused} on {}",
                    test.backend()
                );
            }
            let emptied = test.behind_its_back("DELETE FROM audit_events");
            assert!(emptied.is_err(), "{}", test.backend());
            if test.backend() == "PostgreSQL" {
                let truncated = test.behind_its_back("TRUNCATE audit_events").unwrap_err();
                assert!(truncated.contains("append-only"), "{truncated}");
            }
        }
    }

    #[test]
    fn activity_is_counted_per_user_and_hour_for_the_chosen_actions_only() {
        for test in crate::testing::backends() {
            let db = &test.db;
            for _ in 0..3 {
                db.append_audit(NewAuditEvent::new(AuditAction::ViewRecord).actor("amina"))
                    .unwrap();
            }
            db.append_audit(NewAuditEvent::new(AuditAction::Search).actor("bob"))
                .unwrap();
            db.append_audit(NewAuditEvent::new(AuditAction::Login).actor("bob"))
                .unwrap();
            db.append_audit(NewAuditEvent::new(AuditAction::ViewRecord))
                .unwrap();
            let reads = [AuditAction::ViewRecord, AuditAction::Search];
            let activity = db.hourly_activity(&reads, "2000-01-01").unwrap();
            let hour = rfc3339(Utc::now())[..13].to_owned();
            let counted: Vec<(&str, u64)> = activity
                .iter()
                .map(|a| (a.actor.as_str(), a.events))
                .collect();
            assert_eq!(counted, [("amina", 3), ("bob", 1)]);
            assert!(activity.iter().all(|a| a.hour == hour), "{activity:?}");
            assert!(db.hourly_activity(&reads, "2999-01-01").unwrap().is_empty());
        }
    }
}
