//! Who asks for a change: it is written into the change's audit event.

/// Who made a change: a user of the workbench, or someone at the server's command line
/// (who has the server folder, and so every right, but no account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A logged-in user (or their API token).
    User(String),
    /// A `trove` command run on the server.
    CommandLine,
    /// `trove demo --serve`, setting up the demo case.
    Demo,
}

impl Actor {
    /// A logged-in user.
    pub fn user(name: &str) -> Self {
        Actor::User(name.to_owned())
    }

    /// The user's name, when a user acted (the event's actor column).
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::User(name) => Some(name),
            Actor::CommandLine | Actor::Demo => None,
        }
    }

    /// `detail` with where the change came from when no user made it.
    pub(crate) fn describe(&self, detail: String) -> String {
        let origin = match self {
            Actor::User(_) => return detail,
            Actor::CommandLine => "from the command line",
            Actor::Demo => "by trove demo",
        };
        if detail.is_empty() {
            origin.to_owned()
        } else {
            format!("{detail}, {origin}")
        }
    }
}
