//! Who may see what: users, cases, roles, and the audit trail of what they did.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a user may do in a case. Ordered: each role may do everything the
/// roles below it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads documents, records and statistics.
    Viewer,
    /// Also accepts or rejects candidate matches.
    Reviewer,
    /// Also sets verification statuses and edits the case's data.
    Editor,
    /// Also manages the case's members.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Reviewer, Role::Editor, Role::Admin];

    /// The role's name as users type it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Reviewer => "reviewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may do what `required` may.
    pub fn at_least(self, required: Role) -> bool {
        self >= required
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| ParseRoleError(text.to_string()))
    }
}

/// An account on a trove server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
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
    pub name: String,
    pub store: PathBuf,
}

/// A user's role in one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub user: String,
    pub case: String,
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
    pub case: Option<String>,
    /// What it was done to: a user name, a document, a person.
    pub target: Option<String>,
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
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!(" Editor ".parse::<Role>(), Ok(Role::Editor));
        assert!("owner".parse::<Role>().is_err());
    }
}
