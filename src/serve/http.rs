//! The HTTP side of `serve`, on `tiny_http`: every request is handled on its
//! own thread (bounded), so open event streams, many tabs and slow clients
//! never stall the accept loop. Serves only the site: pages from memory,
//! `assets/` files from the repository (only those the last load listed,
//! and only while they resolve inside it). Refuses traversal (`..`, also
//! percent-encoded), encoded slashes and backslashes, NUL bytes and
//! absolute forms with 400; anything but GET and HEAD with 405.
//!
//! Internal endpoints live under `/__smsite/`: `events` (server-sent
//! events: a `reload` event after each rebuild that changed something,
//! written and flushed frame by frame on the raw stream that
//! `Request::upgrade` hands over, since tiny_http's chunked writer does not
//! flush per event), `status` (generation and findings as JSON) and
//! `files` (the served output paths).

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::inject;
use super::live::Live;

/// Requests handled at once; more get 503 at once.
const MAX_ACTIVE: usize = 512;
/// A comment is sent on idle event streams this often (finds closed tabs).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// What the HTTP threads share.
pub struct Server {
    pub live: Arc<Live>,
    /// The repository, canonical (assets are read from it).
    pub root: PathBuf,
    active: AtomicUsize,
}

impl Server {
    pub fn new(live: Arc<Live>, root: PathBuf) -> Server {
        Server {
            live,
            root,
            active: AtomicUsize::new(0),
        }
    }
}

/// Accepts requests forever, each on its own thread.
pub fn run(http: tiny_http::Server, server: Arc<Server>) {
    loop {
        let rq = match http.recv() {
            Ok(rq) => rq,
            Err(e) => {
                eprintln!("warning: cannot accept a connection: {e}");
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if server.active.fetch_add(1, Ordering::SeqCst) >= MAX_ACTIVE {
            server.active.fetch_sub(1, Ordering::SeqCst);
            let _ = rq.respond(text(503, "too many requests at once; try again"));
            continue;
        }
        let s = server.clone();
        let spawned = std::thread::Builder::new()
            .name("smsite-http".into())
            .spawn(move || {
                handle(&s, rq);
                s.active.fetch_sub(1, Ordering::SeqCst);
            });
        if let Err(e) = spawned {
            server.active.fetch_sub(1, Ordering::SeqCst);
            eprintln!("warning: cannot start a thread for a request: {e}");
        }
    }
}

/// A request target, checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A site path, decoded (`""` is the root; a trailing `/` is kept).
    Path(String),
    /// Refused: traversal, encoded separators, NUL, absolute or malformed.
    Bad,
}

/// Checks and decodes the path of a request target (`/doc/A.html?x`).
pub fn target(raw: &str) -> Target {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else {
        return Target::Bad;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let mut out: Vec<String> = Vec::with_capacity(segs.len());
    for (i, seg) in segs.iter().enumerate() {
        if seg.is_empty() {
            // Only a trailing slash (or the bare root) may leave an empty segment.
            if i + 1 == segs.len() {
                break;
            }
            return Target::Bad;
        }
        let Ok(dec) = percent_decode_str(seg).decode_utf8() else {
            return Target::Bad;
        };
        if dec == "."
            || dec == ".."
            || dec.contains(['/', '\\', '\0'])
            || dec.chars().any(char::is_control)
        {
            return Target::Bad;
        }
        out.push(dec.into_owned());
    }
    let mut p = out.join("/");
    if rest.ends_with('/') && !p.is_empty() {
        p.push('/');
    }
    Target::Path(p)
}

/// The Content-Type of a site path.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "avif" => "image/avif",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn with_headers<R: std::io::Read>(mut r: Response<R>, headers: &[(&str, &str)]) -> Response<R> {
    for (n, v) in headers {
        if let Some(h) = header(n, v) {
            r = r.with_header(h);
        }
    }
    r
}

fn text(status: u16, body: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(
        Response::from_data(format!("{body}\n").into_bytes()).with_status_code(StatusCode(status)),
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Cache-Control", "no-store"),
        ],
    )
}

fn bytes(status: u16, ctype: &str, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    with_headers(
        Response::from_data(body).with_status_code(StatusCode(status)),
        &[
            ("Content-Type", ctype),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
    )
}

fn handle(s: &Server, rq: Request) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        let r = with_headers(
            text(405, "method not allowed: smsite serve answers GET and HEAD"),
            &[("Allow", "GET, HEAD")],
        );
        let _ = rq.respond(r);
        return;
    }
    let url = rq.url().to_string();
    let path = match target(&url) {
        Target::Path(p) => p,
        Target::Bad => {
            let _ = rq.respond(text(400, "bad request: this path is not part of the site"));
            return;
        }
    };
    if let Some(internal) = path.strip_prefix("__smsite/") {
        internal_endpoint(s, rq, internal, &url);
        return;
    }
    let site = s.live.site();
    let page_path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    if let Some(body) = site.files.get(&page_path) {
        let ctype = content_type(&page_path);
        let body = if ctype.starts_with("text/html") {
            // The page's own notice (an approved document being edited) with the overlay.
            let overlay = match site.notices.get(&page_path) {
                Some(n) => format!("{}{n}", site.overlay),
                None => String::new(),
            };
            inject::page(
                body,
                &inject::Page {
                    path: &page_path,
                    generation: site.generation,
                    boot: s.live.boot,
                    overlay: if overlay.is_empty() {
                        &site.overlay
                    } else {
                        &overlay
                    },
                    base: false,
                },
            )
        } else {
            body.to_vec()
        };
        let _ = rq.respond(bytes(200, ctype, body));
        return;
    }
    // A folder asked without its trailing slash.
    if !path.is_empty() && site.files.contains_key(&format!("{path}/index.html")) {
        let to = format!("/{}/", encode_path(&path));
        let r = with_headers(text(301, &format!("moved to {to}")), &[("Location", &to)]);
        let _ = rq.respond(r);
        return;
    }
    if site.assets.contains(&path)
        && let Some(file) = open_asset(&s.root, &path)
    {
        let r = with_headers(
            Response::from_file(file),
            &[
                ("Content-Type", content_type(&path)),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        );
        let _ = rq.respond(r);
        return;
    }
    // The themed 404 page (its links are relative to the site root).
    let body = match site.files.get("404.html") {
        Some(b) => b.as_slice(),
        None => b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>".as_slice(),
    };
    let body = inject::page(
        body,
        &inject::Page {
            path: &page_path,
            generation: site.generation,
            boot: s.live.boot,
            overlay: &site.overlay,
            base: true,
        },
    );
    let _ = rq.respond(bytes(404, "text/html; charset=utf-8", body));
}

/// Percent-encodes each segment of a site path for a `Location` header.
fn encode_path(p: &str) -> String {
    p.split('/')
        .map(|s| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Opens an asset of the repository: plain segments only, and the file
/// must still resolve inside the repository (a symbolic link swapped in
/// after the last load cannot lead out).
fn open_asset(root: &Path, rel: &str) -> Option<std::fs::File> {
    let rel_path = Path::new(rel);
    if !rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let real = root.join(rel_path).canonicalize().ok()?;
    if !real.starts_with(root) || !real.is_file() {
        return None;
    }
    std::fs::File::open(real).ok()
}

fn query_param<'a>(url: &'a str, name: &str) -> Option<&'a str> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then_some(v)
    })
}

fn internal_endpoint(s: &Server, rq: Request, name: &str, url: &str) {
    match name {
        "events" => events(s, rq, url),
        "status" => {
            let site = s.live.site();
            let v = serde_json::json!({
                "generation": site.generation,
                "boot": s.live.boot.to_string(),
                "errors": site.errors,
                "findings": site.findings,
                "files": site.files.len(),
            });
            let _ = rq.respond(bytes(200, "application/json", v.to_string().into_bytes()));
        }
        "files" => {
            let site = s.live.site();
            let mut files: Vec<&String> = site.files.keys().collect();
            files.sort();
            let v = serde_json::json!({"generation": site.generation, "files": files});
            let _ = rq.respond(bytes(200, "application/json", v.to_string().into_bytes()));
        }
        _ => {
            let _ = rq.respond(text(404, "not found"));
        }
    }
}

/// A server-sent-event stream: `reload` events with what changed after
/// the generation the page was served at (`?generation=`), then after each rebuild.
fn events(s: &Server, rq: Request, url: &str) {
    // No `generation`: follow from now. A page served by an earlier server: reload it.
    let other_boot = query_param(url, "boot").is_some_and(|b| b != s.live.boot.to_string());
    // A reconnecting EventSource names the last event it saw.
    let last_id = rq
        .headers()
        .iter()
        .find(|h| h.field.equiv("Last-Event-ID"))
        .and_then(|h| h.value.as_str().parse::<u64>().ok());
    let asked: Option<u64> =
        last_id.or_else(|| query_param(url, "generation").and_then(|g| g.parse().ok()));
    let head = with_headers(
        Response::empty(StatusCode(200)),
        &[
            ("Content-Type", "text/event-stream"),
            ("Cache-Control", "no-store"),
            ("X-Accel-Buffering", "no"),
        ],
    );
    let mut stream = rq.upgrade("sse", head);
    if stream.write_all(b"retry: 500\n: connected\n\n").is_err() || stream.flush().is_err() {
        return;
    }
    let (current, mut change) = s.live.since(asked.unwrap_or(u64::MAX));
    if asked.is_none() {
        change = super::live::Change::default();
    }
    change.all |= other_boot;
    if !change.is_empty() && send(&mut stream, current, &change).is_err() {
        return;
    }
    let mut generation = current;
    loop {
        let (current, change) = s.live.wait(generation, KEEPALIVE);
        let r = if current == generation {
            stream
                .write_all(b": keepalive\n\n")
                .and_then(|_| stream.flush())
        } else if change.is_empty() {
            Ok(())
        } else {
            send(&mut stream, current, &change)
        };
        if r.is_err() {
            return;
        }
        generation = current;
    }
}

fn send(
    stream: &mut impl Write,
    generation: u64,
    change: &super::live::Change,
) -> std::io::Result<()> {
    let frame = format!(
        "event: reload\nid: {generation}\ndata: {}\n\n",
        change.to_json(generation)
    );
    stream.write_all(frame.as_bytes())?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Target {
        Target::Path(s.to_string())
    }

    #[test]
    fn targets_are_decoded_and_checked() {
        assert_eq!(target("/"), p(""));
        assert_eq!(target("/doc/POL-001.html?x=1#top"), p("doc/POL-001.html"));
        assert_eq!(target("/assets/my%20file.pdf"), p("assets/my file.pdf"));
        assert_eq!(target("/kind/"), p("kind/"));
        for bad in [
            "/../sms.yaml",
            "/%2e%2e/sms.yaml",
            "/%2E%2E/sms.yaml",
            "/doc%2f..%2f..%2fsms.yaml",
            "/doc/%2e%2e%2fsms.yaml",
            "/a/./b",
            "//etc/passwd",
            "/a//b",
            "/a%00b",
            "/a\\..\\sms.yaml",
            "/a%5c..%5csms.yaml",
            "http://host/x",
            "*",
            "",
            "/%ff",
        ] {
            assert_eq!(target(bad), Target::Bad, "{bad}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("matrix.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
