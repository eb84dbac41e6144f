//! The git history reader (`smsite::git::history`) on real repositories made
//! here with `git`, dates set through GIT_AUTHOR_DATE/GIT_COMMITTER_DATE.

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::Date;
use smsite::git::history::{
    ChangeKind, ErrorKind, FileMode, Git, History, Oid, Repo, WorkChange, WorkKind,
};

/// A git repository in a temporary folder.
struct TestRepo {
    dir: tempfile::TempDir,
}

/// Runs git in `dir` as a test's author, unaffected by the machine's config.
fn git_in(dir: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.org")
        .env("GIT_COMMITTER_NAME", "Carl Committer")
        .env("GIT_COMMITTER_EMAIL", "carl@example.org")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_PROTOCOL_FROM_USER", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl TestRepo {
    fn new() -> TestRepo {
        let r = TestRepo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, "2024-01-01T12:00:00+00:00")
    }
    fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    /// Stages everything and commits at `date` (ISO 8601 with offset).
    fn commit(&self, message: &str, date: &str) -> String {
        git_in(self.path(), &["add", "-A"], date);
        git_in(self.path(), &["commit", "-q", "-m", message], date);
        self.git(&["rev-parse", "HEAD"])
    }
    fn open(&self) -> Repo {
        Repo::open(self.path()).unwrap_or_else(|e| panic!("opens: {e}"))
    }
    fn history(&self) -> History {
        self.open()
            .history()
            .unwrap_or_else(|e| panic!("history: {e}"))
    }
}

fn day(s: &str) -> Date {
    s.parse().expect("a date")
}

fn oid(hex: &str) -> Oid {
    Oid::from_hex(hex.as_bytes()).expect("an object id")
}

/// (subject, path, kind) of each change to `path`, newest first.
fn changes(h: &History, path: &str) -> Vec<(String, String, ChangeKind)> {
    h.of(path)
        .iter()
        .map(|c| (h.commit(c).subject.clone(), c.path.clone(), c.kind.clone()))
        .collect()
}

fn content(repo: &Repo, blob: Oid) -> Vec<u8> {
    let mut read = repo.read_blobs(&[blob]);
    read.remove(0)
        .unwrap_or_else(|e| panic!("reads {blob}: {e}"))
}

#[test]
fn history_lists_each_files_commits_newest_first_with_author_day_and_content() {
    let r = TestRepo::new();
    r.write("policies/p.md", "one\n");
    r.write("services/s.md", "s\n");
    let first = r.commit("Add the policy", "2024-02-01T09:00:00+01:00");
    r.write("policies/p.md", "two\n");
    let second = r.commit("Edit the policy", "2024-02-10T10:00:00+00:00");
    let h = r.history();
    assert_eq!(h.commits.len(), 2);
    assert_eq!(h.commits[0].id, oid(&second));
    assert_eq!(h.commits[1].id, oid(&first));
    assert_eq!(h.commits[0].author, "Ann Author");
    assert_eq!(h.commits[0].subject, "Edit the policy");
    assert_eq!(h.commits[1].day, day("2024-02-01"));
    assert_eq!(h.commits[1].time, "2024-02-01T09:00:00+01:00");
    assert!(second.starts_with(&h.commits[0].short) && h.commits[0].short.len() >= 7);
    assert_eq!(
        changes(&h, "policies/p.md"),
        [
            (
                "Edit the policy".into(),
                "policies/p.md".into(),
                ChangeKind::Modified
            ),
            (
                "Add the policy".into(),
                "policies/p.md".into(),
                ChangeKind::Added
            ),
        ]
    );
    assert_eq!(changes(&h, "services/s.md").len(), 1);
    let repo = r.open();
    let p = h.of("policies/p.md");
    assert_eq!(content(&repo, p[0].blob), b"two\n");
    assert_eq!(content(&repo, p[1].blob), b"one\n");
    assert_eq!(
        h.version_on("policies/p.md", day("2024-02-09")),
        Some(&p[1])
    );
    assert_eq!(
        h.version_on("policies/p.md", day("2024-02-10")),
        Some(&p[0])
    );
    assert_eq!(h.version_on("policies/p.md", day("2024-01-31")), None);
    assert_eq!(h.head, Some(repo.head));
    assert_eq!(h.cut_off(), None);
}

#[test]
fn a_commits_day_is_the_day_in_the_time_zone_it_was_recorded_with() {
    let r = TestRepo::new();
    r.write("a.md", "a\n");
    r.commit("Late in New York", "2024-03-05T23:30:00-05:00");
    r.write("a.md", "b\n");
    r.commit("Early in Kiribati", "2024-03-07T00:30:00+14:00");
    let h = r.history();
    // UTC: 2024-03-06T04:30 and 2024-03-06T10:30; recorded: the 5th and the 7th.
    assert_eq!(h.commits[1].day, day("2024-03-05"));
    assert_eq!(h.commits[0].day, day("2024-03-07"));
}

#[test]
fn renames_and_moves_are_followed_including_a_rename_with_an_edit() {
    let r = TestRepo::new();
    let body = "line one\nline two\nline three\nline four\nline five\nline six\n";
    r.write("docs/old name.md", body);
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    r.git(&["mv", "docs/old name.md", "docs/new-name.md"]);
    r.commit("Rename", "2024-01-02T10:00:00+00:00");
    std::fs::create_dir_all(r.path().join("archive/2024")).expect("mkdir");
    r.git(&["mv", "docs/new-name.md", "archive/2024/final.md"]);
    r.write("archive/2024/final.md", format!("{body}line seven\n"));
    r.commit("Move and edit", "2024-01-03T10:00:00+00:00");
    // A new file where the first one was: another file, with its own history.
    r.write("docs/old name.md", "something else entirely\n");
    r.commit("New file at the old name", "2024-01-04T10:00:00+00:00");
    let h = r.history();
    let moved = changes(&h, "archive/2024/final.md");
    assert_eq!(moved.len(), 3, "{moved:?}");
    assert_eq!(moved[0].0, "Move and edit");
    assert!(
        matches!(&moved[0].2, ChangeKind::Renamed { from, similarity }
        if from == "docs/new-name.md" && *similarity < 100 && *similarity >= 50)
    );
    assert_eq!(
        moved[1],
        (
            "Rename".into(),
            "docs/new-name.md".into(),
            ChangeKind::Renamed {
                from: "docs/old name.md".into(),
                similarity: 100
            }
        )
    );
    assert_eq!(
        moved[2],
        ("Add".into(), "docs/old name.md".into(), ChangeKind::Added)
    );
    assert_eq!(
        changes(&h, "docs/old name.md"),
        [(
            "New file at the old name".into(),
            "docs/old name.md".into(),
            ChangeKind::Added
        )]
    );
    assert_eq!(h.files.len(), 2);
}

#[test]
fn a_file_deleted_and_added_again_starts_a_new_history() {
    let r = TestRepo::new();
    r.write("a.md", "first life\n");
    r.write("b.md", "b\n");
    r.commit("Add a", "2024-01-01T10:00:00+00:00");
    std::fs::remove_file(r.path().join("a.md")).expect("rm");
    r.commit("Remove a", "2024-01-02T10:00:00+00:00");
    r.write("a.md", "second life\n");
    r.commit("Add a again", "2024-01-03T10:00:00+00:00");
    std::fs::remove_file(r.path().join("b.md")).expect("rm");
    r.commit("Remove b", "2024-01-04T10:00:00+00:00");
    let h = r.history();
    assert_eq!(
        changes(&h, "a.md"),
        [("Add a again".into(), "a.md".into(), ChangeKind::Added)]
    );
    assert!(
        h.of("b.md").is_empty(),
        "a deleted file has no history at HEAD"
    );
    assert_eq!(h.files.keys().collect::<Vec<_>>(), ["a.md"]);
}

#[test]
fn file_names_with_spaces_quotes_tabs_and_unicode_come_back_as_they_are() {
    let r = TestRepo::new();
    let names = [
        "a b.md",
        "quote\"d.md",
        "tab\there.md",
        "Änderung – ü.md",
        "日本/文書.md",
        "back\\slash.md",
    ];
    for n in names {
        r.write(n, n);
    }
    r.commit("Names", "2024-01-01T10:00:00+00:00");
    let h = r.history();
    let mut want: Vec<&str> = names.to_vec();
    want.sort();
    assert_eq!(h.files.keys().map(String::as_str).collect::<Vec<_>>(), want);
    let repo = r.open();
    let tree = repo.tree(repo.head).expect("the tree");
    assert_eq!(tree.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), {
        let mut by_git: Vec<&str> = names.to_vec();
        by_git.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        by_git
    });
    let e = tree
        .iter()
        .find(|e| e.path == "tab\there.md")
        .expect("listed");
    assert_eq!(content(&repo, e.blob), b"tab\there.md");
}

#[test]
fn a_root_in_a_sub_folder_sees_only_its_files_with_paths_relative_to_it() {
    let r = TestRepo::new();
    r.write("README.md", "outside\n");
    r.write("docs/sms/policies/p.md", "p\n");
    r.write("docs/elsewhere.md", "outside too\n");
    r.commit("Start", "2024-01-01T10:00:00+00:00");
    r.git(&["mv", "docs/elsewhere.md", "docs/sms/moved-in.md"]);
    r.commit("Move a file in", "2024-01-02T10:00:00+00:00");
    r.write("README.md", "changed outside\n");
    r.commit("Outside only", "2024-01-03T10:00:00+00:00");
    let repo = Repo::open(&r.path().join("docs/sms")).expect("opens");
    assert_eq!(repo.prefix, "docs/sms/");
    assert_eq!(
        repo.top,
        std::fs::canonicalize(r.path()).expect("canonical")
    );
    let h = repo.history().expect("history");
    assert_eq!(
        h.files.keys().collect::<Vec<_>>(),
        ["moved-in.md", "policies/p.md"]
    );
    // A file moved in from outside the root starts its history there.
    assert_eq!(
        changes(&h, "moved-in.md"),
        [(
            "Move a file in".into(),
            "moved-in.md".into(),
            ChangeKind::Added
        )]
    );
    let subjects: Vec<&str> = h.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(
        subjects,
        ["Move a file in", "Start"],
        "commits outside the root are left out"
    );
    let tree = repo.tree(repo.head).expect("tree");
    assert_eq!(
        tree.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["moved-in.md", "policies/p.md"]
    );
    r.write("docs/sms/new.md", "new\n");
    r.write("outside.md", "not ours\n");
    let work = repo.work_tree(&[]).expect("status");
    assert_eq!(
        work,
        [WorkChange {
            path: "new.md".into(),
            kind: WorkKind::Untracked
        }]
    );
}

#[test]
fn without_git_history_is_skipped_with_a_reason_and_what_to_do() {
    let r = TestRepo::new();
    let e =
        Repo::open_with(r.path(), Git::with_program("/nonexistent/bin/git")).expect_err("no git");
    assert_eq!(e.kind, ErrorKind::NoGit);
    assert!(e.message.contains("not installed"), "{e}");
    assert!(e.message.contains("--no-history"), "{e}");
}

#[test]
fn outside_a_work_tree_history_is_skipped_with_a_reason() {
    let dir = tempfile::tempdir().expect("tmp");
    let e = Repo::open(dir.path()).expect_err("not a work tree");
    assert_eq!(e.kind, ErrorKind::NotWorkTree);
    assert!(e.message.contains("not inside a git work tree"), "{e}");
    assert!(e.message.contains("git init"), "{e}");

    let bare = dir.path().join("bare.git");
    git_in(
        dir.path(),
        &["init", "-q", "--bare", "bare.git"],
        "2024-01-01T00:00:00Z",
    );
    let e = Repo::open(&bare).expect_err("bare");
    assert_eq!(e.kind, ErrorKind::Bare);
    assert!(e.message.contains("git clone"), "{e}");

    let inside_git_dir = TestRepo::new();
    let e = Repo::open(&inside_git_dir.path().join(".git")).expect_err("inside .git");
    assert_eq!(e.kind, ErrorKind::NotWorkTree);

    let empty = TestRepo::new();
    let e = Repo::open(empty.path()).expect_err("no commit");
    assert_eq!(e.kind, ErrorKind::NoCommits);
    assert!(e.message.contains("Commit the documents"), "{e}");
}

#[test]
fn a_detached_head_reads_the_history_of_the_commit_checked_out() {
    let r = TestRepo::new();
    r.write("a.md", "1\n");
    let first = r.commit("One", "2024-01-01T10:00:00+00:00");
    r.write("a.md", "2\n");
    r.commit("Two", "2024-01-02T10:00:00+00:00");
    r.git(&["checkout", "-q", "--detach", &first]);
    let repo = r.open();
    assert_eq!(repo.head, oid(&first));
    let h = repo.history().expect("history");
    assert_eq!(
        changes(&h, "a.md"),
        [("One".into(), "a.md".into(), ChangeKind::Added)]
    );
}

#[test]
fn a_merged_branch_counts_once_on_the_day_of_its_merge() {
    let r = TestRepo::new();
    r.write("a.md", "a\n");
    r.write("b.md", "b\n");
    r.commit("Start", "2024-01-01T10:00:00+00:00");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("b.md", "b changed on a branch\n");
    r.commit("Side edit", "2024-01-02T10:00:00+00:00");
    r.git(&["checkout", "-q", "main"]);
    r.write("a.md", "a on main\n");
    r.commit("Main edit", "2024-01-03T10:00:00+00:00");
    git_in(
        r.path(),
        &["merge", "-q", "--no-ff", "-m", "Merge side", "side"],
        "2024-01-05T10:00:00+00:00",
    );
    let h = r.history();
    let b = h.of("b.md");
    assert_eq!(b.len(), 2);
    assert_eq!(h.commit(&b[0]).subject, "Merge side");
    assert_eq!(h.commit(&b[0]).day, day("2024-01-05"));
    assert_eq!(h.version_on("b.md", day("2024-01-03")), Some(&b[1]));
    assert_eq!(changes(&h, "a.md")[0].0, "Main edit");
}

#[test]
fn a_shallow_clone_says_where_its_history_is_cut_off() {
    let r = TestRepo::new();
    for (i, d) in ["2024-01-01", "2024-02-01", "2024-03-01"]
        .iter()
        .enumerate()
    {
        r.write("a.md", format!("{i}\n"));
        r.commit(&format!("Commit {i}"), &format!("{d}T10:00:00+00:00"));
    }
    r.write("b.md", "b\n");
    r.commit("Add b", "2024-04-01T10:00:00+00:00");
    let clones = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", r.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--depth", "2", &url, "c"],
        "2024-05-01T00:00:00Z",
    );
    let repo = Repo::open(&clones.path().join("c")).expect("opens");
    assert!(repo.is_shallow());
    let h = repo.history().expect("history");
    assert_eq!(h.commits.len(), 2);
    assert!(h.commits[1].boundary && !h.commits[0].boundary);
    assert_eq!(h.cut_off(), Some(day("2024-03-01")));
    // What the boundary shows as added may be older: the caller can tell.
    assert_eq!(h.commit(&h.of("a.md")[0]).subject, "Commit 2");
    assert!(h.commit(&h.of("a.md")[0]).boundary);
    let e = repo.resolve("HEAD~3").expect_err("not in this clone");
    assert_eq!(e.kind, ErrorKind::NoSuchRevision);
    assert!(e.message.contains("git fetch --unshallow"), "{e}");
}

#[test]
fn revisions_resolve_by_tag_branch_hash_and_expression_and_a_missing_one_is_a_clear_error() {
    let r = TestRepo::new();
    r.write("a.md", "1\n");
    let first = r.commit("One", "2024-01-01T10:00:00+00:00");
    r.git(&["tag", "-a", "v1", "-m", "Release 1"]);
    r.git(&["branch", "old"]);
    r.write("a.md", "2\n");
    r.commit("Two", "2024-01-02T10:00:00-03:00");
    let repo = r.open();
    for rev in ["v1", "old", "HEAD~1", &first, &first[..10], "main~1"] {
        let c = repo.resolve(rev).unwrap_or_else(|e| panic!("{rev}: {e}"));
        assert_eq!(c.id, oid(&first), "{rev}");
        assert_eq!(c.subject, "One");
        assert_eq!(c.day, day("2024-01-01"));
    }
    assert_eq!(repo.resolve("HEAD").expect("HEAD").day, day("2024-01-02"));
    for rev in ["v9", "HEAD~5", "no such branch", "", "--all", "-n"] {
        let e = repo.resolve(rev).expect_err(rev);
        assert_eq!(e.kind, ErrorKind::NoSuchRevision, "{rev}");
        assert!(e.message.contains(&format!("`{rev}`")), "{e}");
        assert!(e.message.contains("git tag"), "{e}");
    }
}

#[test]
fn a_tree_at_a_revision_lists_files_without_touching_the_work_tree() {
    let r = TestRepo::new();
    r.write("sms/a.md", "a1\n");
    r.write("sms/tools/run.sh", "#!/bin/sh\n");
    r.write("other.md", "x\n");
    let first = r.commit("One", "2024-01-01T10:00:00+00:00");
    std::fs::set_permissions(
        r.path().join("sms/tools/run.sh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    std::os::unix::fs::symlink("a.md", r.path().join("sms/link.md")).expect("symlink");
    r.write("sms/a.md", "a2\n");
    r.commit("Two", "2024-01-02T10:00:00+00:00");
    let before_index = std::fs::read(r.path().join(".git/index")).expect("index");
    let repo = Repo::open(&r.path().join("sms")).expect("opens");
    let old = repo
        .tree(repo.resolve(&first).expect("rev").id)
        .expect("tree");
    let new = repo.tree(repo.head).expect("tree");
    assert_eq!(
        old.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        ["a.md", "tools/run.sh"]
    );
    assert_eq!(old[1].mode, FileMode::File);
    let modes: Vec<(&str, FileMode)> = new.iter().map(|e| (e.path.as_str(), e.mode)).collect();
    assert_eq!(
        modes,
        [
            ("a.md", FileMode::File),
            ("link.md", FileMode::Symlink),
            ("tools/run.sh", FileMode::Executable)
        ]
    );
    let blobs = repo.read_blobs(&[old[0].blob, new[0].blob]);
    assert_eq!(blobs[0].as_deref().ok(), Some(&b"a1\n"[..]));
    assert_eq!(blobs[1].as_deref().ok(), Some(&b"a2\n"[..]));
    assert_eq!(
        std::fs::read(r.path().join("sms/a.md")).expect("read"),
        b"a2\n"
    );
    assert_eq!(
        std::fs::read(r.path().join(".git/index")).expect("index"),
        before_index
    );

    // A revision from before the root's folder existed has no files.
    let r2 = TestRepo::new();
    r2.write("README.md", "r\n");
    let bare = r2.commit("Before", "2024-01-01T10:00:00+00:00");
    r2.write("sms/a.md", "a\n");
    r2.commit("After", "2024-01-02T10:00:00+00:00");
    let repo2 = Repo::open(&r2.path().join("sms")).expect("opens");
    assert_eq!(repo2.tree(oid(&bare)).expect("tree"), []);
}

#[test]
fn a_file_committed_with_invalid_utf8_is_read_as_its_exact_bytes() {
    let r = TestRepo::new();
    let bytes: &[u8] = b"---\ntitle: caf\xe9\n---\n\xff\xfe body \x00 with a NUL\n";
    r.write("latin1.md", bytes);
    r.write("empty.md", "");
    r.commit("Latin-1", "2024-01-01T10:00:00+00:00");
    let h = r.history();
    let repo = r.open();
    let ids = [
        h.of("latin1.md")[0].blob,
        h.of("empty.md")[0].blob,
        h.of("latin1.md")[0].blob,
    ];
    let read = repo.read_blobs(&ids);
    assert_eq!(read[0].as_deref().ok(), Some(bytes));
    assert_eq!(read[1].as_deref().ok(), Some(&b""[..]));
    assert_eq!(read[2].as_deref().ok(), Some(bytes));
}

/// Overwrites the loose object `id` with bytes that do not inflate.
fn corrupt(r: &TestRepo, id: &str) {
    let p = r.path().join(".git/objects").join(&id[..2]).join(&id[2..]);
    let mut perm = std::fs::metadata(&p).expect("loose object").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    std::fs::set_permissions(&p, perm).expect("chmod");
    std::fs::write(&p, b"this is not zlib data").expect("corrupt");
}

#[test]
fn a_corrupt_object_fails_that_read_only_with_a_message_naming_git_fsck() {
    let r = TestRepo::new();
    r.write("a.md", "a\n");
    r.write("b.md", "b\n");
    r.write("c.md", "c\n");
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    r.write("d.md", "d\n");
    r.commit("More", "2024-01-02T10:00:00+00:00");
    let h = r.history();
    let blob = |p: &str| h.of(p)[0].blob;
    corrupt(&r, &blob("b.md").to_string());
    let repo = r.open();
    let missing = oid("0123456789012345678901234567890123456789");
    let read = repo.read_blobs(&[blob("a.md"), blob("b.md"), missing, blob("c.md")]);
    assert_eq!(read[0].as_deref().ok(), Some(&b"a\n"[..]));
    let e = read[1].as_ref().expect_err("corrupt");
    assert!(e.message.contains("git fsck"), "{e}");
    assert!(
        read[2]
            .as_ref()
            .expect_err("missing")
            .message
            .contains("not in the git repository")
    );
    assert_eq!(
        read[3].as_deref().ok(),
        Some(&b"c\n"[..]),
        "reading goes on after a bad object"
    );

    // A damaged tree stops the history, with the reason.
    let root_tree = r.git(&["rev-parse", "HEAD~1^{tree}"]);
    corrupt(&r, &root_tree);
    let e = repo.history().expect_err("damaged");
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.contains("git fsck"), "{e}");
}

#[test]
fn a_submodule_is_not_a_file_of_the_history_the_tree_or_the_changes() {
    let sub = TestRepo::new();
    sub.write("inner.md", "inner\n");
    sub.commit("Inner", "2024-01-01T10:00:00+00:00");
    let r = TestRepo::new();
    r.write("a.md", "a\n");
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    let url = format!("file://{}", sub.path().display());
    r.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &url,
        "vendor/sub",
    ]);
    r.commit("Add a submodule", "2024-01-02T10:00:00+00:00");
    sub.write("inner.md", "inner 2\n");
    sub.commit("Inner 2", "2024-01-03T10:00:00+00:00");
    git_in(
        &r.path().join("vendor/sub"),
        &["pull", "-q"],
        "2024-01-03T10:00:00Z",
    );
    let repo = r.open();
    let h = repo.history().expect("history");
    assert_eq!(h.files.keys().collect::<Vec<_>>(), [".gitmodules", "a.md"]);
    let tree = repo.tree(repo.head).expect("tree");
    assert_eq!(
        tree.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(),
        [".gitmodules", "a.md"]
    );
    assert_eq!(repo.work_tree(&[]).expect("status"), []);
}

#[test]
fn uncommitted_changes_are_listed_with_renames_in_the_work_tree() {
    let r = TestRepo::new();
    for f in [
        "mod.md",
        "staged.md",
        "gone.md",
        "old.md",
        "mv.md",
        "mvedit.md",
        "site/index.md",
    ] {
        r.write(
            f,
            format!("content of {f}, long enough to be recognised when moved\n"),
        );
    }
    r.commit("Start", "2024-01-01T10:00:00+00:00");
    r.write("mod.md", "changed\n");
    r.write("staged.md", "changed and staged\n");
    r.git(&["add", "staged.md"]);
    r.write("added.md", "new, staged\n");
    r.git(&["add", "added.md"]);
    r.write("new dir/untracked.md", "new\n");
    std::fs::remove_file(r.path().join("gone.md")).expect("rm");
    r.git(&["mv", "old.md", "renamed.md"]);
    std::fs::rename(r.path().join("mv.md"), r.path().join("moved/mv.md")).unwrap_or_else(|_| {
        std::fs::create_dir_all(r.path().join("moved")).expect("mkdir");
        std::fs::rename(r.path().join("mv.md"), r.path().join("moved/mv.md")).expect("mv");
    });
    std::fs::rename(r.path().join("mvedit.md"), r.path().join("edited.md")).expect("mv");
    r.write("edited.md", "moved and edited\n");
    r.write("site/index.md", "the build's output, excluded\n");
    r.write("site/new.html", "excluded\n");
    let repo = r.open();
    let work = repo.work_tree(&[r.path().join("site")]).expect("status");
    let got: Vec<(&str, &WorkKind)> = work.iter().map(|w| (w.path.as_str(), &w.kind)).collect();
    assert_eq!(
        got,
        [
            ("added.md", &WorkKind::Added),
            ("edited.md", &WorkKind::Untracked),
            ("gone.md", &WorkKind::Deleted),
            ("mod.md", &WorkKind::Modified),
            (
                "moved/mv.md",
                &WorkKind::Renamed {
                    from: "mv.md".into()
                }
            ),
            ("mvedit.md", &WorkKind::Deleted),
            ("new dir/untracked.md", &WorkKind::Untracked),
            (
                "renamed.md",
                &WorkKind::Renamed {
                    from: "old.md".into()
                }
            ),
            ("staged.md", &WorkKind::Modified),
        ]
    );
}

#[test]
fn reading_takes_no_lock_and_leaves_the_index_as_it_was() {
    let r = TestRepo::new();
    r.write("a.md", "a\n");
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    // A file whose timestamps no longer match the index: a refreshing
    // `git status` would rewrite the index.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    r.write("a.md", "a\n");
    let index = r.path().join(".git/index");
    let before = (
        std::fs::read(&index).expect("index"),
        std::fs::metadata(&index).expect("meta").modified().ok(),
    );
    let repo = r.open();
    repo.history().expect("history");
    repo.work_tree(&[]).expect("status");
    repo.read_blobs(&[repo.head]);
    repo.tree(repo.head).expect("tree");
    let after = (
        std::fs::read(&index).expect("index"),
        std::fs::metadata(&index).expect("meta").modified().ok(),
    );
    assert_eq!(before, after);
    assert!(!r.path().join(".git/index.lock").exists());
}

/// A `git` that reads a configuration set to change every output we parse.
fn hostile_git(dir: &Path) -> PathBuf {
    let config = dir.join("hostile.gitconfig");
    std::fs::write(
        &config,
        "[core]\n\tquotePath = true\n\tpager = false\n\tabbrev = 12\n[color]\n\tui = always\n\
         [log]\n\tshowSignature = true\n\tdecorate = full\n\tabbrevCommit = true\n\tfollow = true\n\
         \tshowRoot = false\n\tdate = relative\n[diff]\n\trenames = false\n\trelative = true\n\
         \tnoprefix = true\n\texternal = false\n\tmnemonicPrefix = true\n[status]\n\tshowUntrackedFiles = no\n\
         \trenames = false\n\trelativePaths = true\n\tshort = true\n[format]\n\tpretty = oneline\n\
         [i18n]\n\tlogOutputEncoding = ISO-8859-1\n[pager]\n\tlog = false\n",
    )
    .expect("config");
    let script = dir.join("git");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nGIT_CONFIG_GLOBAL='{}' GIT_PAGER=false exec git \"$@\"\n",
            config.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    script
}

#[test]
fn the_users_git_configuration_does_not_change_what_is_read() {
    let r = TestRepo::new();
    let text = "one\ntwo\nthree\nfour\nfive\nsix\n";
    r.write("sms/Ünïcode name.md", text);
    r.write("sms/a.md", "a\n");
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    r.git(&["mv", "sms/Ünïcode name.md", "sms/renamed é.md"]);
    r.write("sms/renamed é.md", format!("{text}seven\n"));
    r.commit("Rename with an edit", "2024-01-02T10:00:00+00:00");
    r.write("sms/a.md", "changed\n");
    r.write("sms/new file.md", "new\n");
    let tools = tempfile::tempdir().expect("tmp");
    let hostile = Git::with_program(hostile_git(tools.path()));
    let root = r.path().join("sms");
    let plain = Repo::open(&root).expect("opens");
    let odd = Repo::open_with(&root, hostile).expect("opens with a hostile configuration");
    assert_eq!(odd.prefix, plain.prefix);
    let (h1, h2) = (
        plain.history().expect("history"),
        odd.history().expect("history"),
    );
    assert_eq!(h2.files, h1.files);
    assert_eq!(
        h2.commits
            .iter()
            .map(|c| (&c.id, &c.day, &c.subject))
            .collect::<Vec<_>>(),
        h1.commits
            .iter()
            .map(|c| (&c.id, &c.day, &c.subject))
            .collect::<Vec<_>>()
    );
    assert!(matches!(
        h1.of("renamed é.md")[0].kind,
        ChangeKind::Renamed { .. }
    ));
    assert_eq!(
        odd.work_tree(&[]).expect("status"),
        plain.work_tree(&[]).expect("status")
    );
    assert_eq!(odd.work_tree(&[]).expect("status").len(), 2);
    assert_eq!(
        odd.tree(odd.head).expect("tree"),
        plain.tree(plain.head).expect("tree")
    );
    assert_eq!(odd.resolve("HEAD~1").expect("rev").subject, "Add");
}

#[test]
fn a_history_read_before_is_extended_with_the_new_commits_only() {
    let r = TestRepo::new();
    r.write("a.md", "1\n");
    r.write("b.md", "b\n");
    r.commit("One", "2024-01-01T10:00:00+00:00");
    let before = r.history();
    assert_eq!(
        r.open()
            .history_since(before.clone())
            .expect("same")
            .commits,
        before.commits
    );
    r.git(&["mv", "a.md", "c.md"]);
    r.commit("Rename", "2024-01-02T10:00:00+00:00");
    r.write("b.md", "b2\n");
    r.commit("Edit b", "2024-01-03T10:00:00+00:00");
    let repo = r.open();
    let extended = repo.history_since(before.clone()).expect("extended");
    let fresh = repo.history().expect("fresh");
    assert_eq!(extended.files, fresh.files);
    assert_eq!(extended.commits, fresh.commits);
    assert_eq!(changes(&extended, "c.md").len(), 2);
    // HEAD moved to another line of history: read anew.
    r.git(&[
        "checkout",
        "-q",
        "-b",
        "other",
        &before.head.expect("head").to_string(),
    ]);
    r.write("d.md", "d\n");
    r.commit("Other line", "2024-01-04T10:00:00+00:00");
    let repo = r.open();
    let other = repo.history_since(fresh).expect("read anew");
    assert_eq!(other.files, repo.history().expect("fresh").files);
    assert!(other.files.contains_key("a.md") && !other.files.contains_key("c.md"));
}

/// Writes `n` commits with `git fast-import`: file `f<i % 7>.md` edited in
/// each, and `moving.md` renamed at commit `n / 2`.
fn long_history(r: &TestRepo, n: usize) {
    let mut stream = String::new();
    for i in 0..n {
        let when = 1_700_000_000 + i * 3600;
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter C <c@example.org> {when} +0000\ndata 9\nchange {:02}\n",
            i % 100
        ));
        let body = format!("version {i}\n");
        stream.push_str(&format!(
            "M 100644 inline f{}.md\ndata {}\n{body}\n",
            i % 7,
            body.len()
        ));
        if i == 0 {
            let moving = "a file that moves half way through the history\n";
            stream.push_str(&format!(
                "M 100644 inline moving.md\ndata {}\n{moving}\n",
                moving.len()
            ));
        }
        if i == n / 2 {
            stream.push_str("R moving.md moved/away.md\n");
        }
        stream.push('\n');
    }
    let mut child = Command::new("git")
        .current_dir(r.path())
        .args(["fast-import", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("fast-import");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("write");
    assert!(child.wait().expect("waits").success());
    r.git(&["reset", "-q", "--hard"]);
}

#[test]
fn a_long_history_read_in_parallel_segments_is_the_same_as_git_log_follow() {
    let r = TestRepo::new();
    long_history(&r, 700);
    let h = r.history();
    assert_eq!(h.commits.len(), 700);
    for path in ["f0.md", "f3.md", "moved/away.md"] {
        let follow = r.git(&["log", "--follow", "--format=%H", "--", path]);
        let ours: Vec<String> = h
            .of(path)
            .iter()
            .map(|c| h.commit(c).id.to_string())
            .collect();
        assert_eq!(ours, follow.lines().collect::<Vec<_>>(), "{path}");
    }
    let away = h.of("moved/away.md");
    assert_eq!(away.len(), 2);
    assert_eq!(
        away[0].kind,
        ChangeKind::Renamed {
            from: "moving.md".into(),
            similarity: 100
        }
    );
    assert_eq!(h.files.len(), 8);
}
