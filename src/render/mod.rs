//! Stage 5, render: turn the resolved repository into the site's files, in
//! memory: a page per document, requirement and kind, the register, the
//! statement of applicability, the traceability matrices (HTML, CSV, JSON),
//! the findings page and the whole model as JSON. Pages render in parallel;
//! each page's HTML depends on its own neighbourhood, never on the size of
//! the repository (navigation lists kinds, not documents).

pub mod layout;
pub mod matrix;
pub mod pack;
pub mod search;
pub mod svg;
pub mod theme;

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::audience::{self, url_of};
use crate::catalogue::Catalogues;
use crate::config::SoaStatus;
use crate::diag::{Finding, Severity};
use crate::load::Loaded;
use crate::markdown::{self, Links};
use crate::model::{Classification, Document, ShownField};
use crate::resolve::{Cover, Index, LinkTarget, Resolved, Target};

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path inside the site, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go, from any thread: `build` writes each one at
/// once, `serve` keeps them in memory. Any `Fn(Output)` is a sink.
pub trait Sink: Sync {
    fn put(&self, file: Output);
    /// A large file (the evidence pack, `model.json`) produced piece by
    /// piece by `fill`, so that a sink writing to disk never holds it
    /// whole. By default the pieces are collected and `put`.
    fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let mut bytes = Vec::new();
        // Writing into a Vec cannot fail.
        if fill(&mut bytes).is_ok() {
            self.put(Output {
                path: path.to_string(),
                bytes,
            });
        }
    }
}

impl<F: Fn(Output) + Sync> Sink for F {
    fn put(&self, file: Output) {
        self(file)
    }
}

/// What render reads.
pub struct Input<'a> {
    pub loaded: &'a Loaded,
    /// The documents to render: `loaded.documents`, with those above the
    /// audience redacted (see `audience`).
    pub docs: &'a [Document],
    pub resolved: &'a Resolved,
    pub findings: &'a [Finding],
    pub date: jiff::civil::Date,
    /// The highest classification published.
    pub audience: Classification,
    /// The source revision, shown in every page's footer.
    pub revision: Option<&'a crate::manifest::Revision>,
    /// Pages kept from the previous render (`serve`): a document page whose
    /// inputs did not change is not rendered again.
    pub memo: Option<&'a Memo>,
    /// Source files whose documents' pages [`Parts::Focus`] renders.
    pub focus: &'a [String],
}

/// Document pages of the previous render: for each path, a hash of
/// everything the page was made from (the document as shown, the outcome of
/// each of its references and links, the site-wide context, the templates).
/// Equal hash, equal page: `serve` keeps the bytes it already has, and a
/// render with a memo does not hand such a page to its sink but lists it
/// as kept (`take_kept`).
#[derive(Default)]
pub struct Memo {
    keys: std::sync::Mutex<HashMap<String, u64>>,
    kept: std::sync::Mutex<Vec<String>>,
}

impl Memo {
    fn hit(&self, path: &str, key: u64) -> bool {
        let same = self.keys.lock().is_ok_and(|m| m.get(path) == Some(&key));
        if same && let Ok(mut k) = self.kept.lock() {
            k.push(path.to_string());
        }
        same
    }
    fn put(&self, path: String, key: u64) {
        if let Ok(mut m) = self.keys.lock() {
            m.insert(path, key);
        }
    }
    /// Forgets one page (it left the site: a later page at that path must be rendered).
    pub fn forget(&self, path: &str) {
        if let Ok(mut m) = self.keys.lock() {
            m.remove(path);
        }
    }
    /// The pages the last render kept (not handed to its sink).
    pub fn take_kept(&self) -> Vec<String> {
        self.kept
            .lock()
            .map(|mut k| std::mem::take(&mut *k))
            .unwrap_or_default()
    }
    /// Forgets everything (after a render whose outputs were not taken).
    pub fn clear(&self) {
        if let Ok(mut m) = self.keys.lock() {
            m.clear();
        }
        self.take_kept();
    }
}

fn hash_bytes(h: &mut impl std::hash::Hasher, b: &[u8]) {
    h.write_usize(b.len());
    h.write(b);
}

/// A render failure (a template error), as findings.
pub type RenderError = Vec<Finding>;

/// Site path of a requirement page.
pub fn req_url(cats: &Catalogues, q: usize) -> String {
    let r = &cats.reqs[q];
    format!("req/{}/{}.html", cats.list[r.catalogue].name, r.id)
}

pub fn kind_url(kind: &str) -> String {
    format!("kind/{kind}.html")
}

/// A link to a document, borrowing what it shows from the document.
#[derive(Serialize, Clone, Hash)]
pub struct DocLink<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'a str,
    pub status: &'static str,
}

#[derive(Serialize, Clone, Hash)]
pub struct ReqLink {
    pub key: String,
    pub title: String,
    pub url: String,
    pub cover: Cover,
    pub note: Option<String>,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    name: &'a str,
    organisation: Option<&'a str>,
    version: &'static str,
    date: String,
    /// Short git revision ("1a2b3c4d5e6f (modified)"), if the sources are in git.
    revision: Option<String>,
    /// `public`, `internal` or `confidential`: the highest classification published.
    audience: &'static str,
    kinds: Vec<NavItem>,
    errors: usize,
    warnings: usize,
}

fn doc_link(d: &Document) -> DocLink<'_> {
    DocLink {
        id: &d.id,
        title: &d.title,
        url: url_of(d),
        kind: &d.kind,
        status: d.status.as_str(),
    }
}

pub(crate) fn req_link(
    cats: &Catalogues,
    res: &Resolved,
    q: usize,
    note: Option<String>,
) -> ReqLink {
    ReqLink {
        key: cats.reqs[q].key.clone(),
        title: cats.reqs[q].title.clone(),
        url: req_url(cats, q),
        cover: res.coverage[q].cover,
        note,
    }
}

/// Resolves body links for one document page (at `doc/ID.html`).
struct PageLinks<'a> {
    ix: &'a Index<'a>,
    from: usize,
    /// Each document's page as a document page links to it (`../doc/ID.html`).
    hrefs: &'a [String],
    /// Each document's `[[ref]]` HTML on a document page (see [`LinkHtml`]).
    html: &'a [LinkHtml],
    /// Where the page's body's local links lead, as resolved (`Resolved::links`).
    resolved: &'a [Option<LinkTarget>],
}

impl Links for PageLinks<'_> {
    fn wiki_html(&self, target: &str) -> Option<(&str, &str)> {
        // (What `Index::wiki` finds first: a document with that id.)
        let h = self.html.get(*self.ix.by_id.get(target)?)?;
        Some((&h.wiki_tag, &h.wiki_title))
    }
    fn wiki(&self, target: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
        match self.ix.wiki(target)? {
            Target::Doc(d) => Ok((
                Cow::Borrowed(&self.hrefs[d]),
                Cow::Borrowed(&self.ix.docs[d].title),
            )),
            Target::Req(q) => {
                let r = &self.ix.cats.reqs[q];
                Ok((
                    Cow::Owned(format!("../{}", req_url(self.ix.cats, q))),
                    Cow::Owned(format!("{} {}", r.key, r.title)),
                ))
            }
        }
    }
    fn link_at(&self, n: usize, dest: &str) -> Result<Cow<'_, str>, String> {
        match self.resolved.get(n) {
            Some(Some(target)) => Ok(self.href(target)),
            // (The message is not shown: the link is written as it is.)
            Some(None) => Err(String::new()),
            None => self.link(dest),
        }
    }
    fn link(&self, dest: &str) -> Result<Cow<'_, str>, String> {
        Ok(self.href(&self.ix.link(self.from, dest)?))
    }
}

impl PageLinks<'_> {
    /// Where a link to `target` leads from a document page.
    fn href(&self, target: &LinkTarget) -> Cow<'_, str> {
        Cow::Owned(match target {
            LinkTarget::Doc(d, a) => {
                let base = &self.hrefs[*d];
                match a {
                    Some(a) if !audience::is_restricted(&self.ix.docs[*d]) => {
                        format!("{base}#{a}")
                    }
                    _ => return Cow::Borrowed(base),
                }
            }
            LinkTarget::Asset(rel) => format!(
                "../{}",
                rel.split('/')
                    .map(|s| percent_encoding::utf8_percent_encode(
                        s,
                        percent_encoding::NON_ALPHANUMERIC
                    )
                    .to_string()
                    .replace("%2E", ".")
                    .replace("%2D", "-")
                    .replace("%5F", "_"))
                    .collect::<Vec<_>>()
                    .join("/")
            ),
            LinkTarget::Anchor(a) => format!("#{a}"),
        })
    }
}

/// Which files to render. `serve` renders the pages first and publishes
/// them (tabs reload), then the aggregates that every document feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parts {
    All,
    /// Document and requirement pages, the findings, 404 and restricted pages, static files.
    Pages,
    /// Home, register, applicability, matrices, kind indexes, exports,
    /// search index, evidence pack and `model.json`.
    Aggregates,
    /// Only the pages of the documents read from `Input::focus` (`serve`
    /// publishes the edited document's page before any other).
    Focus,
}

impl Parts {
    /// Document pages (all, or those in focus).
    fn documents(self) -> bool {
        self != Parts::Aggregates
    }
    /// The other pages and static files.
    fn pages(self) -> bool {
        matches!(self, Parts::All | Parts::Pages)
    }
    fn aggregates(self) -> bool {
        matches!(self, Parts::All | Parts::Aggregates)
    }
}

/// Whether `path` is one of the aggregates (see [`Parts`]).
pub fn is_aggregate(path: &str) -> bool {
    !(path.starts_with("doc/")
        || path.starts_with("req/")
        || path.starts_with("static/")
        || matches!(path, "findings.html" | "404.html")
        || path == audience::URL)
}

/// How a streamed page reaches its file: given the file's writer and the
/// render (which writes into the writer it is given), runs the render.
type Through<'t> = dyn Fn(
        &mut dyn std::io::Write,
        &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()>
    + 't;

/// A document page's size, give or take (10,000 documents: 11 KB on average).
const PAGE_CAPACITY: usize = 16 * 1024;

/// Renders `parts` of the site (see [`Parts`]), handing each file to `sink` as soon as it is
/// ready (from any thread): `build` writes it at once, `serve` keeps it.
/// Independent parts (document pages, requirement pages, kind indexes,
/// matrices, search index, evidence pack, model export) render
/// concurrently, so no part leaves a core idle while another runs alone.
pub fn render_parts(input: &Input, parts: Parts, sink: &dyn Sink) -> Result<(), RenderError> {
    // `SMSITE_TIMING=1`: when each part ends, from the start of rendering.
    let t0 = std::time::Instant::now();
    let timing = std::env::var_os("SMSITE_TIMING").is_some();
    let done = move |part: &str| {
        if timing {
            eprintln!("timing: {part} done at {} ms", t0.elapsed().as_millis());
        }
    };
    let l = input.loaded;
    let res = input.resolved;
    let cats = &l.catalogues;
    let docs = input.docs;
    // The templates compile on one thread while the others make each
    // document's link as a template value, once: it is on every page that
    // refers to the document and every page it refers to.
    // So are its items in the lists of references and back-links of
    // document pages, written once as HTML (see `LinkHtml`).
    let (theme, (doc_links, link_html)) = rayon::join(
        || theme::load(&l.root, l.config.theme.as_deref(), &l.templates),
        || {
            docs.par_iter()
                .map(|d| {
                    let link = doc_link(d);
                    (tera::Value::from_serializable(&link), LinkHtml::of(&link))
                })
                .unzip::<_, _, Vec<_>, Vec<_>>()
        },
    );
    let theme = theme?;
    let link_html = &link_html;
    let ix = Index::new(docs, cats, &l.files, res);
    let hrefs: Vec<String> = docs.iter().map(|d| format!("../{}", url_of(d))).collect();
    let hrefs = &hrefs;
    let doc_links = &doc_links;
    // Each requirement's link (without a note), likewise.
    let req_links: Vec<tera::Value> = (0..cats.reqs.len())
        .map(|q| tera::Value::from_serializable(&req_link(cats, res, q, None)))
        .collect();
    let req_links = &req_links;

    let errors = input
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = input
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let mut kinds: Vec<&str> = docs
        .iter()
        .filter(|d| d.kind_known)
        .map(|d| d.kind.as_str())
        .collect();
    kinds.sort();
    kinds.dedup();
    let site = SiteCtx {
        name: &l.config.name,
        organisation: l.config.organisation.as_deref(),
        version: env!("CARGO_PKG_VERSION"),
        date: input.date.to_string(),
        revision: input.revision.map(|r| r.short()),
        audience: input.audience.as_str(),
        kinds: kinds
            .iter()
            .map(|k| NavItem {
                title: kind_title(k),
                url: kind_url(k),
            })
            .collect(),
        errors,
        warnings,
    };
    let mut global = tera::Context::new();
    global.insert("site", &site);
    let tera = &theme.tera;
    let layout = layout::Layout::new(tera, &global).map_err(|e| {
        let (file, pos, msg) = theme::describe(&e, &theme.overrides);
        vec![Finding::new(
            "parse-error",
            &file,
            pos,
            format!("{msg} (rendering the layout's parts)"),
        )]
    })?;
    // Renders a page into `w` as it goes (the evidence pack goes straight
    // to its file). Errors: `Ok(finding)` for the template, `Err(io)` for
    // the writer.
    let render_page_to = |tpl: &str,
                          path: &str,
                          ctx: tera::Context,
                          w: &mut dyn std::io::Write|
     -> Result<(), Result<Finding, std::io::Error>> {
        let describe = |e: tera::Error| {
            if let tera::ErrorKind::Io(kind) = e.kind() {
                return Err(std::io::Error::new(*kind, e.to_string()));
            }
            let (file, pos, msg) = theme::describe(&e, &theme.overrides);
            Ok(Finding::new(
                "parse-error",
                &file,
                pos,
                format!("{msg} (rendering {path})"),
            ))
        };
        let depth = path.matches('/').count();
        let mut c = global.clone();
        c.extend(ctx);
        c.insert("root", &root_of(path));
        c.insert("path", path);
        c.insert_value("parts", layout.parts(depth).map_err(describe)?);
        tera.render_to(tpl, &c, w).map_err(describe)
    };
    // A page in memory.
    let render_page = |tpl: &str, path: &str, ctx: tera::Context| -> Result<Output, Finding> {
        // Room for a typical page at once, rather than growing (and
        // copying) it a dozen times on the way there.
        let mut bytes = Vec::with_capacity(PAGE_CAPACITY);
        match render_page_to(tpl, path, ctx, &mut bytes) {
            Ok(()) => Ok(Output {
                path: path.to_string(),
                bytes,
            }),
            Err(Ok(f)) => Err(f),
            // Writing into a Vec cannot fail.
            Err(Err(e)) => Err(Finding::new(
                "parse-error",
                "templates",
                crate::diag::Pos::START,
                format!("cannot render {path}: {e}"),
            )),
        }
    };

    let errs = std::sync::Mutex::new(Vec::new());
    let emit = |r: Result<Output, Finding>| match r {
        Ok(o) => sink.put(o),
        Err(f) => {
            if let Ok(mut e) = errs.lock() {
                e.push(f);
            }
        }
    };
    // A large page rendered straight into its file, through `through`
    // (which hands the render the file's writer, or a writer over it).
    let stream_through = |tpl: &str, path: &str, ctx: tera::Context, through: &Through| {
        let mut ctx = Some(ctx);
        let mut failed = None;
        sink.stream(path, &mut |file| {
            through(file, &mut |w| {
                let c = ctx.take().unwrap_or_default();
                match render_page_to(tpl, path, c, w) {
                    Ok(()) => Ok(()),
                    Err(Ok(f)) => {
                        failed = Some(f);
                        Err(std::io::Error::other("template error"))
                    }
                    Err(Err(e)) => Err(e),
                }
            })
        });
        if let Some(f) = failed {
            emit(Err(f));
        }
    };
    // A matrix, a kind index: straight into the file.
    let stream_page = |tpl: &str, path: &str, ctx: tera::Context| {
        stream_through(tpl, path, ctx, &|file, render| render(file))
    };

    let canonical = |i: usize| res.by_id.get(&docs[i].id) == Some(&i);
    // How document `i`'s page writes its references and links.
    let page_links = |i: usize| PageLinks {
        ix: &ix,
        from: i,
        hrefs,
        html: link_html,
        resolved: res.links.get(i).map_or(&[], Vec::as_slice),
    };
    let body_of = |i: usize| {
        docs[i]
            .html
            .fill(&docs[i].body, &docs[i].scan, &page_links(i))
    };
    let visible = |i: usize| canonical(i) && !audience::is_restricted(&docs[i]);
    // Each body is rendered once, for its page and the evidence pack: the
    // pages hand the pack's bodies over (`pack::Handover`) as they go, in
    // pack order, to the pack writer that waits for them.
    let pack_order = if parts.aggregates() {
        pack::order(docs, &visible, cats)
    } else {
        Vec::new()
    };
    let mut pack_pos: Vec<Option<usize>> = vec![None; docs.len()];
    for (k, &(i, _)) in pack_order.iter().enumerate() {
        pack_pos[i] = Some(k);
    }
    let handover = pack::Handover::new(pack_order.len());
    let order: Vec<usize> = pack_order
        .iter()
        .map(|&(i, _)| i)
        .chain((0..docs.len()).filter(|&i| {
            parts.documents()
                && visible(i)
                && pack_pos[i].is_none()
                && (parts != Parts::Focus || input.focus.contains(&docs[i].file))
        }))
        .collect();
    // What every page shares: a page's memo key starts from it.
    let site_key = {
        use std::hash::Hasher;
        let mut h = std::hash::DefaultHasher::new();
        hash_bytes(&mut h, &serde_json::to_vec(&site).unwrap_or_default());
        for (name, _, text) in &theme.overrides {
            hash_bytes(&mut h, name.as_bytes());
            hash_bytes(&mut h, text.as_bytes());
        }
        h.finish()
    };
    let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if d.kind_known && canonical(i) {
            by_kind.entry(d.kind.as_str()).or_default().push(i);
        }
    }
    let (by_kind, kinds, body_of) = (&by_kind, &kinds, &body_of);
    let (pack_order, pack_pos, handover, order) = (&pack_order, &pack_pos, &handover, &order);
    let (emit, render_page, ix) = (&emit, &render_page, &ix);
    let (stream_page, stream_through) = (&stream_page, &stream_through);

    std::thread::scope(|threads| {
        // The evidence pack, on a thread of its own: it waits for bodies.
        if parts.aggregates() {
            threads.spawn(move || {
                let mut c = tera::Context::new();
                c.insert("title", "Evidence pack");
                c.insert(
                    "docs",
                    &pack::documents(docs, pack_order, cats, res, req_links),
                );
                // The template renders each body as a placeholder, and
                // straight into the file: the bodies are spliced in on the way.
                stream_through("evidence-pack.html", pack::PATH, c, &|file, render| {
                    let take = |k| handover.take(k);
                    let mut sp = pack::Splicer::new(file, pack_order, docs, &take);
                    render(&mut sp)?;
                    sp.finish()
                });
                done("evidence pack");
            });
        }
        rayon::scope(|s| {
            // Spawned in this order on purpose: the thread running this scope
            // takes the last spawned first (the document pages, in small
            // pieces any thread can share), the other takes the first (the
            // long pieces: model, matrices, search index, kind indexes),
            // then both share the pages left, so neither waits alone at the end.
            // The whole model.
            if parts.aggregates() {
                s.spawn(move |_| {
                    sink.stream("model.json", &mut |w| matrix::model_json(input, w));
                    done("model.json");
                });
            }
            // Matrices, their exports and the home page (which shows their summary).
            if parts.aggregates() {
                s.spawn(move |_| {
                    let m = matrix::Matrices::build(input);
                    let m = &m;
                    rayon::scope(|s2| {
                        s2.spawn(move |_| m.exports(sink));
                        for (tpl, path, title) in matrix::Matrices::PAGES {
                            s2.spawn(move |_| {
                                let mut ctx = m.page_context(path, title);
                                // Pictures drawn at build time (see `svg`).
                                match path {
                                    "matrix/services.html" => ctx.insert(
                                        "graph_svg",
                                        &svg::dependency_graph(&m.services, "../"),
                                    ),
                                    "matrix/reviews.html" => ctx.insert(
                                        "calendar_svg",
                                        &svg::review_calendar(&m.reviews, input.date, "../"),
                                    ),
                                    _ => {}
                                }
                                stream_page(tpl, path, ctx);
                            });
                        }
                    });
                    let mut c = tera::Context::new();
                    c.insert("title", &l.config.name);
                    c.insert(
                        "scope_html",
                        &l.config.scope.as_deref().map(md_plain).unwrap_or_default(),
                    );
                    c.insert("summary", &m.summary);
                    c.insert("clauses", &m.clauses);
                    c.insert("coverage_svg", &svg::coverage_chart(&m.clauses, ""));
                    c.insert(
                        "kinds",
                        &kinds
                            .iter()
                            .map(|k| {
                                (
                                    kind_title(k),
                                    kind_url(k),
                                    by_kind.get(k).map_or(0, Vec::len),
                                )
                            })
                            .collect::<Vec<_>>(),
                    );
                    emit(render_page("index.html", "index.html", c));
                    done("matrices and home");
                });
            }
            // Search index.
            if parts.aggregates() {
                s.spawn(move |_| {
                    sink.put(search::index(docs, &canonical, cats));
                    done("search index");
                });
            }
            // Kind indexes.
            if parts.aggregates() {
                s.spawn(move |_| {
                    // The largest first: the last to start ends the soonest.
                    let mut by_size: Vec<&&str> = kinds.iter().collect();
                    by_size
                        .sort_by_key(|k| std::cmp::Reverse(by_kind.get(**k).map_or(0, Vec::len)));
                    by_size.into_par_iter().for_each(|k| {
                        let mut rows: Vec<matrix::RegisterRow> = by_kind
                            .get(k)
                            .into_iter()
                            .flatten()
                            .map(|&i| matrix::register_row(&docs[i]))
                            .collect();
                        rows.sort_by(|a, b| a.id.cmp(b.id));
                        let mut c = tera::Context::new();
                        c.insert("kind", k);
                        c.insert("title", &kind_title(k));
                        c.insert("rows", &rows);
                        c.insert(
                            "fields",
                            &l.profile
                                .kinds
                                .get(*k)
                                .map(|f| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>())
                                .unwrap_or_default(),
                        );
                        stream_page("kind.html", &kind_url(k), c);
                    });
                    done("kind indexes");
                });
            }
            // Requirement pages.
            if parts.pages() {
                s.spawn(move |_| {
                    (0..cats.reqs.len()).into_par_iter().for_each(|q| {
                        emit(render_page(
                            "requirement.html",
                            &req_url(cats, q),
                            requirement_ctx(q, input, ix, doc_links),
                        ))
                    });
                    done("requirement pages");
                });
            }
            // Document pages (none for restricted documents) and the pack's
            // bodies, taken in `order` (pack first) by whichever thread is free.
            s.spawn(move |_| {
                let _close = pack::CloseOnDrop(handover);
                order.iter().par_bridge().for_each(|&i| {
                    let d = &docs[i];
                    let k = pack_pos[i];
                    let give = |body: String| {
                        if let Some(k) = k {
                            handover.give(k, body);
                        }
                    };
                    if !parts.documents() {
                        give(body_of(i));
                        return;
                    }
                    let url = d.url();
                    let mut data =
                        document_data(i, d, ix, res, cats, doc_links, req_links, link_html);
                    let key = input.memo.map(|_| {
                        use std::hash::{Hash, Hasher};
                        let mut h = std::hash::DefaultHasher::new();
                        site_key.hash(&mut h);
                        data.hash(&mut h);
                        d.body.hash(&mut h);
                        let links = page_links(i);
                        for r in &d.scan.refs {
                            links.wiki(&r.target).hash(&mut h);
                        }
                        for l in &d.scan.links {
                            links.link(&l.dest).hash(&mut h);
                        }
                        h.finish()
                    });
                    if let (Some(memo), Some(key)) = (input.memo, key)
                        && memo.hit(&url, key)
                    {
                        if k.is_some() {
                            give(body_of(i));
                        }
                        return;
                    }
                    data.body = body_of(i);
                    let page = render_page("document.html", &url, doc_context(&data));
                    give(std::mem::take(&mut data.body));
                    if let (Some(memo), Some(key), true) = (input.memo, key, page.is_ok()) {
                        memo.put(url, key);
                    }
                    emit(page);
                });
                done("document pages");
            });
            // Small pages and static files.
            if !parts.pages() {
                return;
            }
            let mut c = tera::Context::new();
            c.insert("title", "Restricted document");
            emit(render_page("restricted.html", audience::URL, c));
            let mut c = tera::Context::new();
            c.insert("findings", input.findings);
            c.insert("title", "Findings");
            emit(render_page("findings.html", "findings.html", c));
            let mut c = tera::Context::new();
            c.insert("title", "Page not found");
            emit(render_page("404.html", "404.html", c));
            for (name, bytes) in &theme.statics {
                sink.put(Output {
                    path: format!("static/{name}"),
                    bytes: bytes.clone(),
                });
            }
        });
    });

    let errs = errs.into_inner().unwrap_or_default();
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// `../` per folder level of `path`.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Markdown without references (the scope statement, notes).
fn md_plain(s: &str) -> String {
    struct None_;
    impl Links for None_ {
        fn wiki(&self, t: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
            Err(format!("[[{t}]] cannot be resolved here"))
        }
        fn link(&self, d: &str) -> Result<Cow<'_, str>, String> {
            Ok(Cow::Owned(d.to_string()))
        }
    }
    markdown::to_html(s, &None_)
}

/// "continuity-plan" → "Continuity plans".
pub fn kind_title(kind: &str) -> String {
    match kind {
        "policy" => "Policies".to_string(),
        "sla" => "SLAs".to_string(),
        "process" => "Processes".to_string(),
        k => {
            let mut s = k.replace('-', " ");
            if let Some(f) = s.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            if s.ends_with('y') && !s.ends_with("ey") {
                s.pop();
                s.push_str("ies");
            } else if !s.ends_with('s') {
                s.push('s');
            }
            s
        }
    }
}

#[derive(Serialize, Hash)]
struct FieldCtx<'a> {
    name: &'a str,
    label: String,
    ty: &'static str,
    text: Option<&'a str>,
    html: Option<String>,
    links: Vec<DocLinkOrText>,
    items: &'a [String],
    targets: &'a [crate::model::Target],
}

/// A link to document `id`, or its id alone when it does not resolve.
fn link_or_text(ix: &Index, id: &str) -> DocLinkOrText {
    match ix.by_id.get(id) {
        Some(&t) => DocLinkOrText {
            id: id.to_string(),
            title: ix.docs[t].title.clone(),
            url: Some(url_of(&ix.docs[t])),
        },
        None => DocLinkOrText {
            id: id.to_string(),
            title: String::new(),
            url: None,
        },
    }
}

#[derive(Serialize, Hash)]
struct DocLinkOrText {
    id: String,
    title: String,
    url: Option<String>,
}

#[derive(Serialize, Hash)]
struct DocCtx<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    kind_title: String,
    kind_url: String,
    owner: Option<&'a str>,
    version: Option<&'a str>,
    status: &'static str,
    approved_by: Option<&'a str>,
    approved_on: Option<String>,
    review_by: Option<String>,
    classification: &'static str,
    file: &'a str,
    fields: Vec<FieldCtx<'a>>,
    body: String,
    headings: &'a [crate::markdown::Heading],
    satisfies: ReqLinks<'a>,
    mentions: ReqLinks<'a>,
    references: SharedLinks<'a>,
    referenced_by: SharedLinks<'a>,
    /// `references` and `referenced_by` as the default theme lists them:
    /// one `<li>` per document (see [`LinkHtml`]).
    references_html: String,
    referenced_by_html: String,
}

/// A document's items in the lists of references and back-links of a
/// document page (in `doc/`), as the default theme writes them:
///
/// ```text
/// <li><a href="{{ root }}{{ d.url }}">{{ d.id }}</a> {{ d.title }} <span class="badge status-{{ d.status }}">{{ d.status }}</span></li>
/// <li><a href="{{ root }}{{ d.url }}">{{ d.id }}</a> {{ d.title }}</li>
/// ```
///
/// Written once per document, they are the same on every page that lists
/// it; a page's lists are its items joined (these loops were a third of a
/// document page's template work). `tests/build.rs` checks them against
/// the loops above.
///
/// Likewise a `[[ref]]` to the document in a document page's body: its
/// opening tag and title (`markdown::wiki_html`), the same in every body.
struct LinkHtml {
    reference: String,
    referenced_by: String,
    wiki_tag: String,
    wiki_title: String,
}

impl LinkHtml {
    fn of(link: &DocLink) -> LinkHtml {
        let (wiki_tag, wiki_title) =
            markdown::wiki_html(&format!("../{}", link.url), link.id, link.title);
        let mut head = String::with_capacity(64 + link.title.len());
        head.push_str("<li><a href=\"../");
        push_escaped(&mut head, &link.url);
        head.push_str("\">");
        push_escaped(&mut head, link.id);
        head.push_str("</a> ");
        push_escaped(&mut head, link.title);
        let mut reference = head.clone();
        reference.push_str(" <span class=\"badge status-");
        push_escaped(&mut reference, link.status);
        reference.push_str("\">");
        push_escaped(&mut reference, link.status);
        reference.push_str("</span></li>");
        head.push_str("</li>");
        LinkHtml {
            reference,
            referenced_by: head,
            wiki_tag,
            wiki_title,
        }
    }
}

/// Appends `s` escaped as Tera escapes a printed value.
fn push_escaped(out: &mut String, s: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, s);
}

/// The items of documents `to` joined (see [`LinkHtml`]).
fn joined_items(to: &[usize], items: &[LinkHtml], pick: fn(&LinkHtml) -> &str) -> String {
    let len = to
        .iter()
        .filter_map(|&t| items.get(t))
        .map(|x| pick(x).len())
        .sum();
    let mut out = String::with_capacity(len);
    for x in to.iter().filter_map(|&t| items.get(t)) {
        out.push_str(pick(x));
    }
    out
}

/// Links to requirements (each with its note, if any), given to templates
/// as the values made once per requirement when they have no note.
pub struct ReqLinks<'a> {
    pub(crate) items: Vec<(usize, Option<&'a str>)>,
    pub(crate) cats: &'a Catalogues,
    pub(crate) res: &'a Resolved,
    pub(crate) values: &'a [tera::Value],
}

impl ReqLinks<'_> {
    fn link(&self, q: usize, note: Option<&str>) -> ReqLink {
        req_link(self.cats, self.res, q, note.map(str::to_string))
    }
}

impl Serialize for ReqLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Item<'v> {
            Shared(&'v tera::Value),
            Own(ReqLink),
        }
        s.collect_seq(
            self.items
                .iter()
                .map(|&(q, note)| match (note, self.values.get(q)) {
                    (None, Some(v)) => Item::Shared(v),
                    _ => Item::Own(self.link(q, note)),
                }),
        )
    }
}

impl std::hash::Hash for ReqLinks<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.items.len().hash(h);
        for &(q, note) in &self.items {
            self.link(q, note).hash(h);
        }
    }
}

/// Links to documents `to`, given to templates as the values made once
/// per document (`values`, by document); hashed by what they show.
struct SharedLinks<'a> {
    to: &'a [usize],
    docs: &'a [Document],
    values: &'a [tera::Value],
}

impl Serialize for SharedLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Tera takes a value it is given as it is (a reference count).
        s.collect_seq(self.to.iter().filter_map(|&t| self.values.get(t)))
    }
}

impl std::hash::Hash for SharedLinks<'_> {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.to.len().hash(h);
        for &t in self.to {
            doc_link(&self.docs[t]).hash(h);
        }
    }
}

/// A document page's data; its `body` is left empty for the caller to
/// fill (not rendered when the page's memo says it is unchanged).
#[allow(clippy::too_many_arguments)]
fn document_data<'a>(
    i: usize,
    d: &'a Document,
    ix: &Index<'a>,
    res: &'a Resolved,
    cats: &'a Catalogues,
    doc_links: &'a [tera::Value],
    req_links: &'a [tera::Value],
    link_html: &[LinkHtml],
) -> DocCtx<'a> {
    let docs = ix.docs;
    let fields = d
        .fields
        .iter()
        .map(|f: &ShownField| FieldCtx {
            name: &f.name,
            label: f.name.replace('_', " "),
            ty: f.ty,
            text: f.text.as_deref(),
            html: (f.ty == "markdown").then(|| md_plain(f.text.as_deref().unwrap_or(""))),
            links: if f.ty == "refs" {
                f.items.iter().map(|id| link_or_text(ix, id)).collect()
            } else {
                Vec::new()
            },
            items: &f.items,
            targets: &f.targets,
        })
        .collect();
    let reqs = |items| ReqLinks {
        items,
        cats,
        res,
        values: req_links,
    };
    let satisfies = reqs(
        d.satisfies
            .iter()
            .filter_map(|s| cats.get(&s.req).map(|q| (q, s.note.as_deref())))
            .collect(),
    );
    DocCtx {
        id: &d.id,
        title: &d.title,
        kind: &d.kind,
        kind_title: kind_title(&d.kind),
        kind_url: kind_url(&d.kind),
        owner: d.owner.as_deref(),
        version: d.version.as_deref(),
        status: d.status.as_str(),
        approved_by: d.approved_by.as_deref(),
        approved_on: d.approved_on.map(|x| x.to_string()),
        review_by: d.review_by.map(|x| x.to_string()),
        classification: d.classification.as_str(),
        file: &d.file,
        fields,
        body: String::new(),
        headings: &d.scan.headings,
        satisfies,
        mentions: reqs(res.req_mentions[i].iter().map(|&q| (q, None)).collect()),
        references: SharedLinks {
            to: &res.references[i],
            docs,
            values: doc_links,
        },
        referenced_by: SharedLinks {
            to: &res.referenced_by[i],
            docs,
            values: doc_links,
        },
        references_html: joined_items(&res.references[i], link_html, |x| &x.reference),
        referenced_by_html: joined_items(&res.referenced_by[i], link_html, |x| &x.referenced_by),
    }
}

fn doc_context(data: &DocCtx) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("doc", data);
    c.insert("title", &format!("{} {}", data.id, data.title));
    c
}

#[derive(Serialize)]
struct SoaCtx {
    status: SoaStatus,
    req: String,
    justification: Option<String>,
    party: Option<String>,
    evidence: Vec<DocLinkOrText>,
}

#[derive(Serialize)]
struct ReqCtx<'a> {
    key: String,
    id: String,
    title: String,
    catalogue: String,
    catalogue_title: String,
    leaf: bool,
    cover: Cover,
    leaves: usize,
    leaves_covered: usize,
    parent: Option<ReqLink>,
    ancestors: Vec<ReqLink>,
    children: Vec<ReqLink>,
    evidence: SharedLinks<'a>,
    pending: SharedLinks<'a>,
    /// Documents naming this requirement (or an ancestor) in `satisfies:`, with notes.
    notes: Vec<(String, String)>,
    soa: Option<SoaCtx>,
}

fn requirement_ctx(
    q: usize,
    input: &Input,
    ix: &Index,
    doc_links: &[tera::Value],
) -> tera::Context {
    let l = input.loaded;
    let cats = &l.catalogues;
    let res = input.resolved;
    let r = &cats.reqs[q];
    let cov = &res.coverage[q];
    let docs = input.docs;
    let mut ancestors = Vec::new();
    let mut p = r.parent;
    while let Some(a) = p {
        ancestors.push(req_link(cats, res, a, None));
        p = cats.reqs[a].parent;
    }
    ancestors.reverse();
    let soa = cov.soa.map(|e| {
        let e = &l.config.applicability[e];
        SoaCtx {
            status: e.status,
            req: e.req.clone(),
            justification: e.justification.clone(),
            party: e.party.clone(),
            evidence: e.evidence.iter().map(|id| link_or_text(ix, id)).collect(),
        }
    });
    let notes = res.satisfied_by[q]
        .iter()
        .filter_map(|(d, n)| n.as_ref().map(|n| (docs[*d].id.clone(), n.clone())))
        .collect();
    let ctx = ReqCtx {
        key: r.key.clone(),
        id: r.id.clone(),
        title: r.title.clone(),
        catalogue: cats.list[r.catalogue].name.clone(),
        catalogue_title: cats.list[r.catalogue].title.clone(),
        leaf: r.is_leaf(),
        cover: cov.cover,
        leaves: cov.leaves,
        leaves_covered: cov.leaves_covered,
        parent: r.parent.map(|p| req_link(cats, res, p, None)),
        ancestors,
        children: r
            .children
            .iter()
            .map(|&c| req_link(cats, res, c, None))
            .collect(),
        evidence: SharedLinks {
            to: &cov.evidence,
            docs,
            values: doc_links,
        },
        pending: SharedLinks {
            to: &cov.pending,
            docs,
            values: doc_links,
        },
        notes,
        soa,
    };
    let mut c = tera::Context::new();
    c.insert("req", &ctx);
    c.insert("title", &format!("{} {}", r.key, r.title));
    c
}
