//! Failed logins and lock-outs, by the user name tried. The policy (how many
//! failures in what window lock a name out for how long) is the web server's;
//! this keeps the facts, so that a restart does not reset them.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{AccessDb, unix};
use crate::StoreError;

impl AccessDb {
    /// Records a failed login for `user_name` (which need not exist).
    pub fn record_login_failure(
        &self,
        user_name: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO login_failures (user_name, at) VALUES (?1, ?2)",
            params![user_name, unix(now)],
        )?;
        Ok(())
    }

    /// How many logins for `user_name` failed at or after `since`.
    pub fn login_failures_since(
        &self,
        user_name: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let count: i64 = self.lock().query_row(
            "SELECT COUNT(*) FROM login_failures WHERE user_name = ?1 AND at >= ?2",
            params![user_name, unix(since)],
            |row| row.get(0),
        )?;
        Ok(count as u64)
    }

    /// Refuses logins for `user_name` until `until`.
    pub fn lock_out(&self, user_name: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO lockouts (user_name, locked_until) VALUES (?1, ?2)
             ON CONFLICT (user_name) DO UPDATE SET locked_until = excluded.locked_until",
            params![user_name, unix(until)],
        )?;
        Ok(())
    }

    /// Until when logins for `user_name` are refused, if they are at `now`.
    pub fn locked_until(
        &self,
        user_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let until: Option<i64> = self
            .lock()
            .query_row(
                "SELECT locked_until FROM lockouts WHERE user_name = ?1 AND locked_until > ?2",
                params![user_name, unix(now)],
                |row| row.get(0),
            )
            .optional()?;
        Ok(until.and_then(|seconds| DateTime::from_timestamp(seconds, 0)))
    }

    /// Forgets `user_name`'s failures and lock-out (after a successful login).
    pub fn clear_login_failures(&self, user_name: &str) -> Result<(), StoreError> {
        let mut connection = self.lock();
        let tx = connection.transaction()?;
        tx.execute(
            "DELETE FROM login_failures WHERE user_name = ?1",
            [user_name],
        )?;
        tx.execute("DELETE FROM lockouts WHERE user_name = ?1", [user_name])?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;

    #[test]
    fn failures_are_counted_in_their_window_and_cleared_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        for minute in [0, 5, 10] {
            db.record_login_failure("amina", start + TimeDelta::minutes(minute))
                .unwrap();
        }
        let now = start + TimeDelta::minutes(16);
        assert_eq!(
            db.login_failures_since("amina", now - TimeDelta::minutes(15))
                .unwrap(),
            2
        );
        db.lock_out("amina", now + TimeDelta::minutes(15)).unwrap();
        assert!(db.locked_until("amina", now).unwrap().is_some());
        assert!(
            db.locked_until("amina", now + TimeDelta::minutes(15))
                .unwrap()
                .is_none()
        );
        db.clear_login_failures("amina").unwrap();
        assert_eq!(db.login_failures_since("amina", start).unwrap(), 0);
        assert!(db.locked_until("amina", now).unwrap().is_none());
    }
}
