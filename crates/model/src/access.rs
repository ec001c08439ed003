//! Who may see what: users, cases, roles, and the audit trail of what they did.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::coded_enum;

coded_enum! {
    /// What a user may do in a case. Ordered: each role may do everything the
    /// roles below it may.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Role {
        /// Reads documents, records and statistics.
        Viewer => "viewer",
        /// Also accepts or rejects candidate matches.
        Reviewer => "reviewer",
        /// Also sets verification statuses and edits the case's data.
        Editor => "editor",
        /// Also manages the case's members.
        Admin => "admin",
    }
}

impl Role {
    /// Whether this role may do what `required` may.
    pub fn at_least(self, required: Role) -> bool {
        self >= required
    }
}

/// A role name that is none of admin, editor, reviewer or viewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRoleError(pub String);

impl fmt::Display for ParseRoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a role; use admin, editor, reviewer or viewer",
            self.0
        )
    }
}

impl std::error::Error for ParseRoleError {}

impl FromStr for Role {
    type Err = ParseRoleError;

    /// Users type roles: any case, surrounding spaces ignored.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::from_code(&text.trim().to_ascii_lowercase())
            .ok_or_else(|| ParseRoleError(text.to_string()))
    }
}

/// An account on a trove server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Login name and key of the account: 1 to 64 characters, no control
    /// characters or surrounding spaces; shown as the actor in the audit trail.
    pub name: String,
    /// A server admin manages users, cases and the audit trail, and sees every case.
    pub is_admin: bool,
    /// A disabled user can no longer log in; their past actions stay in the audit trail.
    pub disabled: bool,
    /// When the account was made (RFC 3339, UTC).
    pub created_at: String,
}

/// A case: one store folder, the unit of access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// Name used in URLs (`/cases/NAME`): 1 to 64 ASCII letters, digits, `-`,
    /// `_` or `.`, not starting with `.`.
    pub name: String,
    /// The store folder holding this case's data, as registered (valid UTF-8).
    pub store: PathBuf,
}

/// A user's role in one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    /// The member's [`User::name`].
    pub user: String,
    /// The [`Case::name`] the role applies to.
    pub case: String,
    /// What the user may do in that case; a user has at most one role per case.
    pub role: Role,
}

/// One entry of the audit trail. Each event commits to the hash of the one
/// before it, so altering, removing or reordering events breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// 1 for the first event, then one more for each.
    pub seq: u64,
    /// When it happened (RFC 3339, UTC, microseconds).
    pub at: String,
    /// Who did it; `None` for the command line or an unauthenticated visitor.
    pub actor: Option<String>,
    /// What was done, as a short snake_case word: `login`, `login_failed`, `user_added`…
    pub action: String,
    /// The case it happened in; `None` for server-wide actions such as logins
    /// and user management.
    pub case: Option<String>,
    /// What it was done to: a user name, a document, a person.
    pub target: Option<String>,
    /// Free-text particulars for a human reader (`role reviewer`, `from the
    /// command line`…); may be empty. Covered by `hash` like the other fields.
    pub detail: String,
    /// The previous event's `hash` (64 zeros for the first event), as hex.
    pub prev_hash: String,
    /// BLAKE3 of `prev_hash` and this event's fields, as hex.
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_from_viewer_to_admin() {
        assert!(Role::Admin.at_least(Role::Editor));
        assert!(Role::Reviewer.at_least(Role::Reviewer));
        assert!(!Role::Viewer.at_least(Role::Reviewer));
    }

    #[test]
    fn roles_parse_their_own_names_and_reject_others() {
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Editor ".parse::<Role>(), Ok(Role::Editor));
        assert!("owner".parse::<Role>().is_err());
    }
}
