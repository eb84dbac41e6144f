//! Git: what the build reads from the repository's version control.
//!
//! `history` reads a document repository's git history (commits per file,
//! following renames), the work tree's uncommitted changes, file contents at
//! any version and whole trees at a revision, as plain data, without touching
//! the work tree or the index. The rules and pages that use it live elsewhere.

pub mod history;
