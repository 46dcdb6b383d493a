//! The web page of `polytm serve` in a real browser: headless Chromium
//! driven through chromedriver (WebDriver), on a server started on a TM
//! built from the fixtures. What a translator does with the page: search
//! (concepts, fuzzy matches with their diff and repairs, concordance with
//! the phrase marked), the language pair, hostile text shown as text, the
//! glossary view (filter, add, edit), the review of an aligned document
//! (join, delete, save), and the token that unlocks the write controls.
//! Every test also fails on a Content-Security-Policy violation or an
//! uncaught script error in the browser's console.
//!
//! The browser: `$CHROMEDRIVER` and `$CHROMIUM`, else `chromedriver` and
//! `chromium` (or `chromium-browser`, `google-chrome`) on the PATH (Debian:
//! the packages `chromium` and `chromium-driver`). Without them each test
//! says so and passes, unless `POLYTM_REQUIRE_BROWSER` is set (CI sets it):
//! then a missing browser is a failure.
//!
//! `POLYTM_SCREENSHOT=1` writes a screenshot of the search view with
//! results to `docs/serve-page.png`.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator, key::Key};
use serde_json::{Value, json};

use common::{Tm, enc, fixture, fixture_tm};

/// How long results may take to appear (a wait, not a timing: speed is the
/// benchmarks' business).
const RESULTS_WITHIN: Duration = Duration::from_secs(10);

/// How long anything else may take to appear (a slow CI machine).
const PATIENCE: Duration = Duration::from_secs(15);

const TOKEN: &str = "browser-test-token";

// ---------------------------------------------------------------------------
// The browser: found, started, stopped

/// Where chromedriver and the browser are.
struct Tools {
    driver: PathBuf,
    chromium: PathBuf,
}

/// An executable: `$var` (a path or a name on the PATH), else the first
/// of `names` on the PATH.
fn find_program(var: &str, names: &[&str]) -> Option<PathBuf> {
    let on_path = |name: &str| -> Option<PathBuf> {
        let p = Path::new(name);
        if p.components().count() > 1 {
            return is_executable(p).then(|| p.to_path_buf());
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|d| d.join(name))
            .find(|c| is_executable(c))
    };
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => on_path(v.trim()),
        _ => names.iter().find_map(|n| on_path(n)),
    }
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// The browser, or `None` (said on stderr) when it is missing and
/// `POLYTM_REQUIRE_BROWSER` is not set; a missing browser when it is set
/// fails the test.
fn tools() -> Option<Tools> {
    let driver = find_program("CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_program(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    if let (Some(driver), Some(chromium)) = (&driver, &chromium) {
        return Some(Tools {
            driver: driver.clone(),
            chromium: chromium.clone(),
        });
    }
    let mut missing = Vec::new();
    if driver.is_none() {
        missing.push("chromedriver ($CHROMEDRIVER)");
    }
    if chromium.is_none() {
        missing.push("chromium ($CHROMIUM)");
    }
    let msg = format!(
        "{} not found (Debian: apt-get install chromium chromium-driver)",
        missing.join(" and ")
    );
    if require_browser() {
        panic!("browser test: {msg}, and POLYTM_REQUIRE_BROWSER is set");
    }
    // past the test harness's capture: a skip is seen in every run
    let _ = writeln!(
        std::io::stderr(),
        "skipped: chromium/chromedriver not found: {msg} (POLYTM_REQUIRE_BROWSER=1 makes this a failure)"
    );
    None
}

/// A missing browser is a failure (`POLYTM_REQUIRE_BROWSER` set, not to
/// "" or "0"): CI, where the browser test must not pass without a browser.
fn require_browser() -> bool {
    std::env::var("POLYTM_REQUIRE_BROWSER").is_ok_and(|v| !matches!(v.trim(), "" | "0"))
}

/// One browser at a time: the tests of this file take turns (two cores;
/// the two-second promise is measured).
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A running chromedriver; dropped, it ends the browser session it
/// started and then stops.
struct Driver {
    child: Child,
    url: String,
    session: Option<String>,
}

impl Driver {
    fn start(tools: &Tools) -> Driver {
        let mut child = Command::new(&tools.driver)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{}: {e}", tools.driver.display()));
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            // read to the end: a full pipe would block chromedriver
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let t = Instant::now();
        let port = loop {
            let left = PATIENCE.saturating_sub(t.elapsed());
            let line = rx.recv_timeout(left).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("chromedriver did not say on which port it listens")
            });
            // "ChromeDriver was started successfully on port 40231."
            if let Some(rest) = line.split("successfully on port ").nth(1) {
                break rest.trim_end_matches('.').trim().parse::<u16>().unwrap();
            }
        };
        Driver {
            child,
            url: format!("http://127.0.0.1:{port}/"),
            session: None,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // the session's browser goes with it (also when a test failed
        // and the client never closed it)
        if let Some(s) = self.session.take() {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into();
            let _ = agent.delete(&format!("{}session/{s}", self.url)).call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver's console log of the page (what was logged since the last
/// call).
#[derive(Debug)]
struct ConsoleLog;

impl WebDriverCompatibleCommand for ConsoleLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// Headless Chromium on a page of the server.
struct Browser {
    c: Client,
    base: String,
    /// Last: the session is ended before chromedriver stops.
    driver: Driver,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn open(tools: &Tools, base: &str) -> Browser {
        let mut driver = Driver::start(tools);
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": tools.chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1366,800",
                    "--lang=en-US",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps: Capabilities = caps.as_object().unwrap().clone();
        let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.chromium.display()));
        driver.session = c.session_id().await.unwrap();
        // the page gets 1366×800, a laptop's screen, whatever the window
        // around it takes
        let inner = c
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .unwrap();
        let (w, h) = c.get_window_size().await.unwrap();
        let dw = w.saturating_sub(inner[0].as_u64().unwrap());
        let dh = h.saturating_sub(inner[1].as_u64().unwrap());
        c.set_window_size(1366 + dw as u32, 800 + dh as u32)
            .await
            .unwrap();
        let b = Browser {
            c,
            base: base.to_string(),
            driver,
            _profile: profile,
        };
        b.goto("/").await;
        b
    }

    async fn goto(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
        // the page has asked the server what it holds
        self.wait(
            "the page to start",
            PATIENCE,
            "return document.querySelector('#status').textContent || null",
        )
        .await;
    }

    /// Run `script` (a function body) in the page.
    async fn js(&self, script: &str) -> Value {
        self.c
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{e}\nin: {script}"))
    }

    /// Poll `script` until it returns something else than null, false or
    /// undefined; that.
    async fn wait(&self, what: &str, limit: Duration, script: &str) -> Value {
        let t = Instant::now();
        loop {
            let v = self.js(script).await;
            if !(v.is_null() || v == Value::Bool(false)) {
                return v;
            }
            if t.elapsed() > limit {
                let shot = self.c.screenshot().await.ok();
                if let Some(png) = shot {
                    let p = std::env::temp_dir().join("polytm-browser-failure.png");
                    let _ = std::fs::write(&p, png);
                    eprintln!("screenshot of the page: {}", p.display());
                }
                panic!(
                    "waited {limit:?} for {what}; the page shows:\n{}",
                    self.text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The text the page shows.
    async fn text(&self) -> String {
        self.js("return document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Text typed into the element `css` finds (after what it holds).
    async fn fill(&self, css: &str, text: &str) {
        self.find(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Keys typed where the focus is.
    async fn type_keys(&self, keys: &str) {
        self.c
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// A search as a person does it: the field, the text, Enter. Returns
    /// when the three kinds of results are on the page.
    async fn search(&self, q: &str) {
        let field = self.find("input[type=search]#q").await;
        field.clear().await.unwrap();
        field.send_keys(q).await.unwrap();
        field.send_keys(&Key::Enter.to_string()).await.unwrap();
        self.results_for(q, RESULTS_WITHIN).await;
    }

    /// Wait for the results of the search for `q` (the three columns filled).
    async fn results_for(&self, q: &str, limit: Duration) {
        let script = format!(
            "const done = (id) => {{ const b = document.querySelector(id); return b && b.children.length && !b.querySelector('.pending'); }};
             return document.querySelector('#results').dataset.query === {q} && done('#terms') && done('#matches') && done('#conc');",
            q = json!(q)
        );
        self.wait(&format!("the results for {q:?}"), limit, &script)
            .await;
    }

    /// Console messages since the last call that break the page's rules:
    /// a Content-Security-Policy violation or an uncaught script error.
    async fn console_faults(&self) -> Vec<String> {
        let log = self.c.issue_cmd(ConsoleLog).await.unwrap();
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|e| {
                let msg = e["message"].as_str().unwrap_or_default();
                msg.contains("Content Security Policy")
                    || msg.contains("Content-Security-Policy")
                    || (e["level"] == "SEVERE" && e["source"] == "javascript")
            })
            .map(|e| e["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// A screenshot of what the window shows, to `path`.
    async fn screenshot(&self, path: &Path) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(path, &png).unwrap();
        eprintln!("screenshot: {} ({} bytes)", path.display(), png.len());
    }

    /// With `POLYTM_SCREENSHOT`: a screenshot of a view, in the temporary
    /// folder (to look at while working on the page).
    async fn view_shot(&self, name: &str) {
        if screenshots() {
            self.js("window.scrollTo(0, 0); return null").await;
            self.screenshot(&std::env::temp_dir().join(format!("polytm-{name}.png")))
                .await;
        }
    }

    async fn assert_console_clean(&self) {
        let faults = self.console_faults().await;
        assert!(faults.is_empty(), "the browser's console: {faults:#?}");
    }

    /// The console checked once more, the session ended, chromedriver stopped.
    async fn close(mut self) {
        self.assert_console_clean().await;
        self.c.clone().close().await.unwrap();
        self.driver.session = None;
    }
}

/// Screenshots are asked for (`POLYTM_SCREENSHOT`).
fn screenshots() -> bool {
    std::env::var_os("POLYTM_SCREENSHOT").is_some()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Run a browser test: one at a time, skipped (or failed) without a browser.
fn browser_test<F: Future<Output = ()>>(test: impl FnOnce(Tools) -> F) {
    let Some(tools) = tools() else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(test(tools));
}

// ---------------------------------------------------------------------------
// The server

/// A running `polytm serve`.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(tm: &Tm, args: &[&str]) -> Server {
        let mut child = tm
            .process()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        let first = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server did not say where it listens");
        let base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"))
            .to_string();
        Server { child, base }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into()
    }

    /// GET, as JSON.
    fn get(&self, path: &str) -> Value {
        let mut r = Self::agent()
            .get(&format!("{}{path}", self.base))
            .call()
            .unwrap();
        let body = r.body_mut().read_to_string().unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// POST JSON (no token); the answer as JSON.
    fn post(&self, path: &str, body: &Value) -> Value {
        let mut r = Self::agent()
            .post(&format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
            .unwrap();
        let text = r.body_mut().read_to_string().unwrap();
        assert!(r.status().is_success(), "{path}: {text}");
        serde_json::from_str(&text).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The parts of a word diff: (deleted, inserted).
fn diff_parts(diff: &str) -> (Vec<String>, Vec<String>) {
    let (mut del, mut ins) = (Vec::new(), Vec::new());
    let mut rest = diff;
    while let Some(i) = rest.find(['[', '{']) {
        let (open, close, out) = if rest[i..].starts_with("[-") {
            ("[-", "-]", &mut del)
        } else if rest[i..].starts_with("{+") {
            ("{+", "+}", &mut ins)
        } else {
            rest = &rest[i + 1..];
            continue;
        };
        let body = &rest[i + open.len()..];
        let end = body.find(close).expect("a closed diff mark");
        out.push(body[..end].to_string());
        rest = &body[end + close.len()..];
    }
    (del, ins)
}

// ---------------------------------------------------------------------------
// The tests

#[test]
fn a_search_shows_concepts_matches_and_concordance_within_two_seconds() {
    browser_test(|tools| async move {
        let tm = fixture_tm();
        let server = Server::start(&tm, &[]);
        let b = Browser::open(&tools, &server.base).await;

        // the focus is in the search field on load: typing goes there
        b.wait(
            "the focus in the search field",
            PATIENCE,
            "return document.activeElement && document.activeElement.matches('input[type=search]')",
        )
        .await;
        let q = "Ministry of Internal Affairs of the Republic of Kazakhstan";
        b.type_keys(q).await;
        // (how fast is the benchmarks' business: this waits, it does not time)
        b.type_keys(&Key::Enter.to_string()).await;
        b.results_for(q, RESULTS_WITHIN).await;

        // the concepts, each with its terms in every language
        let concepts = tm.json(&["term", "--json", q], None);
        let concepts = concepts.as_array().unwrap();
        assert!(!concepts.is_empty());
        let cards = b
            .js("return [...document.querySelectorAll('#terms .concept')].map(c => c.textContent)")
            .await;
        let cards = cards.as_array().unwrap();
        assert_eq!(cards.len(), concepts.len(), "{cards:?}");
        for (card, c) in cards.iter().zip(concepts) {
            let card = card.as_str().unwrap();
            for t in c["terms"].as_array().unwrap() {
                assert!(
                    card.contains(t["text"].as_str().unwrap()),
                    "{t} not in {card}"
                );
            }
            for l in ["en", "ru", "zh"] {
                assert!(!c["concept"][l].is_null(), "{c}");
            }
        }
        let langs = b
            .js("return [...document.querySelector('#terms .concept').querySelectorAll('.code')].map(e => e.textContent.toLowerCase())")
            .await;
        assert_eq!(langs, json!(["en", "ru", "zh"]));

        // the fuzzy matches: score, target, the word diff as <del>/<ins>
        let cli = tm.json(&["match", "--from", "en", "--to", "ru", "--json", q], None);
        let cli = cli.as_array().unwrap();
        assert!(!cli.is_empty());
        let shown = b
            .js(
                "return [...document.querySelectorAll('#matches .match')].map(m => ({
                    score: m.querySelector('.score').textContent,
                    target: m.querySelector('.tgt .text').textContent,
                    del: [...m.querySelectorAll('.src del')].map(e => e.textContent),
                    ins: [...m.querySelectorAll('.src ins')].map(e => e.textContent),
                    band: m.querySelector('.score').className,
                }))",
            )
            .await;
        let shown = shown.as_array().unwrap();
        assert_eq!(shown.len(), cli.len(), "{shown:?}");
        for (s, m) in shown.iter().zip(cli) {
            assert_eq!(s["score"], format!("{}%", m["score"]), "{s}");
            assert_eq!(s["target"], m["target"]);
            let (del, ins) = diff_parts(m["diff"].as_str().unwrap());
            assert_eq!(s["del"], json!(del), "{m}");
            assert_eq!(s["ins"], json!(ins), "{m}");
            assert!(
                s["band"].as_str().unwrap().contains(" b"),
                "a score band: {s}"
            );
        }
        assert!(
            shown
                .iter()
                .any(|s| !s["del"].as_array().unwrap().is_empty()),
            "a diff is shown"
        );

        // the concordance: every hit with the phrase marked
        let hits = tm.json(&["concordance", "--lang", "en", "--json", q], None);
        let hits = hits.as_array().unwrap();
        assert!(hits.len() >= 2, "{hits:?}");
        let marks = b
            .js("return [...document.querySelectorAll('#conc .hit')].map(h => [...h.querySelectorAll('mark')].map(m => m.textContent))")
            .await;
        assert_eq!(marks.as_array().unwrap().len(), hits.len());
        for m in marks.as_array().unwrap() {
            assert_eq!(m, &json!([q]), "{marks}");
        }

        // one click copies a target (the clipboard, or the fallback)
        b.click("#matches .match .copy").await;
        b.wait(
            "the copy to be confirmed",
            PATIENCE,
            "return document.querySelector('#matches .match .copy').textContent === 'Copied'",
        )
        .await;

        if screenshots() {
            // the copy button as it was, the focus in the field, the top
            b.wait(
                "the copy button back",
                PATIENCE,
                "return document.querySelector('#matches .match .copy').textContent === 'Copy'",
            )
            .await;
            b.js("document.querySelector('#q').focus(); window.scrollTo(0, 0); return null")
                .await;
            b.screenshot(&Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/serve-page.png"))
                .await;
        }

        // a sentence: its fuzzy match repaired from the glossary, the
        // repair said; Enter again in the field searches again
        let q2 = "The delegation of the Ministry of Internal Affairs of the Kyrgyz Republic arrived on 3 June.";
        b.search(q2).await;
        let cli = tm.json(&["match", "--from", "en", "--to", "ru", "--json", q2], None);
        assert_eq!(cli[0]["repaired"], true, "{cli}");
        let repair = b
            .js("const r = document.querySelector('#matches .match .repair'); return r && !r.hidden ? r.textContent : null")
            .await;
        let repair = repair.as_str().expect("the repair is shown");
        for ch in cli[0]["changes"].as_array().unwrap() {
            assert!(
                repair.contains(ch["was"].as_str().unwrap()),
                "{repair} / {ch}"
            );
            assert!(
                repair.contains(ch["now"].as_str().unwrap()),
                "{repair} / {ch}"
            );
        }
        assert_eq!(
            b.js("return document.querySelector('#matches .match .tgt .text').textContent")
                .await,
            cli[0]["target"]
        );
        b.view_shot("search-repaired").await;
        b.close().await;
    });
}

#[test]
fn the_language_pair_is_chosen_by_code_and_turns_the_matches() {
    browser_test(|tools| async move {
        let tm = fixture_tm();
        let server = Server::start(&tm, &[]);
        let b = Browser::open(&tools, &server.base).await;
        let codes = b
            .js("return ['from', 'to'].map(n => [...document.querySelectorAll(`select[name=${n}] option`)].map(o => o.value))")
            .await;
        for list in codes.as_array().unwrap() {
            let mut l: Vec<&str> = list
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            l.sort();
            assert_eq!(l, ["en", "ru", "zh"], "{codes}");
        }
        let q = "Delete the selected files.";
        let target = |from: &str, to: &str, q: &str| {
            tm.json(&["match", "--from", from, "--to", to, "--json", q], None)[0]["target"].clone()
        };
        let first_target =
            "return document.querySelector('#matches .match .tgt .text')?.textContent ?? null";

        b.find("select[name=from]")
            .await
            .select_by_value("en")
            .await
            .unwrap();
        b.find("select[name=to]")
            .await
            .select_by_value("ru")
            .await
            .unwrap();
        b.search(q).await;
        assert_eq!(b.js(first_target).await, target("en", "ru", q));

        // another target language: the matches follow without another Enter
        b.find("select[name=to]")
            .await
            .select_by_value("zh")
            .await
            .unwrap();
        let want = target("en", "zh", q);
        b.wait(
            "the en→zh matches",
            RESULTS_WITHIN,
            &format!("return document.querySelector('#matches .match .tgt .text')?.textContent === {want}"),
        )
        .await;

        // swapped: a Chinese query answered in English
        b.click("#swap").await;
        assert_eq!(
            b.js("return [document.querySelector('select[name=from]').value, document.querySelector('select[name=to]').value]").await,
            json!(["zh", "en"])
        );
        let zh = want.as_str().unwrap().to_string();
        b.search(&zh).await;
        assert_eq!(b.js(first_target).await, target("zh", "en", &zh));
        let back = b.js(first_target).await;
        assert!(back.as_str().unwrap().is_ascii(), "{back}");

        // the pair is kept for the next visit
        b.goto("/").await;
        assert_eq!(
            b.js("return [document.querySelector('select[name=from]').value, document.querySelector('select[name=to]').value]").await,
            json!(["zh", "en"])
        );
        b.close().await;
    });
}

#[test]
fn hostile_glossary_and_tm_text_is_shown_as_text_and_never_runs() {
    browser_test(|tools| async move {
        let tm = fixture_tm();
        let server = Server::start(&tm, &[]);
        let img = r#"<img src=x onerror="window.__pwned=1">"#;
        let script = "<script>window.__pwned=2</script>";
        let term_en = format!("{img} gadget");
        let term_ru = format!("{script} <b>x</b> гаджет");
        let note = format!("<b>bold</b> {img}");
        server.post(
            "/api/concepts",
            &json!({"terms": {"en": term_en, "ru": term_ru}, "note": note, "source": script}),
        );
        let en = format!("Press the {img} gadget and {script} twice.");
        let ru = format!("Нажмите {script} гаджет и {img} дважды.");
        let doc = format!("{img} manual");
        server.post("/api/units", &json!({"en": en, "ru": ru, "doc": doc}));

        let b = Browser::open(&tools, &server.base).await;
        b.find("select[name=to]")
            .await
            .select_by_value("ru")
            .await
            .unwrap();
        b.search(&en).await;
        let shown = b
            .js("return {
                    terms: document.querySelector('#terms').textContent,
                    target: document.querySelector('#matches .match .tgt .text').textContent,
                    source: document.querySelector('#matches .match .src').textContent,
                    meta: document.querySelector('#matches .match .meta').textContent,
                    hit: document.querySelector('#conc .hit').textContent,
                }")
            .await;
        let terms = shown["terms"].as_str().unwrap();
        for t in [&term_en, &term_ru, &note, &script.to_string()] {
            assert!(terms.contains(t.as_str()), "{t} not in {terms}");
        }
        assert_eq!(shown["target"], ru.as_str());
        assert_eq!(shown["source"], en.as_str());
        assert!(shown["meta"].as_str().unwrap().contains(&doc), "{shown}");
        assert!(shown["hit"].as_str().unwrap().contains(&en), "{shown}");

        let no_harm = "return {
                pwned: typeof window.__pwned,
                images: document.querySelectorAll('img').length,
                scripts: [...document.querySelectorAll('script')].map(s => s.getAttribute('src')),
                bold: document.querySelectorAll('b').length,
            }";
        let expect = json!({"pwned": "undefined", "images": 0, "scripts": ["/app.js"], "bold": 0});
        assert_eq!(b.js(no_harm).await, expect);

        // the glossary view and the documents view show them as text too
        b.click("button[data-view=glossary]").await;
        b.fill("#g-filter", "gadget").await;
        let row = b
            .wait(
                "the hostile concept in the glossary",
                PATIENCE,
                "const r = [...document.querySelectorAll('#g-table tbody tr')]; return r.length === 1 ? r[0].textContent : null",
            )
            .await;
        let row = row.as_str().unwrap();
        assert!(row.contains(&term_en) && row.contains(&term_ru), "{row}");
        b.view_shot("hostile-glossary").await;
        b.click("button[data-view=documents]").await;
        b.find("#d-doc").await.select_by_value(&doc).await.unwrap();
        let cells = b
            .wait(
                "the hostile document's unit",
                PATIENCE,
                &format!(
                    "const t = document.querySelector('#d-table tbody').textContent; return t.includes({}) ? t : null",
                    json!("Press the")
                ),
            )
            .await;
        assert!(cells.as_str().unwrap().contains(img), "{cells}");
        assert!(cells.as_str().unwrap().contains(script), "{cells}");
        assert_eq!(b.js(no_harm).await, expect);
        b.view_shot("hostile-documents").await;
        b.close().await;
    });
}

#[test]
fn the_glossary_view_filters_and_a_concept_added_there_is_found() {
    browser_test(|tools| async move {
        let tm = fixture_tm();
        let server = Server::start(&tm, &[]);
        let b = Browser::open(&tools, &server.base).await;
        b.click("button[data-view=glossary]").await;
        let all = server.get("/api/concepts");
        let all = all.as_array().unwrap();
        // the concepts listed (not the line saying there is none)
        let rows =
            "return document.querySelectorAll('#g-table tbody tr:not(:has(td.empty))').length";
        b.wait(
            "every concept listed",
            PATIENCE,
            &format!(
                "return document.querySelectorAll('#g-table tbody tr').length === {}",
                all.len()
            ),
        )
        .await;

        // filtered: the concepts with a term containing the text
        let filter = "kyrgyz";
        let named = all
            .iter()
            .filter(|c| {
                c["terms"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t["text"].as_str().unwrap().to_lowercase().contains(filter))
                    || c["note"]
                        .as_str()
                        .is_some_and(|n| n.to_lowercase().contains(filter))
            })
            .count();
        assert!(named >= 2 && named < all.len());
        b.fill("#g-filter", "Kyrgyz").await;
        b.wait(
            "the filtered list",
            PATIENCE,
            &format!("return document.querySelectorAll('#g-table tbody tr').length === {named}"),
        )
        .await;
        b.view_shot("glossary-filtered").await;
        let texts = b
            .js("return [...document.querySelectorAll('#g-table tbody tr')].map(r => r.textContent.toLowerCase())")
            .await;
        for t in texts.as_array().unwrap() {
            assert!(t.as_str().unwrap().contains(filter), "{t}");
        }
        // any language
        b.find("#g-filter").await.clear().await.unwrap();
        b.fill("#g-filter", "吉尔吉斯").await;
        let zh = b
            .wait("the Chinese filter", PATIENCE, &format!("const n = document.querySelectorAll('#g-table tbody tr').length; return n > 0 && n < {} ? n : null", all.len()))
            .await;
        assert!(zh.as_u64().unwrap() >= 2, "{zh}");
        b.find("#g-filter").await.clear().await.unwrap();
        b.wait(
            "the whole list again",
            PATIENCE,
            &format!(
                "return document.querySelectorAll('#g-table tbody tr').length === {}",
                all.len()
            ),
        )
        .await;

        // a new concept through the form (a server without token)
        b.click("#g-add").await;
        let form = b.find("#g-form").await;
        assert!(form.is_displayed().await.unwrap());
        b.fill(
            "#g-form input[name=lang-en]",
            "State Drug Control Service | SDCS",
        )
        .await;
        b.fill(
            "#g-form input[name=lang-ru]",
            "Государственная служба по контролю наркотиков",
        )
        .await;
        b.fill("#g-form input[name=lang-zh]", "国家药物管制局")
            .await;
        b.view_shot("glossary-form").await;
        b.fill(
            "#g-form input[name=note]",
            "Kyrgyzstan, under the government",
        )
        .await;
        b.click("#g-form button[type=submit]").await;
        b.wait(
            "the form to close",
            PATIENCE,
            &format!("return document.querySelector('#g-form').hidden && document.querySelectorAll('#g-table tbody tr').length === {}", all.len() + 1),
        )
        .await;
        let found = server.get(&format!(
            "/api/term?q={}",
            enc("State Drug Control Service")
        ));
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        let id = found[0]["id"].as_i64().unwrap();
        assert_eq!(
            found[0]["concept"]["en"],
            json!(["State Drug Control Service", "SDCS"])
        );
        assert_eq!(found[0]["note"], "Kyrgyzstan, under the government");

        // ... and found by the search, in every language
        b.click("button[data-view=search]").await;
        b.wait(
            "the focus back in the field",
            PATIENCE,
            "return document.activeElement.id === 'q'",
        )
        .await;
        b.search("State Drug Control Service").await;
        let card = b
            .js("return document.querySelector('#terms .concept').textContent")
            .await;
        let card = card.as_str().unwrap();
        for t in [
            "State Drug Control Service",
            "SDCS",
            "Государственная служба по контролю наркотиков",
            "国家药物管制局",
        ] {
            assert!(card.contains(t), "{t} not in {card}");
        }

        // edited: the Russian term changed in the form
        b.click("button[data-view=glossary]").await;
        b.fill("#g-filter", "SDCS").await;
        b.wait("the new concept alone", PATIENCE, &format!("{rows} === 1"))
            .await;
        b.click("#g-table tbody tr button.edit").await;
        b.wait(
            "the concept in the form",
            PATIENCE,
            &format!(
                "return !document.querySelector('#g-form').hidden && document.querySelector('#g-form-title').textContent.includes('#{id}')"
            ),
        )
        .await;
        let ru = b.find("#g-form input[name=lang-ru]").await;
        assert_eq!(
            ru.prop("value").await.unwrap().as_deref(),
            Some("Государственная служба по контролю наркотиков")
        );
        ru.clear().await.unwrap();
        ru.send_keys("Служба по контролю наркотиков | СКН")
            .await
            .unwrap();
        b.click("#g-form button[type=submit]").await;
        b.wait(
            "the form to close",
            PATIENCE,
            "return document.querySelector('#g-form').hidden",
        )
        .await;
        let found = server.get(&format!("/api/term?q={}", enc("SDCS")));
        assert_eq!(found[0]["id"], id);
        assert_eq!(
            found[0]["concept"]["ru"],
            json!(["Служба по контролю наркотиков", "СКН"])
        );
        b.wait(
            "the edited row",
            PATIENCE,
            "return document.querySelector('#g-table tbody tr')?.textContent.includes('СКН')",
        )
        .await;

        // deleted, after the question
        b.click("#g-table tbody tr button.delete").await;
        b.c.accept_alert().await.unwrap();
        b.wait(
            "the row gone",
            PATIENCE,
            &format!("{rows} === 0 && document.querySelector('#g-table td.empty')?.textContent === 'No concept has such a term.'"),
        )
        .await;
        assert_eq!(
            server.get(&format!("/api/term?q={}", enc("SDCS"))),
            json!([])
        );
        b.close().await;
    });
}

/// A TM with the meeting aligned in three languages.
fn aligned_tm() -> Tm {
    let tm = Tm::new();
    let a = |f: &str| fixture(&format!("align/{f}")).to_str().unwrap().to_string();
    tm.ok(&[
        "align",
        "--langs",
        "en,ru,zh",
        "--doc",
        "meeting",
        &a("meeting.en"),
        &a("meeting.ru"),
        &a("meeting.zh"),
    ]);
    tm
}

#[test]
fn an_aligned_document_is_reviewed_side_by_side_and_saved() {
    browser_test(|tools| async move {
        let tm = aligned_tm();
        let server = Server::start(&tm, &[]);
        let before = server.get("/api/documents/meeting/units");
        let units = before["units"].as_array().unwrap().clone();
        let n = units.len();
        assert!(n >= 4, "{before}");

        let b = Browser::open(&tools, &server.base).await;
        b.click("button[data-view=documents]").await;
        b.wait(
            "the units side by side",
            PATIENCE,
            &format!("return document.querySelectorAll('#d-table tbody tr').length === {n}"),
        )
        .await;
        // a column per language, each unit's sentences in its row
        let head = b.js("return [...document.querySelectorAll('#d-table thead th')].map(t => t.textContent)").await;
        for l in ["en", "ru", "zh"] {
            assert!(
                head.as_array()
                    .unwrap()
                    .iter()
                    .any(|h| h.as_str().unwrap().contains(l)),
                "{head}"
            );
        }
        let cell = |row: usize, lang: &str| {
            format!(
                "return [...document.querySelectorAll('#d-table tbody tr')[{row}].querySelectorAll('td[data-lang={lang}] .sent')].map(s => s.textContent)"
            )
        };
        for (k, u) in units.iter().enumerate() {
            for l in ["en", "ru", "zh"] {
                let want = u["sentences"][l].clone();
                let want = if want.is_null() { json!([]) } else { want };
                assert_eq!(b.js(&cell(k, l)).await, want, "unit {k} {l}");
            }
        }
        // low confidence flagged
        let flagged = b.js("return [...document.querySelectorAll('#d-table tbody tr')].map(r => r.classList.contains('low'))").await;
        let want: Vec<bool> = units
            .iter()
            .map(|u| u["confidence"].as_f64().is_some_and(|c| c < 0.5))
            .collect();
        assert_eq!(flagged, json!(want));

        // the first two units joined, the last deleted, saved
        let joined: Value = {
            let mut m = serde_json::Map::new();
            for l in ["en", "ru", "zh"] {
                let mut s: Vec<Value> = Vec::new();
                for u in &units[..2] {
                    s.extend(u["sentences"][l].as_array().cloned().unwrap_or_default());
                }
                m.insert(l.into(), Value::Array(s));
            }
            Value::Object(m)
        };
        assert!(
            !b.find("#d-save").await.is_displayed().await.unwrap(),
            "nothing to save yet"
        );
        b.click("#d-table tbody tr:first-child button.join").await;
        b.wait(
            "the join",
            PATIENCE,
            &format!(
                "return document.querySelectorAll('#d-table tbody tr').length === {}",
                n - 1
            ),
        )
        .await;
        for l in ["en", "ru", "zh"] {
            assert_eq!(b.js(&cell(0, l)).await, joined[l], "{l}");
        }
        b.view_shot("review-joined").await;
        b.click("#d-table tbody tr:last-child button.delete").await;
        b.wait(
            "the delete",
            PATIENCE,
            &format!(
                "return document.querySelectorAll('#d-table tbody tr').length === {}",
                n - 2
            ),
        )
        .await;
        b.click("#d-save").await;
        b.wait(
            "the review saved",
            PATIENCE,
            "return document.querySelector('#status').textContent.includes('saved')",
        )
        .await;

        let after = server.get("/api/documents/meeting/units");
        let got = after["units"].as_array().unwrap();
        assert_eq!(got.len(), n - 2, "{after}");
        for l in ["en", "ru", "zh"] {
            assert_eq!(got[0]["sentences"][l], joined[l], "{l}");
        }
        assert_eq!(got[1]["sentences"], units[2]["sentences"]);
        let docs = tm.json(&["docs", "list", "--json"], None);
        assert_eq!(docs[0]["units"], n - 2, "{docs}");
        // the page shows what was saved
        b.wait(
            "the saved units",
            PATIENCE,
            &format!("return document.querySelectorAll('#d-table tbody tr').length === {} && document.querySelector('#d-save').hidden", n - 2),
        )
        .await;
        b.close().await;
    });
}

#[test]
fn with_a_token_the_write_controls_wait_for_it() {
    browser_test(|tools| async move {
        let tm = aligned_tm();
        tm.ok(&[
            "glossary",
            "import",
            fixture("fuzzy/glossary.tsv").to_str().unwrap(),
        ]);
        let token_file = tm.path("token");
        std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
        let server = Server::start(&tm, &["--token-file", token_file.to_str().unwrap()]);
        let b = Browser::open(&tools, &server.base).await;

        // reads are open; no write control is offered
        b.click("button[data-view=glossary]").await;
        b.wait(
            "the glossary",
            PATIENCE,
            "return document.querySelectorAll('#g-table tbody tr').length > 0",
        )
        .await;
        let visible = "return [...document.querySelectorAll('#g-add, #g-table button, #d-table button, #d-save')].filter(e => e.offsetParent !== null).length";
        assert_eq!(b.js(visible).await, 0);
        b.click("button[data-view=documents]").await;
        b.wait(
            "the units",
            PATIENCE,
            "return document.querySelectorAll('#d-table tbody tr').length > 0",
        )
        .await;
        assert_eq!(b.js(visible).await, 0);

        // a wrong token: said so, still nothing to write with
        b.click("#key").await;
        b.wait(
            "the token dialog",
            PATIENCE,
            "return document.querySelector('#key-dialog').open",
        )
        .await;
        b.view_shot("token-dialog").await;
        b.type_keys("not-the-token").await;
        b.type_keys(&Key::Enter.to_string()).await;
        b.wait("the wrong token said", PATIENCE, "return !document.querySelector('#key-dialog').open && document.querySelector('#status').textContent.includes('wrong')").await;
        assert_eq!(b.js(visible).await, 0);

        // the right one: the controls are there
        b.click("#key").await;
        b.wait(
            "the token dialog",
            PATIENCE,
            "return document.querySelector('#key-dialog').open",
        )
        .await;
        let input = b.find("#key-input").await;
        input.clear().await.unwrap();
        input.send_keys(TOKEN).await.unwrap();
        b.click("#key-dialog button[value=save]").await;
        b.wait(
            "the write controls",
            PATIENCE,
            "return [...document.querySelectorAll('#d-table button.join')].filter(e => e.offsetParent !== null).length > 0",
        )
        .await;
        b.click("button[data-view=glossary]").await;
        let add = b.find("#g-add").await;
        b.wait(
            "the add button",
            PATIENCE,
            "return document.querySelector('#g-add').offsetParent !== null",
        )
        .await;
        // and a write goes through with it
        add.click().await.unwrap();
        b.fill("#g-form input[name=lang-en]", "Drug Control Agency")
            .await;
        b.fill(
            "#g-form input[name=lang-ru]",
            "Агентство по контролю за наркотиками",
        )
        .await;
        b.click("#g-form button[type=submit]").await;
        b.wait(
            "the form to close",
            PATIENCE,
            "return document.querySelector('#g-form').hidden",
        )
        .await;
        let found = server.get(&format!("/api/term?q={}", enc("Drug Control Agency")));
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");

        // kept in this browser: still unlocked after a reload
        b.goto("/").await;
        b.click("button[data-view=glossary]").await;
        b.wait(
            "the add button",
            PATIENCE,
            "return document.querySelector('#g-add').offsetParent !== null",
        )
        .await;
        b.close().await;
    });
}
