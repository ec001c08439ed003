//! Secrets that stand for a user: sessions, API tokens and invitations.
//! Each is kept only as its BLAKE3 hash ([`secret_hash`]).

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, params};
use trove_model::Role;

use super::accounts::{check_user_name, parse_role};
use super::{AccessDb, rfc3339, secret_hash, unix};
use crate::StoreError;

/// A logged-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: String,
    /// Unix seconds.
    pub created_at: i64,
    pub last_seen: i64,
    pub expires_at: i64,
}

/// How long a session lasts: `idle` after its last request, and never longer than
/// `absolute` after logging in, however busy (a stolen cookie stops working too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: TimeDelta,
    pub absolute: TimeDelta,
}

/// An API token as listed to its owner (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    pub label: String,
    pub created_at: i64,
    pub revoked: bool,
}

/// What an invitation link grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub role: Role,
    /// The case the new user joins; `None` with [`Role::Admin`] makes a server admin.
    pub case: Option<String>,
    pub created_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// An invitation that can still be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub role: Role,
    pub case: Option<String>,
    pub created_by: Option<String>,
    pub expires_at: i64,
}

impl AccessDb {
    /// Records a new session for `user`, valid for `limits.idle` unless touched.
    pub fn create_session(
        &self,
        token: &str,
        user: &str,
        now: DateTime<Utc>,
        limits: SessionLimits,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "INSERT INTO sessions (token_hash, user, created_at, last_seen, expires_at)
             VALUES (?1, ?2, ?3, ?3, ?4)",
            params![
                secret_hash(token),
                user,
                unix(now),
                unix(now + limits.idle.min(limits.absolute))
            ],
        )?;
        Ok(())
    }

    /// The unexpired session of an enabled user that `token` opens, if any.
    pub fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>, StoreError> {
        let session = self
            .lock()
            .query_row(
                "SELECT s.user, s.created_at, s.last_seen, s.expires_at
                 FROM sessions s JOIN users u ON u.name = s.user
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
                params![secret_hash(token), unix(now)],
                |row| {
                    Ok(Session {
                        user: row.get(0)?,
                        created_at: row.get(1)?,
                        last_seen: row.get(2)?,
                        expires_at: row.get(3)?,
                    })
                },
            )
            .optional()?;
        Ok(session)
    }

    /// Marks a session as used now, pushing its expiry `limits.idle` into the future
    /// but never past `limits.absolute` after it was opened.
    pub fn touch_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
        limits: SessionLimits,
    ) -> Result<(), StoreError> {
        self.lock().execute(
            "UPDATE sessions SET last_seen = ?2, expires_at = MIN(?3, created_at + ?4)
             WHERE token_hash = ?1",
            params![
                secret_hash(token),
                unix(now),
                unix(now + limits.idle),
                limits.absolute.num_seconds()
            ],
        )?;
        Ok(())
    }

    /// Ends one session (logging out).
    pub fn delete_session(&self, token: &str) -> Result<(), StoreError> {
        self.lock().execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [secret_hash(token)],
        )?;
        Ok(())
    }

    /// Ends every session of `user` ("log out everywhere"); returns how many there were.
    pub fn delete_sessions_of(&self, user: &str) -> Result<u64, StoreError> {
        let deleted = self
            .lock()
            .execute("DELETE FROM sessions WHERE user = ?1", [user])?;
        Ok(deleted as u64)
    }

    /// Forgets sessions that expired before `now`.
    pub fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let deleted = self
            .lock()
            .execute("DELETE FROM sessions WHERE expires_at <= ?1", [unix(now)])?;
        Ok(deleted as u64)
    }

    /// Records an API token for `user` under a label they recognise.
    pub fn create_api_token(
        &self,
        token: &str,
        user: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let inserted = self.lock().execute(
            "INSERT OR IGNORE INTO api_tokens (token_hash, user, label, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![secret_hash(token), user, label, unix(now)],
        )?;
        if inserted == 0 {
            return Err(StoreError::AlreadyExists {
                what: "API token label",
                name: label.to_string(),
            });
        }
        Ok(())
    }

    /// The enabled user an unrevoked API token belongs to, if any.
    pub fn api_token_user(&self, token: &str) -> Result<Option<String>, StoreError> {
        let user = self
            .lock()
            .query_row(
                "SELECT t.user FROM api_tokens t JOIN users u ON u.name = t.user
                 WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled = 0",
                [secret_hash(token)],
                |row| row.get(0),
            )
            .optional()?;
        Ok(user)
    }

    /// Revokes `user`'s token called `label`.
    pub fn revoke_api_token(
        &self,
        user: &str,
        label: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE api_tokens SET revoked_at = ?3
             WHERE user = ?1 AND label = ?2 AND revoked_at IS NULL",
            params![user, label, unix(now)],
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "unrevoked API token labelled",
                name: label.to_string(),
                hint: "list the user's tokens to see their labels",
            });
        }
        Ok(())
    }

    /// `user`'s API tokens, by label.
    pub fn api_tokens_of(&self, user: &str) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT label, created_at, revoked_at IS NOT NULL FROM api_tokens
             WHERE user = ?1 ORDER BY label",
        )?;
        let tokens = statement
            .query_map([user], |row| {
                Ok(ApiTokenInfo {
                    label: row.get(0)?,
                    created_at: row.get(1)?,
                    revoked: row.get(2)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(tokens)
    }

    /// Records an invitation that `token` (sent as a link) redeems once.
    pub fn create_invitation(
        &self,
        token: &str,
        invitation: &NewInvitation,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if let Some(case) = &invitation.case
            && self.case(case)?.is_none()
        {
            return Err(super::accounts::not_found("case", case));
        }
        self.lock().execute(
            "INSERT INTO invitations (token_hash, role, case_name, created_by, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                secret_hash(token),
                invitation.role.as_str(),
                invitation.case,
                invitation.created_by,
                unix(now),
                unix(invitation.expires_at)
            ],
        )?;
        Ok(())
    }

    /// The unused, unexpired invitation `token` redeems, if any.
    pub fn invitation(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>, StoreError> {
        usable_invitation(&self.lock(), token, now)
    }

    /// Redeems an invitation: makes the user it invites, with its role, and
    /// marks it used, all at once, so a link works exactly once.
    pub fn accept_invitation(
        &self,
        token: &str,
        user: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Invitation, StoreError> {
        check_user_name(user)?;
        let mut connection = self.lock();
        let tx = connection.transaction()?;
        let invitation =
            usable_invitation(&tx, token, now)?.ok_or(StoreError::InvitationUnusable)?;
        let is_admin = invitation.role == Role::Admin && invitation.case.is_none();
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO users (name, password_hash, is_admin, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![user, password_hash, is_admin, rfc3339(now)],
        )?;
        if inserted == 0 {
            return Err(StoreError::AlreadyExists {
                what: "user",
                name: user.to_string(),
            });
        }
        if let Some(case) = &invitation.case {
            tx.execute(
                "INSERT INTO memberships (user, case_name, role) VALUES (?1, ?2, ?3)",
                params![user, case, invitation.role.as_str()],
            )?;
        }
        tx.execute(
            "UPDATE invitations SET used_at = ?2, used_by = ?3 WHERE token_hash = ?1",
            params![secret_hash(token), unix(now), user],
        )?;
        tx.commit()?;
        Ok(invitation)
    }
}

fn usable_invitation(
    connection: &rusqlite::Connection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, StoreError> {
    let row = connection
        .query_row(
            "SELECT role, case_name, created_by, expires_at FROM invitations
             WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![secret_hash(token), unix(now)],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                ))
            },
        )
        .optional()?;
    row.map(|(role, case, created_by, expires_at)| {
        Ok(Invitation {
            role: parse_role(&role)?,
            case,
            created_by,
            expires_at,
        })
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn db() -> (tempfile::TempDir, AccessDb, DateTime<Utc>) {
        let dir = tempfile::tempdir().unwrap();
        let db = AccessDb::open_in(dir.path()).unwrap();
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        db.add_user("amina", "$argon2id$stub", false, now).unwrap();
        db.add_case("demo", Path::new("/cases/demo"), now).unwrap();
        (dir, db, now)
    }

    const LIMITS: SessionLimits = SessionLimits {
        idle: TimeDelta::hours(12),
        absolute: TimeDelta::hours(24),
    };

    #[test]
    fn sessions_expire_when_idle_and_end_together_on_logout_everywhere() {
        let (_dir, db, now) = db();
        let idle = LIMITS.idle;
        db.create_session("token-a", "amina", now, LIMITS).unwrap();
        db.create_session("token-b", "amina", now, LIMITS).unwrap();
        assert_eq!(db.session("token-a", now).unwrap().unwrap().user, "amina");
        assert!(db.session("token-a", now + idle).unwrap().is_none());
        db.touch_session("token-a", now + TimeDelta::hours(11), LIMITS)
            .unwrap();
        assert!(db.session("token-a", now + idle).unwrap().is_some());
        assert_eq!(db.delete_sessions_of("amina").unwrap(), 2);
        assert!(db.session("token-b", now).unwrap().is_none());
    }

    #[test]
    fn a_session_in_constant_use_still_ends_at_its_absolute_limit() {
        let (_dir, db, now) = db();
        db.create_session("token", "amina", now, LIMITS).unwrap();
        for hour in 1..=30 {
            let at = now + TimeDelta::hours(hour);
            let alive = db.session("token", at).unwrap().is_some();
            assert_eq!(alive, hour < 24, "hour {hour}");
            if alive {
                db.touch_session("token", at, LIMITS).unwrap();
            }
        }
    }

    #[test]
    fn an_invitation_makes_its_member_once() {
        let (_dir, db, now) = db();
        let invitation = NewInvitation {
            role: Role::Reviewer,
            case: Some("demo".into()),
            created_by: Some("amina".into()),
            expires_at: now + TimeDelta::days(7),
        };
        db.create_invitation("invite-1", &invitation, now).unwrap();
        db.accept_invitation("invite-1", "bob", "$argon2id$stub", now)
            .unwrap();
        let memberships = db.memberships_of("bob").unwrap();
        assert_eq!(memberships[0].role, Role::Reviewer);
        let again = db.accept_invitation("invite-1", "carol", "$argon2id$stub", now);
        assert!(matches!(again, Err(StoreError::InvitationUnusable)));
        assert!(db.user("carol").unwrap().is_none());
    }

    #[test]
    fn revoked_api_tokens_and_disabled_users_open_nothing() {
        let (_dir, db, now) = db();
        db.create_api_token("secret-1", "amina", "laptop", now)
            .unwrap();
        assert_eq!(
            db.api_token_user("secret-1").unwrap().as_deref(),
            Some("amina")
        );
        db.revoke_api_token("amina", "laptop", now).unwrap();
        assert!(db.api_token_user("secret-1").unwrap().is_none());
        db.create_session("token", "amina", now, LIMITS).unwrap();
        db.disable_user("amina", now).unwrap();
        assert!(db.session("token", now).unwrap().is_none());
        assert!(db.password_hash("amina").unwrap().is_none());
    }
}
