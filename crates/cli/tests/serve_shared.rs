//! Two `trove serve` processes behind one PostgreSQL access database, each with its own
//! server folder (as on two machines behind a load balancer): a user added on one
//! folder logs in through one process and is let in by the other with the same cookie;
//! a form rendered by one is accepted by the other; guesses made through one lock the
//! name out in both; and the audit events of both form one chain that `trove verify`
//! finds intact. Skips without `TROVE_TEST_DATABASE_URL`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use trove_store::testing::TestSchema;

const PASSWORD: &str = "a long enough password";

mod common;

use common::trove_on_server as trove;

fn succeeded(output: Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A `trove serve` process, killed when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Serve {
    fn start(server: &Path, url: &str) -> Serve {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_trove"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--server")
            .arg(server)
            .args(["--database", url])
            .env_remove("TROVE_SERVER")
            .stdout(Stdio::null())
            .spawn()
            .expect("trove serve starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "trove serve did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        Serve { child, port }
    }

    /// One HTTP/1.1 request; the status, the `Set-Cookie` values and the body.
    fn request(&self, method: &str, path: &str, cookie: &str, form: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n{form}",
            form.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Reply::parse(&String::from_utf8_lossy(&raw))
    }

    fn get(&self, path: &str, cookie: &str) -> Reply {
        self.request("GET", path, cookie, "")
    }

    /// Posts the login form: its token and cookie taken from `page`.
    fn log_in(&self, page: &Reply, name: &str, password: &str) -> Reply {
        let form = format!(
            "csrf={}&name={name}&password={}",
            page.csrf(),
            password.replace(' ', "+")
        );
        self.request("POST", "/login", &page.cookie("trove_visitor"), &form)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    cookies: Vec<String>,
    body: String,
}

impl Reply {
    fn parse(raw: &str) -> Reply {
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        let mut cookies = Vec::new();
        let mut chunked = false;
        for line in lines {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let name = name.to_ascii_lowercase();
            if name == "set-cookie" {
                cookies.push(value.trim().split(';').next().unwrap_or("").to_owned());
            }
            chunked |= name == "transfer-encoding" && value.contains("chunked");
        }
        let body = if chunked {
            unchunk(body)
        } else {
            body.to_owned()
        };
        Reply {
            status,
            cookies,
            body,
        }
    }

    /// `name=value` of the cookie called `name` this reply set.
    fn cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|cookie| cookie.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} cookie in {:?}", self.cookies))
            .clone()
    }

    /// The CSRF token of the page's form.
    fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let start = self.body.find(marker).expect("a form with a token") + marker.len();
        let end = start + self.body[start..].find('"').unwrap();
        self.body[start..end].to_owned()
    }
}

fn unchunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

#[test]
fn two_servers_share_users_sessions_lockouts_and_one_audit_chain() {
    let Some(schema) = TestSchema::create() else {
        return;
    };
    let url = schema.url();
    let dir = tempfile::tempdir().unwrap();
    let (folder_a, folder_b) = (dir.path().join("server-a"), dir.path().join("server-b"));
    let store = dir.path().join("store");
    trove_store::Store::open(&store).unwrap();
    let password_file = dir.path().join("password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();

    // Set up through folder A; folder B knows only the database.
    let case_store = store.to_str().unwrap();
    let add_case = [
        "case",
        "add",
        "demo",
        "--case-store",
        case_store,
        "--database",
        &url,
    ];
    succeeded(trove(&folder_a, &add_case));
    let password = password_file.to_str().unwrap();
    let add_vera = ["user", "add", "vera", "--role", "viewer", "--case", "demo"];
    succeeded(trove(
        &folder_a,
        &[&add_vera[..], &["--password-file", password]].concat(),
    ));
    assert!(
        !folder_a.join("access.sqlite").exists(),
        "the users are in PostgreSQL"
    );
    let users = succeeded(trove(&folder_b, &["user", "list", "--database", &url]));
    assert!(users.contains("vera"), "{users}");

    let a = Serve::start(&folder_a, &url);
    let b = Serve::start(&folder_b, &url);

    // Logged in through A, let in by B.
    let logged_in = a.log_in(&a.get("/login", ""), "vera", PASSWORD);
    assert_eq!(logged_in.status, 303, "{}", logged_in.body);
    let session = logged_in.cookie("trove_session");
    let cases = b.get("/", &session);
    assert_eq!(cases.status, 200, "{}", cases.body);
    assert!(cases.body.contains("demo"), "B shows vera her case");

    // Guesses through B (on forms A rendered: one key for both) lock the name out in A.
    // The fifth failure starts the lock-out, and says so.
    for guess in 1..=5 {
        let refused = b.log_in(&a.get("/login", ""), "vera", "wrong guess");
        let expected = if guess < 5 { 401 } else { 429 };
        assert_eq!(refused.status, expected, "guess {guess}: {}", refused.body);
    }
    let locked = a.log_in(&b.get("/login", ""), "vera", PASSWORD);
    assert_eq!(locked.status, 429, "{}", locked.body);
    drop((a, b));

    let verified = succeeded(
        Command::new(env!("CARGO_BIN_EXE_trove"))
            .args(["verify", "--store", case_store, "--server"])
            .arg(&folder_b)
            .output()
            .unwrap(),
    );
    assert!(verified.contains("chain intact"), "{verified}");
    let count = |action: &str| {
        let args = ["audit", "list", "--count", "--action", action];
        succeeded(trove(&folder_a, &args)).trim().to_owned()
    };
    assert_eq!(count("login"), "1");
    assert_eq!(count("lockout"), "1");
    assert_eq!(
        count("login_failed"),
        "6",
        "five guesses and the locked-out try"
    );
}
