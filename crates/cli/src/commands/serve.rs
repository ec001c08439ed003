//! `trove serve`: the web workbench, and the `--server` folder that the
//! user and case commands share with it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_access::AccessDb;
use trove_web::AppConfig;

/// The server folder: `access.sqlite` (users, cases, sessions, audit trail), or in
/// server mode `database.url`, naming the PostgreSQL database that holds them for every
/// `trove serve` process.
#[derive(Debug, Args)]
pub struct ServerDir {
    /// The server folder, holding the users, cases and audit trail (or where they are)
    /// and the audit signing key.
    #[arg(long = "server", env = "TROVE_SERVER", default_value = "trove-server")]
    pub dir: PathBuf,
    /// Keep users, sessions, lock-outs and the audit trail in this PostgreSQL database
    /// (postgres://user@host:port/name), shared by every `trove serve` process given it.
    /// Recorded in the server folder, so later commands on the folder find it.
    #[arg(long = "database")]
    pub database: Option<String>,
}

impl ServerDir {
    /// Opens (or creates) the server folder's access database.
    pub fn open(&self) -> anyhow::Result<AccessDb> {
        if let Some(url) = &self.database {
            point_at_shared_database(&self.dir, url)?;
        }
        open_access(&self.dir)
    }
}

/// Records `url` as the server folder's access database (`database.url`), unless the
/// folder already keeps its users elsewhere: a folder holds one access database.
fn point_at_shared_database(dir: &Path, url: &str) -> anyhow::Result<()> {
    let url_file = dir.join(trove_store::DATABASE_FILE);
    match std::fs::read_to_string(&url_file) {
        Ok(known) if known.trim() == url.trim() => return Ok(()),
        Ok(_) => anyhow::bail!(
            "the server folder {} already uses another shared database (its {}); \
             give the same --database or use another folder",
            dir.display(),
            trove_store::DATABASE_FILE
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => {
            return Err(error).with_context(|| format!("reading {}", url_file.display()));
        }
    }
    if dir.join(trove_access::ACCESS_DB_FILE).exists() {
        anyhow::bail!(
            "the server folder {} keeps its users in {}; use a new folder for a shared \
             database (add the users and cases there again)",
            dir.display(),
            trove_access::ACCESS_DB_FILE
        );
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    // Readable by its owner only: the URL may hold a password.
    super::demo_serve::write_private(&url_file, url.trim())
}

pub fn open_access(dir: &Path) -> anyhow::Result<AccessDb> {
    AccessDb::open_in(dir).with_context(|| format!("opening the server folder {}", dir.display()))
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. Keep it on loopback unless a TLS proxy is in front.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Mark cookies Secure: set this when users reach the server over HTTPS (through a proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    /// The address of the reverse proxy in front of the server (127.0.0.1, say): only
    /// from it are X-Forwarded-For and Forwarded believed, so that login limits and the
    /// audit trail see each client's own address, not the proxy's.
    #[arg(long)]
    pub trusted_proxy: Option<std::net::IpAddr>,
    #[command(flatten)]
    pub server: ServerDir,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let db = args.server.open()?;
    if db.users()?.is_empty() {
        eprintln!(
            "note: {} has no users yet; add one with `trove user add NAME --role admin --server {}`",
            args.server.dir.display(),
            args.server.dir.display()
        );
    }
    drop(db);
    let config = AppConfig {
        server_dir: args.server.dir.clone(),
        secure_cookies: args.secure_cookies,
        trusted_proxy: args.trusted_proxy,
    };
    let runtime = tokio::runtime::Runtime::new().context("starting the web server's runtime")?;
    println!(
        "serving the workbench on http://{} (Ctrl-C stops it)",
        args.listen
    );
    runtime.block_on(trove_web::serve(config, args.listen))?;
    Ok(ExitCode::SUCCESS)
}
