//! Revisions, trees at a revision, and file contents.

use super::*;

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
fn a_repository_with_sha256_object_ids_is_read_the_same_way() {
    let dir = tempfile::tempdir().expect("tmp");
    let date = "2024-01-01T10:00:00+00:00";
    git_in(
        dir.path(),
        &["init", "-q", "-b", "main", "--object-format=sha256"],
        date,
    );
    std::fs::write(dir.path().join("a.md"), "sha-256\n").expect("write");
    git_in(dir.path(), &["add", "-A"], date);
    git_in(dir.path(), &["commit", "-q", "-m", "One"], date);
    let repo = Repo::open(dir.path()).expect("opens");
    assert_eq!(repo.head.as_bytes().len(), 32);
    let h = repo.history().expect("history");
    let blob = h.of("a.md")[0].blob;
    assert_eq!(blob.to_string().len(), 64);
    assert_eq!(content(&repo, blob), b"sha-256\n");
    assert_eq!(repo.tree(repo.head).expect("tree")[0].blob, blob);
    assert_eq!(repo.resolve("HEAD").expect("rev").id, repo.head);
}
