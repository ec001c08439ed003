//! Appending to the audit trail and reading it back, filtered and paged.

use chrono::Utc;
use rusqlite::{OptionalExtension, TransactionBehavior, params_from_iter, types::Value};
use trove_model::AuditEvent;

use super::chain::{FIRST_PREV_HASH, event_hash};
use super::{AccessDb, rfc3339};
use crate::StoreError;

/// An event to append; the trail gives it its sequence number, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAuditEvent {
    pub actor: Option<String>,
    pub action: String,
    pub case: Option<String>,
    pub target: Option<String>,
    pub detail: String,
}

impl NewAuditEvent {
    /// An event of `action` (a snake_case word such as `login_failed`).
    pub fn new(action: &str) -> Self {
        NewAuditEvent {
            action: action.to_string(),
            ..Self::default()
        }
    }

    /// Who did it.
    pub fn actor(mut self, actor: &str) -> Self {
        self.actor = Some(actor.to_string());
        self
    }

    /// In which case.
    pub fn case(mut self, case: &str) -> Self {
        self.case = Some(case.to_string());
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
    pub actor: Option<String>,
    pub action: Option<String>,
    pub case: Option<String>,
    pub since: Option<String>,
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
    /// Appends an event to the audit trail and returns it as stored. The read
    /// of the last hash and the insert are one immediate transaction, so
    /// appends from several threads or processes form one chain.
    pub fn append_audit(&self, event: NewAuditEvent) -> Result<AuditEvent, StoreError> {
        let mut connection = self.lock();
        let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq as u64 + 1, hash),
            None => (1, FIRST_PREV_HASH.to_string()),
        };
        let mut stored = AuditEvent {
            seq,
            at: rfc3339(Utc::now()),
            actor: event.actor,
            action: event.action,
            case: event.case,
            target: event.target,
            detail: event.detail,
            prev_hash,
            hash: String::new(),
        };
        stored.hash = event_hash(&stored);
        tx.execute(
            "INSERT INTO audit_events
                 (seq, at, actor, action, case_name, target, detail, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params![
                stored.seq as i64,
                stored.at,
                stored.actor,
                stored.action,
                stored.case,
                stored.target,
                stored.detail,
                stored.prev_hash,
                stored.hash
            ],
        )?;
        tx.commit()?;
        Ok(stored)
    }

    /// Events matching `filter`, newest first, skipping `offset` and returning at most `limit`.
    pub fn audit_events(
        &self,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let (clause, mut values) = filter.clause();
        values.push(Value::Integer(limit.min(i64::MAX as u64) as i64));
        values.push(Value::Integer(offset.min(i64::MAX as u64) as i64));
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events {clause} ORDER BY seq DESC LIMIT ? OFFSET ?"
        );
        let connection = self.lock();
        let mut statement = connection.prepare(&sql)?;
        let events = statement
            .query_map(params_from_iter(values), event_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(events)
    }

    /// How many events match `filter`.
    pub fn audit_count(&self, filter: &AuditFilter) -> Result<u64, StoreError> {
        let (clause, values) = filter.clause();
        let count: i64 = self.lock().query_row(
            &format!("SELECT COUNT(*) FROM audit_events {clause}"),
            params_from_iter(values),
            |row| row.get(0),
        )?;
        Ok(count as u64)
    }
}

/// The columns [`event_from_row`] reads, in its order.
pub(super) const EVENT_COLUMNS: &str =
    "seq, at, actor, action, case_name, target, detail, prev_hash, hash";

pub(super) fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    Ok(AuditEvent {
        seq: row.get::<_, i64>(0)? as u64,
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
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        db.append_audit(NewAuditEvent::new("login").actor("amina"))
            .unwrap();
        db.append_audit(NewAuditEvent::new("login_failed").target("bob"))
            .unwrap();
        db.append_audit(NewAuditEvent::new("login").actor("bob").case("demo"))
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

    #[test]
    fn the_trail_refuses_updates_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        db.append_audit(NewAuditEvent::new("login").actor("amina"))
            .unwrap();
        let connection = db.lock();
        let update = connection.execute("UPDATE audit_events SET actor = 'mallory'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = connection.execute("DELETE FROM audit_events", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }
}
