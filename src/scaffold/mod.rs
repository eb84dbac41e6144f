//! `smsite init`: starts an SMS repository. By default it writes one
//! **draft** per piece of documented information ISO/IEC 20000-1:2018
//! expects ([`entries::ENTRIES`]), each naming the clauses it will be
//! evidence for and holding guidance on what to write (marked as
//! [`guidance`] says), so that the first `smsite check` is an honest gap
//! analysis: every requirement uncovered, each naming the draft that will
//! cover it once approved. The scaffolded `sms.yaml` sets
//! `requirement-uncovered` to a warning while everything is a draft, so
//! `serve` and `build` publish the site (and its progress page) meanwhile;
//! its comment says to raise it before certification. It also writes the
//! JSON Schemas of the kinds (`schemas/`, see `schema`), which the YAML
//! records name on their first line.
//!
//! `smsite init --example` writes the worked example (`sample-sms/`,
//! embedded at build time).
//!
//! Either way the repository is written into a hidden folder beside the
//! target and renamed into place at the end: a failure leaves nothing
//! behind.

pub mod entries;
pub mod guidance;

use std::fs;
use std::path::{Path, PathBuf};

use entries::{ENTRIES, Entry};

include!(concat!(env!("OUT_DIR"), "/example.rs"));

/// Why `init` wrote nothing.
#[derive(Debug)]
pub struct InitError(pub String);

impl std::fmt::Display for InitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Writes the scaffold (drafts, `sms.yaml`, README, schemas) into `dir`.
pub fn init(dir: &Path) -> Result<(), InitError> {
    create(dir, scaffold_files())
}

/// Writes the worked example into `dir`.
pub fn init_example(dir: &Path) -> Result<(), InitError> {
    create(
        dir,
        EXAMPLE
            .iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect(),
    )
}

/// The scaffold's files: (repository path, contents).
pub fn scaffold_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        (
            "sms.yaml".into(),
            include_str!("templates/sms.yaml").as_bytes().to_vec(),
        ),
        (
            "README.md".into(),
            include_str!("templates/README.md").as_bytes().to_vec(),
        ),
        (".gitignore".into(), b"/public/\n".to_vec()),
    ];
    files.extend(
        ENTRIES
            .iter()
            .map(|e| (e.path.to_string(), draft(e).into_bytes())),
    );
    let profile = crate::model::Profile::new(&[], &[]);
    files.extend(
        crate::schema::files(&profile)
            .into_iter()
            .map(|(name, text)| {
                (
                    format!("{}/{name}", crate::schema::FOLDER),
                    text.into_bytes(),
                )
            }),
    );
    files
}

/// The text of one draft: front matter (or a record's fields), then the body.
pub fn draft(e: &Entry) -> String {
    let satisfies: Vec<String> = e
        .satisfies
        .iter()
        .map(|c| format!("ISO20000-1:{c}"))
        .collect();
    let control = format!(
        "id: {}\ntitle: {}\nkind: {}\nowner: {}\nversion: \"0.1\"\n# draft -> review -> approved; when approved, add approved_by:, approved_on: and review_by:\nstatus: draft\nsatisfies: [{}]\n{}",
        e.id,
        e.title,
        e.kind,
        e.owner,
        satisfies.join(", "),
        dated(e.fields, jiff::Zoned::now().date())
    );
    if e.path.ends_with(".yaml") {
        let depth = e.path.matches('/').count();
        let body: String = e
            .body
            .lines()
            .map(|l| {
                if l.is_empty() {
                    "\n".to_string()
                } else {
                    format!("  {l}\n")
                }
            })
            .collect();
        format!(
            "# yaml-language-server: $schema={}{}/{}.json\n{control}body: |\n{body}",
            "../".repeat(depth),
            crate::schema::FOLDER,
            e.kind
        )
    } else {
        format!("---\n{control}---\n\n{}", e.body)
    }
}

/// `fields` with each `{today}` or `{today+N}` (N days later) written as a
/// date from `today`: a planned audit or review lies ahead of whoever runs
/// `init`, whenever that is.
fn dated(fields: &str, today: jiff::civil::Date) -> String {
    let mut out = String::with_capacity(fields.len());
    let mut rest = fields;
    while let Some(at) = rest.find("{today") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + "{today".len()..];
        let Some(end) = tail.find('}') else {
            out.push_str(&rest[at..]);
            return out;
        };
        let days: i64 = tail[..end].trim_start_matches('+').parse().unwrap_or(0);
        let d = today
            .checked_add(jiff::Span::new().days(days))
            .unwrap_or(today);
        out.push_str(&d.to_string());
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Writes `files` into a hidden staging folder, then moves them into
/// `dir`: a new folder is the staging folder renamed; an existing empty
/// folder (`smsite init .`) keeps its identity and receives the staged
/// entries. On any failure nothing is left behind, and the error says what
/// and where.
fn create(dir: &Path, files: Vec<(String, Vec<u8>)>) -> Result<(), InitError> {
    let exists = match fs::symlink_metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(InitError(format!(
                "{} exists and is not a folder; choose a new folder name",
                dir.display()
            )));
        }
        Ok(_) => {
            let mut entries = fs::read_dir(dir).map_err(|e| fail("read", dir, e))?;
            if entries.next().is_some() {
                return Err(InitError(format!(
                    "{} exists and is not empty; choose a new folder, or empty this one",
                    dir.display()
                )));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(fail("read", dir, e)),
    };
    let stage_in = if exists {
        dir.to_path_buf()
    } else {
        match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    };
    // Removes what was made (the staging folder, missing parents) unless kept.
    let mut made = Made::parents(&stage_in).map_err(|e| fail("create", &stage_in, e))?;
    let stage = stage_in.join(format!(".smsite-init-{}", std::process::id()));
    fs::create_dir(&stage).map_err(|e| fail("create a folder in", &stage_in, e))?;
    made.top = Some(stage.clone());
    for (rel, bytes) in &files {
        let p = stage.join(rel);
        if let Some(d) = p.parent() {
            fs::create_dir_all(d).map_err(|e| fail("create", d, e))?;
        }
        fs::write(&p, bytes).map_err(|e| fail("write", &p, e))?;
    }
    if exists {
        move_entries(&stage, dir)?;
        let _ = fs::remove_dir(&stage);
    } else {
        fs::rename(&stage, dir).map_err(|e| fail("move the new repository to", dir, e))?;
    }
    made.keep();
    Ok(())
}

fn fail(what: &str, p: &Path, e: std::io::Error) -> InitError {
    InitError(format!("cannot {what} {}: {e}", p.display()))
}

/// Moves every entry of `stage` into `dir` (the same file system); on a
/// failure, moves nothing (what was moved is removed again).
fn move_entries(stage: &Path, dir: &Path) -> Result<(), InitError> {
    let names: Vec<_> = fs::read_dir(stage)
        .map_err(|e| fail("read", stage, e))?
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let mut moved = Vec::new();
    for n in names {
        let to = dir.join(&n);
        if let Err(e) = fs::rename(stage.join(&n), &to) {
            for m in moved {
                let _ = fs::remove_dir_all(&m).or_else(|_| fs::remove_file(&m));
            }
            return Err(fail("write", &to, e));
        }
        moved.push(to);
    }
    Ok(())
}

/// Folders made for a scaffold, removed (whole) on drop unless kept:
/// `top` the staging folder, `then` the first parent folder made for it.
struct Made {
    top: Option<PathBuf>,
    then: Option<PathBuf>,
}

impl Made {
    /// Makes the missing folders of `parent`; `top` is the outermost one made.
    fn parents(parent: &Path) -> std::io::Result<Made> {
        let mut top = None;
        let mut p = parent;
        while !p.as_os_str().is_empty() && !p.exists() {
            top = Some(p.to_path_buf());
            match p.parent() {
                Some(up) => p = up,
                None => break,
            }
        }
        if let Some(t) = &top
            && let Err(e) = fs::create_dir_all(parent)
        {
            let _ = fs::remove_dir_all(t);
            return Err(e);
        }
        Ok(Made {
            top: None,
            then: top,
        })
    }
}

impl Made {
    fn keep(&mut self) {
        self.top = None;
        self.then = None;
    }
}

impl Drop for Made {
    fn drop(&mut self) {
        for p in [self.top.take(), self.then.take()].into_iter().flatten() {
            let _ = fs::remove_dir_all(p);
        }
    }
}

#[cfg(test)]
mod dates {
    #[test]
    fn placeholders_become_dates_from_today() {
        let today = jiff::civil::date(2026, 12, 30);
        assert_eq!(
            super::dated("a: {today}\nb: {today+3}\nc: x\n", today),
            "a: 2026-12-30\nb: 2027-01-02\nc: x\n"
        );
        assert_eq!(super::dated("no date", today), "no date");
    }
}
