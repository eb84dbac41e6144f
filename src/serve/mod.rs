//! `smsite serve`: live preview. Builds the site in memory with the same
//! pipeline as `build`, serves it over HTTP, watches the repository and
//! rebuilds on every change; open tabs reload themselves when the page they
//! show changed, and show an overlay listing the findings while the
//! repository has errors (the last good site stays served meanwhile).
//!
//! - `site`: the rebuild (pipeline run, incremental load, output diff);
//! - `live`: the served generation and its change history, shared by threads;
//! - `http`: the server (safe paths, content types, 404, event stream);
//! - `inject`: the reload script and the findings overlay added to served HTML;
//! - `watch`: file events, filtered and debounced; polling fallback.
//!
//! See `docs/serve.md`.

pub mod http;
pub mod inject;
pub mod live;
pub mod site;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use jiff::civil::Date;

use crate::diag;

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The repository (the folder holding sms.yaml).
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// The "today" of date rules; default: the day of each rebuild.
    pub date: Option<Date>,
    /// Print the time of each stage of every rebuild.
    pub timing: bool,
    /// Poll the files instead of native file events.
    pub poll: bool,
    /// Quiet period after the last file event before a rebuild.
    pub debounce: Duration,
    /// Print nothing but the address, findings and errors.
    pub quiet: bool,
    /// Read the git history (revision histories, stale approvals, suspect references).
    pub history: bool,
}

/// How often the polling fallback scans the repository.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// Runs the server until the process is stopped. Errors: the repository
/// folder is missing, or the address cannot be bound.
pub fn run(opts: Options) -> Result<(), String> {
    // Every save renders unchanged code blocks again (the changed pages,
    // the evidence pack): keep them all, up to 256 MiB.
    crate::highlight::cache_highlights(256 << 20);
    if !opts.root.is_dir() {
        return Err(format!(
            "{}: no such folder; point at the folder that holds sms.yaml",
            opts.root.display()
        ));
    }
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("{}: {e}", opts.root.display()))?;
    // Like `build` with its default output folder: never read DIR/public.
    let out_name = "public";
    let mut builder = site::Builder::new(root.clone(), vec![root.join(out_name)], opts.date);
    if !opts.history {
        builder.without_history();
    }
    // Watch before the first build and before the address is printed: an
    // edit made as soon as the address shows is never missed (it queues a rebuild).
    let (tx, rx) = mpsc::channel();
    let filter = watch::Filter {
        root: root.clone(),
        skip: vec![out_name.to_string()],
    };
    let mut watcher = start_watcher(&filter, &tx, &opts, opts.poll);
    if watcher.is_some() {
        // The watcher reports every change: rebuilds need not walk the
        // repository again when files were only edited.
        builder.trust_watcher();
    }

    let live = Arc::new(live::Live::new());
    let first = builder.rebuild(&[]);
    let report = Report::of(&first);
    let changed = live::Change {
        all: true,
        paths: Default::default(),
    };
    live.publish(first.site, changed);

    let addr = SocketAddr::new(opts.bind, opts.port);
    let http = tiny_http::Server::from_listener(
        listen(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?,
        None,
    )
    .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let bound = http
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server has no IP address".to_string())?;
    let shown = if bound.ip().is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), bound.port())
    } else {
        bound
    };
    println!("http://{shown}/");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if !opts.quiet {
        if !opts.bind.is_loopback() {
            eprintln!(
                "serving on {bound}: reachable from other machines (use --bind 127.0.0.1 to keep it local)"
            );
        }
        eprintln!("watching {} (Ctrl-C to stop)", root.display());
    }
    report.print(&root, &opts, "built");
    let mut notes_shown = print_notes(&builder.notes, &[]);

    let server = Arc::new(http::Server::new(live.clone(), root.clone()));
    std::thread::Builder::new()
        .name("smsite-accept".into())
        .spawn(move || http::run(http, server))
        .map_err(|e| format!("cannot start the server thread: {e}"))?;

    loop {
        let Ok(first) = rx.recv() else {
            // Every sender is gone: cannot happen while `tx` lives; keep serving.
            std::thread::sleep(Duration::from_secs(1));
            continue;
        };
        let mut batches = vec![first];
        while let Ok(b) = rx.try_recv() {
            batches.push(b);
        }
        let mut touched = Vec::new();
        for b in batches {
            match b {
                watch::Batch::Paths(p) => touched.extend(p),
                watch::Batch::Rescan => builder.invalidate(""),
                watch::Batch::Error(e) => {
                    eprintln!("warning: file watching: {e}; reading every file again");
                    builder.invalidate("");
                }
                watch::Batch::Limit(e) => {
                    if !matches!(watcher, Some(watch::Watcher::Poll(_))) {
                        eprintln!("{}", limit_message(&e));
                        // Stop the native watcher before polling starts.
                        drop(watcher.take());
                        watcher = start_watcher(&filter, &tx, &opts, true);
                    }
                    builder.invalidate("");
                }
            }
        }
        for t in &touched {
            builder.invalidate(t);
        }
        let r = builder.rebuild_phased(&touched, &mut |site, paths| {
            // The pages first: tabs on them reload before the aggregates are done.
            live.publish(site, live::Change { all: false, paths });
        });
        let report = Report::of(&r);
        // Published even when nothing visible changed: the findings stay current.
        live.publish(
            r.site,
            live::Change {
                all: r.all,
                paths: r.changed,
            },
        );
        report.print(&root, &opts, "rebuilt");
        notes_shown = print_notes(&builder.notes, &notes_shown);
    }
}

/// Prints the notes (what the history could not tell) that were not
/// printed last time; returns them.
fn print_notes(notes: &[String], shown: &[String]) -> Vec<String> {
    for n in notes.iter().filter(|n| !shown.contains(n)) {
        eprintln!("note: {n}");
    }
    notes.to_vec()
}

fn limit_message(e: &str) -> String {
    format!(
        "warning: the system's limit on watched folders is reached ({e}).\n  \
         smsite falls back to polling the files (slower to notice changes).\n  \
         To raise the limit on Linux: sudo sysctl fs.inotify.max_user_watches=524288\n  \
         (and add `fs.inotify.max_user_watches=524288` to /etc/sysctl.conf to keep it)."
    )
}

fn start_watcher(
    filter: &watch::Filter,
    tx: &mpsc::Sender<watch::Batch>,
    opts: &Options,
    poll: bool,
) -> Option<watch::Watcher> {
    if !poll {
        match watch::native(filter.clone(), tx.clone(), opts.debounce) {
            Ok(w) => return Some(w),
            Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
                eprintln!("{}", limit_message(&e.to_string()));
            }
            Err(e) => {
                eprintln!(
                    "warning: native file events are unavailable ({e}); polling the files instead"
                );
            }
        }
    }
    match watch::poll(filter.clone(), tx.clone(), opts.debounce, POLL_INTERVAL) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "error: cannot watch {}: {e}; the site is served but will not update",
                filter.root.display()
            );
            None
        }
    }
}

/// What the terminal shows after a rebuild.
struct Report {
    findings: Vec<diag::Finding>,
    errors: usize,
    pages: usize,
    published: bool,
    r_total: Duration,
    check: Duration,
    render: Duration,
    parsed: usize,
    reused: usize,
    documents: usize,
}

impl Report {
    fn of(r: &site::Rebuilt) -> Report {
        Report {
            findings: r.site.findings.clone(),
            errors: r.site.errors,
            pages: r.changed.iter().filter(|p| p.ends_with(".html")).count(),
            published: r.published,
            r_total: r.total,
            check: r.check_time,
            render: r.render_time,
            parsed: r.parsed,
            reused: r.reused,
            documents: r.documents,
        }
    }

    fn print(&self, root: &std::path::Path, opts: &Options, verb: &str) {
        if !self.findings.is_empty() {
            eprint!("{}", crate::report::to_human(&self.findings, root));
        }
        let ms = self.r_total.as_secs_f64() * 1000.0;
        if self.errors > 0 {
            eprintln!(
                "{} error{} in {ms:.0} ms: {}; the pages show the findings",
                self.errors,
                if self.errors == 1 { "" } else { "s" },
                if self.published {
                    "no good site yet, serving this one"
                } else {
                    "still serving the last good site"
                }
            );
        } else if !opts.quiet {
            eprintln!(
                "{verb} {} page{} in {ms:.0} ms",
                self.pages,
                if self.pages == 1 { "" } else { "s" }
            );
        }
        if opts.timing {
            eprintln!(
                "timing: load+resolve+check {:.1} ms ({} of {} documents parsed, {} reused), render {:.1} ms, total {:.1} ms",
                self.check.as_secs_f64() * 1000.0,
                self.parsed,
                self.documents,
                self.reused,
                self.render.as_secs_f64() * 1000.0,
                ms
            );
        }
    }
}

/// A listening socket with `TCP_NODELAY`, which accepted connections inherit:
/// tiny_http writes a response's head and body separately, and with Nagle's
/// algorithm each keep-alive response would wait ~40 ms for a delayed ACK.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    socket.bind(&addr.into())?;
    socket.listen(1024)?;
    Ok(socket.into())
}

#[cfg(test)]
mod listen_tests {
    #[test]
    fn accepted_connections_do_not_wait_for_delayed_acks() {
        let addr: std::net::SocketAddr = ([127, 0, 0, 1], 0).into();
        let listener = super::listen(addr).expect("listen on loopback");
        let local = listener.local_addr().expect("address");
        let _client = std::net::TcpStream::connect(local).expect("connect");
        let (accepted, _) = listener.accept().expect("accept");
        assert!(
            accepted.nodelay().expect("nodelay"),
            "TCP_NODELAY is inherited from the listener"
        );
    }
}
