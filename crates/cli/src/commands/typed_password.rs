//! A warning for a password typed into `--database` (or `trove migrate --to`): every user of the machine can read
//! a process's command line (`ps`), while the password file, the environment and a store
//! folder's `database.url` stay the user's own.

use std::ffi::OsString;

use trove_store::PgPool;

/// The arguments that take connection settings.
const SETTINGS_ARGUMENTS: [&str; 2] = ["--database", "--to"];

/// Says so on stderr when a `--database` or `--to` argument of this process holds a
/// password.
pub fn warn_of_password_on_command_line() {
    let typed = settings_arguments(std::env::args_os().skip(1));
    if typed
        .iter()
        .any(|settings| PgPool::names_a_password(settings))
    {
        eprintln!(
            "warning: the password in the database's settings can be read by every user of \
             this machine (ps); keep it in ~/.pgpass (chmod 600) or PGPASSWORD, or give the \
             URL as TROVE_DATABASE_URL or in a store folder's database.url"
        );
    }
}

/// The values given to `--database` or `--to`, as `--database URL` or `--database=URL`.
fn settings_arguments(args: impl Iterator<Item = OsString>) -> Vec<String> {
    let mut args = args.map(|arg| arg.to_string_lossy().into_owned());
    let mut found = Vec::new();
    while let Some(arg) = args.next() {
        for name in SETTINGS_ARGUMENTS {
            if arg == name {
                found.extend(args.next());
            } else if let Some(value) = arg.strip_prefix(name).and_then(|v| v.strip_prefix('=')) {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_in_either_form() {
        assert!(PgPool::names_a_password("postgres://trove:secret@db/cases"));
        assert!(PgPool::names_a_password("postgres://trove:pa/ss@db/cases"));
        assert!(PgPool::names_a_password(
            "host=db user=trove password = secret"
        ));
        assert!(PgPool::names_a_password(
            "postgres://trove@db/cases?password=secret"
        ));
        assert!(!PgPool::names_a_password("postgres://trove@db:5432/cases"));
        assert!(!PgPool::names_a_password(
            "postgres://trove@db/cases?sslmode=verify-full"
        ));
    }

    #[test]
    fn every_spelling_of_the_arguments_is_read() {
        let args = [
            "worker",
            "--database",
            "A",
            "--blobs",
            "b",
            "--database=B",
            "--to=C",
        ];
        let found = settings_arguments(args.iter().map(OsString::from));
        assert_eq!(found, ["A", "B", "C"]);
    }
}
