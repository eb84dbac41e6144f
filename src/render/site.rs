//! What every page family of one render shares, made once before they
//! start: the theme and the layout's parts, the context every page starts
//! from (`site`), each document's and requirement's link, the lookups of
//! the resolved repository, the documents by kind, and the evidence pack's
//! plan. And how a family writes a page: into memory ([`Site::page`]) or
//! straight into its file ([`Site::stream_page`]), with template errors
//! turned into findings.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::links::{DocLink, LinkHtml, PageLinks, doc_link, req_link};
use super::{Input, Output, Parts, RenderError, Sink, layout, pack, theme};
use crate::address;
use crate::audience;
use crate::diag::{Finding, Pos, Severity};
use crate::markdown::{self, Links};
use crate::resolve::Index;

/// A document page's size, give or take (10,000 documents: 11 KB on average).
const PAGE_CAPACITY: usize = 16 * 1024;

/// How a streamed page reaches its file: given the file's writer and the
/// render (which writes into the writer it is given), runs the render.
pub type Through<'t> = dyn Fn(
        &mut dyn std::io::Write,
        &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()>
    + 't;

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
}

/// `site` in every template.
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

/// What the page families of one render share (see the module docs).
pub struct Site<'a> {
    pub input: &'a Input<'a>,
    pub parts: Parts,
    pub theme: theme::Theme,
    global: tera::Context,
    layout: layout::Layout,
    /// Each document's link, as a template value (by document).
    pub doc_links: Vec<tera::Value>,
    /// Each document's items in a document page's lists, as HTML.
    pub link_html: Vec<LinkHtml>,
    /// Each document's page as a document page links to it (`../doc/ID.html`).
    pub hrefs: Vec<String>,
    /// Each requirement's link (without a note), as a template value.
    pub req_links: Vec<tera::Value>,
    pub ix: Index<'a>,
    /// The kinds that have documents, sorted.
    pub kinds: Vec<&'a str>,
    /// The canonical documents of each known kind.
    pub by_kind: HashMap<&'a str, Vec<usize>>,
    /// A hash of what every page shares (`site` and the templates): a
    /// document page's memo key starts from it.
    pub site_key: u64,
    /// Which documents the evidence pack holds, and the handover of their
    /// bodies from the document pages to the pack.
    pub pack: pack::Plan,
    /// `SMSITE_TIMING=1`: when each family ends, from the start.
    t0: Option<std::time::Instant>,
}

impl<'a> Site<'a> {
    /// Prepares a render of `parts`: a template error (in the layout's
    /// parts, or a theme that cannot be read) is returned as findings.
    pub fn new(input: &'a Input<'a>, parts: Parts) -> Result<Site<'a>, RenderError> {
        let t0 = std::env::var_os("SMSITE_TIMING").map(|_| std::time::Instant::now());
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
        let ix = Index::new(docs, cats, &l.files, res);
        let hrefs = docs
            .iter()
            .map(|d| address::from_doc(&address::page(d)))
            .collect();
        let req_links = (0..cats.reqs.len())
            .map(|q| tera::Value::from_serializable(&req_link(cats, res, q, None)))
            .collect();
        let kinds = kinds_of(input);
        let site = site_ctx(input, &kinds);
        let mut global = tera::Context::new();
        global.insert("site", &site);
        let layout = layout::Layout::new(&theme.tera, &global).map_err(|e| {
            let (file, pos, msg) = theme::describe(&e, &theme.overrides);
            vec![Finding::new(
                "parse-error",
                &file,
                pos,
                format!("{msg} (rendering the layout's parts)"),
            )]
        })?;
        let site_key = site_key(&site, &theme, l.config.variables.as_deref());
        let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            if d.kind_known && res.by_id.get(&d.id) == Some(&i) {
                by_kind.entry(d.kind.as_str()).or_default().push(i);
            }
        }
        let mut s = Site {
            input,
            parts,
            theme,
            global,
            layout,
            doc_links,
            link_html,
            hrefs,
            req_links,
            ix,
            kinds,
            by_kind,
            site_key,
            pack: pack::Plan::default(),
            t0,
        };
        s.pack = pack::Plan::new(&s);
        Ok(s)
    }

    /// Says when the family `name` ended (`SMSITE_TIMING=1`).
    pub fn done(&self, name: &str) {
        if let Some(t0) = self.t0 {
            eprintln!("timing: {name} done at {} ms", t0.elapsed().as_millis());
        }
    }

    /// Whether document `i` is the one its id names (not a duplicate).
    pub fn canonical(&self, i: usize) -> bool {
        let docs = self.input.docs;
        self.input.resolved.by_id.get(&docs[i].id) == Some(&i)
    }

    /// Whether document `i` has a page: canonical and not restricted.
    pub fn visible(&self, i: usize) -> bool {
        self.canonical(i) && !audience::is_restricted(&self.input.docs[i])
    }

    /// How document `i`'s page writes its references and links.
    pub fn page_links(&self, i: usize) -> PageLinks<'_> {
        PageLinks {
            ix: &self.ix,
            from: i,
            hrefs: &self.hrefs,
            html: &self.link_html,
            resolved: self.input.resolved.links.get(i).map_or(&[], Vec::as_slice),
        }
    }

    /// Document `i`'s body as HTML, its references filled in for its page.
    pub fn body_of(&self, i: usize) -> String {
        let d = &self.input.docs[i];
        d.html.fill(&d.body, &d.scan, &self.page_links(i))
    }

    /// The link to document `i` as a template value.
    pub fn doc_link(&self, i: usize) -> DocLink<'a> {
        doc_link(&self.input.docs[i])
    }

    /// Renders template `tpl` as the page at `path` into `w`, as it goes.
    /// Errors: `Ok(finding)` for the template, `Err(io)` for the writer.
    pub fn render_to(
        &self,
        tpl: &str,
        path: &str,
        ctx: tera::Context,
        w: &mut dyn std::io::Write,
    ) -> Result<(), Result<Finding, std::io::Error>> {
        let describe = |e: tera::Error| {
            if let tera::ErrorKind::Io(kind) = e.kind() {
                return Err(std::io::Error::new(*kind, e.to_string()));
            }
            let (file, pos, msg) = theme::describe(&e, &self.theme.overrides);
            Ok(Finding::new(
                "parse-error",
                &file,
                pos,
                format!("{msg} (rendering {path})"),
            ))
        };
        let depth = path.matches('/').count();
        let mut c = self.global.clone();
        c.extend(ctx);
        c.insert("root", &address::root(path));
        c.insert("path", path);
        let parts = self
            .layout
            .parts(&self.theme.tera, &self.global, depth)
            .map_err(describe)?;
        c.insert_value("parts", parts);
        self.theme.tera.render_to(tpl, &c, w).map_err(describe)
    }

    /// Renders a page in memory.
    pub fn page(&self, tpl: &str, path: &str, ctx: tera::Context) -> Result<Output, Finding> {
        // Room for a typical page at once, rather than growing (and
        // copying) it a dozen times on the way there.
        let mut bytes = Vec::with_capacity(PAGE_CAPACITY);
        match self.render_to(tpl, path, ctx, &mut bytes) {
            Ok(()) => Ok(Output {
                path: path.to_string(),
                bytes,
            }),
            Err(Ok(f)) => Err(f),
            // Writing into a Vec cannot fail.
            Err(Err(e)) => Err(Finding::new(
                "parse-error",
                "templates",
                Pos::START,
                format!("cannot render {path}: {e}"),
            )),
        }
    }

    /// Renders a fragment (a section some pages include, such as a
    /// register in the evidence pack) as it would be written on the page
    /// at `path`.
    pub fn fragment(&self, tpl: &str, path: &str, ctx: tera::Context) -> Result<String, Finding> {
        let page = self.page(tpl, path, ctx)?;
        // A rendered page is UTF-8: taken as it is, not copied.
        Ok(String::from_utf8(page.bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Renders a large page straight into its file, through `through`
    /// (which hands the render the file's writer, or a writer over it).
    pub fn stream_through(
        &self,
        sink: &dyn Sink,
        tpl: &str,
        path: &str,
        ctx: tera::Context,
        through: &Through,
    ) -> Result<(), Finding> {
        let mut ctx = Some(ctx);
        let mut failed = None;
        sink.stream(path, &mut |file| {
            through(file, &mut |w| {
                let c = ctx.take().unwrap_or_default();
                match self.render_to(tpl, path, c, w) {
                    Ok(()) => Ok(()),
                    Err(Ok(f)) => {
                        failed = Some(f);
                        Err(std::io::Error::other("template error"))
                    }
                    Err(Err(e)) => Err(e),
                }
            })
        });
        failed.map_or(Ok(()), Err)
    }

    /// Renders a page (a matrix, a kind index) straight into its file.
    pub fn stream_page(
        &self,
        sink: &dyn Sink,
        tpl: &str,
        path: &str,
        ctx: tera::Context,
    ) -> Result<(), Finding> {
        self.stream_through(sink, tpl, path, ctx, &|file, render| render(file))
    }
}

/// The template errors of a family's pages, gathered from any thread.
#[derive(Default)]
pub struct Errors(std::sync::Mutex<Vec<Finding>>);

impl Errors {
    /// Hands a rendered page to `sink`, or keeps its template error.
    pub fn emit(&self, sink: &dyn Sink, page: Result<Output, Finding>) {
        match page {
            Ok(o) => sink.put(o),
            Err(f) => self.keep(f),
        }
    }
    /// Keeps the error of a page written straight to its file.
    pub fn note(&self, r: Result<(), Finding>) {
        if let Err(f) = r {
            self.keep(f);
        }
    }
    fn keep(&self, f: Finding) {
        if let Ok(mut e) = self.0.lock() {
            e.push(f);
        }
    }
    /// The family's outcome.
    pub fn result(self) -> Result<(), RenderError> {
        let errs = self.0.into_inner().unwrap_or_default();
        if errs.is_empty() { Ok(()) } else { Err(errs) }
    }
}

/// The kinds that have documents (known ones), sorted.
fn kinds_of<'a>(input: &Input<'a>) -> Vec<&'a str> {
    let mut kinds: Vec<&str> = input
        .docs
        .iter()
        .filter(|d| d.kind_known)
        .map(|d| d.kind.as_str())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

fn site_ctx<'a>(input: &Input<'a>, kinds: &[&str]) -> SiteCtx<'a> {
    let l = input.loaded;
    let count = |s: Severity| input.findings.iter().filter(|f| f.severity == s).count();
    SiteCtx {
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
                url: address::kind(k),
            })
            .collect(),
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
    }
}

/// What every page shares, hashed: a page's memo key starts from it.
/// The variables are in it: a body's HTML holds their values.
fn site_key(site: &SiteCtx, theme: &theme::Theme, vars: Option<&markdown::Variables>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    vars.hash(&mut h);
    hash_bytes(&mut h, &serde_json::to_vec(site).unwrap_or_default());
    for (name, _, text) in &theme.overrides {
        hash_bytes(&mut h, name.as_bytes());
        hash_bytes(&mut h, text.as_bytes());
    }
    h.finish()
}

fn hash_bytes(h: &mut impl std::hash::Hasher, b: &[u8]) {
    h.write_usize(b.len());
    h.write(b);
}

/// Markdown without references (the scope statement, `markdown` fields).
/// A `[[ref]]` or a relative link in it is not resolved: it is shown as
/// its text, marked, never as a link that leads nowhere.
pub fn md_plain(s: &str) -> String {
    struct None_;
    impl Links for None_ {
        fn wiki(&self, t: &str) -> Result<(Cow<'_, str>, Cow<'_, str>), String> {
            Err(format!("[[{t}]] cannot be resolved here"))
        }
        fn link(&self, d: &str) -> Result<Cow<'_, str>, String> {
            if d == "#" {
                return Ok(Cow::Borrowed("#"));
            }
            Err(format!(
                "`{d}` is not resolved here: links to files of the repository work in documents' bodies"
            ))
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
