//! The theme: Tera templates and static files. The default theme
//! (`themes/default/`) is compiled into the binary so `smsite` works from
//! anywhere; a `theme:` folder in `sms.yaml` and the repository's
//! `templates/` override it file by file, in that order.

use std::path::Path;

use crate::diag::{Finding, Pos};

// The default theme's templates (`TEMPLATES`: name, text) and static
// files (`STATIC`: name, bytes; copied to `static/`), every file of
// `themes/default/`, listed by `build.rs`.
include!(concat!(env!("OUT_DIR"), "/theme.rs"));

/// Templates and static files after overrides.
pub struct Theme {
    pub tera: tera::Tera,
    pub statics: Vec<(String, Vec<u8>)>,
    /// Overridden templates: (name, file it came from, text).
    pub overrides: Vec<(String, String, String)>,
}

/// Where a template came from, to name it in errors.
fn origin(name: &str, overrides: &[(String, String, String)]) -> String {
    overrides
        .iter()
        .rev()
        .find(|(n, _, _)| n == name)
        .map(|(_, file, _)| file.clone())
        .unwrap_or_else(|| format!("themes/default/templates/{name}"))
}

/// Builds the theme. `theme_dir` is the `theme:` folder (absolute), `repo_templates`
/// the repository's `templates/` files as (name, text). Template errors are
/// `parse-error` findings naming the template file and line.
pub fn load(
    root: &Path,
    theme_dir: Option<&str>,
    repo_templates: &[(String, String)],
) -> Result<Theme, Vec<Finding>> {
    let mut findings = Vec::new();
    // (name, file for messages, text)
    let mut overrides: Vec<(String, String, String)> = Vec::new();
    let mut statics: Vec<(String, Vec<u8>)> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), b.to_vec()))
        .collect();
    if let Some(t) = theme_dir {
        let dir = root.join(t);
        if !dir.is_dir() {
            findings.push(Finding::new(
                "parse-error",
                crate::config::FILE,
                Pos::START,
                format!(
                    "theme folder `{t}` does not exist; remove `theme:` to use the built-in theme"
                ),
            ));
        }
        for (sub, is_tpl) in [("templates", true), ("static", false)] {
            let Ok(rd) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            let mut entries: Vec<_> = rd.flatten().collect();
            entries.sort_by_key(|e| e.file_name());
            for e in entries {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') || !e.path().is_file() {
                    continue;
                }
                let file = format!("{t}/{sub}/{name}");
                match std::fs::read(e.path()) {
                    Ok(b) if is_tpl => match String::from_utf8(b) {
                        Ok(s) => overrides.push((name, file, s)),
                        Err(_) => findings.push(Finding::new(
                            "parse-error",
                            &file,
                            Pos::START,
                            "the template is not UTF-8",
                        )),
                    },
                    Ok(b) => {
                        statics.retain(|(n, _)| *n != name);
                        statics.push((name, b));
                    }
                    Err(err) => findings.push(Finding::new(
                        "parse-error",
                        &file,
                        Pos::START,
                        format!("cannot read: {err}"),
                    )),
                }
            }
        }
    }
    for (name, text) in repo_templates {
        overrides.push((name.clone(), format!("templates/{name}"), text.clone()));
    }
    let mut all: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    for (name, _, text) in &overrides {
        match all.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text.clone(),
            None => all.push((name.clone(), text.clone())),
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    register(&mut tera);
    // Add one by one first, so a syntax error names its own template.
    for (name, text) in &all {
        let mut probe = tera::Tera::new();
        if let Err(e) = probe.add_raw_template(name, text)
            && let tera::ErrorKind::SyntaxError(r) = e.kind()
        {
            let file = origin(name, &overrides);
            let pos = Pos::new(r.span().start_line, r.span().start_col + 1);
            findings.push(Finding::new(
                "parse-error",
                &file,
                pos,
                format!("template syntax error: {}", r.message()),
            ));
        }
    }
    if findings.is_empty()
        && let Err(e) = tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    {
        let (file, pos, msg) = describe(&e, &overrides);
        findings.push(Finding::new("parse-error", &file, pos, msg));
    }
    if findings.is_empty() {
        Ok(Theme {
            tera,
            statics,
            overrides,
        })
    } else {
        Err(findings)
    }
}

/// Names the template, position and message of a Tera error.
pub fn describe(e: &tera::Error, overrides: &[(String, String, String)]) -> (String, Pos, String) {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            origin(r.filename(), overrides),
            Pos::new(r.span().start_line, r.span().start_col + 1),
            format!("template error: {}", r.message()),
        ),
        tera::ErrorKind::MissingParent { current, parent } => (
            origin(current, overrides),
            Pos::START,
            format!("template `{current}` extends `{parent}`, which does not exist"),
        ),
        tera::ErrorKind::TemplateNotFound(t) => (
            origin(t, overrides),
            Pos::START,
            format!("template `{t}` not found"),
        ),
        _ => (
            "templates".into(),
            Pos::START,
            format!("template error: {e}"),
        ),
    }
}

fn register(tera: &mut tera::Tera) {
    use tera::{Kwargs, State};
    // `x | csv_safe` is not needed; templates only need a few helpers.
    tera.register_filter("status_class", |s: &str, _: Kwargs, _: &State| {
        format!("status-{s}")
    });
}
