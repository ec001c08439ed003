//! `trove demo --serve`: after the tour, the demo as a case of the web workbench. The
//! relatives' list is imported and cross-referenced (so the review queue has candidates),
//! a server folder beside the demo registers the store as the case `demo`, and an admin
//! `demo` gets a random password, printed once and kept in a file only its owner can read.

use std::fs;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rand::distr::{Alphanumeric, SampleString};
use trove_access::{Actor, Grant, NewAccount};
use trove_web::AppConfig;

use super::lists::{ImportArgs, ListsCommand};
use super::serve::open_access;
use super::xref::XrefArgs;

const CASE: &str = "demo";
const ADMIN: &str = "demo";
const LIST: &str = "relatives";

/// Imports the relatives' list, cross-references it, sets up the server folder and serves
/// until Ctrl-C.
pub fn serve_demo(store: &Path, demo_dir: &Path, listen: SocketAddr) -> anyhow::Result<()> {
    let relatives = demo_dir.join("relatives.csv");
    if relatives.is_file() {
        super::lists::run(
            store,
            &ListsCommand::Import(ImportArgs {
                file: relatives,
                name: LIST.to_owned(),
                map: None,
                shared: super::SharedCatalogArg::default(),
            }),
        )?;
        super::xref::run(
            store,
            &XrefArgs {
                list: LIST.to_owned(),
                min_score: trove_names::xref::DEFAULT_MIN_SCORE,
                max_per_entry: trove_names::xref::DEFAULT_MAX_PER_ENTRY,
                json: false,
                quiet: true,
                shared: super::SharedCatalogArg::default(),
            },
        )?;
    }
    let server_dir = demo_dir.join("server");
    let password = ensure_case_and_admin(&server_dir, store)?;
    println!(
        "\nthe workbench: http://{listen}  (user {ADMIN}, password {password}; kept in {})",
        password_file(&server_dir).display()
    );
    let config = AppConfig {
        server_dir,
        secure_cookies: false,
        trusted_proxy: None,
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the web server's runtime")?;
    println!("serving until Ctrl-C");
    runtime.block_on(trove_web::serve(config, listen))?;
    Ok(())
}

fn password_file(server_dir: &Path) -> PathBuf {
    server_dir.join("demo-password.txt")
}

/// Registers the case and its admin on the first run; later runs reuse both. Returns the
/// admin's password.
fn ensure_case_and_admin(server_dir: &Path, store: &Path) -> anyhow::Result<String> {
    let db = open_access(server_dir)?;
    if db.case(CASE)?.is_none() {
        db.add_case(CASE, store, &Actor::Demo)?;
    }
    let file = password_file(server_dir);
    if db.user(ADMIN)?.is_some()
        && let Ok(password) = fs::read_to_string(&file)
    {
        return Ok(password.trim().to_owned());
    }
    let password = Alphanumeric.sample_string(&mut rand::rng(), 20);
    if db.user(ADMIN)?.is_some() {
        db.set_password(ADMIN, &password, &Actor::Demo)?;
    } else {
        let account = NewAccount {
            name: ADMIN,
            password: &password,
            grant: &Grant::ServerAdmin,
        };
        db.add_user(account, &Actor::Demo)?;
    }
    write_private(&file, &password)?;
    Ok(password)
}

/// Writes a file only its owner can read.
pub(super) fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    writeln!(file, "{text}").with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
