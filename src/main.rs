//! The `smsite` command line: `init`, `check`, `build`, `serve`, `verify`,
//! `schema`
//! (and the exit codes CI relies on: 0 clean, 1 findings with errors (or,
//! for `verify`, a site that differs from its manifest), 2 usage or I/O
//! failure).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;
use smsite::diag::{self, Finding, Severity};

// Building allocates many small strings on every core; mimalloc is measurably
// faster than the system allocator for that pattern.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keeps memory freed by a build for the next one instead of returning it
/// to the system a second later (mimalloc's `purge_delay`, -1 = never):
/// `serve` rebuilds on every save, and memory handed back would have to be
/// faulted in and zeroed again each time (10,000 documents: save to reload
/// about 90 -> 70 ms). A build's process ends anyway.
#[cfg(feature = "mimalloc")]
fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc.h (the crate names no constant for it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets a plain integer option; mimalloc reads it on later purges.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(not(feature = "mimalloc"))]
fn keep_freed_memory() {}

#[derive(Parser)]
#[command(
    name = "smsite",
    version,
    about = "Compile an ISO/IEC 20000 SMS repository into a cross-linked static site, with requirement traceability checked at build time"
)]
struct Cli {
    /// Print nothing but findings (and errors).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning and other SARIF readers).
    Sarif,
    /// A GitLab Code Quality report.
    Gitlab,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

/// How `smsite diff` prints the changes.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum DiffFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The SMS repository (the folder holding sms.yaml).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The "today" that date rules use (YYYY-MM-DD); default: today.
    #[arg(long, value_parser = parse_date)]
    date: Option<Date>,
    /// Warnings fail the build too.
    #[arg(long)]
    strict: bool,
    /// How findings are printed.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Do not read the git history (revision histories, `approval-stale`,
    /// `suspect-reference`); the footer still names the commit.
    #[arg(long)]
    no_history: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Start an SMS repository: a draft of every document ISO/IEC 20000-1
    /// expects, with guidance on what to write (or, with --example, the
    /// complete worked example).
    Init {
        /// Folder to create (must not exist, or be empty).
        dir: PathBuf,
        /// Write the complete worked example instead of the drafts.
        #[arg(long)]
        example: bool,
    },
    /// Write a JSON Schema per kind (built-in and declared in sms.yaml) for
    /// editors, into DIR/schemas/ (see the README's editor setup).
    Schema {
        /// The SMS repository (the folder holding sms.yaml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Folder to write the schemas into (default: DIR/schemas).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run every rule and print the findings; exit 1 if any is an error.
    Check(CheckArgs),
    /// Check, then write the site; on errors nothing is published.
    Build {
        #[command(flatten)]
        args: CheckArgs,
        /// Output folder (default: DIR/public). Replaced whole, atomically.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Who the site is for: `public` publishes public documents only,
        /// `internal` also internal ones, `confidential` everything (default:
        /// `audience:` in sms.yaml, else everything). Others show as restricted.
        #[arg(long, value_parser = parse_audience)]
        audience: Option<smsite::model::Classification>,
        /// Add a page "Changes since REV" (and its JSON), REV a git revision
        /// (tag, branch, commit). Default: the `baseline` of the latest
        /// performed certification, surveillance or recertification audit.
        #[arg(long, value_name = "REV")]
        since: Option<String>,
    },
    /// Preview the site while you edit: serves it, rebuilds on every save,
    /// reloads open pages and shows findings on them.
    Serve {
        /// The SMS repository (the folder holding sms.yaml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on; 0 picks any free port.
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on; the default keeps the site on this machine.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The "today" that date rules use (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Poll the files instead of using the system's file events.
        #[arg(long)]
        poll: bool,
        /// Print the time of each stage of every rebuild.
        #[arg(long, hide = true)]
        timing: bool,
        /// Milliseconds of quiet after a file event before rebuilding.
        #[arg(long, hide = true, default_value_t = 10)]
        debounce_ms: u64,
        /// Do not read the git history (revision histories, stale approvals,
        /// suspect references).
        #[arg(long)]
        no_history: bool,
    },
    /// What changed between two revisions of the repository (documents,
    /// fields, coverage, applicability, findings), read from git without
    /// touching the work tree or the index. Exit 0, or 2 when a revision
    /// cannot be read.
    Diff {
        /// The SMS repository (the folder holding sms.yaml), in a git work tree.
        dir: PathBuf,
        /// The old revision: a tag, branch, commit or expression (HEAD~3).
        old: String,
        /// The new revision (default: the work tree as it is).
        new: Option<String>,
        /// The "today" both sides are checked with (YYYY-MM-DD); default: today.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// How the changes are printed.
        #[arg(long, value_enum, default_value = "human")]
        format: DiffFormat,
    },
    /// Check a built site against its manifest.json: exit 0 if intact,
    /// 1 if a file was added, removed or changed, 2 if there is no valid manifest.
    Verify {
        /// The built site (the folder holding manifest.json).
        site: PathBuf,
    },
}

fn parse_audience(s: &str) -> Result<smsite::model::Classification, String> {
    smsite::model::Classification::parse(s)
        .ok_or_else(|| format!("`{s}` is not an audience; use public, internal or confidential"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    smsite::model::parse_date(s).ok_or_else(|| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    let result = if matches!(cli.command, Command::Serve { .. }) {
        run(cli)
    } else {
        on_pool(|| run(cli))
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Runs `f` on one of rayon's worker threads (the main thread waits).
///
/// A build's serial steps (gathering the loaded documents, the resolver's
/// maps, the page list) then allocate from a worker's heap, which memory
/// freed by the parallel steps before them has filled, instead of from the
/// main thread's empty one: fresh memory is faulted in and zeroed by the
/// kernel, and on a virtual machine that is the dearest memory there is.
/// `serve` stays on the main thread: it never returns, and would hold a
/// worker for good.
fn on_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::join(f, || ()).0
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Init { dir, example } => init(&dir, example, cli.quiet),
        Command::Schema { dir, out } => schema(&dir, out, cli.quiet),
        Command::Serve {
            dir,
            port,
            bind,
            date,
            poll,
            timing,
            debounce_ms,
            no_history,
        } => {
            smsite::serve::run(smsite::serve::Options {
                root: dir,
                bind,
                port,
                date,
                timing,
                poll,
                debounce: std::time::Duration::from_millis(debounce_ms.max(1)),
                quiet: cli.quiet,
                history: !no_history,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => check_command(&args, cli.quiet),
        Command::Verify { site } => verify(&site, cli.quiet),
        Command::Diff {
            dir,
            old,
            new,
            date,
            format,
        } => diff(&dir, &old, new.as_deref(), date, format),
        Command::Build {
            args,
            out,
            audience,
            since,
        } => build(&args, out, audience, since.as_deref(), cli.quiet),
    }
}

/// `smsite init`: the scaffold of drafts, or (`--example`) the worked example.
fn init(dir: &Path, example: bool, quiet: bool) -> Result<ExitCode, String> {
    if example {
        smsite::scaffold::init_example(dir).map_err(|e| e.to_string())?;
    } else {
        smsite::scaffold::init(dir).map_err(|e| e.to_string())?;
    }
    if !quiet {
        let d = dir.display();
        if example {
            println!("created {d}, the worked example: try `smsite serve {d}`");
        } else {
            println!(
                "created {d}: {} drafts, one per document ISO/IEC 20000-1 expects, each with guidance on what to write.\n\
                 `smsite check {d}` lists the gaps (every requirement without approved evidence);\n\
                 `smsite serve {d}` previews the site, with its implementation progress page.",
                smsite::scaffold::entries::ENTRIES.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `smsite check`: the findings, template errors included.
fn check_command(args: &CheckArgs, quiet: bool) -> Result<ExitCode, String> {
    // The default output folder is never a source, for `check` as for `build`.
    let checked = check(args, &[args.dir.join("public")])?;
    // Template errors too: a check that passes must not leave a build to fail.
    let mut findings = checked.findings.clone();
    findings.extend(smsite::check_templates(&checked));
    diag::sort(&mut findings);
    let mut summary = checked.summary();
    summary.errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    report(args, &findings, &summary, &checked, quiet);
    // The process ends here (see `build`).
    std::mem::forget(checked);
    Ok(exit_for(args, &findings))
}

/// `smsite build`: check, then write the site into a staging folder
/// swapped in whole; on any error the previous site stays.
fn build(
    args: &CheckArgs,
    out: Option<PathBuf>,
    audience: Option<smsite::model::Classification>,
    since: Option<&str>,
    quiet: bool,
) -> Result<ExitCode, String> {
    let out = out.unwrap_or_else(|| args.dir.join("public"));
    let start = std::time::Instant::now();
    let mut checked = check(args, std::slice::from_ref(&out))?;
    let mut findings = checked.findings.clone();
    let failed = exit_for(args, &findings) != ExitCode::SUCCESS;
    if failed {
        report(args, &findings, &checked.summary(), &checked, quiet);
        eprintln!(
            "build failed: nothing was published{}",
            if out.exists() {
                format!("; {} is unchanged", out.display())
            } else {
                String::new()
            }
        );
        return Ok(ExitCode::from(1));
    }
    if let Err(e) = changes_since(&mut checked, since, args) {
        eprintln!("error: {e}");
        eprintln!("build failed: nothing was published (give --since a revision that exists)");
        return Ok(ExitCode::from(2));
    }
    checked.release_positions();
    let t_check = start.elapsed();
    // Files are written as they are rendered, into a temporary folder
    // swapped in at the end; on any error it is dropped, unseen.
    let stage = match smsite::write::Staging::begin(&out, &checked.loaded.root) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("build failed: the previous site is unchanged");
            return Ok(ExitCode::from(2));
        }
    };
    let rendered = smsite::render_into(&checked, audience, &stage);
    match rendered {
        Ok(()) => {}
        Err(errs) => {
            drop(stage);
            findings.extend(errs);
            diag::sort(&mut findings);
            let mut summary = checked.summary();
            summary.errors = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            report(args, &findings, &summary, &checked, quiet);
            eprintln!("build failed: nothing was published");
            return Ok(ExitCode::from(1));
        }
    };
    let t_render = start.elapsed();
    report(args, &findings, &checked.summary(), &checked, quiet);
    let date = checked.date.to_string();
    let pages = stage.pages();
    if let Err(e) = stage.finish(
        &checked.loaded.root,
        &checked.loaded.assets,
        Some((&date, checked.revision.clone())),
    ) {
        eprintln!("error: {e}");
        eprintln!("build failed: the previous site is unchanged");
        return Ok(ExitCode::from(2));
    }
    if std::env::var_os("SMSITE_TIMING").is_some() {
        eprintln!(
            "timing: load+resolve+check {} ms, render+write {} ms, assets+manifest+swap {} ms",
            t_check.as_millis(),
            (t_render - t_check).as_millis(),
            (start.elapsed() - t_render).as_millis()
        );
    }
    if !quiet {
        eprintln!(
            "built {} pages from {} documents into {} in {} ms",
            pages,
            checked.loaded.documents.len(),
            out.display(),
            start.elapsed().as_millis()
        );
    }
    // The process ends here: freeing every document one by one
    // would only delay it (tens of milliseconds at 10,000 documents).
    std::mem::forget(checked);
    Ok(ExitCode::SUCCESS)
}

/// `smsite schema`: the profile comes from sms.yaml, so a broken sms.yaml
/// is reported (exit 1) and nothing is written.
fn schema(dir: &Path, out: Option<PathBuf>, quiet: bool) -> Result<ExitCode, String> {
    let args = CheckArgs {
        dir: dir.to_path_buf(),
        date: None,
        strict: false,
        format: Format::Human,
        no_history: true,
    };
    let checked = check(&args, &[dir.join("public")])?;
    let broken: Vec<Finding> = checked
        .findings
        .iter()
        .filter(|f| f.file == smsite::config::FILE && f.severity == Severity::Error)
        .cloned()
        .collect();
    if !broken.is_empty() {
        eprint!(
            "{}",
            smsite::report::to_human(&broken, &checked.loaded.root)
        );
        eprintln!(
            "schema: sms.yaml has errors; fix them, then run `smsite schema` again (nothing was written)"
        );
        return Ok(ExitCode::from(1));
    }
    let out = out.unwrap_or_else(|| dir.join(smsite::schema::FOLDER));
    let files = smsite::schema::files(&checked.loaded.profile);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    for (name, text) in &files {
        let p = out.join(name);
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    if !quiet {
        println!(
            "wrote {} schemas (one per kind) into {}",
            files.len(),
            out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The repository root's folder inside its git work tree (`""` at the
/// top, or outside git): CI formats name files from the work tree's top.
fn work_tree_prefix(root: &Path) -> String {
    smsite::git::history::Repo::open(root)
        .map(|r| r.prefix)
        .unwrap_or_default()
}

/// The Changes page's comparison: with `--since REV`, REV (an error when
/// it cannot be read); else the last external audit's baseline, when there
/// is one (a note when it cannot be read: the build goes on without it).
fn changes_since(
    checked: &mut smsite::Checked,
    since: Option<&str>,
    args: &CheckArgs,
) -> Result<(), String> {
    if let Some(rev) = since {
        return checked.compare_since(rev, None).map_err(|e| e.0);
    }
    if args.no_history {
        return Ok(());
    }
    if let Some((rev, audit)) = checked.audit_baseline()
        && let Err(e) = checked.compare_since(&rev, Some(&audit))
    {
        let note = smsite::Checked::baseline_unreadable(&rev, &audit, &e);
        checked.control.notes.push(note);
    }
    Ok(())
}

fn diff(
    dir: &Path,
    old: &str,
    new: Option<&str>,
    date: Option<Date>,
    format: DiffFormat,
) -> Result<ExitCode, String> {
    use smsite::diff::revision;
    if !dir.is_dir() {
        return Err(format!(
            "{}: no such folder; point at the folder that holds sms.yaml",
            dir.display()
        ));
    }
    let opts = smsite::Options {
        date: date.unwrap_or_else(today),
        skip: vec![dir.join("public")],
        history: false,
    };
    // Both sides at once: each is a load, resolve and check of its own.
    let (a, b) = rayon::join(
        || revision::at(dir, old, &opts),
        || match new {
            Some(rev) => revision::at(dir, rev, &opts),
            None => revision::work_tree(dir, &opts),
        },
    );
    let ((old_c, old_side), (new_c, new_side)) = (a.map_err(|e| e.0)?, b.map_err(|e| e.0)?);
    let changes = smsite::diff::compare(&old_c, &new_c, old_side, new_side);
    match format {
        DiffFormat::Json => println!("{}", changes.to_json()),
        DiffFormat::Human => print!("{}", smsite::diff::human::to_human(&changes)),
    }
    std::mem::forget((old_c, new_c));
    Ok(ExitCode::SUCCESS)
}

fn verify(site: &Path, quiet: bool) -> Result<ExitCode, String> {
    let r = smsite::manifest::verify(site).map_err(|e| e.to_string())?;
    let about = r
        .manifest
        .as_ref()
        .map(|m| {
            format!(
                "built by {} {} on {}{}",
                m.generator,
                m.version,
                m.date,
                m.revision
                    .as_ref()
                    .map(|r| format!(" from revision {}", r.short()))
                    .unwrap_or_default()
            )
        })
        .unwrap_or_default();
    if r.intact() {
        if !quiet {
            println!(
                "{}: intact, {} files match manifest.json ({about})",
                site.display(),
                r.checked
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    for f in &r.changed {
        println!("changed: {f}");
    }
    for f in &r.added {
        println!("added: {f}");
    }
    for f in &r.removed {
        println!("removed: {f}");
    }
    eprintln!(
        "{}: NOT intact: {} changed, {} added, {} removed since the build ({about})",
        site.display(),
        r.changed.len(),
        r.added.len(),
        r.removed.len()
    );
    Ok(ExitCode::from(1))
}

fn check(args: &CheckArgs, skip: &[PathBuf]) -> Result<smsite::Checked, String> {
    if !args.dir.is_dir() {
        return Err(format!(
            "{}: no such folder; point at the folder that holds sms.yaml",
            args.dir.display()
        ));
    }
    let opts = smsite::Options {
        date: args.date.unwrap_or_else(today),
        skip: skip.to_vec(),
        history: !args.no_history,
    };
    smsite::check(&args.dir, &opts).map_err(|e| e.to_string())
}

fn exit_for(args: &CheckArgs, findings: &[Finding]) -> ExitCode {
    let fails = findings
        .iter()
        .any(|f| f.severity == Severity::Error || (args.strict && f.severity == Severity::Warning));
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report(
    args: &CheckArgs,
    findings: &[Finding],
    summary: &diag::Summary,
    checked: &smsite::Checked,
    quiet: bool,
) {
    let readiness = &checked.readiness;
    let prefix = || work_tree_prefix(&checked.loaded.root);
    let notes = &checked.control.notes;
    // Once, on the standard error, whatever the format (JSON has them too).
    for n in notes {
        eprintln!("note: {n}");
    }
    match args.format {
        Format::Sarif => println!("{}", smsite::report::sarif::to_sarif(findings, &prefix())),
        Format::Gitlab => println!("{}", smsite::report::gitlab::to_gitlab(findings, &prefix())),
        Format::Github => print!("{}", smsite::report::github::to_github(findings, &prefix())),
        Format::Json => println!(
            "{}",
            smsite::report::to_json_with_notes(findings, summary, Some(readiness), notes)
        ),
        Format::Human => {
            if !findings.is_empty() {
                eprint!(
                    "{}",
                    smsite::report::to_human(findings, &checked.loaded.root)
                );
            }
            if !quiet {
                eprintln!(
                    "{} documents, {}/{} requirements covered: {} error{}, {} warning{}",
                    summary.documents,
                    summary.covered,
                    summary.requirements,
                    summary.errors,
                    if summary.errors == 1 { "" } else { "s" },
                    summary.warnings,
                    if summary.warnings == 1 { "" } else { "s" },
                );
                eprintln!(
                    "readiness for certification: {} of {} checks met",
                    readiness.met, readiness.total
                );
            }
        }
    }
}
