//! A PostgreSQL 15 server that a test starts for itself: `initdb` into a
//! temporary folder, `pg_ctl -w start` on a free port of 127.0.0.1 (the
//! unix socket in the same folder), one database per test, stopped when
//! the last test holding it lets go ([`Drop`]).
//!
//! The server binaries are looked for in `$POLYTM_PG_BIN`, else
//! `/usr/lib/postgresql/15/bin`. Without them a test is skipped (it prints
//! `skipped: PostgreSQL 15 not found` and passes), unless
//! `POLYTM_REQUIRE_POSTGRES=1` (CI), where it fails. `initdb` refuses to
//! run as root: as root, the folder is given to the `postgres` user and the
//! server runs as that user (`runuser -u postgres --`).
//!
//! Connections over TCP need the password ([`PASSWORD`]); the socket is
//! trusted (used to create databases).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};

pub const USER: &str = "polytm";
pub const PASSWORD: &str = "s3cret-pw";

pub struct Server {
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

static SERVER: Mutex<Weak<Server>> = Mutex::new(Weak::new());
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

fn bin_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("POLYTM_PG_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"));
    (dir.join("initdb").exists() && dir.join("pg_ctl").exists()).then_some(dir)
}

fn required() -> bool {
    std::env::var("POLYTM_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Server {
    /// The shared server, started when no test holds one; `None` (after
    /// printing why) when PostgreSQL is not installed and not required.
    pub fn get() -> Option<Arc<Server>> {
        let Some(bin) = bin_dir() else {
            if required() {
                panic!("PostgreSQL 15 not found (POLYTM_REQUIRE_POSTGRES=1)");
            }
            // past the test harness's capture: a skip is seen in every run
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "skipped: PostgreSQL 15 not found (Debian: apt-get install postgresql-15; POLYTM_REQUIRE_POSTGRES=1 makes this a failure)"
            );
            return None;
        };
        let mut slot = SERVER.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(s) = slot.upgrade() {
            return Some(s);
        }
        let s = Arc::new(Server::start(bin));
        *slot = Arc::downgrade(&s);
        Some(s)
    }

    fn start(bin: PathBuf) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("polytm-pg-")
            .tempdir()
            .unwrap();
        let as_postgres = is_root();
        let data = dir.path().join("data");
        std::fs::write(dir.path().join("pw"), PASSWORD).unwrap();
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(dir.path())
                .status()
                .unwrap()
                .success();
            assert!(ok, "chown to the postgres user (does it exist?)");
        }
        let mut s = Server {
            port: 0,
            dir,
            bin,
            as_postgres,
        };
        s.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                USER.as_ref(),
                "--pwfile".as_ref(),
                s.dir.path().join("pw").as_os_str(),
                "--auth-local=trust".as_ref(),
                "--auth-host=scram-sha-256".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        // a free port: taken by the OS, let go, given to the server
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        s.port = port;
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            s.dir.path().display()
        );
        s.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                s.dir.path().join("log").as_os_str(),
                "-o".as_ref(),
                opts.as_ref(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        );
        s
    }

    /// Run a server binary (as `postgres` when we are root); panic with
    /// its output when it fails.
    fn run(&self, name: &str, args: &[&std::ffi::OsStr]) {
        let mut c = self.command(name);
        c.args(args).current_dir(self.dir.path());
        let out = c.output().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            out.status.success(),
            "{name} failed: {}{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
        );
    }

    /// A server binary to run, as `postgres` when we are root.
    fn command(&self, name: &str) -> Command {
        let exe = self.bin.join(name);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        }
    }

    /// Run a client (`createdb`, `psql`) against the server, as its user.
    fn run_client(&self, name: &str, args: &[&std::ffi::OsStr]) {
        let port = self.port.to_string();
        let mut all: Vec<&std::ffi::OsStr> = vec![
            "-h".as_ref(),
            self.dir.path().as_os_str(),
            "-p".as_ref(),
            port.as_ref(),
            "-U".as_ref(),
            USER.as_ref(),
        ];
        all.extend_from_slice(args);
        self.run(name, &all);
    }

    /// A new, empty database; its URL (with the password).
    pub fn new_db(&self) -> String {
        let name = format!(
            "tm_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        self.run_client("createdb", &[name.as_ref()]);
        self.url(&name, PASSWORD)
    }

    /// The URL of database `name` with `password`.
    pub fn url(&self, name: &str, password: &str) -> String {
        format!(
            "postgres://{USER}:{password}@127.0.0.1:{}/{name}",
            self.port
        )
    }

    /// Run SQL on a database through `psql` (what the store does not
    /// offer: a newer schema, a foreign table).
    pub fn psql(&self, url: &str, sql: &str) {
        let db = url.rsplit('/').next().unwrap();
        self.run_client(
            "psql",
            &[
                "-v".as_ref(),
                "ON_ERROR_STOP=1".as_ref(),
                "-d".as_ref(),
                db.as_ref(),
                "-c".as_ref(),
                sql.as_ref(),
            ],
        );
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.port == 0 {
            return;
        }
        let data = self.dir.path().join("data");
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}
