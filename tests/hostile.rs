//! Hostile input and faults (issue 5): every bad input gets a clear message
//! naming the file (and line), a non-zero exit, no panic, quickly; the
//! previously published site is never damaged. Runs the real binary.
//!
//! Fixed broken repositories live in `tests/fixtures/hostile/`; inputs that
//! are big or odd (multi-megabyte, invalid UTF-8, symbolic links, CRLF) are
//! generated into a temporary folder by the test.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Time any small bad input may take (the budget).
const QUICK: Duration = Duration::from_secs(2);
/// Time a multi-megabyte input may take in the unoptimised test build
/// (release builds take a fraction; see docs/robustness.md).
const BIG: Duration = Duration::from_secs(15);

struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    took: Duration,
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let out = bin()
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the smsite binary runs");
    let r = Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        took: start.elapsed(),
    };
    assert!(
        !r.stderr.contains("panicked") && !r.stdout.contains("panicked"),
        "smsite panicked on {args:?}:\n{}",
        r.stderr
    );
    r
}

fn s(p: &Path) -> &str {
    p.to_str().expect("test paths are UTF-8")
}

fn check(dir: &Path) -> Run {
    run(&["check", s(dir), "--date", "2026-06-01"])
}

fn build(dir: &Path, out: &Path) -> Run {
    run(&["build", s(dir), "--out", s(out), "--date", "2026-06-01"])
}

/// Every file of a site, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut m = BTreeMap::new();
    for e in walk(dir) {
        let rel = e
            .strip_prefix(dir)
            .expect("inside")
            .to_string_lossy()
            .into_owned();
        m.insert(rel, std::fs::read(&e).expect("read site file"));
    }
    m
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Publishes the good base repository into `out` and returns its snapshot.
fn good_site(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let r = build(&fixture("hostile/base"), out);
    assert_eq!(r.code, Some(0), "the base fixture builds: {}", r.stderr);
    let snap = snapshot(out);
    assert!(snap.contains_key("doc/POL-A.html"), "{:?}", snap.keys());
    snap
}

/// `smsite check` and `smsite build` on a broken repository: exit `code`,
/// the message names `file` at `line` (with `needle` in it), within `limit`,
/// no panic; and the site published before is unchanged.
fn assert_rejected(dir: &Path, code: i32, file: &str, line: usize, needle: &str, limit: Duration) {
    assert_check_rejects(dir, code, file, line, needle, limit);
    assert_build_rejects(dir, code, file, line, needle, limit);
}

fn assert_check_rejects(
    dir: &Path,
    code: i32,
    file: &str,
    line: usize,
    needle: &str,
    limit: Duration,
) {
    let at = format!("{file}:{line}:");
    let r = check(dir);
    assert_eq!(r.code, Some(code), "check {}: {}", dir.display(), r.stderr);
    assert!(
        r.stderr.contains(&at),
        "check {}: the message should name {at}\n{}",
        dir.display(),
        r.stderr
    );
    assert!(
        r.stderr.contains(needle),
        "check {}: the message should say {needle:?}\n{}",
        dir.display(),
        r.stderr
    );
    assert!(r.took < limit, "check {} took {:?}", dir.display(), r.took);
}

/// The `build` half of `assert_rejected`.
fn assert_build_rejects(
    dir: &Path,
    code: i32,
    file: &str,
    line: usize,
    needle: &str,
    limit: Duration,
) {
    let at = format!("{file}:{line}:");
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let before = good_site(&out);
    let r = build(dir, &out);
    assert_eq!(r.code, Some(code), "build {}: {}", dir.display(), r.stderr);
    assert!(r.stderr.contains(&at), "build: {}", r.stderr);
    assert!(r.stderr.contains(needle), "build: {}", r.stderr);
    assert!(r.took < limit, "build {} took {:?}", dir.display(), r.took);
    assert_eq!(
        snapshot(&out),
        before,
        "build {}: the published site changed",
        dir.display()
    );
}

fn hostile(name: &str) -> PathBuf {
    fixture(&format!("hostile/{name}"))
}

/// A copy of the base repository to break.
fn scratch() -> tempfile::TempDir {
    copy_fixture(&hostile("base"))
}

fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, bytes).expect("write");
}

fn is_root() -> bool {
    // Without a libc binding: root's files in /proc/self are owned by uid 0.
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

// ---------------------------------------------------------------- fixtures

#[test]
fn empty_file() {
    assert_rejected(
        &hostile("empty-file"),
        1,
        "policies/empty.md",
        1,
        "the file is empty",
        QUICK,
    );
}

#[test]
fn front_matter_never_closed() {
    assert_rejected(
        &hostile("front-matter-unclosed"),
        1,
        "policies/open.md",
        1,
        "never closed",
        QUICK,
    );
}

#[test]
fn front_matter_is_a_list() {
    assert_rejected(
        &hostile("front-matter-list"),
        1,
        "policies/list.md",
        2,
        "is a list",
        QUICK,
    );
}

#[test]
fn front_matter_is_a_scalar() {
    assert_rejected(
        &hostile("front-matter-scalar"),
        1,
        "policies/scalar.md",
        2,
        "is a single value",
        QUICK,
    );
}

#[test]
fn duplicate_keys_point_at_the_second_one() {
    assert_rejected(
        &hostile("duplicate-keys"),
        1,
        "policies/dup.md",
        4,
        "key `title` is written twice",
        QUICK,
    );
}

#[test]
fn ids_with_slash_dots_space_or_control_characters() {
    let dir = hostile("bad-ids");
    for file in [
        "policies/slash.md",
        "policies/dots.md",
        "policies/space.md",
        "policies/control.md",
    ] {
        assert_rejected(&dir, 1, file, 2, "may only hold letters", QUICK);
    }
}

#[test]
fn invalid_ids_never_become_paths_even_with_the_rule_off() {
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("deep/er/public");
    let r = build(&hostile("bad-ids-rule-off"), &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // Only the valid document has a page, and nothing is written beside the site.
    let pages: Vec<_> = std::fs::read_dir(out.join("doc"))
        .expect("doc/")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(pages, ["POL-A.html"]);
    let beside: Vec<_> = walk(site.path())
        .into_iter()
        .filter(|p| !p.starts_with(&out) && !p.to_string_lossy().ends_with(".lock"))
        .collect();
    assert!(beside.is_empty(), "written outside the site: {beside:?}");
}

#[test]
fn kind_names_cannot_climb_out_of_the_site() {
    let dir = hostile("kind-path-traversal");
    assert_rejected(&dir, 1, "sms.yaml", 6, "kind name `../../../pwned`", QUICK);
    // Even with every rule it could trip turned off, nothing lands outside.
    let tmp = copy_fixture(&dir);
    let sms = std::fs::read_to_string(tmp.path().join("sms.yaml")).expect("sms.yaml");
    write(
        tmp.path(),
        "sms.yaml",
        format!("{sms}rules:\n  invalid-field: off\n"),
    );
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("a/b/c/public");
    let r = build(tmp.path(), &out);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(walk(site.path()).iter().all(|p| !p.ends_with("pwned.html")));
}

#[test]
fn unclosed_wiki_ref() {
    assert_rejected(
        &hostile("unclosed-ref"),
        1,
        "policies/ref.md",
        8,
        "`[[` is not closed",
        QUICK,
    );
}

#[test]
fn yaml_alias_bomb_billion_laughs() {
    assert_rejected(
        &hostile("alias-bomb"),
        1,
        "policies/lol.md",
        2,
        "alias bomb",
        QUICK,
    );
}

#[test]
fn yaml_alias_expansion_under_the_parser_limit_is_still_bounded() {
    // 20,000 aliases of a 20,000-item list: within yaml_serde's own
    // repetition limit, but 4e8 values if built.
    let tmp = scratch();
    let items = vec!["x"; 20_000].join(",");
    let aliases = vec!["*a"; 20_000].join(",");
    write(
        tmp.path(),
        "policies/wide.md",
        format!("---\nid: POL-WIDE\ntitle: Wide\na: &a [{items}]\nb: [{aliases}]\n---\n"),
    );
    assert_rejected(tmp.path(), 1, "policies/wide.md", 4, "alias bomb", BIG);
}

#[test]
fn relative_links_climbing_above_the_root() {
    assert_rejected(
        &hostile("links-above-root"),
        1,
        "policies/up.md",
        8,
        "climbs above the repository root",
        QUICK,
    );
}

#[test]
fn unknown_key_in_sms_yaml_suggests_the_nearest() {
    assert_rejected(
        &hostile("unknown-sms-key"),
        1,
        "sms.yaml",
        4,
        "unknown key `folder` in sms.yaml; did you mean `folders`?",
        QUICK,
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    // `check` does not render, so templates are checked by `build` (and `serve`).
    assert_build_rejects(
        &hostile("template-syntax-error"),
        1,
        "templates/document.html",
        3,
        "template syntax error",
        QUICK,
    );
}

#[test]
fn file_names_with_spaces_and_non_ascii_letters_work() {
    let dir = hostile("names-with-spaces-and-unicode");
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let r = build(&dir, &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < QUICK);
    let links = std::fs::read_to_string(out.join("doc/POL-LINKS.html")).expect("page");
    for href in [
        "href=\"../doc/POL-SPACE.html\"",
        "href=\"../doc/POL-SPACE.html#%C3%BCber-uns\"",
        "href=\"../doc/POL-UNI.html#stra%C3%9Fe\"",
        "href=\"../doc/POL-UNI.html\"",
    ] {
        assert!(links.contains(href), "{href} missing");
    }
    let space = std::fs::read_to_string(out.join("doc/POL-SPACE.html")).expect("page");
    assert!(space.contains("id=\"über-uns\""));
    let uni = std::fs::read_to_string(out.join("doc/POL-UNI.html")).expect("page");
    assert!(uni.contains("id=\"straße\""));
}

// ---------------------------------------------------- generated inputs

#[test]
fn invalid_utf8_names_the_byte_offset() {
    let tmp = scratch();
    write(
        tmp.path(),
        "policies/latin1.md",
        b"---\nid: POL-L1\ntitle: Gr\xfc\xdfe\n---\n",
    );
    assert_rejected(
        tmp.path(),
        1,
        "policies/latin1.md",
        3,
        "invalid byte 0xfc at byte offset 24",
        QUICK,
    );
}

#[test]
fn bom_and_crlf_simply_work_with_right_positions() {
    let tmp = scratch();
    write(
        tmp.path(),
        "policies/crlf.md",
        "\u{feff}---\r\nid: POL-CRLF\r\ntitle: Windows\r\n---\r\n\r\n# Windows\r\n\r\nSee [[POL-A]].\r\n",
    );
    write(
        tmp.path(),
        "policies/crlf.yaml",
        "\u{feff}id: POL-CRLF-REC\r\ntitle: Record\r\nkind: policy\r\nbody: |\r\n  # Record\r\n\r\n  See [[POL-A]].\r\n",
    );
    let site = tempfile::tempdir().expect("tempdir");
    let r = build(tmp.path(), &site.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // With mistakes, findings point at the right lines and keys.
    write(
        tmp.path(),
        "policies/crlf.md",
        "\u{feff}---\r\nid: POL-CRLF\r\ntitle: Windows\r\nstatus: bogus\r\nfoo: 1\r\n---\r\n\r\n# Windows\r\n\r\nSee [[NOPE]].\r\n",
    );
    write(
        tmp.path(),
        "policies/crlf.yaml",
        "\u{feff}id: POL-CRLF-REC\r\ntitle: Record\r\nkind: policy\r\nbody: |\r\n  # Record\r\n\r\n  See [[NOPE2]].\r\n",
    );
    let r = run(&[
        "check",
        s(tmp.path()),
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    let got: Vec<(String, String, u64, u64)> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let want = [
        ("invalid-field", "policies/crlf.md", 4, 1),
        ("unknown-field", "policies/crlf.md", 5, 1),
        ("broken-reference", "policies/crlf.md", 10, 5),
        ("broken-reference", "policies/crlf.yaml", 7, 7),
    ];
    for (rule, file, line, col) in want {
        assert!(
            got.contains(&(rule.to_string(), file.to_string(), line, col)),
            "missing {rule} at {file}:{line}:{col} in {got:?}"
        );
    }
}

#[test]
fn lone_carriage_returns_do_not_shift_yaml_error_lines() {
    // Found by fuzzing: the YAML parser counts a lone CR as a line break,
    // the file (and every other position) does not.
    let tmp = scratch();
    write(
        tmp.path(),
        "policies/cr.md",
        "---\nid: POL-CR\rtitle: x\r\r\r\rbad: [unclosed\n---\n",
    );
    // The unclosed list is noticed where the front matter ends: file line 3
    // (the parser alone counted each CR as a line).
    assert_rejected(
        tmp.path(),
        1,
        "policies/cr.md",
        3,
        "YAML syntax error",
        QUICK,
    );
}

#[test]
fn multi_megabyte_single_line_document() {
    let tmp = scratch();
    // 5 MB on one line, with 250,000 references: builds, quickly.
    let line = "word [[POL-A]] *emphasis* ".repeat(200_000);
    write(
        tmp.path(),
        "policies/huge.md",
        format!("---\nid: POL-HUGE\ntitle: Huge\n---\n{line}"),
    );
    let site = tempfile::tempdir().expect("tempdir");
    let r = build(tmp.path(), &site.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    // A broken reference at its end: named by line and column, and the
    // 5 MB line is not printed.
    write(
        tmp.path(),
        "policies/huge.md",
        format!("---\nid: POL-HUGE\ntitle: Huge\n---\n{line}[[NOPE]]\n"),
    );
    let col = line.chars().count() + 1;
    assert_rejected(
        tmp.path(),
        1,
        "policies/huge.md",
        5,
        &format!("policies/huge.md:5:{col}"),
        BIG,
    );
    let r = check(tmp.path());
    assert!(
        r.stderr.len() < 10_000,
        "{} bytes of output",
        r.stderr.len()
    );
}

#[test]
fn file_over_the_size_limit() {
    let tmp = scratch();
    let big = "x".repeat(smsite::source::MAX_FILE as usize + 1);
    write(
        tmp.path(),
        "policies/big.md",
        format!("---\nid: POL-BIG\ntitle: Big\n---\n{big}"),
    );
    assert_rejected(
        tmp.path(),
        1,
        "policies/big.md",
        1,
        "over the limit of 16777216 bytes",
        QUICK,
    );
}

#[test]
fn deeply_nested_markdown() {
    let tmp = scratch();
    let quotes = format!("{}deep\n", "> ".repeat(10_000));
    let lists = format!("{}deep\n", "- ".repeat(10_000));
    let ordered = format!("{}deep\n", "1. ".repeat(10_000));
    let indented: String = (0..2_000)
        .map(|i| format!("{}- level\n", "  ".repeat(i)))
        .collect();
    let links = format!("{}x{}", "[".repeat(10_000), "](a.md)".repeat(10_000));
    let emphasis = format!("{}x{}", "*a ".repeat(10_000), " b*".repeat(10_000));
    for (i, body) in [quotes, lists, ordered, indented, links, emphasis]
        .iter()
        .enumerate()
    {
        write(
            tmp.path(),
            &format!("policies/deep{i}.md"),
            format!("---\nid: POL-DEEP{i}\ntitle: Deep\n---\n{body}"),
        );
    }
    let site = tempfile::tempdir().expect("tempdir");
    let r = build(tmp.path(), &site.path().join("public"));
    // `[[[[…` is an unclosed `[[` (a finding), the rest builds.
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("policies/deep4.md:5:1"), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    std::fs::remove_file(tmp.path().join("policies/deep4.md")).expect("rm");
    let r = build(tmp.path(), &site.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
}

#[test]
fn symlink_loop_and_links_leaving_the_repository() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().expect("tempdir");
    write(
        outside.path(),
        "secret.md",
        "---\nid: SECRET\ntitle: do not show\n---\n",
    );
    let tmp = scratch();
    let d = tmp.path();
    symlink("..", d.join("policies/loop")).expect("symlink");
    symlink(outside.path().join("secret.md"), d.join("policies/out.md")).expect("symlink");
    symlink(outside.path(), d.join("outdir")).expect("symlink");
    symlink("nowhere.md", d.join("policies/dangling.md")).expect("symlink");
    assert_rejected(d, 1, "policies/loop", 1, "loops back", QUICK);
    assert_rejected(d, 1, "policies/out.md", 1, "outside the repository", QUICK);
    assert_rejected(d, 1, "outdir", 1, "outside the repository", QUICK);
    assert_rejected(d, 1, "policies/dangling.md", 1, "does not exist", QUICK);
    // The outside file is named, never shown.
    let r = check(d);
    assert!(!r.stderr.contains("do not show"), "{}", r.stderr);
}

#[test]
fn missing_sms_yaml() {
    let tmp = scratch();
    std::fs::remove_file(tmp.path().join("sms.yaml")).expect("rm");
    let r = check(tmp.path());
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no sms.yaml here"), "{}", r.stderr);
    assert!(r.took < QUICK);
}

#[test]
fn unreadable_sms_yaml() {
    // A folder named sms.yaml cannot be read, even by root.
    let tmp = scratch();
    std::fs::remove_file(tmp.path().join("sms.yaml")).expect("rm");
    std::fs::create_dir(tmp.path().join("sms.yaml")).expect("mkdir");
    let r = check(tmp.path());
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("sms.yaml: cannot read sms.yaml"),
        "{}",
        r.stderr
    );
    // Permissions: only meaningful when not root (root reads anything).
    if is_root() {
        eprintln!(
            "unreadable_sms_yaml: running as root, chmod 000 cannot stop root; skipped that half"
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let tmp = scratch();
    let sms = tmp.path().join("sms.yaml");
    std::fs::set_permissions(&sms, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let r = check(tmp.path());
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("cannot read sms.yaml"), "{}", r.stderr);
}

#[test]
fn sms_yaml_over_the_limit() {
    let tmp = scratch();
    let pad = format!("# {}\n", "x".repeat(100)).repeat(11_000);
    write(tmp.path(), "sms.yaml", format!("name: Big\n{pad}"));
    assert_rejected(tmp.path(), 1, "sms.yaml", 1, "over the limit", QUICK);
}

// ------------------------------------------------------------- faults

/// A repository big enough that a debug build takes a while to publish.
fn large_repo(docs: usize, title: &str) -> tempfile::TempDir {
    let tmp = scratch();
    for i in 0..docs {
        write(
            tmp.path(),
            &format!("policies/p{i:05}.md"),
            format!(
                "---\nid: POL-{i:05}\ntitle: {title} {i}\n---\n\n# Policy {i}\n\n{}\n",
                "Some text about the policy, linking [[POL-A]]. ".repeat(40)
            ),
        );
    }
    tmp
}

fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .expect("read parent")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

#[test]
fn killed_builds_leave_the_previous_site_complete() {
    let repo = large_repo(1500, "Old");
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let r = build(repo.path(), &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let old = snapshot(&out);
    // The new site, built elsewhere, to compare with.
    for i in 0..1500 {
        let p = repo.path().join(format!("policies/p{i:05}.md"));
        let t = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, t.replace("title: Old", "title: New")).expect("write");
    }
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let r = build(repo.path(), &elsewhere.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let new = snapshot(&elsewhere.path().join("public"));
    assert_ne!(old, new);
    let full = r.took;

    let mut outcomes = Vec::new();
    for step in 0..8u32 {
        // Spread the kills over the whole build, publishing included, and
        // a little past it (some builds then finish: the new site, whole).
        let delay = full * step / 5;
        let mut child = Command::new(env!("CARGO_BIN_EXE_smsite"))
            .args([
                "build",
                s(repo.path()),
                "--out",
                s(&out),
                "--date",
                "2026-06-01",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().expect("wait");
        let now = snapshot(&out);
        let which = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            panic!(
                "after a kill at {delay:?} the site is neither the old nor the new one ({} files)",
                now.len()
            )
        };
        // Leftovers show the kill landed while the new site was being written.
        let left = leftovers(site.path()).len();
        outcomes.push(format!("{delay:?}: {which} ({status}, {left} leftovers)"));
    }
    eprintln!("killed builds: {outcomes:?}");
    // The next build sweeps what killed builds left behind.
    let r = build(repo.path(), &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(snapshot(&out), new);
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn a_build_waits_while_another_holds_the_lock() {
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    good_site(&out);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path().join(".public.lock"))
        .expect("lock file exists");
    lock.lock().expect("take the lock");
    let mut child = bin()
        .args([
            "build",
            s(&hostile("names-with-spaces-and-unicode")),
            "--out",
            s(&out),
            "--date",
            "2026-06-01",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().expect("try_wait").is_none(),
        "the build did not wait for the lock"
    );
    assert!(!out.join("doc/POL-LINKS.html").exists());
    lock.unlock().expect("unlock");
    let o = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("waiting for another smsite build"), "{err}");
    assert!(out.join("doc/POL-LINKS.html").exists());
}

#[test]
fn two_concurrent_builds_do_not_mix() {
    let a = large_repo(400, "From A");
    let b = large_repo(400, "From B");
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let spawn = |repo: &Path| {
        Command::new(env!("CARGO_BIN_EXE_smsite"))
            .args(["build", s(repo), "--out", s(&out), "--date", "2026-06-01"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (ca, cb) = (spawn(a.path()), spawn(b.path()));
    let (oa, ob) = (
        ca.wait_with_output().expect("wait"),
        cb.wait_with_output().expect("wait"),
    );
    for o in [&oa, &ob] {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(!err.contains("panicked"));
    }
    // The site is one build's, whole.
    let page =
        |n: usize| std::fs::read_to_string(out.join(format!("doc/POL-{n:05}.html"))).expect("page");
    let from_a = page(0).contains("From A");
    for n in [0, 57, 199, 399] {
        assert_eq!(page(n).contains("From A"), from_a, "page {n} mixed");
        assert_eq!(page(n).contains("From B"), !from_a, "page {n} mixed");
    }
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn output_whose_parent_is_a_file() {
    let site = tempfile::tempdir().expect("tempdir");
    write(site.path(), "file", "not a folder");
    let out = site.path().join("file/public");
    let r = build(&hostile("base"), &out);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("cannot create"), "{}", r.stderr);
    assert!(r.stderr.contains("file"), "{}", r.stderr);
}

/// Makes a folder read-only even for root (`chattr +i`), undone on drop.
struct Immutable(PathBuf);

impl Immutable {
    fn set(p: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(p)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Immutable(p.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

#[test]
fn read_only_output_folder_keeps_the_old_site() {
    let site = tempfile::tempdir().expect("tempdir");
    let parent = site.path().join("ro");
    let out = parent.join("public");
    let before = good_site(&out);
    let guard = if is_root() {
        match Immutable::set(&parent) {
            Some(g) => Some(g),
            None => {
                eprintln!(
                    "read_only_output_folder_keeps_the_old_site: running as root and chattr +i is not available here; skipped"
                );
                return;
            }
        }
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).expect("chmod");
        None
    };
    let r = build(&hostile("names-with-spaces-and-unicode"), &out);
    drop(guard);
    if !is_root() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains(s(&parent)), "{}", r.stderr);
    assert!(
        r.stderr.contains("the previous site is unchanged"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&out), before);
}

/// A tiny tmpfs, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(p: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(p)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(p.to_path_buf()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_disk_keeps_the_old_site() {
    let site = tempfile::tempdir().expect("tempdir");
    let Some(_fs) = Tmpfs::mount(site.path(), "1m") else {
        eprintln!(
            "full_disk_keeps_the_old_site: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN); skipped"
        );
        return;
    };
    let out = site.path().join("public");
    let before = good_site(&out);
    let repo = large_repo(300, "Too big");
    let r = build(repo.path(), &out);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("No space left"), "{}", r.stderr);
    assert!(
        r.stderr.contains("the previous site is unchanged"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&out), before);
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

#[test]
fn output_folder_holding_the_repository_is_refused() {
    // `smsite build . --out .` used to replace the repository with the site.
    let tmp = scratch();
    let before = snapshot(tmp.path());
    for out in [tmp.path().to_path_buf(), tmp.path().join("policies/..")] {
        let r = build(tmp.path(), &out);
        assert_eq!(r.code, Some(2), "{}", r.stderr);
        assert!(
            r.stderr.contains("holds the repository itself"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(s(&out)), "{}", r.stderr);
    }
    let parent = tmp.path().parent().expect("parent").to_path_buf();
    let r = build(tmp.path(), &parent);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(snapshot(tmp.path()), before, "the repository changed");
}

#[test]
fn output_folder_smsite_did_not_build_is_refused() {
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("documents");
    write(&out, "thesis.txt", "years of work");
    let r = build(&hostile("base"), &out);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("is not a site (it has no index.html)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).expect("kept"),
        "years of work"
    );
    // An empty folder, or a site smsite built, is fine.
    std::fs::remove_file(out.join("thesis.txt")).expect("rm");
    assert_eq!(build(&hostile("base"), &out).code, Some(0));
    assert_eq!(build(&hostile("base"), &out).code, Some(0));
}

#[test]
fn nested_admonitions_and_runs_of_braces_stay_quick() {
    let tmp = scratch();
    std::fs::write(
        tmp.path().join("sms.yaml"),
        "name: Hostile\nfolders:\n  policies: policy\nvariables:\n  x: X\n  y_z: Y\n",
    )
    .expect("sms.yaml");
    // Admonitions nested as deep as the lines allow, each with a body.
    let nested: String = (0..700)
        .map(|i| {
            format!(
                "{0}!!! note \"Level {i}\"\n{0}    text {{{{x}}}}\n",
                " ".repeat(4 * i)
            )
        })
        .collect();
    // Markers everywhere, collapsible ones unclosed, titles unclosed.
    let markers = "!!! note\n???+ tip \"open\n??? x\n    !!! a\n".repeat(20_000);
    // Placeholders never closed, cut by the reader at every `_`.
    let braces = "{{a_".repeat(200_000);
    let opens = "{".repeat(1_000_000);
    // Many placeholders on one line; many `{{` before one far `}}`; a
    // note whose title is such a line.
    let many = "{{x}} {{y_z}}".repeat(60_000);
    let far = format!("{} x}}}}", "{{a ".repeat(200_000));
    let title = format!("!!! note \"{}\"\n    x\n", "{{x}}{{a ".repeat(60_000));
    for (i, body) in [nested, markers, braces, opens, many, far, title]
        .iter()
        .enumerate()
    {
        write(
            tmp.path(),
            &format!("policies/odd{i}.md"),
            format!("---\nid: POL-ODD{i}\ntitle: Odd\n---\n{body}"),
        );
    }
    let site = tempfile::tempdir().expect("tempdir");
    let r = build(tmp.path(), &site.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    let page = std::fs::read_to_string(site.path().join("public/doc/POL-ODD0.html")).expect("page");
    assert_eq!(page.matches("class=\"admonition note\"").count(), 700);
    assert!(page.contains("Level 699</p>"));
}
