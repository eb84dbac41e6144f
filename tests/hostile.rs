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

/// Time any small bad input may take (the issue's budget).
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
fn an_approved_document_full_of_guidance_is_one_short_finding() {
    // 200,000 guidance blocks in one approved document: one finding, at
    // the first, naming a few of the others, quickly.
    let tmp = scratch();
    let blocks = "> **Guidance:** write this.\n\n".repeat(200_000);
    write(
        tmp.path(),
        "policies/guided.md",
        format!(
            "---\nid: POL-GUIDED\ntitle: Guided\nowner: SMS manager\nstatus: approved\napproved_by: Board\napproved_on: 2026-01-10\n---\n\n{blocks}"
        ),
    );
    let r = run(&[
        "check",
        s(tmp.path()),
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let found: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "template-text")
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["line"], 10);
    let m = found[0]["message"].as_str().unwrap_or_default();
    assert!(
        m.contains("(and 199999 more, at lines 12, 14, 16, 18, 20, 22, 24, 26, …)"),
        "{m}"
    );
    assert!(m.len() < 400, "{} bytes", m.len());
}

#[test]
fn customers_and_complaints_of_every_wrong_shape() {
    let dir = scratch();
    let d = dir.path();
    write(
        d,
        "services/desk.yaml",
        "id: SVC-DESK\ntitle: Desk\nkind: service\ncriticality: low\ncustomers: {a: b}\n",
    );
    write(
        d,
        "slas/desk.yaml",
        "id: SLA-DESK\ntitle: Desk SLA\nkind: sla\nservice: SVC-DESK\n",
    );
    write(
        d,
        "customers/a.yaml",
        "id: CUS-A\ntitle: A\nkind: customer\nrelationship_manager: [Ann, Bob]\nservices: {SVC-DESK: yes}\nlast_service_review: 0001-01-01\n",
    );
    write(
        d,
        "customers/b.yaml",
        "id: CUS-B\ntitle: B\nkind: customer\nrelationship_manager: Ann\nservices: 12\nlast_service_review: 9999-12-31\n",
    );
    write(
        d,
        "complaints/c1.yaml",
        "id: CMP-1\ntitle: One\nkind: complaint\ncustomer: [CUS-A, CUS-B]\nservice: {id: SVC-DESK}\nreceived_on: [2026-01-01]\nstate: [open, closed]\nclosed_on: {}\nresolution: [a, b]\nnonconformity: NC-NONE\n",
    );
    write(
        d,
        "complaints/c2.yaml",
        "id: CMP-2\ntitle: Two\nkind: complaint\ncustomer: CUS-A\nreceived_on: 9999-12-31\nstate: open\n",
    );
    write(
        d,
        "complaints/c3.yaml",
        "id: CMP-3\ntitle: Three\nkind: complaint\ncustomer: CUS-B\nreceived_on: 0001-01-01\nstate: closed\nclosed_on: 9999-12-31\nresolution: \"\"\n",
    );
    let r = check(d);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for at in [
        "customers/a.yaml:4:",    // relationship_manager is a list
        "customers/a.yaml:5:",    // services is a mapping
        "customers/b.yaml:5:",    // services is a number
        "complaints/c1.yaml:4:",  // customer: a list where one id is wanted
        "complaints/c1.yaml:5:",  // service is a mapping
        "complaints/c1.yaml:6:",  // received_on is a list
        "complaints/c1.yaml:7:",  // state is a list
        "complaints/c1.yaml:8:",  // closed_on is a mapping
        "complaints/c1.yaml:9:",  // resolution is a list
        "complaints/c1.yaml:10:", // an unknown nonconformity
        "complaints/c3.yaml:6:",  // closed, with an empty resolution
    ] {
        assert!(r.stderr.contains(at), "{at} in:\n{}", r.stderr);
    }
    assert!(r.took < QUICK, "took {:?}", r.took);
    // With the errors lowered to warnings the site builds, and every
    // customer and complaint is on its pages, however odd its values.
    let sms = std::fs::read_to_string(d.join("sms.yaml")).expect("sms.yaml");
    write(
        d,
        "sms.yaml",
        format!(
            "{sms}rules:\n  invalid-field: warning\n  broken-reference: warning\n  complaint-closed-incomplete: warning\n"
        ),
    );
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let r = build(d, &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let register = std::fs::read_to_string(out.join("complaints.csv")).expect("register");
    for id in ["CMP-1", "CMP-2", "CMP-3"] {
        assert!(register.contains(id), "{id} in {register}");
    }
    let customers = std::fs::read_to_string(out.join("customers.csv")).expect("customers");
    for id in ["CUS-A", "CUS-B"] {
        assert!(customers.contains(id), "{id} in {customers}");
        assert!(out.join(format!("doc/{id}.html")).is_file(), "{id} page");
    }
}

// ------------------------------------------- records of the SMS in operation

#[test]
fn huge_results_lists_are_checked_quickly_and_their_faults_named() {
    let tmp = scratch();
    // 10,000 requirements under one parent, an audit with a result for
    // each (about 450 KB), the last one not a valid result.
    const N: usize = 10_000;
    let mut cat = String::from(
        "catalogue: BIG\ntitle: Big\nrequirements:\n  - id: ALL\n    title: All\n    children:\n",
    );
    for i in 0..N {
        cat.push_str(&format!(
            "      - id: R-{i}\n        title: Requirement {i}\n"
        ));
    }
    write(tmp.path(), "requirements/big.yaml", cat);
    write(
        tmp.path(),
        "sms.yaml",
        "name: Hostile fixture SMS\nrequirements: [requirements/big.yaml]\nfolders:\n  policies: policy\n",
    );
    write(
        tmp.path(),
        "policies/a.md",
        "---\nid: POL-A\ntitle: Policy A\nowner: Head of IT\nstatus: approved\napproved_by: Board\napproved_on: 2026-01-10\nsatisfies: [BIG:ALL]\n---\n\n# Policy A\n",
    );
    let mut audit = String::from(
        "id: AUD-BIG\ntitle: Audit of everything\nkind: audit\nowner: SMS Manager\naudit_type: internal\nplanned_on: 2026-05-01\nperformed_on: 2026-05-02\nauditors: [Priya Natarajan]\nscope: [BIG:ALL]\nresults:\n",
    );
    for i in 0..N - 1 {
        audit.push_str(&format!(
            "  - {{req: BIG:R-{i}, result: conforming, evidence: [POL-A]}}\n"
        ));
    }
    audit.push_str(&format!("  - {{req: BIG:R-{}, result: passed}}\n", N - 1));
    write(tmp.path(), "records/audit.yaml", audit);
    let line = 10 + N;
    let r = check(tmp.path());
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!("records/audit.yaml:{line}:")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`result: passed`"), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    // Nothing else: every other result is there, and counted.
    assert_eq!(r.stderr.matches("error[").count(), 1, "{}", r.stderr);
}

#[test]
fn deeply_nested_parents_in_scope_stand_for_the_leaf_beneath() {
    let tmp = scratch();
    // A chain of 60 requirements, each the parent of the next.
    const DEPTH: usize = 60;
    let mut cat = String::from("catalogue: DEEP\ntitle: Deep\nrequirements:\n");
    for i in 1..=DEPTH {
        let pad = "    ".repeat(i - 1);
        cat.push_str(&format!("{pad}  - id: L{i}\n{pad}    title: Level {i}\n"));
        if i < DEPTH {
            cat.push_str(&format!("{pad}    children:\n"));
        }
    }
    write(tmp.path(), "requirements/deep.yaml", cat);
    write(
        tmp.path(),
        "sms.yaml",
        "name: Hostile fixture SMS\nrequirements: [requirements/deep.yaml]\nfolders:\n  policies: policy\n",
    );
    write(
        tmp.path(),
        "policies/a.md",
        "---\nid: POL-A\ntitle: Policy A\nowner: Head of IT\nstatus: approved\napproved_by: Board\napproved_on: 2026-01-10\nsatisfies: [DEEP:L1]\n---\n\n# Policy A\n",
    );
    write(
        tmp.path(),
        "records/audit.yaml",
        "id: AUD-DEEP\ntitle: Audit from the top\nkind: audit\nowner: SMS Manager\naudit_type: internal\nplanned_on: 2026-05-01\nperformed_on: 2026-05-02\nauditors: [Priya Natarajan]\nscope: [DEEP:L1, DEEP:L30]\nresults:\n  - {req: DEEP:L1, result: nonconforming}\n",
    );
    write(
        tmp.path(),
        "records/nc.yaml",
        format!(
            "id: NC-DEEP\ntitle: Found at the bottom\nkind: nonconformity\nowner: SMS Manager\ngrade: minor\nraised_on: 2026-05-02\naudit: AUD-DEEP\nrequirements: [DEEP:L{DEPTH}]\nstate: open\nroot_cause: Deep.\nactions:\n  - {{action: Fix it, owner: SMS Manager, due_by: 2026-12-31}}\n"
        ),
    );
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let r = build(tmp.path(), &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < QUICK * 5, "took {:?}", r.took);
    let page = std::fs::read_to_string(out.join("doc/AUD-DEEP.html")).expect("page");
    // One leaf, its result given on the top of the chain, the
    // nonconformity raised for the leaf found.
    assert!(page.contains("<strong>1</strong> of <strong>1</strong> requirements in scope have a result, 1 nonconforming"), "{page}");
    assert!(page.contains(&format!(">DEEP:L{DEPTH}</a>")));
    assert!(page.contains("(given on DEEP:L1)"));
    assert!(page.contains(r#"href="../doc/NC-DEEP.html""#));
}

#[test]
fn nonconformities_referring_to_each_other_in_a_cycle() {
    let dir = hostile("nonconformity-cycle");
    // A and B name each other, A names itself, the audit examined itself:
    // every reference resolves; nothing loops.
    let site = tempfile::tempdir().expect("tempdir");
    let out = site.path().join("public");
    let r = build(&dir, &out);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < QUICK * 5, "took {:?}", r.took);
    let reg = std::fs::read_to_string(out.join("nonconformities.json")).expect("register");
    assert!(
        reg.contains("\"NC-A\"") && reg.contains("\"NC-B\""),
        "{reg}"
    );
    let a = std::fs::read_to_string(out.join("doc/NC-A.html")).expect("page");
    assert!(a.contains(r#"href="../doc/NC-B.html""#));
    // A nonconformity's `audit` that names a nonconformity: the wrong kind,
    // at its line.
    let tmp = copy_fixture(&dir);
    let nc = std::fs::read_to_string(dir.join("records/nc-b.yaml")).expect("nc-b");
    write(
        tmp.path(),
        "records/nc-b.yaml",
        nc.replace("audit: AUD-1", "audit: NC-A"),
    );
    assert_check_rejects(
        tmp.path(),
        1,
        "records/nc-b.yaml",
        7,
        "must point at an audit document, but NC-A is a nonconformity",
        QUICK,
    );
}

// ------------------------------------------------------------ measurements

/// `check --format json` findings of `dir` in `file`: (line, column, message).
fn findings_in(dir: &Path, file: &str) -> Vec<(u64, u64, String)> {
    let r = run(&["check", s(dir), "--date", "2026-06-01", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON object");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["file"] == file)
        .map(|f| {
            (
                f["line"].as_u64().unwrap_or_default(),
                f["column"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_bad_measurement_row_has_a_finding_at_its_cell() {
    let dir = hostile("measurements");
    let file = "measurements/rows.csv";
    let found = findings_in(&dir, file);
    // No row is skipped in silence: each of lines 2 to 16 is bad, and each has a finding.
    let lines: std::collections::BTreeSet<u64> = found.iter().map(|f| f.0).collect();
    assert_eq!(lines, (2..=16).collect(), "{found:#?}");
    for (line, column, says) in [
        (2, 1, "months run from 01 to 12"),
        (3, 1, "write `2026-10`"),
        (4, 28, "use a dot: `99.9`"),
        (5, 35, "this row has 7 cells"),
        (6, 1, "this row has 2 cells"),
        (7, 9, "did you mean `SLA-A`?"),
        (8, 15, "did you mean `availability`?"),
        (9, 15, "add `better: higher` or `better: lower`"),
        (10, 24, "write the number alone, `12`"),
        (11, 1, "`period` is empty"),
        (12, 9, "`sla` is empty"),
        (13, 28, "write a finite number"),
        (14, 28, "write the number in full"),
        (15, 33, "no document has id `NOPE-1`"),
        (16, 1, "this quote is never closed"),
    ] {
        assert!(
            found
                .iter()
                .any(|(l, c, m)| *l == line && *c == column && m.contains(says)),
            "{file}:{line}:{column} should say {says:?}: {found:#?}"
        );
    }
    assert_rejected(&dir, 1, file, 4, "use a dot: `99.9`", QUICK);
    assert_rejected(
        &dir,
        1,
        "measurements/empty.csv",
        1,
        "the file is empty",
        QUICK,
    );
    assert_rejected(
        &dir,
        1,
        "measurements/no-header.csv",
        1,
        "names none of the columns",
        QUICK,
    );
}

#[test]
fn a_measurement_file_that_is_not_utf8_is_named_at_its_first_bad_byte() {
    let tmp = copy_fixture(&hostile("measurements"));
    let latin1 = b"period,sla,metric,value\n2026-05,SLA-A,disponibilit\xe9,99.9\n";
    write(tmp.path(), "measurements/latin1.csv", latin1);
    let found = findings_in(tmp.path(), "measurements/latin1.csv");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0, found[0].1), (2, 27));
    assert!(found[0].2.contains("save it as UTF-8"), "{found:?}");
    // Binary noise with NUL bytes is valid UTF-8: it is read, and refused as data.
    write(
        tmp.path(),
        "measurements/noise.csv",
        b"\0\0\x01,\x02\n\0,\0\n",
    );
    let found = findings_in(tmp.path(), "measurements/noise.csv");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].2.contains("names none of the columns"),
        "{found:?}"
    );
}

#[test]
fn a_measurement_file_over_the_limit_is_refused_and_a_big_one_builds_quickly() {
    let tmp = copy_fixture(&hostile("measurements"));
    for bad in ["rows.csv", "empty.csv", "no-header.csv"] {
        std::fs::remove_file(tmp.path().join("measurements").join(bad)).expect("remove");
    }
    // 48,000 rows: 200 SLAs, two targets each, every month of ten years, all met.
    let sla = std::fs::read_to_string(tmp.path().join("slas/a.md")).expect("the SLA");
    let mut text = String::from("period,sla,metric,value\n");
    for k in 0..200 {
        let id = format!("SLA-A{k:03}");
        write(
            tmp.path(),
            &format!("slas/a{k:03}.md"),
            sla.replace("id: SLA-A\n", &format!("id: {id}\n")),
        );
        for y in 2016..=2025 {
            for m in 1..=12 {
                text.push_str(&format!("{y}-{m:02},{id},availability,99.9\n"));
                text.push_str(&format!("{y}-{m:02},{id},response,9\n"));
            }
        }
    }
    write(tmp.path(), "measurements/history.csv", &text);
    let site = tempfile::tempdir().expect("tempdir");
    let r = build(tmp.path(), &site.path().join("public"));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.took < BIG, "took {:?}", r.took);
    let chart =
        std::fs::read_to_string(site.path().join("public/doc/SLA-A123.html")).expect("page");
    assert!(chart.contains("the last 12 measured months"));
    assert!(site.path().join("public/report/2016-01.html").is_file());
    // Over the size limit: named, not read.
    let line = "2026-05,SLA-A,availability,99.9\n";
    let huge = line.repeat(17 * 1024 * 1024 / line.len() + 1);
    write(
        tmp.path(),
        "measurements/huge.csv",
        format!("period,sla,metric,value\n{huge}"),
    );
    assert_rejected(
        tmp.path(),
        1,
        "measurements/huge.csv",
        1,
        "over the limit",
        BIG,
    );
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
