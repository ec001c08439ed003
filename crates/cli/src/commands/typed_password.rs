//! A warning for a password typed into `--database`: every user of the machine can read
//! a process's command line (`ps`), while the password file, the environment and a store
//! folder's `database.url` stay the user's own.

use std::ffi::OsString;

/// Says so on stderr when a `--database` argument of this process holds a password.
pub fn warn_of_password_on_command_line() {
    if database_arguments(std::env::args_os().skip(1)).any(|url| names_a_password(&url)) {
        eprintln!(
            "warning: the password in --database can be read by every user of this machine \
             (ps); keep it in ~/.pgpass (chmod 600) or PGPASSWORD, or give the URL as \
             TROVE_DATABASE_URL or in a store folder's database.url"
        );
    }
}

/// The values given to `--database`, as `--database URL` or `--database=URL`.
fn database_arguments(args: impl Iterator<Item = OsString>) -> impl Iterator<Item = String> {
    let mut args = args.map(|arg| arg.to_string_lossy().into_owned());
    std::iter::from_fn(move || {
        while let Some(arg) = args.next() {
            if arg == "--database" {
                return args.next();
            }
            if let Some(url) = arg.strip_prefix("--database=") {
                return Some(url.to_owned());
            }
        }
        None
    })
}

/// Whether connection settings carry a password: `user:password@` in a URL, or a
/// `password=` setting.
fn names_a_password(settings: &str) -> bool {
    let in_url = settings.split_once("://").is_some_and(|(_, rest)| {
        let authority = rest.split(['/', '?']).next().unwrap_or_default();
        authority
            .rsplit_once('@')
            .is_some_and(|(user, _)| user.contains(':'))
    });
    in_url || settings.contains("password=")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_found_in_either_form() {
        assert!(names_a_password("postgres://trove:secret@db/cases"));
        assert!(names_a_password("host=db user=trove password=secret"));
        assert!(names_a_password(
            "postgres://trove@db/cases?password=secret"
        ));
        assert!(!names_a_password("postgres://trove@db:5432/cases"));
        assert!(!names_a_password(
            "postgres://db/cases?application_name=a:b@c"
        ));
    }

    #[test]
    fn both_spellings_of_the_argument_are_read() {
        let args = ["worker", "--database", "A", "--blobs", "b", "--database=B"];
        let found: Vec<String> = database_arguments(args.iter().map(OsString::from)).collect();
        assert_eq!(found, ["A", "B"]);
    }
}
