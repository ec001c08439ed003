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

/// The password for `config` from the password file or `PGPASSWORD`, when `config` has
/// none of its own.
pub(super) fn password_for(config: &Config) -> Option<Vec<u8>> {
    if config.get_password().is_some() {
        return None;
    }
    let user = config.get_user()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        // libpq matches a socket connection against `localhost`.
        Some(Host::Unix(_)) | None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(DEFAULT_PORT);
    let database = config.get_dbname().unwrap_or(user);
    let wanted = [host.as_str(), &port.to_string(), database, user];
    password_file()
        .and_then(|text| find(&text, &wanted))
        .map(String::into_bytes)
        .or_else(|| std::env::var_os("PGPASSWORD").map(|p| p.into_encoded_bytes()))
}

/// The password file's text, unless it is missing or open to others than its owner.
fn password_file() -> Option<String> {
    let path = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    let mode = std::fs::metadata(&path).ok()?.permissions().mode();
    if mode & 0o077 != 0 {
        eprintln!(
            "warning: the password file {} is ignored: others than its owner may read it \
             (chmod 600 {0})",
            path.display()
        );
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The password of the first line of `text` whose four fields match `wanted` (host,
/// port, database, user).
fn find(text: &str, wanted: &[&str; 4]) -> Option<String> {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(fields)
        .find(|fields| {
            fields[..4]
                .iter()
                .zip(wanted)
                .all(|(field, wanted)| field == "*" || field == wanted)
        })
        .map(|mut fields| fields.swap_remove(4))
}

/// A line's five fields, unescaped; `None` for a line with fewer.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut()?.extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut()?.push(c),
        }
    }
    (fields.len() == 5).then_some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# the newsroom's servers\n\
        db.example:5432:cases:trove:first\\:one\n\
        *:*:*:trove:fallback\\\\\n\
        short:line\n";

    #[test]
    fn the_first_matching_line_wins_and_escapes_are_read() {
        assert_eq!(
            find(FILE, &["db.example", "5432", "cases", "trove"]).as_deref(),
            Some("first:one")
        );
        assert_eq!(
            find(FILE, &["elsewhere", "6543", "other", "trove"]).as_deref(),
            Some("fallback\\")
        );
        assert_eq!(find(FILE, &["db.example", "5432", "cases", "admin"]), None);
    }

    #[test]
    fn settings_with_a_password_keep_it() {
        let config: Config = "postgres://trove:typed@db.example/cases".parse().unwrap();
        assert_eq!(password_for(&config), None);
    }
}
