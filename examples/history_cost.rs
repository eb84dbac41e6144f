//! Times the git history reader on a repository: opening it, the history of
//! every file (read anew, reused in memory, and from the cache file, which
//! it writes in the repository's git folder), the uncommitted changes, two revisions' trees and the blobs
//! that differ between them (what `smsite diff` reads), and the contents of
//! the newest versions of up to `--blobs` files. Each step runs `--runs`
//! times; the median is printed (wall time; the machine's other load counts).
//!
//! ```sh
//! cargo run --release --example gen_sms -- --docs 10000 --out /tmp/h10k
//! python3 bench/gen_history.py /tmp/h10k
//! cargo run --release --example history_cost -- /tmp/h10k --old HEAD~1000 --runs 5
//! ```

use std::path::PathBuf;
use std::time::{Duration, Instant};

use smsite::git::history::{Oid, Repo};

struct Args {
    repo: PathBuf,
    old: String,
    blobs: usize,
    runs: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        repo: PathBuf::new(),
        old: "HEAD~1000".into(),
        blobs: 2000,
        runs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--old" => a.old = value()?,
            "--blobs" => a.blobs = value()?.parse().map_err(|e| format!("--blobs: {e}"))?,
            "--runs" => a.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            _ if a.repo.as_os_str().is_empty() => a.repo = PathBuf::from(arg),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    if a.repo.as_os_str().is_empty() {
        return Err("usage: history_cost REPO [--old REV] [--blobs N] [--runs N]".into());
    }
    Ok(a)
}

/// Runs `f` `runs` times; prints and returns the median time and the last result.
fn time<T>(what: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut times: Vec<Duration> = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        last = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what:<44} median {:7.1} ms  (min {:.1}, max {:.1})",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    last.expect("runs >= 1")
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let repo = match time("open", a.runs, || Repo::open(&a.repo)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let history = time("history of every file", a.runs, || repo.history());
    let history = history.unwrap_or_else(|e| panic!("{e}"));
    let changes: usize = history.files.values().map(Vec::len).sum();
    println!(
        "  {} commits, {} files, {} changes",
        history.commits.len(),
        history.files.len(),
        changes
    );
    let again = time("history again, HEAD unchanged (reuse)", a.runs, || {
        repo.history_since(history.clone())
    });
    assert!(again.is_ok());
    // The first call writes the cache file (.git/smsite/history), the others read it.
    let cached = time("history from the cache file", a.runs, || {
        repo.history_cached()
    });
    assert_eq!(cached.ok().as_ref(), Some(&history));
    let work = time("uncommitted changes (git status)", a.runs, || {
        repo.work_tree(&[])
    });
    println!("  {} uncommitted", work.map(|w| w.len()).unwrap_or(0));

    let newest: Vec<Oid> = history
        .files
        .values()
        .take(a.blobs)
        .map(|c| c[0].blob)
        .collect();
    let read = time(&format!("blobs of {} files", newest.len()), a.runs, || {
        repo.read_blobs(&newest)
    });
    let bytes: usize = read.iter().map(|b| b.as_ref().map_or(0, Vec::len)).sum();
    println!("  {bytes} bytes");

    let diff = time(
        &format!("diff HEAD vs {}: trees and changed blobs", a.old),
        a.runs,
        || {
            let old = repo.resolve(&a.old).unwrap_or_else(|e| panic!("{e}"));
            let (t1, t2) = (repo.tree(old.id), repo.tree(repo.head));
            let (t1, t2) = (t1.unwrap_or_default(), t2.unwrap_or_default());
            let before: std::collections::HashMap<&str, Oid> =
                t1.iter().map(|e| (e.path.as_str(), e.blob)).collect();
            let mut wanted: Vec<Oid> = Vec::new();
            for e in &t2 {
                match before.get(e.path.as_str()) {
                    Some(&b) if b == e.blob => {}
                    Some(&b) => wanted.extend([b, e.blob]),
                    None => wanted.push(e.blob),
                }
            }
            let blobs = repo.read_blobs(&wanted);
            (t1.len(), t2.len(), blobs.len())
        },
    );
    println!("  {} and {} files, {} blobs read", diff.0, diff.1, diff.2);
}
