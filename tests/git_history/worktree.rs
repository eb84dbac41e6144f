//! Uncommitted changes, and what reading leaves alone.

use super::*;

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
        "kept.md",
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
    r.git(&["rm", "-q", "--cached", "kept.md"]);
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
            // Removed from git, kept in the work tree: both, not a move.
            ("kept.md", &WorkKind::Deleted),
            ("kept.md", &WorkKind::Untracked),
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
    r.commit(
        "Renommé, avec une modification",
        "2024-01-02T10:00:00+00:00",
    );
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
    assert_eq!(h2.commits[0].subject, "Renommé, avec une modification");
}
