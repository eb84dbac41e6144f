//! The Changes page, `changes.html`: what changed since a revision (`build
//! --since REV`, or the baseline of the latest external audit), as `smsite
//! diff` tells it: documents added, removed and changed (each field's old
//! and new value, the body as a line diff), requirements whose coverage,
//! evidence or applicability changed, findings that appeared or were
//! resolved; and `changes.json` beside it (the same JSON as `smsite diff
//! --format json`). Without a comparison the page says how to get one.
//! Documents above the build's audience show their id only.

use std::io::Write;

use serde::Serialize;

use super::site::Site;
use super::{RenderError, Sink};
use crate::address;
use crate::diag::Finding;
use crate::diff::{Changes, Was, human};
use crate::model::Classification;

#[derive(Serialize)]
struct DocRow<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    status: &'a str,
    file: &'a str,
    url: Option<String>,
}

#[derive(Serialize)]
struct FieldRow<'a> {
    field: &'a str,
    old: String,
    new: String,
}

#[derive(Serialize)]
struct ChangedRow<'a> {
    doc: DocRow<'a>,
    old_file: Option<&'a str>,
    fields: Vec<FieldRow<'a>>,
    body_changed: bool,
    lines_added: usize,
    lines_removed: usize,
    diff_html: String,
}

#[derive(Serialize)]
struct Link {
    id: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct ReqRow<'a> {
    key: &'a str,
    title: &'a str,
    url: Option<String>,
    coverage: Option<&'a Was>,
    evidence_added: Vec<Link>,
    evidence_removed: Vec<Link>,
    applicability: Option<&'a Was>,
}

/// The family's entry point.
pub fn render(site: &Site, sink: &dyn Sink) -> Result<(), RenderError> {
    let mut c = tera::Context::new();
    let Some(changes) = site.input.changes else {
        c.insert("title", "Changes since a revision");
        c.insert("compared", &false);
        return page(site, sink, c);
    };
    let changes = redact(changes, site.input.audience);
    let link = |id: &str| Link {
        id: id.to_string(),
        url: url(site, id),
    };
    let added: Vec<DocRow> = changes.added.iter().map(|d| doc_row(site, d)).collect();
    let removed: Vec<DocRow> = changes.removed.iter().map(|d| doc_row(site, d)).collect();
    let changed: Vec<ChangedRow> = changes
        .changed
        .iter()
        .map(|d| ChangedRow {
            doc: DocRow {
                id: &d.id,
                title: &d.title,
                kind: &d.kind,
                status: &d.status,
                file: &d.file,
                url: url(site, &d.id),
            },
            old_file: d.old_file.as_deref(),
            fields: d
                .fields
                .iter()
                .map(|f| FieldRow {
                    field: &f.field,
                    old: human::value(&f.old),
                    new: human::value(&f.new),
                })
                .collect(),
            body_changed: d.body_changed,
            lines_added: d.lines_added,
            lines_removed: d.lines_removed,
            diff_html: d
                .bodies
                .as_ref()
                .map(|(a, b)| line_diff(a, b))
                .unwrap_or_default(),
        })
        .collect();
    let requirements: Vec<ReqRow> = changes
        .requirements
        .iter()
        .map(|r| ReqRow {
            key: &r.key,
            title: &r.title,
            url: site.ix.cats.get(&r.key).map(|_| address::req(&r.key)),
            coverage: r.coverage.as_ref(),
            evidence_added: r.evidence_added.iter().map(|i| link(i)).collect(),
            evidence_removed: r.evidence_removed.iter().map(|i| link(i)).collect(),
            applicability: r.applicability.as_ref(),
        })
        .collect();
    c.insert("title", &format!("Changes since {}", changes.old.revision));
    c.insert("compared", &true);
    c.insert("old", &human::side(&changes.old));
    c.insert("new", &human::side(&changes.new));
    c.insert("audit", &changes.audit.as_deref().map(link));
    c.insert("summary", &changes.summary);
    c.insert("added", &added);
    c.insert("removed", &removed);
    c.insert("changed", &changed);
    c.insert("requirements", &requirements);
    c.insert("appeared", &changes.findings.appeared);
    c.insert("resolved", &changes.findings.resolved);
    c.insert("json", &address::beside(address::CHANGES, "json"));
    sink.stream(&address::beside(address::CHANGES, "json"), &mut |w| {
        let mut b = std::io::BufWriter::new(w);
        serde_json::to_writer_pretty(&mut b, &changes)?;
        b.write_all(b"\n")?;
        b.flush()
    });
    page(site, sink, c)
}

fn doc_row<'a>(site: &Site, d: &'a crate::diff::DocRef) -> DocRow<'a> {
    DocRow {
        id: &d.id,
        title: &d.title,
        kind: &d.kind,
        status: &d.status,
        file: &d.file,
        url: url(site, &d.id),
    }
}

fn page(site: &Site, sink: &dyn Sink, c: tera::Context) -> Result<(), RenderError> {
    sink.put(
        site.page("changes.html", address::CHANGES, c)
            .map_err(|f| vec![f])?,
    );
    Ok(())
}

/// Where the page of the document `id` is (the restricted notice for one
/// above the audience), if it exists now.
fn url(site: &Site, id: &str) -> Option<String> {
    site.ix
        .by_id
        .get(id)
        .map(|&i| address::page(&site.input.docs[i]))
}

/// The changes as the audience may see them: documents above it keep
/// their id and nothing else, and their findings are left out.
fn redact(c: &Changes, audience: Classification) -> Changes {
    let above = |class: &str| Classification::parse(class).is_some_and(|k| k > audience);
    let mut c = c.clone();
    let mut hidden: Vec<String> = Vec::new();
    let restricted = "(restricted)".to_string();
    for d in c.added.iter_mut().chain(c.removed.iter_mut()) {
        if above(&d.classification) {
            hidden.push(std::mem::take(&mut d.file));
            d.title.clone_from(&restricted);
        }
    }
    for d in &mut c.changed {
        if above(&d.classification) {
            hidden.push(std::mem::take(&mut d.file));
            hidden.extend(d.old_file.take());
            d.title.clone_from(&restricted);
            d.fields.clear();
            d.bodies = None;
        }
    }
    let visible = |f: &Finding| !hidden.contains(&f.file);
    c.findings.appeared.retain(visible);
    c.findings.resolved.retain(visible);
    c
}

/// Lines of context around each change in a body's line diff.
const CONTEXT: usize = 3;

/// The line diff from `old` to `new` as HTML: removed lines in `<del>`,
/// added ones in `<ins>`, each marked `−` or `+` as well as coloured, a
/// few unchanged lines around each change, a gap between hunks.
pub fn line_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::from("<div class=\"linediff\">");
    for (n, group) in diff.grouped_ops(CONTEXT).iter().enumerate() {
        if n > 0 {
            out.push_str("<span class=\"gap\">⋯</span>");
        }
        for op in group {
            for ch in diff.iter_changes(op) {
                let line = crate::html::escape(ch.value().trim_end_matches('\n'));
                let (open, mark, close) = match ch.tag() {
                    ChangeTag::Delete => ("<del>", "− ", "</del>"),
                    ChangeTag::Insert => ("<ins>", "+ ", "</ins>"),
                    ChangeTag::Equal => ("<span class=\"ctx\">", "  ", "</span>"),
                };
                out.push_str(open);
                out.push_str(mark);
                out.push_str(&line);
                out.push_str(close);
            }
        }
    }
    out.push_str("</div>");
    out
}
