//! Failed logins and lock-outs, by the user name tried, kept in the database so that a
//! restart does not reset them. A failure, its audit event and the lock-out it may start
//! are written in one transaction.
//!
//! An attempt is counted **before** its password is weighed ([`AccessDb::claim_login_attempt`],
//! one immediate transaction), as a failure until a success clears it: parallel guesses
//! cannot all pass the lock-out check while the slow password hashes run, so no more
//! than the allowed number is ever weighed.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{AccessDb, AccessError, AuditAction, NewAuditEvent, minute_utc, unix};

/// How many failures in what window lock a name out, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failed logins for one name within `window` that lock it out.
    pub max_failures: u64,
    /// How far back failures count.
    pub window: TimeDelta,
    /// How long a lock-out lasts.
    pub lock_for: TimeDelta,
}

impl LockoutPolicy {
    /// Five failures in fifteen minutes lock a name out for fifteen minutes.
    pub const DEFAULT: LockoutPolicy = LockoutPolicy {
        max_failures: 5,
        window: TimeDelta::minutes(15),
        lock_for: TimeDelta::minutes(15),
    };
}

/// A failed login to record: the name tried and what to keep about it (the client's
/// address, say) in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFailure<'a> {
    /// The user name tried (which need not exist).
    pub name: &'a str,
    /// Why it failed and from where, for the audit event.
    pub detail: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// Whether a login attempt may have its password weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginClaim {
    /// Yes: the attempt is counted, as a failure until a successful login clears it.
    Granted,
    /// No: the name is locked out until then.
    Locked(DateTime<Utc>),
}

impl AccessDb {
    /// Counts a login attempt for `name` before its password is weighed, in one
    /// immediate transaction: refused while the name is locked out, or when the attempts
    /// already counted in the window reach `policy.max_failures`.
    pub fn claim_login_attempt(
        &self,
        name: &str,
        now: DateTime<Utc>,
        policy: LockoutPolicy,
    ) -> Result<LoginClaim, AccessError> {
        let mut connection = self.lock();
        let tx = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let locked: Option<i64> = tx
            .query_row(
                "SELECT locked_until FROM lockouts WHERE user_name = ?1 AND locked_until > ?2",
                params![name, unix(now)],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(until) = locked.and_then(|seconds| DateTime::from_timestamp(seconds, 0)) {
            return Ok(LoginClaim::Locked(until));
        }
        if failures_since(&tx, name, now - policy.window)? >= policy.max_failures {
            return Ok(LoginClaim::Locked(now + policy.lock_for));
        }
        tx.execute(
            "INSERT INTO login_failures (user_name, at) VALUES (?1, ?2)",
            params![name, unix(now)],
        )?;
        tx.commit()?;
        Ok(LoginClaim::Granted)
    }

    /// Records that a claimed attempt failed (the attempt itself was counted by
    /// [`AccessDb::claim_login_attempt`]) with its `login_failed` event; when it is the
    /// last one allowed under `policy`, also the lock-out and its `lockout` event.
    /// Returns the end of the lock-out it started, if any.
    pub fn fail_login(
        &self,
        failure: &LoginFailure<'_>,
        policy: LockoutPolicy,
    ) -> Result<Option<DateTime<Utc>>, AccessError> {
        self.audited(|tx| {
            let now = failure.at;
            let recent = failures_since(tx, failure.name, now - policy.window)?;
            if recent < policy.max_failures {
                let event = NewAuditEvent::new(AuditAction::LoginFailed)
                    .target(failure.name)
                    .detail(failure.detail.clone());
                return Ok((None, event));
            }
            super::audit::append(
                tx,
                NewAuditEvent::new(AuditAction::LoginFailed)
                    .target(failure.name)
                    .detail(failure.detail.clone()),
            )?;
            let until = now + policy.lock_for;
            tx.execute(
                "INSERT INTO lockouts (user_name, locked_until) VALUES (?1, ?2)
                 ON CONFLICT (user_name) DO UPDATE SET locked_until = excluded.locked_until",
                params![failure.name, unix(until)],
            )?;
            let event = NewAuditEvent::new(AuditAction::Lockout)
                .target(failure.name)
                .detail(format!(
                    "{} failed logins within {} minutes; refused until {}",
                    policy.max_failures,
                    policy.window.num_minutes(),
                    minute_utc(until)
                ));
            Ok((Some(until), event))
        })
    }

    /// How many logins for `user_name` failed at or after `since`.
    pub fn login_failures_since(
        &self,
        user_name: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, AccessError> {
        failures_since(&self.lock(), user_name, since)
    }

    /// Until when logins for `user_name` are refused, if they are at `now`.
    pub fn locked_until(
        &self,
        user_name: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, AccessError> {
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
}

fn failures_since(
    connection: &Connection,
    user_name: &str,
    since: DateTime<Utc>,
) -> Result<u64, AccessError> {
    let count: i64 = connection.query_row(
        "SELECT COUNT(*) FROM login_failures WHERE user_name = ?1 AND at >= ?2",
        params![user_name, unix(since)],
        |row| row.get(0),
    )?;
    Ok(count as u64)
}

/// Forgets `user_name`'s failures and lock-out (after a successful login).
pub(crate) fn clear_login_failures(
    connection: &Connection,
    user_name: &str,
) -> Result<(), AccessError> {
    connection.execute(
        "DELETE FROM login_failures WHERE user_name = ?1",
        [user_name],
    )?;
    connection.execute("DELETE FROM lockouts WHERE user_name = ?1", [user_name])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuditFilter;

    fn failure(name: &str, at: DateTime<Utc>) -> LoginFailure<'_> {
        LoginFailure {
            name,
            detail: "wrong user name or password, from 192.0.2.7".into(),
            at,
        }
    }

    #[test]
    fn failures_are_counted_in_their_window_and_cleared_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let policy = LockoutPolicy::DEFAULT;
        for minute in [0, 5, 10] {
            let at = start + TimeDelta::minutes(minute);
            assert_eq!(
                db.claim_login_attempt("amina", at, policy).unwrap(),
                LoginClaim::Granted
            );
            db.fail_login(&failure("amina", at), policy).unwrap();
        }
        let now = start + TimeDelta::minutes(16);
        assert_eq!(
            db.login_failures_since("amina", now - TimeDelta::minutes(15))
                .unwrap(),
            2
        );
        clear_login_failures(&db.lock(), "amina").unwrap();
        assert_eq!(db.login_failures_since("amina", start).unwrap(), 0);
        assert!(db.locked_until("amina", now).unwrap().is_none());
    }

    #[test]
    fn the_fifth_failure_in_the_window_locks_the_name_out_and_is_audited() {
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        let now = Utc::now();
        let policy = LockoutPolicy::DEFAULT;
        for _ in 1..policy.max_failures {
            db.claim_login_attempt("amina", now, policy).unwrap();
            assert_eq!(db.fail_login(&failure("amina", now), policy).unwrap(), None);
        }
        db.claim_login_attempt("amina", now, policy).unwrap();
        let until = db
            .fail_login(&failure("amina", now), policy)
            .unwrap()
            .unwrap();
        assert_eq!(until, now + policy.lock_for);
        assert!(db.locked_until("amina", now).unwrap().is_some());
        assert!(db.locked_until("bob", now).unwrap().is_none());
        assert!(
            db.locked_until("amina", now + policy.lock_for)
                .unwrap()
                .is_none()
        );
        let count = |action: AuditAction| {
            let filter = AuditFilter {
                action: Some(action.code().into()),
                ..AuditFilter::default()
            };
            db.audit_count(&filter).unwrap()
        };
        assert_eq!(count(AuditAction::LoginFailed), policy.max_failures);
        assert_eq!(count(AuditAction::Lockout), 1);
    }

    #[test]
    fn parallel_guesses_beyond_the_allowance_are_never_weighed() {
        let dir = tempfile::tempdir().unwrap();
        let db = std::sync::Arc::new(AccessDb::open_in(dir.path()).unwrap());
        let now = Utc::now();
        let policy = LockoutPolicy::DEFAULT;
        // Far more parallel attempts than cores, all released at once.
        let start = std::sync::Arc::new(std::sync::Barrier::new(20));
        let claims: Vec<LoginClaim> = (0..20)
            .map(|_| {
                let (db, start) = (db.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    db.claim_login_attempt("amina", now, policy).unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|thread| thread.join().unwrap())
            .collect();
        let weighed = claims.iter().filter(|c| **c == LoginClaim::Granted).count();
        assert_eq!(weighed as u64, policy.max_failures);
    }
}
