//! A password kept out of the connection settings, where libpq keeps it: the password
//! file (`PGPASSFILE`, else `~/.pgpass`) or `PGPASSWORD`. A password typed into
//! `--database` is visible to every user of the machine (`ps`); these are not.
//!
//! The file's format is libpq's (<https://www.postgresql.org/docs/current/libpq-pgpass.html>):
//! a line `hostname:port:database:username:password`, `*` matching anything in the first
//! four fields, `\:` and `\\` standing for `:` and `\`, the first matching line winning. As
//! libpq does, a file that others than its owner may read or write is ignored.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use postgres::Config;
use postgres::config::Host;

/// PostgreSQL's default port, for settings that name none.
const DEFAULT_PORT: u16 = 5432;

/// The password for `config` from `PGPASSWORD` or else the password file, when `config`
/// has none of its own (libpq's order: the variable stands for the password setting).
pub(super) fn password_for(config: &Config) -> Option<Vec<u8>> {
    if config.get_password().is_some() {
        return None;
    }
    if let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty()) {
        return Some(password.into_encoded_bytes());
    }
    // Settings that name no user log in as the system account, as the client does.
    let user = match config.get_user() {
        Some(user) => user.to_owned(),
        None => whoami::username().ok()?,
    };
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        // libpq matches a socket connection against `localhost`.
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(DEFAULT_PORT);
    let database = config.get_dbname().unwrap_or(&user).to_owned();
    let wanted = [host.as_str(), &port.to_string(), &database, &user];
    password_file()
        .and_then(|text| find(&text, &wanted))
        .map(String::into_bytes)
}

/// The password file's text, unless it is missing, no regular file, open to others than
/// its owner, or unreadable.
fn password_file() -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    let metadata = std::fs::metadata(&path).ok()?;
    if !metadata.is_file() {
        return None;
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        eprintln!(
            "warning: the password file {} is ignored: others than its owner may read it \
             (chmod 600 {0})",
            path.display()
        );
        return None;
    }
    // Said rather than passed over, as above: the connection would otherwise fail with
    // a bare authentication error (a file not in UTF-8, say).
    std::fs::read_to_string(&path)
        .inspect_err(|error| {
            eprintln!(
                "warning: the password file {} is ignored: {error}",
                path.display()
            );
        })
        .ok()
}

/// The password of the first line of `text` whose four fields match `wanted` (host,
/// port, database, user).
fn find(text: &str, wanted: &[&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(fields)
        .find(|(fields, _)| {
            fields
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field.matches(wanted))
        })
        .map(|(_, password)| password)
}

/// One of a line's first four fields.
struct Field {
    /// Unescaped.
    text: String,
    /// Written as a bare `*` (an escaped `\*` is a star, not a wildcard).
    any: bool,
}

impl Field {
    fn matches(&self, wanted: &str) -> bool {
        self.any || self.text == wanted
    }
}

/// A line's first four fields and its password (up to the next unescaped `:`, as libpq
/// reads it); `None` for a line with fewer fields.
fn fields(line: &str) -> Option<([Field; 4], String)> {
    let raw = raw_fields(line);
    let field = |raw: &str| Field {
        any: raw == "*",
        text: unescape(raw),
    };
    match raw[..] {
        [host, port, database, user, password, ..] => Some((
            [field(host), field(port), field(database), field(user)],
            unescape(password),
        )),
        _ => None,
    }
}

/// The line cut at its unescaped colons, escapes kept, into at most five fields.
fn raw_fields(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (at, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => {
                fields.push(&line[start..at]);
                start = at + 1;
                if fields.len() == 5 {
                    return fields;
                }
            }
            _ => {}
        }
    }
    fields.push(&line[start..]);
    fields
}

/// A field with `\x` read as `x`; a lone `\` at its end stays, as libpq keeps it.
fn unescape(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.push(chars.next().unwrap_or('\\')),
            c => text.push(c),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# the newsroom's servers\n\
        db.example:5432:cases:trove:first\\:one:ignored\n\
        \\*:*:*:trove:a star, not any host\n\
        *:*:*:trove:fallback\\\\\n\
        short:line\n";

    #[test]
    fn the_first_matching_line_wins_and_escapes_are_read() {
        assert_eq!(
            find(FILE, &["db.example", "5432", "cases", "trove"]).as_deref(),
            Some("first:one"),
            "the password ends at the next unescaped colon"
        );
        assert_eq!(
            find(FILE, &["elsewhere", "6543", "other", "trove"]).as_deref(),
            Some("fallback\\")
        );
        assert_eq!(
            find(FILE, &["*", "1", "x", "trove"]).as_deref(),
            Some("a star, not any host")
        );
        assert_eq!(find(FILE, &["db.example", "5432", "cases", "admin"]), None);
    }

    #[test]
    fn a_lone_backslash_at_the_end_is_kept_as_libpq_keeps_it() {
        let file = "db:5432:cases:trove:ends with\\\n";
        assert_eq!(
            find(file, &["db", "5432", "cases", "trove"]).as_deref(),
            Some("ends with\\")
        );
    }

    #[test]
    fn settings_with_a_password_keep_it() {
        let config: Config = "postgres://trove:typed@db.example/cases".parse().unwrap();
        assert_eq!(password_for(&config), None);
    }
}
