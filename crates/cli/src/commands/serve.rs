//! `trove serve`: the web workbench, and the `--server` folder that the
//! user and case commands share with it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use trove_access::AccessDb;
use trove_web::AppConfig;

/// The server folder: `access.sqlite` (users, cases, sessions, audit trail).
#[derive(Debug, Args)]
pub struct ServerDir {
    /// The server folder, holding the users, cases and audit trail.
    #[arg(long = "server", env = "TROVE_SERVER", default_value = "trove-server")]
    pub dir: PathBuf,
}

impl ServerDir {
    /// Opens (or creates) the server folder's access database.
    pub fn open(&self) -> anyhow::Result<AccessDb> {
        open_access(&self.dir)
    }
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
