//! Users, cases and memberships: reads as methods, changes as functions over a
//! connection that the audited operations run inside their transaction.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use trove_model::{Case, Membership, Role, User};
use unicode_normalization::UnicodeNormalization;

use crate::sql::{Row, Sql, params};

use super::{AccessDb, AccessError, rfc3339};

/// Longest user or case name accepted.
const MAX_NAME_CHARS: usize = 64;

impl AccessDb {
    /// The user called `name`, if there is one.
    pub fn user(&self, name: &str) -> Result<Option<User>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT name, is_admin, disabled, created_at FROM users WHERE name = ?1",
                params![name],
                user_from_row,
            )
        })
    }

    /// The language code `name` chose for the workbench, if they chose one.
    pub fn language_of(&self, name: &str) -> Result<Option<String>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT language FROM user_settings WHERE user_name = ?1",
                params![name],
                |row| row.get(0),
            )
        })
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<User>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT name, is_admin, disabled, created_at FROM users ORDER BY name",
                &[],
                user_from_row,
            )
        })
    }

    /// The PHC password hash of an enabled user, for checking a login.
    /// `None` for an unknown or disabled user.
    pub fn password_hash(&self, name: &str) -> Result<Option<String>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT password_hash FROM users WHERE name = ?1 AND disabled = 0",
                params![name],
                |row| row.get(0),
            )
        })
    }

    /// The case called `name`, if there is one.
    pub fn case(&self, name: &str) -> Result<Option<Case>, AccessError> {
        self.unlocked(|db| {
            db.first(
                "SELECT name, store FROM cases WHERE name = ?1",
                params![name],
                case_from_row,
            )
        })
    }

    /// Every case, by name.
    pub fn cases(&self) -> Result<Vec<Case>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT name, store FROM cases ORDER BY name",
                &[],
                case_from_row,
            )
        })
    }

    /// The cases `user` belongs to, with their role in each, by case name.
    /// (A server admin's access to every case is decided by the caller.)
    pub fn cases_of(&self, user: &str) -> Result<Vec<(Case, Role)>, AccessError> {
        self.unlocked(|db| {
            db.all(
                "SELECT c.name, c.store, m.role FROM memberships m
                 JOIN cases c ON c.name = m.case_name
                 WHERE m.\"user\" = ?1 ORDER BY c.name",
                params![user],
                |row| Ok((case_from_row(row)?, parse_role(&row.get::<String>(2)?)?)),
            )
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
        self.unlocked(|db| {
            db.all(
                "SELECT \"user\", case_name, role FROM memberships ORDER BY \"user\", case_name",
                &[],
                |row| {
                    Ok(Membership {
                        user: row.get(0)?,
                        case: row.get(1)?,
                        role: parse_role(&row.get::<String>(2)?)?,
                    })
                },
            )
        })
    }
}

/// Adds a user. `password_hash` is a PHC string; a server admin manages users, cases and
/// the audit trail and sees every case.
pub(crate) fn insert_user(
    db: &mut dyn Sql,
    name: &str,
    password_hash: &str,
    is_admin: bool,
    now: DateTime<Utc>,
) -> Result<User, AccessError> {
    check_user_name(db, name)?;
    let inserted = db.execute(
        "INSERT INTO users (name, password_hash, is_admin, created_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
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
    db: &mut dyn Sql,
    name: &str,
    password_hash: &str,
) -> Result<(), AccessError> {
    let changed = db.execute(
        "UPDATE users SET password_hash = ?2 WHERE name = ?1",
        params![name, password_hash],
    )?;
    require_changed(changed, "user", name)
}

/// Disables a user and ends all their sessions and API tokens at once.
pub(crate) fn disable_user(
    db: &mut dyn Sql,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AccessError> {
    let changed = db.execute(
        "UPDATE users SET disabled = 1 WHERE name = ?1",
        params![name],
    )?;
    require_changed(changed, "user", name)?;
    db.execute("DELETE FROM sessions WHERE \"user\" = ?1", params![name])?;
    super::credentials::revoke_tokens_of(db, name, now)?;
    // Links they made would let in people vouched for by someone no longer trusted.
    super::credentials::revoke_invitations_by(db, name, now)?;
    Ok(())
}

/// Adds a case: a name for the store folder at `store`.
pub(crate) fn insert_case(
    db: &mut dyn Sql,
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
    let inserted = db.execute(
        "INSERT INTO cases (name, store, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
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
    db: &mut dyn Sql,
    user: &str,
    case: &str,
    role: Role,
) -> Result<(), AccessError> {
    if !db.exists("SELECT 1 FROM users WHERE name = ?1", params![user])? {
        return Err(not_found("user", user));
    }
    require_case(db, case)?;
    db.execute(
        "INSERT INTO memberships (\"user\", case_name, role) VALUES (?1, ?2, ?3)
         ON CONFLICT (\"user\", case_name) DO UPDATE SET role = excluded.role",
        params![user, case, role.code()],
    )?;
    Ok(())
}

/// Takes `user` out of `case`.
pub(crate) fn remove_membership(
    db: &mut dyn Sql,
    user: &str,
    case: &str,
) -> Result<(), AccessError> {
    let changed = db.execute(
        "DELETE FROM memberships WHERE \"user\" = ?1 AND case_name = ?2",
        params![user, case],
    )?;
    require_changed(changed, "membership of", &format!("{user} in {case}"))
}

/// Fails with "no such case" unless a case called `name` exists.
pub(crate) fn require_case(db: &mut dyn Sql, name: &str) -> Result<(), AccessError> {
    if db.exists("SELECT 1 FROM cases WHERE name = ?1", params![name])? {
        Ok(())
    } else {
        Err(not_found("case", name))
    }
}

fn user_from_row(row: &Row) -> Result<User, AccessError> {
    Ok(User {
        name: row.get(0)?,
        is_admin: row.get(1)?,
        disabled: row.get(2)?,
        created_at: row.get(3)?,
    })
}

fn case_from_row(row: &Row) -> Result<Case, AccessError> {
    Ok(Case {
        name: row.get(0)?,
        store: PathBuf::from(row.get::<String>(1)?),
    })
}

pub(super) fn parse_role(text: &str) -> Result<Role, AccessError> {
    text.parse()
        .map_err(|_| AccessError::Corrupt(format!("role {text:?}")))
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
pub(super) fn check_user_name(db: &mut dyn Sql, name: &str) -> Result<(), AccessError> {
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
    let existing: Vec<String> = db.all("SELECT name FROM users", &[], |row| row.get(0))?;
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
