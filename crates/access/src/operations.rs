//! Every change to accounts, cases and credentials, each written together with its audit
//! event in one transaction ([`AccessDb::audited`]). This is the one place where an admin
//! action is added: the command line and the web workbench both call these.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use trove_model::{Case, Role, User};

use super::credentials::{self, Invitation, NewInvitation, SessionLimits};
use super::{AccessDb, AccessError, Actor, AuditAction, NewAuditEvent, accounts, login_failures};
use super::{minute_utc, new_token, password};
use crate::sql::params;

/// Longest API token label accepted.
pub const MAX_TOKEN_LABEL_CHARS: usize = 64;

/// What a user may open: every case as a server admin, or one case with a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    /// Manages users, cases and the audit trail, and sees every case.
    ServerAdmin,
    /// A role in one case.
    Member {
        /// The case's name.
        case: String,
        /// The role held there.
        role: Role,
    },
}

impl Grant {
    /// A role in a case, or admin with no case for a server admin; any other role needs a
    /// case.
    pub fn new(role: Role, case: Option<&str>) -> Result<Grant, AccessError> {
        match case.map(str::trim).filter(|case| !case.is_empty()) {
            Some(case) => Ok(Grant::Member {
                case: case.to_owned(),
                role,
            }),
            None if role == Role::Admin => Ok(Grant::ServerAdmin),
            None => Err(AccessError::CaseNeeded { role }),
        }
    }

    /// The role granted (admin for a server admin).
    pub fn role(&self) -> Role {
        match self {
            Grant::ServerAdmin => Role::Admin,
            Grant::Member { role, .. } => *role,
        }
    }

    /// The case, unless this makes a server admin.
    pub fn case(&self) -> Option<&str> {
        match self {
            Grant::ServerAdmin => None,
            Grant::Member { case, .. } => Some(case),
        }
    }
}

/// A user to add, with the password they chose.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    /// 1 to 64 characters, no control characters or surrounding spaces.
    pub name: &'a str,
    /// At least [`password::MIN_PASSWORD_CHARS`] characters.
    pub password: &'a str,
    /// What the user may open.
    pub grant: &'a Grant,
}

/// The longest an invitation that makes a server admin stays usable.
pub const ADMIN_INVITATION_LIFETIME: TimeDelta = TimeDelta::days(1);

impl AccessDb {
    /// Makes the store folder `store` the case `name`. The folder must hold a store; its
    /// absolute path is kept, so the server may run from another folder.
    pub fn add_case(&self, name: &str, store: &Path, actor: &Actor) -> Result<Case, AccessError> {
        let not_a_store = || AccessError::NotAStore {
            path: store.display().to_string(),
        };
        if !trove_store::Store::exists_in(store) {
            return Err(not_a_store());
        }
        let store = store.canonicalize().map_err(|_| not_a_store())?;
        self.audited(|tx| {
            let case = accounts::insert_case(tx, name, &store, Utc::now())?;
            let event = NewAuditEvent::new(AuditAction::CaseAdded)
                .by(actor)
                .case(name)
                .detail(format!("store {}", store.display()));
            Ok((case, event))
        })
    }

    /// Adds a user with a password (hashed here, slowly: call off any async thread).
    pub fn add_user(&self, account: NewAccount<'_>, actor: &Actor) -> Result<User, AccessError> {
        let hash = password::hash_password(account.password)?;
        self.audited(|tx| {
            let grant = account.grant;
            let user = accounts::insert_user(
                tx,
                account.name,
                &hash,
                *grant == Grant::ServerAdmin,
                Utc::now(),
            )?;
            if let Grant::Member { case, role } = grant {
                accounts::set_membership(tx, account.name, case, *role)?;
            }
            let event = NewAuditEvent::new(AuditAction::UserAdded)
                .by(actor)
                .target(account.name)
                .maybe_case(grant.case())
                .detail(format!("role {}", grant.role()));
            Ok((user, event))
        })
    }

    /// Gives `user` `role` in `case`, replacing any role they had there.
    pub fn grant(
        &self,
        user: &str,
        case: &str,
        role: Role,
        actor: &Actor,
    ) -> Result<(), AccessError> {
        self.audited(|tx| {
            accounts::set_membership(tx, user, case, role)?;
            let event = NewAuditEvent::new(AuditAction::RoleGranted)
                .by(actor)
                .case(case)
                .target(user)
                .detail(format!("role {role}"));
            Ok(((), event))
        })
    }

    /// Takes `user` out of `case`.
    pub fn revoke_grant(&self, user: &str, case: &str, actor: &Actor) -> Result<(), AccessError> {
        self.audited(|tx| {
            accounts::remove_membership(tx, user, case)?;
            let event = NewAuditEvent::new(AuditAction::RoleRemoved)
                .by(actor)
                .case(case)
                .target(user);
            Ok(((), event))
        })
    }

    /// Disables `user`: their sessions and API tokens end at once; their history stays.
    pub fn disable_user(&self, user: &str, actor: &Actor) -> Result<(), AccessError> {
        self.audited(|tx| {
            accounts::disable_user(tx, user, Utc::now())?;
            let event = NewAuditEvent::new(AuditAction::UserDisabled)
                .by(actor)
                .target(user);
            Ok(((), event))
        })
    }

    /// Replaces `user`'s password (hashed here, slowly).
    pub fn set_password(
        &self,
        user: &str,
        password: &str,
        actor: &Actor,
    ) -> Result<(), AccessError> {
        let hash = password::hash_password(password)?;
        self.audited(|tx| {
            accounts::set_password_hash(tx, user, &hash)?;
            let event = NewAuditEvent::new(AuditAction::PasswordSet)
                .by(actor)
                .target(user);
            Ok(((), event))
        })
    }

    /// Keeps `language` (a code the caller checked) as the one `user` reads the workbench
    /// in.
    pub fn set_language(&self, user: &str, language: &str) -> Result<(), AccessError> {
        self.audited(|tx| {
            tx.execute(
                "INSERT INTO user_settings (user_name, language) VALUES (?1, ?2)
                 ON CONFLICT (user_name) DO UPDATE SET language = excluded.language",
                params![user, language],
            )?;
            let event = NewAuditEvent::new(AuditAction::LanguageSet)
                .actor(user)
                .detail(language);
            Ok(((), event))
        })
    }

    /// Issues an API token that does not expire (see [`AccessDb::issue_token_expiring`]).
    pub fn issue_token(
        &self,
        user: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<String, AccessError> {
        self.issue_token_expiring(user, label, actor, None)
    }

    /// Issues an API token for the enabled user `user` under `label` (1 to 64
    /// characters, unique among their tokens), opening nothing after `expires` when one
    /// is given, and returns it: it is shown once and kept only as its hash.
    pub fn issue_token_expiring(
        &self,
        user: &str,
        label: &str,
        actor: &Actor,
        expires: Option<DateTime<Utc>>,
    ) -> Result<String, AccessError> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > MAX_TOKEN_LABEL_CHARS {
            return Err(AccessError::InvalidName {
                what: "token label",
                name: label.to_owned(),
                why: "give it 1 to 64 characters, such as the script or machine that will use it",
            });
        }
        // A token acts in its user's name: a user (an admin too) gets one only for
        // themselves. The server's command line, which holds the folder, may issue any.
        if actor.name().is_some_and(|by| by != user) {
            return Err(AccessError::OthersToken {
                user: user.to_owned(),
            });
        }
        if self.user(user)?.is_none_or(|user| user.disabled) {
            return Err(AccessError::NotFound {
                what: "enabled user",
                name: user.to_owned(),
                hint: "the list of users shows who there is",
            });
        }
        let token = new_token();
        self.audited(|tx| {
            credentials::create_api_token(tx, &token, user, label, Utc::now(), expires)?;
            let event = NewAuditEvent::new(AuditAction::ApiTokenIssued)
                .by(actor)
                .target(user)
                .detail(match expires {
                    Some(until) => format!("label {label:?}, expires {}", minute_utc(until)),
                    None => format!("label {label:?}"),
                });
            Ok(((), event))
        })?;
        Ok(token)
    }

    /// Revokes `user`'s token called `label`.
    pub fn revoke_token(&self, user: &str, label: &str, actor: &Actor) -> Result<(), AccessError> {
        self.audited(|tx| {
            credentials::revoke_api_token(tx, user, label, Utc::now())?;
            let event = NewAuditEvent::new(AuditAction::ApiTokenRevoked)
                .by(actor)
                .target(user)
                .detail(format!("label {label:?}"));
            Ok(((), event))
        })
    }

    /// Makes a single-use invitation for `grant`, valid for `lifetime` from `now`, and
    /// returns its token (sent as a link; kept only as its hash).
    pub fn create_invitation(
        &self,
        grant: &Grant,
        lifetime: TimeDelta,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<String, AccessError> {
        let token = new_token();
        // A link that makes a server admin is the most dangerous to lose: it lives a day.
        let lifetime = if grant.role() == Role::Admin && grant.case().is_none() {
            lifetime.min(ADMIN_INVITATION_LIFETIME)
        } else {
            lifetime
        };
        let expires_at = now + lifetime;
        self.audited(|tx| {
            let invitation = NewInvitation {
                role: grant.role(),
                case: grant.case().map(str::to_owned),
                created_by: actor.name().map(str::to_owned),
                expires_at,
            };
            credentials::create_invitation(tx, &token, &invitation, now)?;
            let event = NewAuditEvent::new(AuditAction::InvitationCreated)
                .by(actor)
                .maybe_case(grant.case())
                .detail(format!(
                    "role {}, valid until {}",
                    grant.role(),
                    minute_utc(expires_at)
                ));
            Ok(((), event))
        })?;
        Ok(token)
    }

    /// Revokes the unused invitation whose id (see `open_invitations`) is `id`.
    pub fn revoke_invitation(
        &self,
        id: &str,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<(), AccessError> {
        self.audited(|tx| {
            let changed = tx.execute(
                "UPDATE invitations SET expires_at = ?2
                 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                params![id, now.timestamp()],
            )?;
            if changed == 0 {
                return Err(AccessError::NotFound {
                    what: "open invitation",
                    name: id.to_owned(),
                    hint: "it was used, has expired or was revoked already",
                });
            }
            let event = NewAuditEvent::new(AuditAction::InvitationRevoked)
                .by(actor)
                .target(&id[..16.min(id.len())]);
            Ok(((), event))
        })
    }

    /// Redeems an invitation: makes the account `name` with the invitation's role and
    /// marks the invitation used, so a link works exactly once.
    pub fn accept_invitation(
        &self,
        token: &str,
        name: &str,
        password: &str,
        now: DateTime<Utc>,
    ) -> Result<Invitation, AccessError> {
        let hash = password::hash_password(password)?;
        self.audited(|tx| {
            let invitation = credentials::accept_invitation(tx, token, name, &hash, now)?;
            let event = NewAuditEvent::new(AuditAction::InvitationUsed)
                .actor(name)
                .maybe_case(invitation.case.as_deref())
                .detail(format!(
                    "role {}, invited by {}",
                    invitation.role,
                    invitation
                        .created_by
                        .as_deref()
                        .unwrap_or("the command line")
                ));
            Ok((invitation, event))
        })
    }

    /// Opens a session for `user`, whose password was checked, from the client
    /// `address`: their failed logins from there are forgotten, expired sessions swept
    /// out, and the login audited. Returns the session's token.
    pub fn log_in(
        &self,
        user: &str,
        address: &str,
        now: DateTime<Utc>,
        limits: SessionLimits,
    ) -> Result<String, AccessError> {
        let token = new_token();
        let detail = format!("from {address}");
        self.audited(|tx| {
            login_failures::clear_login_failures(tx, user, address)?;
            // Logins are rare enough to sweep expired sessions out on each.
            credentials::delete_expired_sessions(tx, now)?;
            credentials::create_session(tx, &token, user, now, limits)?;
            let event = NewAuditEvent::new(AuditAction::Login)
                .actor(user)
                .detail(detail);
            Ok(((), event))
        })?;
        Ok(token)
    }

    /// Ends the session `token` of `user` (none for an API token, which logging out
    /// leaves alone).
    pub fn log_out(&self, user: &str, token: Option<&str>) -> Result<(), AccessError> {
        self.audited(|tx| {
            if let Some(token) = token {
                credentials::delete_session(tx, token)?;
            }
            Ok(((), NewAuditEvent::new(AuditAction::Logout).actor(user)))
        })
    }

    /// Ends every session of `user`, on every device, and revokes their API tokens (the
    /// step to take when a device or a token may be in other hands); returns how many
    /// sessions and tokens there were.
    pub fn log_out_everywhere(&self, user: &str) -> Result<(u64, u64), AccessError> {
        self.audited(|tx| {
            let ended = credentials::delete_sessions_of(tx, user)?;
            let revoked = credentials::revoke_tokens_of(tx, user, Utc::now())?;
            let event = NewAuditEvent::new(AuditAction::LogoutEverywhere)
                .actor(user)
                .detail(format!(
                    "{ended} sessions ended, {revoked} API tokens revoked"
                ));
            Ok(((ended, revoked), event))
        })
    }

    /// `user` replaces their own password, giving the current one: checked first (slowly),
    /// then the new one is kept and every other session of theirs ended, with the event,
    /// in one transaction. `session` is the session they do it from, which stays.
    pub fn change_own_password(
        &self,
        user: &str,
        current: &str,
        new: &str,
        session: &str,
    ) -> Result<u64, AccessError> {
        let hash = self.password_hash(user)?.unwrap_or_default();
        if hash.is_empty() || !password::verify_password(current, &hash)? {
            return Err(AccessError::WrongPassword);
        }
        let new_hash = password::hash_password(new)?;
        self.audited(|tx| {
            accounts::set_password_hash(tx, user, &new_hash)?;
            let ended = credentials::delete_other_sessions(tx, user, session)?;
            let event = NewAuditEvent::new(AuditAction::PasswordSet)
                .actor(user)
                .target(user)
                .detail(format!(
                    "changed their own password; {ended} other sessions ended"
                ));
            Ok((ended, event))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AuditFilter;
    use crate::testing::{TestDb, backends};

    /// On each backend: one case, and a trigger made behind the database's back that
    /// makes every audit append fail, as a full disk or a broken file would.
    fn servers_whose_audit_fails() -> Vec<TestDb> {
        backends().into_iter().map(audit_fails).collect()
    }

    fn audit_fails(test: TestDb) -> TestDb {
        let (dir, db) = (&test.dir, &test.db);
        let store = dir.path().join("store");
        trove_store::Store::open(&store).unwrap();
        db.add_case("demo", &store, &Actor::CommandLine).unwrap();
        let grant = Grant::new(Role::Viewer, Some("demo")).unwrap();
        let account = NewAccount {
            name: "vera",
            password: "a long enough password",
            grant: &grant,
        };
        db.add_user(account, &Actor::CommandLine).unwrap();
        let trigger = match db.path() {
            Some(_) => {
                "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events
                 BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be written'); END;"
            }
            None => {
                "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events FOR EACH ROW
                 EXECUTE FUNCTION trove_refuse_change('the audit trail cannot be written');"
            }
        };
        test.behind_its_back(trigger).unwrap();
        test
    }

    #[test]
    fn a_change_whose_audit_event_cannot_be_written_is_rolled_back() {
        for test in servers_whose_audit_fails() {
            let (dir, db) = (&test.dir, &test.db);
            let events_before = db.audit_count(&AuditFilter::default()).unwrap();
            let admin = Actor::user("root");

            let grant = Grant::ServerAdmin;
            let account = NewAccount {
                name: "mallory",
                password: "a long enough password",
                grant: &grant,
            };
            assert!(db.add_user(account, &admin).is_err());
            assert!(db.user("mallory").unwrap().is_none());

            assert!(db.grant("vera", "demo", Role::Admin, &admin).is_err());
            assert_eq!(db.memberships_of("vera").unwrap()[0].role, Role::Viewer);

            assert!(db.disable_user("vera", &admin).is_err());
            assert!(!db.user("vera").unwrap().unwrap().disabled);

            assert!(db.issue_token("vera", "laptop", &admin).is_err());
            assert!(db.api_tokens_of("vera").unwrap().is_empty());

            let other = dir.path().join("other");
            trove_store::Store::open(&other).unwrap();
            assert!(db.add_case("other", &other, &admin).is_err());
            assert!(db.case("other").unwrap().is_none());

            let now = Utc::now();
            let limits = SessionLimits {
                idle: TimeDelta::hours(1),
                absolute: TimeDelta::hours(2),
            };
            assert!(db.log_in("vera", "192.0.2.1", now, limits).is_err());
            assert_eq!(db.log_out_everywhere("vera").ok(), None);

            assert_eq!(
                db.audit_count(&AuditFilter::default()).unwrap(),
                events_before
            );
        }
    }

    #[test]
    fn each_operation_leaves_its_event() {
        for test in backends() {
            let (dir, db) = (&test.dir, &test.db);
            let store = dir.path().join("store");
            trove_store::Store::open(&store).unwrap();
            let cli = Actor::CommandLine;
            db.add_case("demo", &store, &cli).unwrap();
            let grant = Grant::new(Role::Editor, Some("demo")).unwrap();
            let account = NewAccount {
                name: "amina",
                password: "a long enough password",
                grant: &grant,
            };
            db.add_user(account, &cli).unwrap();
            db.grant("amina", "demo", Role::Reviewer, &Actor::user("root"))
                .unwrap();
            let events = db.audit_events(&AuditFilter::default(), 0, 10).unwrap();
            let actions: Vec<_> = events.iter().rev().map(|e| e.action.as_str()).collect();
            assert_eq!(actions, ["case_added", "user_added", "role_granted"]);
            assert_eq!(
                events[2].detail,
                format!(
                    "store {}, from the command line",
                    store.canonicalize().unwrap().display()
                )
            );
            assert_eq!(events[1].detail, "role editor, from the command line");
            assert_eq!(events[0].actor.as_deref(), Some("root"));
            assert_eq!(events[0].detail, "role reviewer");
        }
    }

    #[test]
    fn a_folder_without_a_store_is_refused_and_roles_other_than_admin_need_a_case() {
        for test in backends() {
            let (dir, db) = (&test.dir, &test.db);
            let refused = db.add_case("empty", dir.path(), &Actor::CommandLine);
            assert!(matches!(refused, Err(AccessError::NotAStore { .. })));
            assert!(
                refused
                    .unwrap_err()
                    .to_string()
                    .contains("holds no trove store")
            );
            assert!(matches!(
                Grant::new(Role::Viewer, None),
                Err(AccessError::CaseNeeded { .. })
            ));
            assert_eq!(
                Grant::new(Role::Admin, Some(" ")).unwrap(),
                Grant::ServerAdmin
            );
        }
    }
}
