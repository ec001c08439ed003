//! Users, cases and memberships.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use trove_model::{Case, Membership, Role, User};

use super::{AccessDb, rfc3339};
use crate::StoreError;

/// Longest user or case name accepted.
const MAX_NAME_CHARS: usize = 64;

impl AccessDb {
    /// Adds a user. `password_hash` is a PHC string made by the caller (the
    /// store never sees a password). A server admin manages users, cases and
    /// the audit trail and sees every case.
    pub fn add_user(
        &self,
        name: &str,
        password_hash: &str,
        is_admin: bool,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        check_user_name(name)?;
        let connection = self.lock();
        let inserted = connection.execute(
            "INSERT OR IGNORE INTO users (name, password_hash, is_admin, created_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![name, password_hash, is_admin, rfc3339(now)],
        )?;
        if inserted == 0 {
            return Err(StoreError::AlreadyExists {
                what: "user",
                name: name.to_string(),
            });
        }
        Ok(User {
            name: name.to_string(),
            is_admin,
            disabled: false,
            created_at: rfc3339(now),
        })
    }

    /// The user called `name`, if there is one.
    pub fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        let user = self
            .lock()
            .query_row(
                "SELECT name, is_admin, disabled, created_at FROM users WHERE name = ?1",
                [name],
                user_from_row,
            )
            .optional()?;
        Ok(user)
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare("SELECT name, is_admin, disabled, created_at FROM users ORDER BY name")?;
        let users = statement
            .query_map([], user_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(users)
    }

    /// The PHC password hash of an enabled user, for checking a login.
    /// `None` for an unknown or disabled user.
    pub fn password_hash(&self, name: &str) -> Result<Option<String>, StoreError> {
        let hash = self
            .lock()
            .query_row(
                "SELECT password_hash FROM users WHERE name = ?1 AND disabled = 0",
                [name],
                |row| row.get(0),
            )
            .optional()?;
        Ok(hash)
    }

    /// Replaces a user's password hash.
    pub fn set_password_hash(&self, name: &str, password_hash: &str) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            params![name, password_hash],
        )?;
        require_changed(changed, "user", name)
    }

    /// Disables a user and ends all their sessions and API tokens at once.
    pub fn disable_user(&self, name: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut connection = self.lock();
        let tx = connection.transaction()?;
        let changed = tx.execute("UPDATE users SET disabled = 1 WHERE name = ?1", [name])?;
        require_changed(changed, "user", name)?;
        tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        tx.execute(
            "UPDATE api_tokens SET revoked_at = ?2 WHERE user = ?1 AND revoked_at IS NULL",
            params![name, now.timestamp()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Adds a case: a name for the store folder at `store`.
    pub fn add_case(
        &self,
        name: &str,
        store: &Path,
        now: DateTime<Utc>,
    ) -> Result<Case, StoreError> {
        check_case_name(name)?;
        let store_text = store.to_str().ok_or_else(|| StoreError::InvalidName {
            what: "store path",
            name: store.display().to_string(),
            why: "it is not valid UTF-8; move the store to a plainly named folder",
        })?;
        let inserted = self.lock().execute(
            "INSERT OR IGNORE INTO cases (name, store, created_at) VALUES (?1, ?2, ?3)",
            params![name, store_text, rfc3339(now)],
        )?;
        if inserted == 0 {
            return Err(StoreError::AlreadyExists {
                what: "case",
                name: name.to_string(),
            });
        }
        Ok(Case {
            name: name.to_string(),
            store: store.to_path_buf(),
        })
    }

    /// The case called `name`, if there is one.
    pub fn case(&self, name: &str) -> Result<Option<Case>, StoreError> {
        let case = self
            .lock()
            .query_row(
                "SELECT name, store FROM cases WHERE name = ?1",
                [name],
                case_from_row,
            )
            .optional()?;
        Ok(case)
    }

    /// Every case, by name.
    pub fn cases(&self) -> Result<Vec<Case>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare("SELECT name, store FROM cases ORDER BY name")?;
        let cases = statement
            .query_map([], case_from_row)?
            .collect::<Result<_, _>>()?;
        Ok(cases)
    }

    /// The cases `user` belongs to, with their role in each, by case name.
    /// (A server admin's access to every case is decided by the caller.)
    pub fn cases_of(&self, user: &str) -> Result<Vec<(Case, Role)>, StoreError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT c.name, c.store, m.role FROM memberships m
             JOIN cases c ON c.name = m.case_name
             WHERE m.user = ?1 ORDER BY c.name",
        )?;
        let rows = statement
            .query_map([user], |row| {
                Ok((case_from_row(row)?, row.get::<_, String>(2)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(case, role)| Ok((case, parse_role(&role)?)))
            .collect()
    }

    /// Gives `user` a role in `case`, replacing any role they had there.
    pub fn set_membership(&self, user: &str, case: &str, role: Role) -> Result<(), StoreError> {
        let connection = self.lock();
        if !exists(&connection, "SELECT 1 FROM users WHERE name = ?1", user)? {
            return Err(not_found("user", user));
        }
        if !exists(&connection, "SELECT 1 FROM cases WHERE name = ?1", case)? {
            return Err(not_found("case", case));
        }
        connection.execute(
            "INSERT INTO memberships (user, case_name, role) VALUES (?1, ?2, ?3)
             ON CONFLICT (user, case_name) DO UPDATE SET role = excluded.role",
            params![user, case, role.as_str()],
        )?;
        Ok(())
    }

    /// Takes `user` out of `case`.
    pub fn remove_membership(&self, user: &str, case: &str) -> Result<(), StoreError> {
        let changed = self.lock().execute(
            "DELETE FROM memberships WHERE user = ?1 AND case_name = ?2",
            params![user, case],
        )?;
        require_changed(changed, "membership of", &format!("{user} in {case}"))
    }

    /// A user's memberships, by case name.
    pub fn memberships_of(&self, user: &str) -> Result<Vec<Membership>, StoreError> {
        Ok(self
            .memberships()?
            .into_iter()
            .filter(|membership| membership.user == user)
            .collect())
    }

    /// Every membership, by user and case.
    pub fn memberships(&self) -> Result<Vec<Membership>, StoreError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare("SELECT user, case_name, role FROM memberships ORDER BY user, case_name")?;
        let rows = statement
            .query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get(1)?,
                    row.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(user, case, role)| {
                Ok(Membership {
                    user,
                    case,
                    role: parse_role(&role)?,
                })
            })
            .collect()
    }
}

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        name: row.get(0)?,
        is_admin: row.get(1)?,
        disabled: row.get(2)?,
        created_at: row.get(3)?,
    })
}

fn case_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        name: row.get(0)?,
        store: PathBuf::from(row.get::<_, String>(1)?),
    })
}

pub(super) fn parse_role(text: &str) -> Result<Role, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("role {text:?}")))
}

fn exists(connection: &rusqlite::Connection, sql: &str, key: &str) -> Result<bool, StoreError> {
    Ok(connection
        .query_row(sql, [key], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn not_found(what: &'static str, name: &str) -> StoreError {
    StoreError::NotFound {
        what,
        name: name.to_string(),
        hint: "`trove user list` and `trove case list` show what there is",
    }
}

fn require_changed(changed: usize, what: &'static str, name: &str) -> Result<(), StoreError> {
    if changed == 0 {
        Err(not_found(what, name))
    } else {
        Ok(())
    }
}

/// User names are shown everywhere (pages escape them); control characters
/// and surrounding spaces would only make two names look alike.
pub(super) fn check_user_name(name: &str) -> Result<(), StoreError> {
    let invalid = |why| {
        Err(StoreError::InvalidName {
            what: "user name",
            name: name.to_string(),
            why,
        })
    };
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return invalid("a user name has 1 to 64 characters");
    }
    if name.trim() != name || name.chars().any(char::is_control) {
        return invalid("it has control characters or leading or trailing spaces");
    }
    Ok(())
}

/// Case names appear in URLs (`/cases/NAME`), so they are kept to letters,
/// digits, `-`, `_` and `.`.
fn check_case_name(name: &str) -> Result<(), StoreError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty()
        || name.len() > MAX_NAME_CHARS
        || !name.chars().all(allowed)
        || name.starts_with('.')
    {
        return Err(StoreError::InvalidName {
            what: "case name",
            name: name.to_string(),
            why: "use 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'",
        });
    }
    Ok(())
}
