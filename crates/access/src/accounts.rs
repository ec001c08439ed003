//! Users, cases and memberships: reads as methods, changes as functions over a
//! connection that the audited operations run inside their transaction.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use trove_model::{Case, Membership, Role, User};

use trove_store::connection::collect_rows;

use unicode_normalization::UnicodeNormalization;

use super::{AccessDb, AccessError, rfc3339};

/// Longest user or case name accepted.
const MAX_NAME_CHARS: usize = 64;

impl AccessDb {
    /// The user called `name`, if there is one.
    pub fn user(&self, name: &str) -> Result<Option<User>, AccessError> {
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

    /// The language code `name` chose for the workbench, if they chose one.
    pub fn language_of(&self, name: &str) -> Result<Option<String>, AccessError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT language FROM user_settings WHERE user_name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<User>, AccessError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare("SELECT name, is_admin, disabled, created_at FROM users ORDER BY name")?;
        collect_rows(&mut statement, [], |row| Ok(user_from_row(row)?))
    }

    /// The PHC password hash of an enabled user, for checking a login.
    /// `None` for an unknown or disabled user.
    pub fn password_hash(&self, name: &str) -> Result<Option<String>, AccessError> {
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

    /// The case called `name`, if there is one.
    pub fn case(&self, name: &str) -> Result<Option<Case>, AccessError> {
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
    pub fn cases(&self) -> Result<Vec<Case>, AccessError> {
        let connection = self.lock();
        let mut statement = connection.prepare("SELECT name, store FROM cases ORDER BY name")?;
        collect_rows(&mut statement, [], |row| Ok(case_from_row(row)?))
    }

    /// The cases `user` belongs to, with their role in each, by case name.
    /// (A server admin's access to every case is decided by the caller.)
    pub fn cases_of(&self, user: &str) -> Result<Vec<(Case, Role)>, AccessError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT c.name, c.store, m.role FROM memberships m
             JOIN cases c ON c.name = m.case_name
             WHERE m.user = ?1 ORDER BY c.name",
        )?;
        collect_rows(&mut statement, [user], |row| {
            let role: String = row.get(2)?;
            Ok((case_from_row(row)?, parse_role(&role)?))
        })
    }

    /// A user's memberships, by case name.
    pub fn memberships_of(&self, user: &str) -> Result<Vec<Membership>, AccessError> {
        Ok(self
            .memberships()?
            .into_iter()
            .filter(|membership| membership.user == user)
            .collect())
    }

    /// Every membership, by user and case.
    pub fn memberships(&self) -> Result<Vec<Membership>, AccessError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare("SELECT user, case_name, role FROM memberships ORDER BY user, case_name")?;
        collect_rows(&mut statement, [], |row| {
            let role: String = row.get(2)?;
            Ok(Membership {
                user: row.get(0)?,
                case: row.get(1)?,
                role: parse_role(&role)?,
            })
        })
    }
}

/// Adds a user. `password_hash` is a PHC string; a server admin manages users, cases and
/// the audit trail and sees every case.
pub(crate) fn insert_user(
    connection: &Connection,
    name: &str,
    password_hash: &str,
    is_admin: bool,
    now: DateTime<Utc>,
) -> Result<User, AccessError> {
    check_user_name(connection, name)?;
    let inserted = connection.execute(
        "INSERT OR IGNORE INTO users (name, password_hash, is_admin, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![name, password_hash, is_admin, rfc3339(now)],
    )?;
    if inserted == 0 {
        return Err(AccessError::AlreadyExists {
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

/// Replaces a user's password hash.
pub(crate) fn set_password_hash(
    connection: &Connection,
    name: &str,
    password_hash: &str,
) -> Result<(), AccessError> {
    let changed = connection.execute(
        "UPDATE users SET password_hash = ?2 WHERE name = ?1",
        params![name, password_hash],
    )?;
    require_changed(changed, "user", name)
}

/// Disables a user and ends all their sessions and API tokens at once.
pub(crate) fn disable_user(
    connection: &Connection,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AccessError> {
    let changed = connection.execute("UPDATE users SET disabled = 1 WHERE name = ?1", [name])?;
    require_changed(changed, "user", name)?;
    connection.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
    super::credentials::revoke_tokens_of(connection, name, now)?;
    // Links they made would let in people vouched for by someone no longer trusted.
    super::credentials::revoke_invitations_by(connection, name, now)?;
    Ok(())
}

/// Adds a case: a name for the store folder at `store`.
pub(crate) fn insert_case(
    connection: &Connection,
    name: &str,
    store: &Path,
    now: DateTime<Utc>,
) -> Result<Case, AccessError> {
    check_case_name(name)?;
    let store_text = store.to_str().ok_or_else(|| AccessError::InvalidName {
        what: "store path",
        name: store.display().to_string(),
        why: "it is not valid UTF-8; move the store to a plainly named folder",
    })?;
    let inserted = connection.execute(
        "INSERT OR IGNORE INTO cases (name, store, created_at) VALUES (?1, ?2, ?3)",
        params![name, store_text, rfc3339(now)],
    )?;
    if inserted == 0 {
        return Err(AccessError::AlreadyExists {
            what: "case",
            name: name.to_string(),
        });
    }
    Ok(Case {
        name: name.to_string(),
        store: store.to_path_buf(),
    })
}

/// Gives `user` a role in `case`, replacing any role they had there.
pub(crate) fn set_membership(
    connection: &Connection,
    user: &str,
    case: &str,
    role: Role,
) -> Result<(), AccessError> {
    if !exists(connection, "SELECT 1 FROM users WHERE name = ?1", user)? {
        return Err(not_found("user", user));
    }
    require_case(connection, case)?;
    connection.execute(
        "INSERT INTO memberships (user, case_name, role) VALUES (?1, ?2, ?3)
         ON CONFLICT (user, case_name) DO UPDATE SET role = excluded.role",
        params![user, case, role.code()],
    )?;
    Ok(())
}

/// Takes `user` out of `case`.
pub(crate) fn remove_membership(
    connection: &Connection,
    user: &str,
    case: &str,
) -> Result<(), AccessError> {
    let changed = connection.execute(
        "DELETE FROM memberships WHERE user = ?1 AND case_name = ?2",
        params![user, case],
    )?;
    require_changed(changed, "membership of", &format!("{user} in {case}"))
}

/// Fails with "no such case" unless a case called `name` exists.
pub(crate) fn require_case(connection: &Connection, name: &str) -> Result<(), AccessError> {
    if exists(connection, "SELECT 1 FROM cases WHERE name = ?1", name)? {
        Ok(())
    } else {
        Err(not_found("case", name))
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

pub(super) fn parse_role(text: &str) -> Result<Role, AccessError> {
    text.parse()
        .map_err(|_| AccessError::Corrupt(format!("role {text:?}")))
}

fn exists(connection: &Connection, sql: &str, key: &str) -> Result<bool, AccessError> {
    Ok(connection
        .query_row(sql, [key], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(super) fn not_found(what: &'static str, name: &str) -> AccessError {
    AccessError::NotFound {
        what,
        name: name.to_string(),
        hint: "`trove user list` and `trove case list` show what there is",
    }
}

fn require_changed(changed: usize, what: &'static str, name: &str) -> Result<(), AccessError> {
    if changed == 0 {
        Err(not_found(what, name))
    } else {
        Ok(())
    }
}

/// User names are shown everywhere (pages escape them); control characters
/// and surrounding spaces would only make two names look alike.
/// A new user name must be one a reader can tell apart: no invisible characters
/// (controls, zero-width, bidirectional overrides), and not the same as an existing name
/// once both are folded (NFKC, lower case): `ｖｅｒａ` or `Vera` next to `vera` would let one
/// person pass for another in the audit trail and the admin page.
pub(super) fn check_user_name(connection: &Connection, name: &str) -> Result<(), AccessError> {
    let invalid = |why| {
        Err(AccessError::InvalidName {
            what: "user name",
            name: name.to_string(),
            why,
        })
    };
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return invalid("a user name has 1 to 64 characters");
    }
    if name.trim() != name || name.chars().any(|c| c.is_control() || is_invisible(c)) {
        return invalid(
            "it has control, zero-width or direction-changing characters, or leading or trailing spaces",
        );
    }
    let folded = fold(name);
    let mut statement = connection.prepare_cached("SELECT name FROM users")?;
    let existing: Vec<String> = collect_rows(&mut statement, [], |row| row.get(0))?;
    if let Some(other) = existing
        .into_iter()
        .find(|other| other != name && fold(other) == folded)
    {
        return Err(AccessError::ConfusableName {
            name: name.to_string(),
            existing: other,
        });
    }
    Ok(())
}

/// Characters that change nothing a reader sees: zero-width spaces and joiners, the word
/// joiner and invisible operators, the byte-order mark, the soft hyphen, and the marks
/// and overrides of bidirectional text.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A name as compared for confusion: NFKC (full-width and compatibility forms to plain
/// ones), then lower case.
fn fold(name: &str) -> String {
    name.nfkc().collect::<String>().to_lowercase()
}

/// Case names appear in URLs (`/cases/NAME`), so they are kept to letters,
/// digits, `-`, `_` and `.`.
fn check_case_name(name: &str) -> Result<(), AccessError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty()
        || name.len() > MAX_NAME_CHARS
        || !name.chars().all(allowed)
        || name.starts_with('.')
    {
        return Err(AccessError::InvalidName {
            what: "case name",
            name: name.to_string(),
            why: "use 1 to 64 ASCII letters, digits, '-', '_' or '.', not starting with '.'",
        });
    }
    Ok(())
}
