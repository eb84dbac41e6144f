//! `smsite serve`, end to end: the binary runs on a temporary copy of the
//! sample repository, on port 0; the tests fetch pages over HTTP, follow the
//! event stream, edit the files the ways editors do, and compare the served
//! site with a clean `smsite build` of the same files.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const DATE: &str = "2026-12-01";
/// The findings overlay's element.
const OVERLAY: &str = "id=\"smsite-overlay\"";
/// Longest wait for one rebuild to be announced (debug builds are slow).
const STEP: Duration = Duration::from_secs(30);

/// A running `smsite serve`, killed when dropped.
struct Serve {
    child: Child,
    addr: String,
    log: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(repo: &Path) -> Serve {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let log = tmp.path().join("serve.log");
        let err = std::fs::File::create(&log).expect("a log file");
        let mut child = common::bin()
            .args(["serve", "--port", "0", "--date", DATE])
            .arg(repo)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(err))
            .spawn()
            .expect("smsite serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut s = Serve {
            child,
            addr: String::new(),
            log,
            _tmp: tmp,
        };
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no address printed; log:\n{}", s.log()));
        let url = line.trim();
        assert!(
            url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
            "printed {url:?}"
        );
        s.addr = url["http://".len()..url.len() - 1].to_string();
        s
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends a raw request line (path written as is) and reads the whole response.
    fn request(&self, method: &str, path: &[u8]) -> Resp {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).ok();
        let mut req = Vec::new();
        req.extend_from_slice(method.as_bytes());
        req.push(b' ');
        req.extend_from_slice(path);
        req.extend_from_slice(
            format!(
                " HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                self.addr
            )
            .as_bytes(),
        );
        s.write_all(&req).expect("send");
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        Resp::parse(&raw)
    }

    fn get(&self, path: &str) -> Resp {
        self.request("GET", path.as_bytes())
    }

    fn status(&self) -> serde_json::Value {
        serde_json::from_slice(&self.get("/__smsite/status").body).expect("status is JSON")
    }

    fn generation(&self) -> u64 {
        self.status()["generation"].as_u64().expect("generation")
    }

    /// Follows the event stream from the current generation.
    fn events(&self) -> Events {
        let generation = self.generation();
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        write!(
            s,
            "GET /__smsite/events?generation={generation} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.addr
        )
        .expect("send");
        let (tx, rx) = mpsc::channel();
        let (htx, hrx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(s);
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let _ = htx.send(head);
            let (mut event, mut data) = (String::new(), String::new());
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end_matches(['\r', '\n']);
                if line.is_empty() {
                    if event == "reload" {
                        let v: serde_json::Value =
                            serde_json::from_str(&data).expect("event data is JSON");
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                    event.clear();
                    data.clear();
                } else if let Some(e) = line.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
        });
        let head = hrx
            .recv_timeout(Duration::from_secs(20))
            .expect("the event stream answers");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        Events { rx }
    }
}

struct Resp {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Resp {
    fn parse(raw: &[u8]) -> Resp {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response");
        let head = String::from_utf8_lossy(&raw[..split]).to_string();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        let mut body = raw[split + 4..].to_vec();
        if head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            body = dechunk(&body);
        }
        Resp { status, head, body }
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..nl]).trim(), 16).unwrap_or(0);
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[nl + 2..nl + 2 + n]);
        b = &b[nl + 2 + n + 2..];
    }
}

struct Events {
    rx: mpsc::Receiver<serde_json::Value>,
}

impl Events {
    /// Waits for reload events until `done` holds (checked after each one);
    /// at least one event must arrive. Returns the paths the events named.
    fn until(&self, serve: &Serve, what: &str, done: impl Fn() -> bool) -> Vec<String> {
        self.until_named(serve, what, |_| true, done)
    }

    /// Like `until`, and also waits until the events so far satisfy `named`:
    /// a page is served as soon as it is published, before the event that
    /// names it reaches the browser (a busy machine shows the gap).
    fn until_named(
        &self,
        serve: &Serve,
        what: &str,
        named: impl Fn(&[String]) -> bool,
        done: impl Fn() -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + STEP;
        let mut changed = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let ev = self.rx.recv_timeout(left).unwrap_or_else(|_| {
                panic!(
                    "{what}: no reload event within {STEP:?} (got {changed:?}); log:\n{}",
                    serve.log()
                )
            });
            if ev["all"].as_bool() == Some(true) {
                changed.push("*".to_string());
            }
            for p in ev["changed"].as_array().into_iter().flatten() {
                changed.push(p.as_str().unwrap_or_default().to_string());
            }
            if named(&changed) && done() {
                return changed;
            }
        }
    }
}

/// Whether the events named `page`.
fn names(changed: &[String], page: &str) -> bool {
    changed.iter().any(|c| c == page)
}

fn sample() -> tempfile::TempDir {
    common::copy_fixture(&common::root().join("sample-sms"))
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(path, text).expect("write");
}

/// Saves like many editors: write a temporary file, then rename it over.
fn atomic_save(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-save",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, path).expect("rename over");
}

/// Saves like vim with `backupcopy=no`: probe file, rename the original to
/// a backup, write the new file, delete the backup.
fn vim_save(path: &Path, text: &str) {
    let dir = path.parent().expect("parent");
    let probe = dir.join("4913");
    std::fs::write(&probe, "").expect("probe");
    std::fs::remove_file(&probe).expect("probe");
    let backup = path.with_file_name(format!(
        "{}~",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("x")
    ));
    std::fs::rename(path, &backup).expect("backup");
    std::fs::write(path, text).expect("write");
    std::fs::remove_file(&backup).expect("remove backup");
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("read")
}

fn strip(html: &str) -> String {
    smsite::serve::inject::strip(html)
}

/// Every file of a folder, relative path → bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir(dir) {
        let rel = e
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, std::fs::read(&e).expect("read output"));
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The served site equals a clean `smsite build` of the same files, file for file.
fn assert_same_as_clean_build(serve: &Serve, repo: &Path) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let site = out.path().join("site");
    let o = common::bin()
        .args(["build", "--date", DATE, "--out"])
        .arg(&site)
        .arg(repo)
        .output()
        .expect("build runs");
    assert!(
        o.status.success(),
        "clean build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let built = tree(&site);
    let listed: serde_json::Value =
        serde_json::from_slice(&serve.get("/__smsite/files").body).expect("files JSON");
    let served: Vec<&str> = listed["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let built_pages: Vec<&str> = built
        .keys()
        .map(String::as_str)
        .filter(|p| !p.starts_with("assets/"))
        .collect();
    assert_eq!(served, built_pages, "served and built file lists differ");
    for (path, bytes) in &built {
        let r = serve.get(&format!("/{path}"));
        assert_eq!(r.status, 200, "{path}");
        let got = if path.ends_with(".html") {
            strip(&r.text()).into_bytes()
        } else {
            r.body.clone()
        };
        assert!(
            got == *bytes,
            "{path} differs from the clean build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(bytes)
        );
    }
}

#[test]
fn serves_the_site_and_refuses_everything_else() {
    let repo = sample();
    // An asset that leads out of the repository must never be served.
    #[cfg(unix)]
    let _ = std::os::unix::fs::symlink("/etc/hostname", repo.path().join("assets/out.txt"));
    let serve = Serve::start(repo.path());

    let home = serve.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("/__smsite/events"), "reload script");
    assert!(
        home.text()
            .contains("Northwind IT Service Management System")
    );
    assert_eq!(serve.get("/index.html").text(), home.text());

    for (path, ctype) in [
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/static/site.js", "text/javascript; charset=utf-8"),
        ("/model.json", "application/json"),
        ("/register.csv", "text/csv; charset=utf-8"),
        ("/assets/northwind-logo.svg", "image/svg+xml"),
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type").as_deref(), Some(ctype), "{path}");
        assert!(!r.text().contains("/__smsite/"), "{path}: no injection");
    }

    // Unknown pages: the themed 404, its links made to work at any depth.
    let r = serve.get("/doc/NOPE/deeper.html");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("<base href=\"/\">"));
    assert!(r.text().contains("Page not found"));

    // Traversal, encoded separators, NUL, absolute forms.
    let secret = read(&repo.path().join("sms.yaml"));
    for bad in [
        &b"/../sms.yaml"[..],
        b"/%2e%2e/sms.yaml",
        b"/%2E%2E/%2E%2E/sms.yaml",
        b"/doc%2f..%2f..%2fsms.yaml",
        b"/assets/..%2fsms.yaml",
        b"/assets/%2e%2e/sms.yaml",
        b"/assets/..\\sms.yaml",
        b"/a%00b",
        b"//etc/passwd",
        b"/sms.yaml",
        b"/policies/access-control-policy.md",
        b"/assets/out.txt",
        b"/__smsite/../sms.yaml",
    ] {
        let r = serve.request("GET", bad);
        assert!(
            r.status == 400 || r.status == 404,
            "{}: {}",
            String::from_utf8_lossy(bad),
            r.status
        );
        assert!(
            !r.text().contains("scope:"),
            "{}",
            String::from_utf8_lossy(bad)
        );
        assert!(!r.text().contains(secret.lines().nth(4).unwrap_or("name:")));
    }

    // GET and HEAD only.
    for m in ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"] {
        let r = serve.request(m, b"/index.html");
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.header("Allow").as_deref(), Some("GET, HEAD"), "{m}");
    }
    let r = serve.request("HEAD", b"/index.html");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());

    // An open event stream does not hold up other requests.
    let _events = serve.events();
    let _events2 = serve.events();
    let t = Instant::now();
    assert_eq!(serve.get("/register.html").status, 200);
    assert!(t.elapsed() < Duration::from_secs(10));
}

#[test]
fn edits_reload_pages_and_match_a_clean_build() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let ev = serve.events();
    let policy = root.join("policies/access-control-policy.md");
    let original = read(&policy);

    // 1. Edit in place.
    write(
        &policy,
        &original.replace(
            "title: Access control policy",
            "title: Access rules, edited",
        ),
    );
    // The document's page is published first, the aggregates (its kind
    // index among them) right after: wait for both.
    let changed = ev.until_named(
        &serve,
        "edit in place",
        |c| names(c, "doc/POL-ACCESS.html") && names(c, "kind/policy.html"),
        || {
            serve
                .get("/doc/POL-ACCESS.html")
                .text()
                .contains("Access rules, edited")
                && serve
                    .get("/kind/policy.html")
                    .text()
                    .contains("Access rules, edited")
        },
    );
    assert!(
        changed.iter().any(|c| c == "doc/POL-ACCESS.html"),
        "{changed:?}"
    );
    assert!(
        changed.iter().any(|c| c == "kind/policy.html"),
        "{changed:?}"
    );

    // 2. Atomic save (temporary file renamed over the original).
    atomic_save(
        &policy,
        &original.replace(
            "title: Access control policy",
            "title: Access rules, atomic",
        ),
    );
    ev.until(&serve, "atomic save", || {
        serve
            .get("/doc/POL-ACCESS.html")
            .text()
            .contains("Access rules, atomic")
    });

    // 3. Vim's way: probe file, backup by rename, new file, backup deleted.
    vim_save(
        &policy,
        &original.replace("title: Access control policy", "title: Access rules, vim"),
    );
    ev.until(&serve, "vim save", || {
        serve
            .get("/doc/POL-ACCESS.html")
            .text()
            .contains("Access rules, vim")
    });

    // 4. A new document in a new folder, linking to the policy.
    let note = root.join("notes/new-note.md");
    write(
        &note,
        "---\nid: REP-NEW\ntitle: A brand new report\nkind: report\nowner: Service Manager\n---\n\nSee [[POL-ACCESS]].\n",
    );
    // The new page comes first, then the policy with its back-link.
    let changed = ev.until_named(
        &serve,
        "new file",
        |c| names(c, "doc/REP-NEW.html"),
        || {
            serve.get("/doc/REP-NEW.html").status == 200
                && serve.get("/doc/POL-ACCESS.html").text().contains("REP-NEW")
        },
    );
    assert!(
        changed.iter().any(|c| c == "doc/REP-NEW.html"),
        "{changed:?}"
    );

    // 5. Rename the folder, then the file.
    std::fs::rename(root.join("notes"), root.join("reports-new")).expect("rename folder");
    ev.until(&serve, "folder rename", || {
        serve
            .get("/doc/REP-NEW.html")
            .text()
            .contains("reports-new/new-note.md")
    });
    std::fs::rename(
        root.join("reports-new/new-note.md"),
        root.join("reports-new/renamed.md"),
    )
    .expect("rename file");
    ev.until(&serve, "file rename", || {
        serve
            .get("/doc/REP-NEW.html")
            .text()
            .contains("reports-new/renamed.md")
    });

    // 6. A metadata-only change and an editor's swap file: nothing breaks.
    let f = std::fs::File::open(&policy).expect("open");
    f.set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
        .expect("touch");
    write(
        &root.join("policies/.access-control-policy.md.swp"),
        "\0\0binary",
    );
    write(&root.join("policies/#scratch.md#"), "not a document");

    // 7. Delete the new document: its page goes, the back-link too.
    std::fs::remove_file(root.join("reports-new/renamed.md")).expect("delete");
    let changed = ev.until_named(
        &serve,
        "delete",
        |c| names(c, "doc/REP-NEW.html") || names(c, "*"),
        || serve.get("/doc/REP-NEW.html").status == 404,
    );
    // "*" (reload every tab) also covers the page; it is sent when the
    // findings overlay changes between the rebuilds that the steps cause.
    assert!(
        changed.iter().any(|c| c == "doc/REP-NEW.html" || c == "*"),
        "{changed:?}"
    );
    assert!(!serve.get("/doc/POL-ACCESS.html").text().contains("REP-NEW"));
    std::fs::remove_dir(root.join("reports-new")).expect("delete folder");
    std::fs::remove_file(root.join("policies/#scratch.md#")).expect("delete");
    std::fs::remove_file(root.join("policies/.access-control-policy.md.swp")).expect("delete");

    // 8. A burst of saves: the last one wins.
    for i in 0..10 {
        write(
            &policy,
            &original.replace(
                "title: Access control policy",
                &format!("title: Access rules, burst {i}"),
            ),
        );
    }
    ev.until(&serve, "burst", || {
        serve
            .get("/doc/POL-ACCESS.html")
            .text()
            .contains("Access rules, burst 9")
    });
    // Let any rebuild in flight finish, then compare with a clean build.
    settle(&serve);
    assert_same_as_clean_build(&serve, root);
}

/// Waits until no rebuild has happened for a while.
fn settle(serve: &Serve) {
    let mut last = serve.generation();
    let deadline = Instant::now() + STEP;
    loop {
        std::thread::sleep(Duration::from_millis(700));
        let g = serve.generation();
        if g == last || Instant::now() > deadline {
            return;
        }
        last = g;
    }
}

#[test]
fn errors_show_an_overlay_until_fixed() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let ev = serve.events();
    let policy = root.join("policies/access-control-policy.md");
    let original = read(&policy);
    assert!(!serve.get("/doc/POL-ACCESS.html").text().contains(OVERLAY));

    // A broken reference: the overlay lists it; the page stays the last good one.
    write(
        &policy,
        &original.replace("## Purpose", "## Purpose\n\nSee [[POL-NOPE]] and changes."),
    );
    let changed = ev.until_named(
        &serve,
        "error",
        |c| names(c, "*"),
        || serve.get("/doc/POL-ACCESS.html").text().contains(OVERLAY),
    );
    assert!(
        changed.iter().any(|c| c == "*"),
        "every page reloads: {changed:?}"
    );
    let page = serve.get("/doc/POL-ACCESS.html").text();
    assert!(page.contains("broken-reference"), "{page}");
    assert!(
        page.contains("policies/access-control-policy.md:"),
        "file:line"
    );
    assert!(page.contains("POL-NOPE"));
    assert!(
        !strip(&page).contains("and changes"),
        "the last good page stays"
    );
    assert!(serve.get("/register.html").text().contains(OVERLAY));
    assert_eq!(serve.status()["errors"].as_u64(), Some(1));
    assert!(
        serve.log().contains("broken-reference"),
        "terminal shows it"
    );

    // Half-written, then completed: a parse error first, then all good.
    let half = &original[..original.len() / 8];
    write(&policy, half);
    ev.until(&serve, "half-written", || {
        serve.get("/index.html").text().contains("parse-error")
    });
    write(
        &policy,
        &original.replace("## Purpose", "## Purpose\n\nFixed and changed."),
    );
    ev.until(&serve, "fixed", || {
        let t = serve.get("/doc/POL-ACCESS.html").text();
        !t.contains(OVERLAY) && t.contains("Fixed and changed.")
    });
    assert_eq!(serve.status()["errors"].as_u64(), Some(0));

    // A broken sms.yaml, then restored.
    let sms = root.join("sms.yaml");
    let sms_text = read(&sms);
    std::fs::remove_file(&sms).expect("remove sms.yaml");
    ev.until(&serve, "no sms.yaml", || {
        serve.get("/").text().contains(OVERLAY)
    });
    write(&sms, &sms_text);
    ev.until(&serve, "sms.yaml back", || {
        !serve.get("/").text().contains(OVERLAY)
    });
    settle(&serve);
    assert_same_as_clean_build(&serve, root);
}

#[test]
fn a_tab_that_connects_late_still_gets_the_reload() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let generation = serve.generation();
    let policy = root.join("policies/access-control-policy.md");
    let text = read(&policy).replace("title: Access control policy", "title: Late tab");
    write(&policy, &text);
    // Wait for the rebuild without listening...
    let deadline = Instant::now() + STEP;
    while serve.generation() == generation {
        assert!(
            Instant::now() < deadline,
            "no rebuild; log:\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // ...then connect as the page served at `generation` would.
    let mut s = TcpStream::connect(&serve.addr).expect("connect");
    s.set_read_timeout(Some(STEP)).ok();
    write!(
        s,
        "GET /__smsite/events?generation={generation} HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .expect("send");
    let mut r = BufReader::new(s);
    let mut seen = String::new();
    while !seen.contains("doc/POL-ACCESS.html") {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("stream ended: {seen}");
        }
        seen.push_str(&line);
    }
    assert!(seen.contains("event: reload"));
}

#[test]
fn a_document_deleted_then_restored_unchanged_gets_its_page_back() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let ev = serve.events();
    let note = root.join("notes/x.md");
    let text = "---\nid: REP-X\ntitle: A note\nkind: report\nowner: Service Manager\n---\n\nSee [[POL-ACCESS]].\n";
    write(&note, text);
    ev.until(&serve, "add", || serve.get("/doc/REP-X.html").status == 200);
    std::fs::remove_file(&note).expect("delete");
    ev.until(&serve, "delete", || {
        serve.get("/doc/REP-X.html").status == 404
    });
    // The same text again: its page inputs hash as before, yet the page must come back.
    write(&note, text);
    ev.until(&serve, "restore", || {
        serve.get("/doc/REP-X.html").status == 200
    });
    settle(&serve);
    assert_same_as_clean_build(&serve, root);
}

#[test]
fn the_edited_document_reloads_before_the_pages_that_mention_it() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let ev = serve.events();
    let policy = root.join("policies/access-control-policy.md");
    let original = read(&policy);
    write(
        &policy,
        &original.replace("title: Access control policy", "title: Access rules, first"),
    );
    // The first event names the edited document's page alone.
    let first = ev.rx.recv_timeout(STEP).expect("a reload event");
    let named: Vec<&str> = first["changed"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p.as_str())
        .collect();
    assert_eq!(named, ["doc/POL-ACCESS.html"], "{first}");
    assert!(
        serve
            .get("/doc/POL-ACCESS.html")
            .text()
            .contains("Access rules, first")
    );
    // The pages that list it (with its title) follow.
    let later = ev.until_named(
        &serve,
        "referring pages",
        |c| names(c, "doc/POL-INFOSEC.html"),
        || {
            serve
                .get("/doc/POL-INFOSEC.html")
                .text()
                .contains("Access rules, first")
        },
    );
    assert!(
        later.iter().any(|c| c == "doc/POL-INFOSEC.html"),
        "{later:?}"
    );
}

#[test]
fn a_measurement_file_edit_rebuilds_and_its_findings_show_their_row() {
    let repo = sample();
    let root = repo.path();
    let serve = Serve::start(root);
    let ev = serve.events();
    let csv = root.join("measurements/monitoring.csv");
    let original = read(&csv);
    let row = "2026-10,SLA-TOS,availability,99.98,,";
    assert!(original.contains(row), "the sample's October TOS row");
    let report = || serve.get("/report/2026-10.html").text();
    assert!(report().contains("99.98"));

    // A decimal comma: the overlay names the cell and shows the row.
    let bad = original.replace(row, "2026-10,SLA-TOS,availability,\"99,98\",,");
    atomic_save(&csv, &bad);
    ev.until(&serve, "the bad value", || {
        serve.get("/index.html").text().contains(OVERLAY)
    });
    let page = serve.get("/index.html").text();
    assert!(page.contains("invalid-field"), "{page}");
    assert!(
        page.contains("measurements/monitoring.csv:"),
        "file:line:column"
    );
    assert!(
        page.contains("2026-10,SLA-TOS,availability,&quot;99,98&quot;,,"),
        "the row is shown: {page}"
    );
    assert!(page.contains("use a dot: `99.98`"), "{page}");

    // Corrected to another value: the monthly report and the SLA's chart follow.
    atomic_save(
        &csv,
        &original.replace(row, "2026-10,SLA-TOS,availability,99.97,,"),
    );
    ev.until(&serve, "the corrected value", || {
        let r = report();
        !r.contains(OVERLAY) && r.contains(">99.97<")
    });
    let sla = serve.get("/doc/SLA-TOS.html").text();
    assert!(
        sla.contains(r#"<a href="../report/2026-10.html">2026-10</a></th><td class="m-met">● met, 99.97</td>"#),
        "the SLA's table of months: {sla}"
    );

    // A new measurement file is read too (the walk finds it).
    write(
        &root.join("measurements/extra/2026-12.csv"),
        "period,sla,metric,value\n2026-12,SLA-EMAIL,availability,99.95\n",
    );
    ev.until(&serve, "a new file", || {
        serve.get("/report/2026-12.html").status == 200
    });
    settle(&serve);
    assert_same_as_clean_build(&serve, root);
}

/// The policy pack of `tests/fixtures/operation/`, its errors made warnings.
fn policy_pack() -> tempfile::TempDir {
    let repo = common::copy_fixture(&common::fixture("operation/policy-pack"));
    let sms = repo.path().join("sms.yaml");
    let text = read(&sms);
    write(
        &sms,
        &format!("{text}  broken-reference: warning\n  requirement-uncovered: warning\n"),
    );
    repo
}

#[test]
fn parenthesised_requirement_pages_and_changed_variables_are_served() {
    let repo = policy_pack();
    let root = repo.path();
    let serve = Serve::start(root);
    // `AC-2(1)`: as written and percent-encoded, as browsers may send it.
    for path in ["/req/NIST/AC-2(1).html", "/req/NIST/AC-2%281%29.html"] {
        let r = serve.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.text().contains("Automated System Account Management"),
            "{path}"
        );
    }
    let r = serve.get("/req/HIPAA/164.308(a)(1)(ii)(A).html");
    assert_eq!(r.status, 200);
    let page = serve.get("/doc/POL-ISMS.html").text();
    assert!(
        page.contains("Harbourside Health Clinics Ltd protects"),
        "{page}"
    );
    // A changed variable reaches every page that uses it.
    let ev = serve.events();
    let sms = root.join("sms.yaml");
    write(
        &sms,
        &read(&sms).replace(
            "  organisation: Harbourside Health Clinics Ltd",
            "  organisation: Harbourside Health Group",
        ),
    );
    ev.until(&serve, "variable changed", || {
        serve
            .get("/doc/POL-ISMS.html")
            .text()
            .contains("Harbourside Health Group protects")
    });
    settle(&serve);
    assert!(
        serve
            .get("/doc/POL-ACCESS.html")
            .text()
            .contains("Account lifecycle at Harbourside Health Group")
    );
    assert_same_as_clean_build(&serve, root);
}
