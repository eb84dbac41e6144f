//! Opening a repository, and the history of its files.

use super::*;

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
    fast_import(r.path(), &stream);
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

#[test]
fn a_cached_history_is_reused_extended_with_new_commits_and_replaced_when_damaged() {
    let r = TestRepo::new();
    r.write("a.md", "1\n");
    r.commit("One", "2024-01-01T10:00:00+00:00");
    let repo = r.open();
    let first = repo.history_cached().expect("history");
    assert_eq!(first, repo.history().expect("history"));
    let file = r.path().join(".git/smsite/history");
    let cached = std::fs::read(&file).expect("the cache is written in the git folder");
    assert_eq!(History::from_cache(&cached), Some(first.clone()));
    assert_eq!(
        r.git(&["status", "--porcelain"]),
        "",
        "the cache is no change to the work tree"
    );

    // HEAD unchanged: the cache is what comes back (marked to tell).
    let mut marked = first.clone();
    marked.commits[0].subject = "From the cache".into();
    std::fs::write(&file, marked.to_cache()).expect("write");
    assert_eq!(
        repo.history_cached().expect("history").commits[0].subject,
        "From the cache"
    );

    // New commits: read and put on top of the cached ones.
    r.write("a.md", "2\n");
    r.commit("Two", "2024-01-02T10:00:00+00:00");
    let repo = r.open();
    let h = repo.history_cached().expect("history");
    let subjects: Vec<&str> = h.commits.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(subjects, ["Two", "From the cache"]);
    assert_eq!(h.of("a.md").len(), 2);

    // A damaged cache is read anew, and replaced.
    for damage in [
        &b"smsite-history 1\0garbage"[..],
        b"",
        &cached[..cached.len() / 2],
    ] {
        std::fs::write(&file, damage).expect("write");
        assert_eq!(
            repo.history_cached().expect("history"),
            repo.history().expect("history")
        );
        let again = std::fs::read(&file).expect("rewritten");
        assert_eq!(
            History::from_cache(&again),
            Some(repo.history().expect("history"))
        );
    }
}

#[test]
fn a_file_name_that_is_not_utf8_does_not_stop_the_history() {
    use std::os::unix::ffi::OsStrExt;
    let r = TestRepo::new();
    let latin1 = r.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(&latin1, "a Latin-1 name\n").expect("write");
    r.write("ok.md", "fine\n");
    r.commit("Names", "2024-01-01T10:00:00+00:00");
    let h = r.history();
    let lossy = "caf\u{FFFD}.md";
    assert_eq!(h.files.keys().collect::<Vec<_>>(), [lossy, "ok.md"]);
    let repo = r.open();
    assert_eq!(content(&repo, h.of(lossy)[0].blob), b"a Latin-1 name\n");
    std::fs::write(&latin1, "changed\n").expect("write");
    let work = repo.work_tree(&[]).expect("status");
    assert_eq!(
        work,
        [WorkChange {
            path: lossy.into(),
            kind: WorkKind::Modified
        }]
    );
}

#[test]
fn a_partial_clone_is_skipped_with_what_to_do_and_downloads_nothing() {
    let r = TestRepo::new();
    r.git(&["config", "uploadpack.allowFilter", "true"]);
    r.write("a.md", "one\ntwo\nthree\nfour\nfive\nsix\n");
    r.commit("Add", "2024-01-01T10:00:00+00:00");
    r.git(&["mv", "a.md", "b.md"]);
    r.write("b.md", "one\ntwo\nthree\nfour\nfive\nsix\nseven\n");
    r.commit("Rename with an edit", "2024-01-02T10:00:00+00:00");
    let clones = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", r.path().display());
    git_in(
        clones.path(),
        &["clone", "-q", "--filter=blob:none", &url, "c"],
        "2024-05-01T00:00:00Z",
    );
    let repo = Repo::open(&clones.path().join("c")).expect("opens");
    let e = repo
        .history()
        .expect_err("past contents are needed to find the rename");
    assert_eq!(e.kind, ErrorKind::Failed);
    assert!(e.message.contains("partial clone"), "{e}");
    assert!(e.message.contains("full clone"), "{e}");
}

#[test]
fn a_linked_work_tree_reads_its_own_branch_and_keeps_its_own_cache() {
    let r = TestRepo::new();
    r.write("a.md", "main\n");
    r.commit("On main", "2024-01-01T10:00:00+00:00");
    let linked = tempfile::tempdir().expect("tmp");
    let wt = linked.path().join("wt");
    let wt_arg = wt.to_str().expect("a UTF-8 temporary path");
    r.git(&["worktree", "add", "-q", "-b", "other", wt_arg]);
    std::fs::write(wt.join("b.md"), "other\n").expect("write");
    git_in(&wt, &["add", "-A"], "2024-01-02T10:00:00+00:00");
    git_in(
        &wt,
        &["commit", "-q", "-m", "On other"],
        "2024-01-02T10:00:00+00:00",
    );
    let repo = Repo::open(&wt).expect("opens");
    assert_eq!(repo.top, std::fs::canonicalize(&wt).expect("canonical"));
    let h = repo.history_cached().expect("history");
    assert_eq!(h.files.keys().collect::<Vec<_>>(), ["a.md", "b.md"]);
    assert!(r.path().join(".git/worktrees/wt/smsite/history").exists());
    assert_eq!(r.history().files.keys().collect::<Vec<_>>(), ["a.md"]);
}
