//! Browser tests: the built `sample-sms` site in headless Chromium, driven
//! over WebDriver (`chromedriver`, started here on a free port) by a small
//! blocking client written on `std::net` (no async runtime, no browser
//! download). Needs Debian's `chromium` and `chromium-driver`; `.ci/test`
//! installs them. Without them these tests fail with a message saying so.
//!
//! Opened from `file://`: search for an id and a word and follow the result
//! with the keyboard; follow a requirement to its evidence and back; no
//! console errors on the pages visited; screenshots of the home page and a
//! service page in `target/test-artefacts/`. The same walk over
//! `smsite serve` is `serve_site_in_browser`. One page of each family is
//! checked against WCAG 2.1 AA by axe-core (from the npm registry,
//! installed into `target/axe/` by `.ci/test`, injected through WebDriver).

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// One HTTP/1.1 request; returns (status, body).
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let payload = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    s.write_all(req.as_bytes())?;
    // chromedriver keeps the connection open: read the head, then
    // Content-Length bytes (or to the end when there is none).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head_text = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head_text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    match length {
        Some(n) => {
            while raw.len() < head_end + n {
                let k = s.read(&mut buf)?;
                if k == 0 {
                    break;
                }
                raw.extend_from_slice(&buf[..k]);
            }
        }
        None => {
            s.read_to_end(&mut raw)?;
        }
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((status, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// A chromedriver process and one browser session; both end on drop.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start() -> Browser {
        let (Some(chromium), Some(chromedriver)) = (which("chromium"), which("chromedriver"))
        else {
            panic!(
                "the browser tests need Chromium and its WebDriver: install Debian's `chromium` and `chromium-driver` packages (`bash .ci/test` installs them when missing)"
            );
        };
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok((200, b)) = http(port, "GET", "/status", None)
                && b.contains("\"ready\":true")
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start in 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().expect("a browser profile folder");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }
        }}});
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        // axe-core over a long page takes a few seconds.
        b.s(
            "POST",
            "/timeouts",
            Some(json!({"script": 120_000, "pageLoad": 120_000})),
        );
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, text) = http(self.port, method, path, body.as_ref())
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}: {text}"));
        assert!(status == 200, "WebDriver {method} {path}: {status} {v}");
        v.get("value").cloned().unwrap_or(Value::Null)
    }

    fn s(&self, method: &str, rest: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{rest}", self.session), body)
    }

    fn goto(&self, url: &str) {
        self.s("POST", "/url", Some(json!({ "url": url })));
    }

    fn js(&self, script: &str) -> Value {
        self.s(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Runs `script` (a function body whose last argument is the callback)
    /// and waits for it to call back; returns what it passed.
    fn js_async(&self, script: &str) -> Value {
        self.s(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn find(&self, css: &str) -> String {
        let v = self.s(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.s("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Presses keys (WebDriver key values: "\u{E015}" arrow down, "\u{E007}" Enter).
    fn keys(&self, keys: &str) {
        let mut actions = Vec::new();
        for k in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": k.to_string()}));
            actions.push(json!({"type": "keyUp", "value": k.to_string()}));
        }
        self.s(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        );
    }

    /// Waits until `script` (an expression) is truthy.
    fn wait(&self, script: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.js(&format!("return !!({script});"));
            if v == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Browser console entries at level SEVERE since the last call.
    fn console_errors(&self) -> Vec<String> {
        let v = self.s("POST", "/se/log", Some(json!({"type": "browser"})));
        v.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or("").to_string())
            .collect()
    }

    fn screenshot(&self, to: &Path) {
        let v = self.s("GET", "/screenshot", None);
        let png = base64_decode(v.as_str().unwrap_or(""));
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p).expect("artefact folder");
        }
        std::fs::write(to, png).expect("screenshot written");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = http(
                self.port,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for &c in s.as_bytes() {
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Builds sample-sms into `out`.
fn build(out: &Path) {
    let sample = common::root().join("sample-sms");
    let o = common::smsite(&[
        "build",
        sample.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--date",
        "2026-12-01",
        "--quiet",
    ]);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

const DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";

/// Everything an auditor does, on the site at `base` (ending in `/`).
fn auditor_walk(b: &Browser, base: &str, artefacts: &str) {
    let mut errors = Vec::new();
    let mut visited = |b: &Browser, what: &str| {
        for e in b.console_errors() {
            errors.push(format!("{what}: {e}"));
        }
    };

    // Home page: the coverage chart is there without any script.
    b.goto(&format!("{base}index.html"));
    b.wait(
        "document.querySelector('svg.coverage-chart')",
        "the coverage chart",
    );
    let art = common::root().join("target/test-artefacts").join(artefacts);
    b.screenshot(&art.join("home.png"));
    visited(b, "home");

    // `/` focuses search; an exact id comes first; Enter opens it.
    b.keys("/");
    b.wait(
        "document.activeElement && document.activeElement.id === 'search-q'",
        "`/` to focus the search box",
    );
    b.keys("SVC-EMAIL");
    b.wait(
        "document.querySelectorAll('#search-results li').length > 0",
        "results for SVC-EMAIL",
    );
    let first = b.js("return document.querySelector('#search-results li strong').textContent;");
    assert_eq!(first, "SVC-EMAIL", "the exact id comes first");
    b.keys(ENTER);
    b.wait(
        "location.pathname.endsWith('/doc/SVC-EMAIL.html')",
        "Enter to open SVC-EMAIL",
    );
    b.wait("document.querySelector('h1')", "the service page");
    b.screenshot(&art.join("service.png"));
    visited(b, "SVC-EMAIL");

    // A word from a body; arrow down to the second result and open it.
    b.click("#search-q");
    b.keys("immutable");
    b.wait(
        "document.querySelectorAll('#search-results li').length > 1",
        "two or more results for `immutable`",
    );
    let second = b.js("return document.querySelectorAll('#search-results li a')[1].href;");
    let second = second.as_str().unwrap_or("").to_string();
    b.keys(DOWN);
    b.wait(
        "document.querySelectorAll('#search-results li')[1].getAttribute('aria-selected') === 'true'",
        "arrow down to select the second result",
    );
    b.keys(ENTER);
    b.wait(
        &format!("location.href === {}", json!(second)),
        "Enter to open the selected result",
    );
    visited(b, "word search result");

    // A clause number: its requirement first; then evidence and back.
    b.click("#search-q");
    b.keys("8.3.3");
    b.wait(
        "document.querySelectorAll('#search-results li').length > 0",
        "results for 8.3.3",
    );
    let first = b.js("return document.querySelector('#search-results li strong').textContent;");
    assert_eq!(first, "ISO20000-1:8.3.3", "the clause comes first");
    b.keys(ENTER);
    b.wait(
        "location.pathname.endsWith('/req/ISO20000-1/8.3.3.html')",
        "the requirement page",
    );
    visited(b, "8.3.3");
    let evidence = b.js(
        "var a = document.querySelector('section[aria-labelledby=evidence] table a'); return a ? a.getAttribute('href') : null;",
    );
    let evidence = evidence.as_str().expect("8.3.3 has evidence").to_string();
    b.click("section[aria-labelledby=evidence] table a");
    b.wait(
        &format!(
            "location.pathname.endsWith({})",
            json!(evidence.trim_start_matches("../.."))
        ),
        "the evidence document",
    );
    visited(b, "evidence");
    b.click("section.trace a[href$='req/ISO20000-1/8.3.3.html']");
    b.wait(
        "location.pathname.endsWith('/req/ISO20000-1/8.3.3.html')",
        "back to the requirement",
    );
    visited(b, "back to 8.3.3");

    // The other pages an auditor opens.
    for p in [
        "matrix/services.html",
        "matrix/reviews.html",
        "matrix/requirements.html",
        "soa.html",
        "register.html",
        "evidence-pack.html",
        "findings.html",
        "readiness.html",
        "audit-programme.html",
        "nonconformities.html",
        "doc/AUD-2026-A5.html",
        "doc/AUD-2027-A1.html",
        "doc/NC-2026-08.html",
        "doc/MR-2026-10.html",
        "report/2026-11.html",
    ] {
        b.goto(&format!("{base}{p}"));
        b.wait("document.readyState === 'complete'", p);
        visited(b, p);
    }

    // Service reporting: an SLA's charts, an explained miss leading to its
    // incident record; the 12-month table sorts.
    b.goto(&format!("{base}doc/SLA-NET.html"));
    b.wait(
        "document.querySelectorAll('svg.sla-chart').length === 3",
        "a chart per measured target of SLA-NET",
    );
    b.screenshot(&art.join("sla.png"));
    visited(b, "SLA-NET");
    b.click("svg.sla-chart a[href$='doc/INC-2026-0917.html']");
    b.wait(
        "location.pathname.endsWith('/doc/INC-2026-0917.html')",
        "the explained miss's incident record",
    );
    visited(b, "INC-2026-0917");
    b.goto(&format!("{base}service-reporting.html"));
    b.wait(
        "document.querySelector('table.service-reporting')",
        "the 12-month table",
    );
    b.click("table.service-reporting thead th:nth-child(2)");
    b.wait(
        "document.querySelector('table.service-reporting thead th:nth-child(2)').getAttribute('aria-sort') === 'ascending'",
        "sorting by metric",
    );
    b.screenshot(&art.join("service-reporting.png"));
    visited(b, "service reporting");
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

#[test]
fn file_site_in_browser() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site);
    let b = Browser::start();
    let base = format!("file://{}/", site.display());
    auditor_walk(&b, &base, "file");
}

/// The site of the repository written to the contract of the SMS in
/// operation (`tests/fixtures/operation/audits`), from `file://`: each
/// audit's checklist, the programme, the register and the readiness page
/// show, their pictures draw without script, the register sorts, and no
/// page logs an error.
#[test]
fn operation_site_in_browser() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    let repo = common::fixture("operation/audits");
    let o = common::smsite(&[
        "build",
        repo.to_str().expect("utf-8 path"),
        "--out",
        site.to_str().expect("utf-8 path"),
        "--date",
        "2026-12-01",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let b = Browser::start();
    let base = format!("file://{}/", site.display());
    let mut errors = Vec::new();
    for (page, ready) in [
        ("index.html", "a[href='audit-programme.html']"),
        ("audit-programme.html", "svg.audit-timeline"),
        ("nonconformities.html", "svg.nc-chart"),
        ("readiness.html", "tr#requirements-audited"),
        ("doc/AUD-2026-02.html", "section.checklist table"),
        ("doc/AUD-2027-01.html", "section.checklist .boxes"),
        ("doc/NC-2026-001.html", "section.nc-stage li.current"),
        ("doc/MR-2024-11.html", "section.review-inputs table"),
        (
            "req/ISO20000-1/8.6.1.html",
            "a[href='../../doc/AUD-2026-02.html']",
        ),
        (
            "evidence-pack.html",
            "#pack-audit-programme svg.audit-timeline",
        ),
    ] {
        b.goto(&format!("{base}{page}"));
        b.wait(&format!("document.querySelector({})", json!(ready)), page);
        for e in b.console_errors() {
            errors.push(format!("{page}: {e}"));
        }
    }
    // The register sorts by age, oldest last once sorted ascending.
    b.goto(&format!("{base}nonconformities.html"));
    b.wait("document.querySelector('table.register')", "the register");
    b.click("table.register thead th:nth-child(6)");
    b.wait(
        "document.querySelector('table.register thead th:nth-child(6)').getAttribute('aria-sort') === 'ascending'",
        "sorted by age",
    );
    let ages = b.js("return Array.prototype.map.call(document.querySelectorAll('table.register tbody tr td:nth-child(6)'), function (c) { return c.textContent.trim(); }).join(' ');");
    assert_eq!(ages, "70 90 111 168 266");
    assert!(errors.is_empty(), "console errors:\n{}", errors.join("\n"));
}

#[test]
fn console_errors_are_caught() {
    // The harness itself: a page with a script error must be reported.
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("bad.html");
    std::fs::write(
        &page,
        "<!doctype html><title>x</title><script>nosuchfunction();</script>",
    )
    .expect("write");
    let b = Browser::start();
    b.goto(&format!("file://{}", page.display()));
    let errs = b.console_errors();
    assert!(
        errs.iter().any(|e| e.contains("nosuchfunction")),
        "console errors not captured: {errs:?}"
    );
}

/// The same walk over `smsite serve`.
/// A running `smsite serve`, stopped when dropped (also when a test fails
/// before its end, so no server outlives the test run).
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `smsite serve` on `repo` on a free port; returns once it answers.
fn serve(repo: &Path) -> (Server, u16) {
    let port = free_port();
    let server = common::bin()
        .args([
            "serve",
            repo.to_str().expect("utf-8 path"),
            "--port",
            &port.to_string(),
            "--date",
            "2026-12-01",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("smsite serve starts");
    let server = Server(server);
    let deadline = Instant::now() + Duration::from_secs(60);
    while http(port, "GET", "/index.html", None).ok().map(|r| r.0) != Some(200) {
        assert!(
            Instant::now() < deadline,
            "smsite serve did not answer in 60 s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    (server, port)
}

#[test]
fn serve_site_in_browser() {
    let (server, port) = serve(&common::root().join("sample-sms"));
    let b = Browser::start();
    auditor_walk(&b, &format!("http://127.0.0.1:{port}/"), "serve");
    drop(b);
    drop(server);
}

/// A save reloads the open tab by itself, and the tab keeps its scroll position.
#[test]
fn serve_reload_keeps_the_scroll_position() {
    let repo = common::copy_fixture(&common::root().join("sample-sms"));
    let (server, port) = serve(repo.path());
    let b = Browser::start();
    b.goto(&format!("http://127.0.0.1:{port}/register.html"));
    b.wait("document.readyState === 'complete'", "the register");
    b.js("window.scrollTo(0, 900); window.__before_reload = true; return null;");
    b.wait("Math.abs(window.scrollY - 900) < 2", "the scroll");
    // An editor saves a new title: the register shows it after the reload.
    let policy = repo.path().join("policies/service-management-policy.md");
    let text = std::fs::read_to_string(&policy).expect("read");
    std::fs::write(
        &policy,
        text.replacen(
            "title: Service management policy",
            "title: Service management policy, edited",
            1,
        ),
    )
    .expect("write");
    b.wait(
        "!window.__before_reload && document.body.innerText.includes('Service management policy, edited')",
        "the tab to reload with the new title",
    );
    b.wait(
        "Math.abs(window.scrollY - 900) < 2",
        "the scroll position after the reload",
    );
    assert!(b.console_errors().is_empty());
    drop(b);
    drop(server);
}

/// axe-core's browser script, installed from the npm registry by `.ci/test`
/// (`target/axe/`); injected into each page through WebDriver, so no page
/// loads anything from outside.
fn axe_script() -> String {
    let p = common::root().join("target/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&p).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the accessibility test needs axe-core: `bash .ci/test` installs it (npm install --prefix target/axe axe-core)",
            p.display()
        )
    })
}

/// Runs axe-core (its script given) on the open page: the WCAG 2.1 A and
/// AA violations, each with up to five of its elements.
fn axe_violations(b: &Browser, axe: &str) -> Vec<String> {
    b.js(&format!("{axe}\nreturn null;"));
    let v = b.js_async(
        "var done = arguments[arguments.length - 1];\
         axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})\
           .then(function (r) { done(r.violations.map(function (v) { return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; })}; })); })\
           .catch(function (e) { done([{id: 'axe-error', help: String(e), nodes: []}]); });",
    );
    v.as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|viol| {
            format!(
                "{} ({}): {}\n    {}",
                viol["id"].as_str().unwrap_or(""),
                viol["impact"].as_str().unwrap_or(""),
                viol["help"].as_str().unwrap_or(""),
                viol["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| n.as_str().unwrap_or("").replace('\n', " "))
                    .collect::<Vec<_>>()
                    .join("\n    ")
            )
        })
        .collect()
}

#[test]
fn accessibility_violations_are_caught() {
    // The harness itself: a page with faint text and an unlabelled box.
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("bad.html");
    std::fs::write(
        &page,
        "<!doctype html><html lang=\"en\"><title>x</title><main><p style=\"color:#aaa;background:#fff\">faint</p><input type=\"checkbox\"></main></html>",
    )
    .expect("write");
    let b = Browser::start();
    b.goto(&format!("file://{}", page.display()));
    let found = axe_violations(&b, &axe_script());
    assert!(
        found.iter().any(|v| v.starts_with("color-contrast")),
        "{found:?}"
    );
    assert!(found.iter().any(|v| v.starts_with("label")), "{found:?}");
}

/// One page of each family of the built sample, checked by axe-core
/// against WCAG 2.1 A and AA: no violation on any of them.
#[test]
fn every_page_family_meets_wcag_2_1_aa() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site);
    let axe = axe_script();
    let b = Browser::start();
    let base = format!("file://{}/", site.display());
    let pages = [
        "index.html",
        "doc/SVC-EMAIL.html",
        // Code blocks (highlighted); a task list.
        "doc/PROC-BACKUP-VERIFY.html",
        "doc/PROC-MAJOR-INCIDENT.html",
        "req/ISO20000-1/8.3.3.html",
        "kind/service.html",
        "register.html",
        "soa.html",
        "matrix/requirements.html",
        "matrix/services.html",
        "matrix/reviews.html",
        "findings.html",
        "evidence-pack.html",
        "readiness.html",
        "progress.html",
        // The SMS in operation: audits, nonconformities, reviews, service
        // reporting, customers and complaints, changes since the baseline.
        "audit-programme.html",
        "nonconformities.html",
        "doc/AUD-2026-A5.html",
        "doc/NC-2026-08.html",
        "doc/MR-2026-10.html",
        "service-reporting.html",
        "report/2026-11.html",
        "doc/SLA-NET.html",
        "customers.html",
        "complaints.html",
        "doc/CUS-LOGISTICS.html",
        "changes.html",
        "404.html",
        "restricted.html",
    ];
    let mut report = Vec::new();
    for p in pages {
        assert!(site.join(p).is_file(), "{p} is not in the built site");
        b.goto(&format!("{base}{p}"));
        b.wait("document.readyState === 'complete'", p);
        for v in axe_violations(&b, &axe) {
            report.push(format!("{p}: {v}"));
        }
    }
    // A scaffolded repository: a draft with its guidance blocks, and the
    // progress page with everything still to do.
    let repo = tmp.path().join("my-sms");
    let scaffold = tmp.path().join("scaffold-site");
    assert!(
        common::smsite(&["init", repo.to_str().expect("utf-8")])
            .status
            .success()
    );
    let out = common::smsite(&[
        "build",
        repo.to_str().expect("utf-8"),
        "--out",
        scaffold.to_str().expect("utf-8"),
        "--quiet",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for p in ["doc/PRC-CHANGE.html", "progress.html"] {
        b.goto(&format!("file://{}/{p}", scaffold.display()));
        b.wait("document.readyState === 'complete'", p);
        for v in axe_violations(&b, &axe) {
            report.push(format!("scaffold {p}: {v}"));
        }
    }
    assert!(
        report.is_empty(),
        "WCAG 2.1 AA violations:\n{}",
        report.join("\n")
    );
}

/// Notes (admonitions and alerts) in the browser, from `file://`: the type
/// is a visible word whose colour meets WCAG AA on its bar; a collapsed
/// note opens without any script; printing shows it open (the stylesheet
/// for print, and the script that opens it before printing and closes it
/// after).
#[test]
fn notes_read_open_and_print() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let site = tmp.path().join("site");
    build(&site);
    let b = Browser::start();
    b.goto(&format!("file://{}/doc/PROC-PATCHING.html", site.display()));
    b.wait(
        "document.readyState === 'complete'",
        "the patching procedure",
    );
    // Each note's type is shown as a word, in a colour of at least 4.5:1.
    let words = b.js(
        "return Array.from(document.querySelectorAll('.admonition-type')).filter(e => e.checkVisibility()).map(e => e.innerText.split('\\n')[0]);",
    );
    assert_eq!(words, json!(["WARNING", "EXAMPLE", "NOTE"]), "{words}");
    let ratios = b.js(r#"
        function lum(c) {
          var v = c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map(function (x) {
            x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
          return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
        }
        return Array.from(document.querySelectorAll('.admonition-type')).map(function (e) {
          var fg = lum(getComputedStyle(e).color);
          var bg = lum(getComputedStyle(e.closest('.admonition-title')).backgroundColor);
          return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        });"#);
    for r in ratios.as_array().expect("ratios") {
        assert!(r.as_f64().unwrap_or(0.0) >= 4.5, "contrast {ratios}");
    }
    // The collapsed note: closed, its summary a control; a click opens it.
    let hidden = "!document.querySelector('details.admonition').open && !document.querySelector('details.admonition p').checkVisibility()";
    b.wait(hidden, "the example note collapsed");
    b.click("details.admonition > summary");
    b.wait(
        "document.querySelector('details.admonition').open && document.querySelector('details.admonition p').checkVisibility()",
        "the example note opened by a click",
    );
    b.click("details.admonition > summary");
    b.wait(hidden, "the example note closed again");
    // Printing: the print stylesheet shows it, and the page's script opens it.
    b.s(
        "POST",
        "/goog/cdp/execute",
        Some(json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})),
    );
    b.wait(
        "document.querySelector('details.admonition p').checkVisibility()",
        "the collapsed note's text in print",
    );
    b.js("window.dispatchEvent(new Event('beforeprint')); return null;");
    b.wait(
        "document.querySelector('details.admonition').open",
        "opened before printing",
    );
    b.js("window.dispatchEvent(new Event('afterprint')); return null;");
    b.wait(
        "!document.querySelector('details.admonition').open",
        "closed after printing",
    );
    assert!(b.console_errors().is_empty());
}
