//! Output files that never destroy what the user has.
//!
//! Every file polytm writes (`export -o`, `glossary export -o`,
//! `pretranslate -o/--html`, `analyze --html`, index files ...) goes
//! through [`Output`]:
//!
//! - **Nothing protected is replaced.** The open database, its `-wal`,
//!   `-shm` and `-journal` companions and its index folder, and every input
//!   of the command, are [`Protected`]; an output naming one of them, as
//!   given, through `./`, `..`, a hard link or a symbolic link, is refused
//!   before anything is written.
//! - **Special files are written into, not replaced.** `-` and
//!   `/dev/stdout` are standard output; a character device (`/dev/null`), a
//!   FIFO or a socket is opened and written; only a regular file (or a name
//!   not yet taken) is written through a temporary file renamed into place,
//!   so that a reader never sees half a file. A symbolic link keeps
//!   pointing where it did: the file it names is replaced.
//! - **No temporary file outlives the run.** Temporary files are named
//!   `.polytm-PID-RANDOM.part`; they are removed when the output is
//!   dropped unfinished, by [`remove_temporaries`] when the process is
//!   stopped by a signal, and, after a `kill -9`, by the next output
//!   written to the same folder (the process named in the file is gone).
//! - **Modes follow the umask**, as for any file the user creates; a file
//!   replaced keeps its mode.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result, display_path};

/// Files no output may replace.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// (what it is, for the message; the path as absolute as we can make it)
    entries: Vec<(String, PathBuf)>,
}

impl Protected {
    pub fn new() -> Protected {
        Protected::default()
    }

    /// The database file at `path`, its companions and its index folder.
    pub fn database(mut self, path: &Path) -> Protected {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        self.add("the open database", path);
        if let Some(name) = name {
            for suffix in ["-wal", "-shm", "-journal", "-fuzzy"] {
                let companion = path.with_file_name(format!("{name}{suffix}"));
                self.add("a file of the open database", &companion);
            }
        }
        self
    }

    /// An input of the command.
    pub fn input(mut self, path: &Path) -> Protected {
        if path.as_os_str() != "-" {
            self.add("an input of this command", path);
        }
        self
    }

    /// Several inputs.
    pub fn inputs<'a>(mut self, paths: impl IntoIterator<Item = &'a Path>) -> Protected {
        for p in paths {
            self = self.input(p);
        }
        self
    }

    fn add(&mut self, what: &str, path: &Path) {
        self.entries.push((what.to_string(), absolute(path)));
    }

    /// Refuse `path` when it is one of the protected files (or inside the
    /// database's index folder).
    pub fn check(&self, path: &Path) -> Result<()> {
        if is_stdout(path) {
            return Ok(());
        }
        let target = absolute(path);
        let target_id = file_id(path);
        for (what, p) in &self.entries {
            let same = target == *p
                || target.starts_with(p) && p.is_dir()
                || (target_id.is_some() && target_id == file_id(p));
            if same {
                return Err(Error::usage(format!(
                    "{}: this is {what}; writing there would destroy it (choose another file)",
                    display_path(path)
                )));
            }
        }
        Ok(())
    }
}

/// `-` or `/dev/stdout`: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-" || path == Path::new("/dev/stdout")
}

/// `path` made absolute, with its folder's symbolic links and `..`
/// resolved, and the file itself resolved when it is a link that exists.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    // not there (yet): resolve the folder, keep the name
    let name = path.file_name();
    let parent = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (std::fs::canonicalize(&parent), name) {
        (Ok(d), Some(n)) => d.join(n),
        _ => std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Device and inode: the same file under any name.
#[cfg(unix)]
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<(u64, u64)> {
    None
}

// ---------------------------------------------------------------------------
// Temporary files known to the process, for a signal handler

static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register(p: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.push(p.to_path_buf());
    }
}

fn unregister(p: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.retain(|x| x != p);
    }
}

/// Remove every temporary file this process has open (a signal handler
/// calls it before the process exits).
pub fn remove_temporaries() {
    remove_registered(|_| true);
}

/// Remove the temporary files this process has open that `which` picks.
fn remove_registered(which: impl Fn(&Path) -> bool) {
    // a poisoned lock still holds the list
    let list = match TEMPORARIES.lock() {
        Ok(t) => t.clone(),
        Err(p) => p.into_inner().clone(),
    };
    for p in list.iter().filter(|p| which(p)) {
        // already gone (renamed into place, removed): nothing to do
        let _ = std::fs::remove_file(p);
    }
}

const PREFIX: &str = ".polytm-";
const SUFFIX: &str = ".part";

/// Remove the temporary files of processes that are gone (killed with
/// SIGKILL, say) from `dir`. Best effort: what cannot be read or removed
/// stays.
pub fn remove_stale(dir: &Path) {
    #[cfg(target_os = "linux")]
    {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(pid) = stale_pid(name) else { continue };
            if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
                // removed by another process meanwhile: as good
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
}

/// The process id in a temporary file's name `.polytm-PID-RANDOM.part`.
fn stale_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty()).then_some(())?;
    pid.parse().ok()
}

/// A temporary file beside `dest`, named for [`remove_stale`], with the
/// umask's mode. Registered for [`remove_temporaries`]; removed on drop
/// unless persisted.
pub struct Temporary {
    file: Option<tempfile::NamedTempFile>,
}

impl Temporary {
    /// A temporary file in `dir`.
    pub fn new_in(dir: &Path) -> io::Result<Temporary> {
        remove_stale(dir);
        let mut b = tempfile::Builder::new();
        let prefix = format!("{PREFIX}{}-", std::process::id());
        b.prefix(&prefix).suffix(SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // the umask decides, as for any file the user creates
            b.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = b.tempfile_in(dir)?;
        register(file.path());
        Ok(Temporary { file: Some(file) })
    }

    pub fn path(&self) -> &Path {
        self.file.as_ref().map_or(Path::new(""), |f| f.path())
    }

    pub fn as_file(&self) -> &File {
        self.file.as_ref().expect("a temporary file").as_file()
    }

    pub fn as_file_mut(&mut self) -> &mut File {
        self.file.as_mut().expect("a temporary file").as_file_mut()
    }

    /// Rename it to `dest` (replacing what is there).
    pub fn persist(mut self, dest: &Path) -> io::Result<()> {
        let f = self.file.take().expect("a temporary file");
        let tmp = f.path().to_path_buf();
        let r = f.persist(dest).map(|_| ()).map_err(|e| e.error);
        unregister(&tmp);
        r
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            let p = f.path().to_path_buf();
            drop(f); // removes it
            unregister(&p);
        }
    }
}

impl Write for Temporary {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.as_file_mut().write(b)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.as_file_mut().flush()
    }
}

// ---------------------------------------------------------------------------
// Output

enum Sink {
    Stdout(io::BufWriter<io::Stdout>),
    /// A device, FIFO or socket: written into.
    Special(io::BufWriter<File>),
    /// A regular file: a temporary file renamed over `dest` at the end.
    Replace {
        tmp: io::BufWriter<Temporary>,
        dest: PathBuf,
        /// The mode of the file replaced.
        mode: Option<u32>,
    },
}

/// One output file (or standard output), written whole or not at all.
pub struct Output {
    sink: Sink,
    /// The name to put on errors: as the user gave it.
    name: PathBuf,
}

impl Output {
    /// Open `path` for writing after checking it against `protected`.
    pub fn create(path: &Path, protected: &Protected) -> Result<Output> {
        protected.check(path)?;
        let name = path.to_path_buf();
        if is_stdout(path) {
            return Ok(Output {
                sink: Sink::Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())),
                name,
            });
        }
        let io = |e: io::Error| Error::io(path, e);
        // follow a symbolic link: the file it names is replaced, the link stays
        let real = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(path).unwrap_or_else(|_| {
                    // a dangling link: write where it points
                    std::fs::read_link(path)
                        .map(|t| match path.parent() {
                            Some(d) if t.is_relative() => d.join(t),
                            _ => t,
                        })
                        .unwrap_or_else(|_| path.to_path_buf())
                })
            }
            _ => path.to_path_buf(),
        };
        let meta = std::fs::metadata(&real).ok();
        if let Some(m) = &meta {
            if m.is_dir() {
                return Err(Error::Io {
                    file: display_path(path),
                    msg: "is a folder, not a file".into(),
                });
            }
            if !m.is_file() {
                // a device, FIFO or socket: write into it
                let f = OpenOptions::new().write(true).open(&real).map_err(io)?;
                return Ok(Output {
                    sink: Sink::Special(io::BufWriter::with_capacity(1 << 16, f)),
                    name,
                });
            }
        }
        let dir = match real.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = Temporary::new_in(&dir).map_err(|e| folder_error(&dir, e))?;
        #[cfg(unix)]
        let mode = {
            use std::os::unix::fs::PermissionsExt;
            meta.map(|m| m.permissions().mode())
        };
        #[cfg(not(unix))]
        let mode = None;
        Ok(Output {
            sink: Sink::Replace {
                tmp: io::BufWriter::with_capacity(1 << 16, tmp),
                dest: real,
                mode,
            },
            name,
        })
    }

    /// The name as given (for messages).
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// Is this standard output?
    pub fn is_stdout(&self) -> bool {
        matches!(self.sink, Sink::Stdout(_))
    }

    /// An error of writing this output.
    pub fn error(&self, e: io::Error) -> Error {
        match self.sink {
            Sink::Stdout(_) => Error::stdout(e),
            _ => Error::io(&self.name, e),
        }
    }

    /// Everything written: flush, and put the file in place.
    pub fn finish(self) -> Result<()> {
        let name = self.name;
        let io = |e: io::Error| Error::io(&name, e);
        match self.sink {
            Sink::Stdout(mut w) => w.flush().map_err(Error::stdout),
            Sink::Special(mut w) => w.flush().map_err(io),
            Sink::Replace { tmp, dest, mode } => {
                let tmp = tmp.into_inner().map_err(|e| io(e.into_error()))?;
                tmp.as_file().sync_all().map_err(io)?;
                #[cfg(unix)]
                if let Some(mode) = mode {
                    use std::os::unix::fs::PermissionsExt;
                    tmp.as_file()
                        .set_permissions(std::fs::Permissions::from_mode(mode))
                        .map_err(io)?;
                }
                #[cfg(not(unix))]
                let _ = mode;
                tmp.persist(&dest).map_err(io)
            }
        }
    }
}

impl Write for Output {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write(b),
            Sink::Special(w) => w.write(b),
            Sink::Replace { tmp, .. } => tmp.write(b),
        }
    }

    fn write_all(&mut self, b: &[u8]) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.write_all(b),
            Sink::Special(w) => w.write_all(b),
            Sink::Replace { tmp, .. } => tmp.write_all(b),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(w) => w.flush(),
            Sink::Special(w) => w.flush(),
            Sink::Replace { tmp, .. } => tmp.flush(),
        }
    }
}

/// A temporary file cannot be made in `dir`: say why in the user's words.
fn folder_error(dir: &Path, e: io::Error) -> Error {
    let why = match e.kind() {
        io::ErrorKind::NotFound => "folder does not exist".to_string(),
        io::ErrorKind::PermissionDenied => {
            "cannot write in this folder (permission denied)".to_string()
        }
        _ => format!("cannot write in this folder: {}", Error::io(dir, e)),
    };
    Error::Io {
        file: crate::error::display_path(dir),
        msg: why,
    }
}

/// Write several outputs all or none: each to its temporary file first,
/// then all renamed into place (standard output last).
pub fn write_all(outputs: Vec<(Output, &[u8])>) -> Result<()> {
    let mut ready = Vec::new();
    let mut stdout = Vec::new();
    for (mut o, content) in outputs {
        if o.is_stdout() {
            stdout.push((o, content));
            continue;
        }
        o.write_all(content).map_err(|e| o.error(e))?;
        ready.push(o);
    }
    for o in ready {
        o.finish()?;
    }
    for (mut o, content) in stdout {
        o.write_all(content).map_err(|e| o.error(e))?;
        o.finish()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_and_inputs_are_refused_under_any_name() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("tm.db");
        std::fs::write(&db, b"SQLite format 3\0").unwrap();
        let input = dir.path().join("in.tsv");
        std::fs::write(&input, b"en\tru\n").unwrap();
        // the database is given relative to the working folder elsewhere:
        // compare absolute paths
        let p = Protected::new().database(&db).input(&input);
        assert!(p.check(&db).is_err());
        assert!(p.check(&dir.path().join("./tm.db")).is_err());
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(p.check(&dir.path().join("sub/../tm.db")).is_err());
        // companions, whether they exist yet or not
        assert!(p.check(&dir.path().join("tm.db-wal")).is_err());
        assert!(p.check(&dir.path().join("tm.db-shm")).is_err());
        std::fs::create_dir(dir.path().join("tm.db-fuzzy")).unwrap();
        assert!(p.check(&dir.path().join("tm.db-fuzzy/en.idx")).is_err());
        assert!(p.check(&input).is_err());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.db");
            std::os::unix::fs::symlink(&db, &link).unwrap();
            assert!(p.check(&link).is_err());
            let hard = dir.path().join("hard.db");
            std::fs::hard_link(&db, &hard).unwrap();
            assert!(p.check(&hard).is_err());
        }
        assert!(p.check(&dir.path().join("out.tmx")).is_ok());
        assert!(p.check(Path::new("-")).is_ok());
        let e = Output::create(&db, &p).err().unwrap().to_string();
        assert!(e.contains("open database"), "{e}");
        assert_eq!(std::fs::read(&db).unwrap(), b"SQLite format 3\0");
    }

    #[test]
    fn a_file_is_replaced_whole_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out.txt");
        std::fs::write(&out, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        let mut o = Output::create(&out, &Protected::new()).unwrap();
        o.write_all(b"new").unwrap();
        // not there until finished
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old");
        o.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        // dropped unfinished: nothing changes, nothing is left
        let mut o = Output::create(&out, &Protected::new()).unwrap();
        o.write_all(b"half").unwrap();
        drop(o);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_keeps_pointing_at_the_file_written() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut o = Output::create(&link, &Protected::new()).unwrap();
        o.write_all(b"new").unwrap();
        o.finish().unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_into_not_replaced() {
        let mut o = Output::create(Path::new("/dev/null"), &Protected::new()).unwrap();
        o.write_all(b"nothing").unwrap();
        o.finish().unwrap();
        let m = std::fs::metadata("/dev/null").unwrap();
        assert!(!m.is_file());
    }

    #[test]
    fn stale_temporaries_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // a process id that is not running (pid_max is below 2^22)
        let stale = dir.path().join(".polytm-4194999-abcdef.part");
        std::fs::write(&stale, "x").unwrap();
        let other = dir.path().join(".polytm-notes.txt");
        std::fs::write(&other, "x").unwrap();
        let t = Temporary::new_in(dir.path()).unwrap();
        #[cfg(target_os = "linux")]
        assert!(!stale.exists());
        assert!(other.exists());
        assert!(t.path().exists());
        assert_eq!(stale_pid(".polytm-12-x.part"), Some(12));
        assert_eq!(stale_pid(".polytm-12-.part"), None);
        assert_eq!(stale_pid(".polytm-x-y.part"), None);
        // what the signal handler calls, on this test's files only (other
        // tests of this process have theirs open)
        remove_registered(|p| p.starts_with(dir.path()));
        assert!(!t.path().exists());
    }
}
