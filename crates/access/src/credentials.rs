//! Secrets that stand for a user: sessions, API tokens and invitations.
//! Each is kept only as its BLAKE3 hash ([`secret_hash`]).

use chrono::{DateTime, TimeDelta, Utc};
use trove_model::Role;

use super::accounts::{check_user_name, parse_role, require_case};
use super::{AccessDb, AccessError, rfc3339, secret_hash, unix};
use crate::sql::{Sql, params};

/// A logged-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user logged in, by name.
    pub user: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the latest request made with it.
    pub last_seen: i64,
    /// Unix seconds after which it is refused; moves on with each request, never past `absolute`.
    pub expires_at: i64,
}

/// How long a session lasts: `idle` after its last request, and never longer than
/// `absolute` after logging in, however busy (a stolen cookie stops working too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// A session unused this long ends.
    pub idle: TimeDelta,
    /// No session lasts longer than this after logging in.
    pub absolute: TimeDelta,
}

/// An API token as listed to its owner (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTokenInfo {
    /// The owner's name for the token (`nightly export`), unique per owner.
    pub label: String,
    /// Unix seconds when it was issued.
    pub created_at: i64,
    /// A revoked token is kept for the record but opens nothing.
    pub revoked: bool,
    /// Unix seconds after which it opens nothing; `None`: it does not expire.
    pub expires_at: Option<i64>,
}

/// What an invitation link grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewInvitation {
    pub role: Role,
    /// The case the new user joins; `None` with [`Role::Admin`] makes a server admin.
    pub case: Option<String>,
    pub created_by: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// An invitation that can still be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The role the new user gets.
    pub role: Role,
    /// The case the new user joins; `None` with [`Role::Admin`] makes a server admin.
    pub case: Option<String>,
    /// The admin who made the link; `None` when made from the command line.
    pub created_by: Option<String>,
    /// Unix seconds after which the link no longer works.
    pub expires_at: i64,
}

impl AccessDb {
    /// Every invitation not yet used nor expired at `now`, newest first.
    pub fn open_invitations(&self, now: DateTime<Utc>) -> Result<Vec<OpenInvitation>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT token_hash, role, case_name, created_by, expires_at, created_at
                 FROM invitations WHERE used_at IS NULL AND expires_at > ?1
                 ORDER BY created_at DESC",
                params![unix(now)],
                |row| {
                    Ok(OpenInvitation {
                        id: row.get(0)?,
                        invitation: Invitation {
                            role: parse_role(&row.get::<String>(1)?)?,
                            case: row.get(2)?,
                            created_by: row.get(3)?,
                            expires_at: row.get(4)?,
                        },
                        created_at: row.get(5)?,
                    })
                },
            )
        })
    }

    /// The unexpired session of an enabled user that `token` opens, if any.
    pub fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT s.\"user\", s.created_at, s.last_seen, s.expires_at
                 FROM sessions s JOIN users u ON u.name = s.\"user\"
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
        })
    }

    /// Marks a session as used now, pushing its expiry `limits.idle` into the future
    /// but never past `limits.absolute` after it was opened.
    pub fn touch_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
        limits: SessionLimits,
    ) -> Result<(), AccessError> {
        self.unlocked(|db| {
            db.execute(
                "UPDATE sessions SET last_seen = ?2,
                     expires_at = CASE WHEN ?3 < created_at + ?4 THEN ?3 ELSE created_at + ?4 END
                 WHERE token_hash = ?1",
                params![
                    secret_hash(token),
                    unix(now),
                    unix(now + limits.idle),
                    limits.absolute.num_seconds()
                ],
            )
        })?;
        Ok(())
    }

    /// The enabled user an unrevoked API token belongs to, if any.
    pub fn api_token_user(&self, token: &str) -> Result<Option<String>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT t.\"user\" FROM api_tokens t JOIN users u ON u.name = t.\"user\"
                 WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND u.disabled = 0
                   AND (t.expires_at IS NULL OR t.expires_at > ?2)",
                params![secret_hash(token), unix(Utc::now())],
                |row| row.get(0),
            )
        })
    }

    /// `user`'s API tokens, by label.
    pub fn api_tokens_of(&self, user: &str) -> Result<Vec<ApiTokenInfo>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT label, created_at, revoked_at IS NOT NULL, expires_at FROM api_tokens
                 WHERE \"user\" = ?1 ORDER BY label",
                params![user],
                |row| {
                    Ok(ApiTokenInfo {
                        label: row.get(0)?,
                        created_at: row.get(1)?,
                        revoked: row.get(2)?,
                        expires_at: row.get(3)?,
                    })
                },
            )
        })
    }

    /// The unused, unexpired invitation `token` redeems, if any.
    pub fn invitation(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Invitation>, AccessError> {
        self.unlocked(|db| usable_invitation(db, token, now))
    }
}

/// Records a new session for `user`, valid for `limits.idle` unless touched.
pub(crate) fn create_session(
    db: &mut dyn Sql,
    token: &str,
    user: &str,
    now: DateTime<Utc>,
    limits: SessionLimits,
) -> Result<(), AccessError> {
    db.execute(
        "INSERT INTO sessions (token_hash, \"user\", created_at, last_seen, expires_at)
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

/// Forgets sessions that expired before `now`.
pub(crate) fn delete_expired_sessions(
    db: &mut dyn Sql,
    now: DateTime<Utc>,
) -> Result<u64, AccessError> {
    let deleted = db.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1",
        params![unix(now)],
    )?;
    Ok(deleted as u64)
}

/// Ends one session (logging out).
pub(crate) fn delete_session(db: &mut dyn Sql, token: &str) -> Result<(), AccessError> {
    db.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        params![secret_hash(token)],
    )?;
    Ok(())
}

/// Ends every session of `user` ("log out everywhere"); returns how many there were.
pub(crate) fn delete_sessions_of(db: &mut dyn Sql, user: &str) -> Result<u64, AccessError> {
    let deleted = db.execute("DELETE FROM sessions WHERE \"user\" = ?1", params![user])?;
    Ok(deleted as u64)
}

/// An invitation that can still be used, as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenInvitation {
    /// Its id: the BLAKE3 hash its secret is kept as (the link itself is never stored).
    pub id: String,
    /// What it grants.
    pub invitation: Invitation,
    /// Unix seconds when it was made.
    pub created_at: i64,
}

/// Ends every unused invitation `user` made (when they are disabled); returns how many.
pub(crate) fn revoke_invitations_by(
    db: &mut dyn Sql,
    user: &str,
    now: DateTime<Utc>,
) -> Result<u64, AccessError> {
    let revoked = db.execute(
        "UPDATE invitations SET expires_at = ?2
         WHERE created_by = ?1 AND used_at IS NULL AND expires_at > ?2",
        params![user, unix(now)],
    )?;
    Ok(revoked as u64)
}

/// Revokes every live API token of `user`; returns how many there were.
pub(crate) fn revoke_tokens_of(
    db: &mut dyn Sql,
    user: &str,
    now: DateTime<Utc>,
) -> Result<u64, AccessError> {
    let revoked = db.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE \"user\" = ?1 AND revoked_at IS NULL",
        params![user, unix(now)],
    )?;
    Ok(revoked as u64)
}

/// Ends every session of `user` but `keep`; returns how many ended.
pub(crate) fn delete_other_sessions(
    db: &mut dyn Sql,
    user: &str,
    keep: &str,
) -> Result<u64, AccessError> {
    let deleted = db.execute(
        "DELETE FROM sessions WHERE \"user\" = ?1 AND token_hash != ?2",
        params![user, secret_hash(keep)],
    )?;
    Ok(deleted as u64)
}

/// Records an API token for `user` under a label they recognise.
pub(crate) fn create_api_token(
    db: &mut dyn Sql,
    token: &str,
    user: &str,
    label: &str,
    now: DateTime<Utc>,
    expires: Option<DateTime<Utc>>,
) -> Result<(), AccessError> {
    let inserted = db.execute(
        "INSERT INTO api_tokens (token_hash, \"user\", label, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        params![
            secret_hash(token),
            user,
            label,
            unix(now),
            expires.map(unix)
        ],
    )?;
    if inserted == 0 {
        return Err(AccessError::AlreadyExists {
            what: "API token label",
            name: label.to_string(),
        });
    }
    Ok(())
}

/// Revokes `user`'s token called `label`.
pub(crate) fn revoke_api_token(
    db: &mut dyn Sql,
    user: &str,
    label: &str,
    now: DateTime<Utc>,
) -> Result<(), AccessError> {
    let changed = db.execute(
        "UPDATE api_tokens SET revoked_at = ?3
         WHERE \"user\" = ?1 AND label = ?2 AND revoked_at IS NULL",
        params![user, label, unix(now)],
    )?;
    if changed == 0 {
        return Err(AccessError::NotFound {
            what: "unrevoked API token labelled",
            name: label.to_string(),
            hint: "list the user's tokens to see their labels",
        });
    }
    Ok(())
}

/// Records an invitation that `token` (sent as a link) redeems once.
pub(crate) fn create_invitation(
    db: &mut dyn Sql,
    token: &str,
    invitation: &NewInvitation,
    now: DateTime<Utc>,
) -> Result<(), AccessError> {
    if let Some(case) = &invitation.case {
        require_case(db, case)?;
    }
    db.execute(
        "INSERT INTO invitations (token_hash, role, case_name, created_by, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            secret_hash(token),
            invitation.role.code(),
            &invitation.case,
            &invitation.created_by,
            unix(now),
            unix(invitation.expires_at)
        ],
    )?;
    Ok(())
}

/// Redeems an invitation: makes the user it invites, with its role, and
/// marks it used, all at once, so a link works exactly once.
pub(crate) fn accept_invitation(
    db: &mut dyn Sql,
    token: &str,
    user: &str,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Invitation, AccessError> {
    check_user_name(db, user)?;
    let invitation = usable_invitation(db, token, now)?.ok_or(AccessError::InvitationUnusable)?;
    let is_admin = invitation.role == Role::Admin && invitation.case.is_none();
    let inserted = db.execute(
        "INSERT INTO users (name, password_hash, is_admin, created_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        params![user, password_hash, is_admin, rfc3339(now)],
    )?;
    if inserted == 0 {
        return Err(AccessError::AlreadyExists {
            what: "user",
            name: user.to_string(),
        });
    }
    if let Some(case) = &invitation.case {
        db.execute(
            "INSERT INTO memberships (\"user\", case_name, role) VALUES (?1, ?2, ?3)",
            params![user, case, invitation.role.code()],
        )?;
    }
    db.execute(
        "UPDATE invitations SET used_at = ?2, used_by = ?3 WHERE token_hash = ?1",
        params![secret_hash(token), unix(now), user],
    )?;
    Ok(invitation)
}

fn usable_invitation(
    db: &mut dyn Sql,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Invitation>, AccessError> {
    db.first(
        "SELECT role, case_name, created_by, expires_at FROM invitations
         WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
        params![secret_hash(token), unix(now)],
        |row| {
            Ok(Invitation {
                role: parse_role(&row.get::<String>(0)?)?,
                case: row.get(1)?,
                created_by: row.get(2)?,
                expires_at: row.get(3)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, Grant, NewAccount};

    const LIMITS: SessionLimits = SessionLimits {
        idle: TimeDelta::hours(12),
        absolute: TimeDelta::hours(24),
    };

    /// On each backend: a case `demo` and its viewer `amina`; and a fixed now.
    fn dbs() -> Vec<(crate::testing::TestDb, DateTime<Utc>)> {
        crate::testing::backends()
            .into_iter()
            .map(with_amina)
            .collect()
    }

    fn with_amina(test: crate::testing::TestDb) -> (crate::testing::TestDb, DateTime<Utc>) {
        let (dir, db) = (&test.dir, &test.db);
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let store = dir.path().join("demo");
        trove_store::Store::open(&store).unwrap();
        db.add_case("demo", &store, &Actor::CommandLine).unwrap();
        let grant = Grant::new(Role::Viewer, Some("demo")).unwrap();
        let amina = NewAccount {
            name: "amina",
            password: "a long enough password",
            grant: &grant,
        };
        db.add_user(amina, &Actor::CommandLine).unwrap();
        (test, now)
    }

    fn log_in(db: &AccessDb, now: DateTime<Utc>) -> String {
        db.log_in("amina", "192.0.2.1", now, LIMITS).unwrap()
    }

    #[test]
    fn sessions_expire_when_idle_and_end_together_on_logout_everywhere() {
        for (test, now) in dbs() {
            let db = &test.db;
            let idle = LIMITS.idle;
            let token_a = log_in(db, now);
            let token_b = log_in(db, now);
            assert_eq!(db.session(&token_a, now).unwrap().unwrap().user, "amina");
            assert!(db.session(&token_a, now + idle).unwrap().is_none());
            db.touch_session(&token_a, now + TimeDelta::hours(11), LIMITS)
                .unwrap();
            assert!(db.session(&token_a, now + idle).unwrap().is_some());
            assert_eq!(db.log_out_everywhere("amina").unwrap(), (2, 0));
            assert!(db.session(&token_b, now).unwrap().is_none());
        }
    }

    #[test]
    fn invitations_are_listed_revoked_and_die_with_their_maker() {
        for (test, _) in dbs() {
            let db = &test.db;
            let now = Utc::now();
            let admin = Actor::CommandLine;
            let grant = Grant::new(Role::Admin, None).unwrap();
            db.add_user(
                NewAccount {
                    name: "root",
                    password: "a long enough password",
                    grant: &grant,
                },
                &admin,
            )
            .unwrap();
            let viewer = Grant::new(Role::Viewer, Some("demo")).unwrap();
            let by_root = Actor::user("root");
            db.create_invitation(&viewer, TimeDelta::days(7), now, &by_root)
                .unwrap();
            db.create_invitation(&grant, TimeDelta::days(7), now, &by_root)
                .unwrap();
            let open = db.open_invitations(now).unwrap();
            assert_eq!(open.len(), 2);
            let admin_link = open.iter().find(|o| o.invitation.case.is_none()).unwrap();
            assert!(
                admin_link.invitation.expires_at <= (now + TimeDelta::days(1)).timestamp(),
                "a link that makes a server admin lives a day at most"
            );
            db.revoke_invitation(&admin_link.id, now, &admin).unwrap();
            assert_eq!(db.open_invitations(now).unwrap().len(), 1);
            assert!(db.revoke_invitation(&admin_link.id, now, &admin).is_err());
            db.disable_user("root", &admin).unwrap();
            assert!(
                db.open_invitations(now + TimeDelta::seconds(1))
                    .unwrap()
                    .is_empty(),
                "disabling root ends the links root made"
            );
        }
    }

    #[test]
    fn a_session_in_constant_use_still_ends_at_its_absolute_limit() {
        for (test, now) in dbs() {
            let db = &test.db;
            let token = log_in(db, now);
            for hour in 1..=30 {
                let at = now + TimeDelta::hours(hour);
                let alive = db.session(&token, at).unwrap().is_some();
                assert_eq!(alive, hour < 24, "hour {hour}");
                if alive {
                    db.touch_session(&token, at, LIMITS).unwrap();
                }
            }
        }
    }

    #[test]
    fn an_invitation_makes_its_member_once() {
        for (test, now) in dbs() {
            let db = &test.db;
            let grant = Grant::new(Role::Reviewer, Some("demo")).unwrap();
            let invite = db
                .create_invitation(&grant, TimeDelta::days(7), now, &Actor::user("amina"))
                .unwrap();
            db.accept_invitation(&invite, "bob", "a long enough password", now)
                .unwrap();
            let memberships = db.memberships_of("bob").unwrap();
            assert_eq!(memberships[0].role, Role::Reviewer);
            let again = db.accept_invitation(&invite, "carol", "a long enough password", now);
            assert!(matches!(again, Err(AccessError::InvitationUnusable)));
            assert!(db.user("carol").unwrap().is_none());
        }
    }

    #[test]
    fn names_that_hide_characters_or_pass_for_another_are_refused() {
        for (test, _) in dbs() {
            let db = &test.db;
            let grant = Grant::new(Role::Viewer, Some("demo")).unwrap();
            let add = |name: &'static str| {
                db.add_user(
                    NewAccount {
                        name,
                        password: "a long enough password",
                        grant: &grant,
                    },
                    &Actor::CommandLine,
                )
            };
            for sneaky in ["ami\u{200B}na", "\u{202E}anima", "amina\u{FEFF}"] {
                assert!(
                    matches!(add(sneaky), Err(AccessError::InvalidName { .. })),
                    "{sneaky:?}"
                );
            }
            for lookalike in ["Amina", "ａｍｉｎａ", "AMINA"] {
                assert!(
                    matches!(add(lookalike), Err(AccessError::ConfusableName { .. })),
                    "{lookalike:?}"
                );
            }
            assert!(add("aminat").is_ok());
            assert!(matches!(
                add("amina"),
                Err(AccessError::AlreadyExists { .. })
            ));
        }
    }

    #[test]
    fn an_expired_token_opens_nothing() {
        for (test, _) in dbs() {
            let db = &test.db;
            let admin = Actor::CommandLine;
            let past = Utc::now() - TimeDelta::minutes(1);
            let future = Utc::now() + TimeDelta::days(30);
            let old = db
                .issue_token_expiring("amina", "old", &admin, Some(past))
                .unwrap();
            let fresh = db
                .issue_token_expiring("amina", "fresh", &admin, Some(future))
                .unwrap();
            assert!(db.api_token_user(&old).unwrap().is_none());
            assert_eq!(db.api_token_user(&fresh).unwrap().as_deref(), Some("amina"));
            let tokens = db.api_tokens_of("amina").unwrap();
            assert!(tokens.iter().all(|t| t.expires_at.is_some()));
        }
    }

    #[test]
    fn a_user_gets_a_token_only_in_their_own_name() {
        for (test, _) in dbs() {
            let db = &test.db;
            let someone_else = db.issue_token("amina", "laptop", &Actor::user("root"));
            assert!(matches!(someone_else, Err(AccessError::OthersToken { .. })));
            assert!(
                db.issue_token("amina", "laptop", &Actor::user("amina"))
                    .is_ok()
            );
        }
    }

    #[test]
    fn revoked_api_tokens_and_disabled_users_open_nothing() {
        for (test, now) in dbs() {
            let db = &test.db;
            let admin = Actor::CommandLine;
            let secret = db.issue_token("amina", "laptop", &admin).unwrap();
            assert_eq!(
                db.api_token_user(&secret).unwrap().as_deref(),
                Some("amina")
            );
            db.revoke_token("amina", "laptop", &admin).unwrap();
            assert!(db.api_token_user(&secret).unwrap().is_none());
            let session = log_in(db, now);
            db.disable_user("amina", &admin).unwrap();
            assert!(db.session(&session, now).unwrap().is_none());
            assert!(db.password_hash("amina").unwrap().is_none());
        }
    }
}
