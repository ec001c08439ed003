//! Failed logins and lock-outs, kept in the database so that a restart does not reset
//! them. A failure, its audit event and the lock-out it may start are written in one
//! transaction.
//!
//! An attempt is counted **before** its password is weighed ([`AccessDb::claim_login_attempt`],
//! one immediate transaction), as a failure until a success clears it: parallel guesses
//! cannot all pass the lock-out check while the slow password hashes run, so no more
//! than the allowed number is ever weighed.
//!
//! Lock-outs are per user name **and** client address: someone guessing an admin's
//! password from one address locks the name out there only, not for its owner
//! elsewhere. Guesses spread over many addresses meet the second limit: once a name has
//! failed [`LockoutPolicy::slow_after`] times in the window from anywhere, it is weighed
//! at most once per [`LockoutPolicy::slow_interval`], whatever the address. The right
//! password still gets in on that slower path; a guesser gets a handful of tries a minute.

use chrono::{DateTime, TimeDelta, Utc};

use super::{AccessDb, AccessError, AuditAction, NewAuditEvent, minute_utc, unix};
use crate::sql::{Sql, params};

/// How many failures in what window lock a name out, for how long, and when a name's
/// attempts are slowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failed logins for one name from one address within `window` that lock the name out
    /// from that address.
    pub max_failures: u64,
    /// How far back failures count.
    pub window: TimeDelta,
    /// How long a lock-out lasts.
    pub lock_for: TimeDelta,
    /// Failed logins for one name from all addresses within `window` from which its
    /// attempts are slowed.
    pub slow_after: u64,
    /// The least time between two attempts for a slowed name.
    pub slow_interval: TimeDelta,
}

impl LockoutPolicy {
    /// Five failures in fifteen minutes lock a name out from that address for fifteen
    /// minutes; twenty from anywhere slow it to one attempt every ten seconds.
    pub const DEFAULT: LockoutPolicy = LockoutPolicy {
        max_failures: 5,
        window: TimeDelta::minutes(15),
        lock_for: TimeDelta::minutes(15),
        slow_after: 20,
        slow_interval: TimeDelta::seconds(10),
    };
}

/// A login attempt: the name tried (which need not exist), from which client address,
/// and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginAttempt<'a> {
    /// The user name tried.
    pub name: &'a str,
    /// The client's address, as the server judged it (see `--trusted-proxy`).
    pub address: &'a str,
    /// When.
    pub at: DateTime<Utc>,
}

/// Whether a login attempt may have its password weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginClaim {
    /// Yes: the attempt is counted, as a failure until a successful login clears it.
    Granted,
    /// No: the name is locked out from this address until then.
    Locked(DateTime<Utc>),
    /// No: the name failed too often from everywhere; its next attempt may come then.
    Slowed(DateTime<Utc>),
}

impl AccessDb {
    /// Counts a login attempt before its password is weighed, in one immediate
    /// transaction: refused while the name is locked out from the address, when the
    /// attempts from there already counted in the window reach `policy.max_failures`, or,
    /// for a slowed name, within `policy.slow_interval` of its last attempt.
    pub fn claim_login_attempt(
        &self,
        attempt: &LoginAttempt<'_>,
        policy: LockoutPolicy,
    ) -> Result<LoginClaim, AccessError> {
        let LoginAttempt { name, address, at } = *attempt;
        self.write(|tx| {
            if let Some(until) = locked_until(tx, name, address, at)? {
                return Ok(LoginClaim::Locked(until));
            }
            let since = at - policy.window;
            if failures_from(tx, name, address, since)? >= policy.max_failures {
                return Ok(LoginClaim::Locked(at + policy.lock_for));
            }
            if failures_since(tx, name, since)? >= policy.slow_after {
                let next = last_attempt(tx, name)?.map(|last| last + policy.slow_interval);
                if let Some(next) = next.filter(|next| *next > at) {
                    return Ok(LoginClaim::Slowed(next));
                }
            }
            tx.execute(
                "INSERT INTO login_failures (user_name, address, at) VALUES (?1, ?2, ?3)",
                params![name, address, unix(at)],
            )?;
            Ok(LoginClaim::Granted)
        })
    }

    /// Records that a claimed attempt failed (the attempt itself was counted by
    /// [`AccessDb::claim_login_attempt`]) with its `login_failed` event, whose detail is
    /// `why`; when it is the last one allowed from its address under `policy`, also the
    /// lock-out and its `lockout` event. Returns the end of the lock-out it started, if any.
    pub fn fail_login(
        &self,
        attempt: &LoginAttempt<'_>,
        why: &str,
        policy: LockoutPolicy,
    ) -> Result<Option<DateTime<Utc>>, AccessError> {
        let LoginAttempt { name, address, at } = *attempt;
        self.audited(|tx| {
            let failed = NewAuditEvent::new(AuditAction::LoginFailed)
                .target(name)
                .detail(format!("{why}, from {address}"));
            let recent = failures_from(tx, name, address, at - policy.window)?;
            // Parallel attempts were all counted before any was weighed: the first of
            // them to fail locks the name out, the others find it locked.
            if recent < policy.max_failures || locked_until(tx, name, address, at)?.is_some() {
                return Ok((None, failed));
            }
            super::audit::append(tx, failed)?;
            let until = at + policy.lock_for;
            tx.execute(
                "INSERT INTO lockouts (user_name, address, locked_until) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_name, address) DO UPDATE SET locked_until = excluded.locked_until",
                params![name, address, unix(until)],
            )?;
            let event = NewAuditEvent::new(AuditAction::Lockout)
                .target(name)
                .detail(format!(
                    "{} failed logins from {address} within {} minutes; refused from there until {}",
                    policy.max_failures,
                    policy.window.num_minutes(),
                    minute_utc(until)
                ));
            Ok((Some(until), event))
        })
    }

    /// How many logins for `user_name` failed at or after `since`, from any address.
    pub fn login_failures_since(
        &self,
        user_name: &str,
        since: DateTime<Utc>,
    ) -> Result<u64, AccessError> {
        self.unlocked(|db| failures_since(db, user_name, since))
    }

    /// Until when logins for `user_name` from `address` are refused, if they are at `now`.
    pub fn locked_until(
        &self,
        user_name: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, AccessError> {
        self.unlocked(|db| locked_until(db, user_name, address, now))
    }
}

fn locked_until(
    db: &mut dyn Sql,
    user_name: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, AccessError> {
    let until: Option<i64> = db.first(
        "SELECT locked_until FROM lockouts
         WHERE user_name = ?1 AND address = ?2 AND locked_until > ?3",
        params![user_name, address, unix(now)],
        |row| row.get(0),
    )?;
    Ok(until.and_then(|seconds| DateTime::from_timestamp(seconds, 0)))
}

fn failures_since(
    db: &mut dyn Sql,
    user_name: &str,
    since: DateTime<Utc>,
) -> Result<u64, AccessError> {
    db.value(
        "SELECT COUNT(*) FROM login_failures WHERE user_name = ?1 AND at >= ?2",
        params![user_name, unix(since)],
    )
}

fn failures_from(
    db: &mut dyn Sql,
    user_name: &str,
    address: &str,
    since: DateTime<Utc>,
) -> Result<u64, AccessError> {
    db.value(
        "SELECT COUNT(*) FROM login_failures WHERE user_name = ?1 AND address = ?2 AND at >= ?3",
        params![user_name, address, unix(since)],
    )
}

fn last_attempt(db: &mut dyn Sql, user_name: &str) -> Result<Option<DateTime<Utc>>, AccessError> {
    let last: Option<i64> = db.value(
        "SELECT MAX(at) FROM login_failures WHERE user_name = ?1",
        params![user_name],
    )?;
    Ok(last.and_then(|seconds| DateTime::from_timestamp(seconds, 0)))
}

/// Forgets `user_name`'s failures and lock-out from `address` (after a successful login
/// from there). Failures from elsewhere stay: they were someone else's.
pub(crate) fn clear_login_failures(
    db: &mut dyn Sql,
    user_name: &str,
    address: &str,
) -> Result<(), AccessError> {
    let key = params![user_name, address];
    db.execute(
        "DELETE FROM login_failures WHERE user_name = ?1 AND address = ?2",
        key,
    )?;
    db.execute(
        "DELETE FROM lockouts WHERE user_name = ?1 AND address = ?2",
        key,
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuditFilter;

    const WHY: &str = "wrong user name or password";

    fn attempt<'a>(name: &'a str, address: &'a str, at: DateTime<Utc>) -> LoginAttempt<'a> {
        LoginAttempt { name, address, at }
    }

    /// Claims and fails one attempt; returns the lock-out it started, if any.
    fn guess(db: &AccessDb, attempt: &LoginAttempt<'_>) -> Option<DateTime<Utc>> {
        let policy = LockoutPolicy::DEFAULT;
        assert_eq!(
            db.claim_login_attempt(attempt, policy).unwrap(),
            LoginClaim::Granted
        );
        db.fail_login(attempt, WHY, policy).unwrap()
    }

    #[test]
    fn failures_are_counted_in_their_window_and_cleared_on_success() {
        for test in crate::testing::backends() {
            let db = &test.db;
            let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
            for minute in [0, 5, 10] {
                guess(
                    db,
                    &attempt("amina", "192.0.2.7", start + TimeDelta::minutes(minute)),
                );
            }
            guess(db, &attempt("amina", "198.51.100.1", start));
            let now = start + TimeDelta::minutes(16);
            let window = now - TimeDelta::minutes(15);
            assert_eq!(db.login_failures_since("amina", window).unwrap(), 2);
            db.write(|tx| clear_login_failures(tx, "amina", "192.0.2.7"))
                .unwrap();
            assert_eq!(
                db.login_failures_since("amina", start).unwrap(),
                1,
                "failures from elsewhere are kept"
            );
        }
    }

    #[test]
    fn the_fifth_failure_from_one_address_locks_the_name_out_there_only() {
        for test in crate::testing::backends() {
            let db = &test.db;
            let now = Utc::now();
            let policy = LockoutPolicy::DEFAULT;
            let guesser = attempt("admin", "203.0.113.9", now);
            for _ in 1..policy.max_failures {
                assert_eq!(guess(db, &guesser), None);
            }
            assert_eq!(guess(db, &guesser), Some(now + policy.lock_for));
            assert_eq!(
                db.claim_login_attempt(&guesser, policy).unwrap(),
                LoginClaim::Locked(
                    DateTime::from_timestamp(unix(now + policy.lock_for), 0).unwrap()
                )
            );
            assert!(
                db.locked_until("admin", "203.0.113.9", now)
                    .unwrap()
                    .is_some()
            );
            assert!(
                db.locked_until("admin", "203.0.113.9", now + policy.lock_for)
                    .unwrap()
                    .is_none()
            );
            // The admin, elsewhere, is not locked out.
            let owner = attempt("admin", "192.0.2.50", now);
            assert!(
                db.locked_until("admin", "192.0.2.50", now)
                    .unwrap()
                    .is_none()
            );
            assert_eq!(
                db.claim_login_attempt(&owner, policy).unwrap(),
                LoginClaim::Granted
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
    }

    #[test]
    fn guesses_from_many_addresses_slow_the_name_to_one_attempt_per_interval() {
        for test in crate::testing::backends() {
            let db = &test.db;
            let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
            let policy = LockoutPolicy::DEFAULT;
            // Four guesses from each of five addresses: none locked, the name slowed.
            let addresses: Vec<String> = (1..=5).map(|i| format!("203.0.113.{i}")).collect();
            for address in &addresses {
                for _ in 0..4 {
                    guess(db, &attempt("admin", address, now));
                }
            }
            let owner = attempt("admin", "192.0.2.50", now + TimeDelta::seconds(3));
            assert_eq!(
                db.claim_login_attempt(&owner, policy).unwrap(),
                LoginClaim::Slowed(now + policy.slow_interval)
            );
            // After the interval the owner's attempt is weighed, and the next one waits again.
            let later = attempt("admin", "192.0.2.50", now + policy.slow_interval);
            assert_eq!(
                db.claim_login_attempt(&later, policy).unwrap(),
                LoginClaim::Granted
            );
            let guesser = attempt("admin", "203.0.113.77", now + policy.slow_interval);
            assert_eq!(
                db.claim_login_attempt(&guesser, policy).unwrap(),
                LoginClaim::Slowed(now + policy.slow_interval * 2)
            );
        }
    }

    #[test]
    fn parallel_guesses_beyond_the_allowance_are_never_weighed() {
        for test in crate::testing::backends() {
            let db = &test.db;
            let now = Utc::now();
            let policy = LockoutPolicy::DEFAULT;
            // Far more parallel attempts than cores, all released at once.
            let start = std::sync::Barrier::new(20);
            let claims: Vec<LoginClaim> = std::thread::scope(|scope| {
                let threads: Vec<_> = (0..20)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            let attempt = attempt("amina", "192.0.2.7", now);
                            db.claim_login_attempt(&attempt, policy).unwrap()
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().unwrap()).collect()
            });
            let weighed = claims.iter().filter(|c| **c == LoginClaim::Granted).count();
            assert_eq!(weighed as u64, policy.max_failures, "{}", test.backend());
            // The weighed ones all fail: one lock-out, not one per failure.
            let attempt = attempt("amina", "192.0.2.7", now);
            let lockouts: Vec<_> = (0..weighed)
                .filter_map(|_| db.fail_login(&attempt, WHY, policy).unwrap())
                .collect();
            assert_eq!(lockouts.len(), 1);
        }
    }
}
