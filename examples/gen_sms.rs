//! Generates a realistic synthetic SMS repository of any size, for
//! benchmarks: the format's kinds in realistic proportions, bodies of about
//! 1.5 KB with headings, a table, `[[refs]]`, relative links with anchors and
//! (every `--code-every` documents) a code block in one of several
//! languages; `satisfies:` spread over every ISO 20000-1 leaf clause. The
//! repository checks clean. With `--hugo DIR` it also writes the same pages
//! as a plain Hugo site (same bodies, references converted to links). With
//! `--customers N` it adds N customers (every service received by one) and
//! four complaints each, one of them open, beside the `--docs` documents.
//! With `--audits A --nonconformities M`, A of the documents are audits
//! (three in four performed, over two years; the rest planned) whose scopes
//! cover every leaf clause within the last year, and M are nonconformities
//! (raised from the audits' nonconforming results, then from other
//! sources; at every stage), still checking clean; without them the output
//! is as before.
//!
//! With `--measure-months M` it also writes service reporting data: a tenth
//! of the documents are services, each with an SLA of four targets that say
//! which way is better, and `measurements/YYYY-MM.csv` holds every target's
//! result for each of the M months up to 2026-11 (the month before the
//! benchmarks' build date); one value in 20 misses its target, and every
//! miss is explained by a record, so the repository still checks clean.
//!
//! ```sh
//! cargo run --release --example gen_sms -- --docs 10000 --out /tmp/sms-10k --hugo /tmp/hugo-10k
//! cargo run --release --example gen_sms -- --docs 10000 --audits 500 --nonconformities 2000 --out /tmp/sms-ops
//! cargo run --release --example gen_sms -- --docs 10000 --measure-months 36 --out /tmp/sms-10k-m
//! ```

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const LEAVES: &[&str] = &[
    "4.1", "4.2", "4.3", "4.4", "5.1", "5.2.1", "5.2.2", "5.3", "6.1", "6.2.1", "6.2.2", "6.3",
    "7.1", "7.2", "7.3", "7.4", "7.5.1", "7.5.2", "7.5.3", "7.5.4", "7.6", "8.1", "8.2.1", "8.2.2",
    "8.2.3", "8.2.4", "8.2.5", "8.2.6", "8.3.1", "8.3.2", "8.3.3", "8.3.4.1", "8.3.4.2", "8.4.1",
    "8.4.2", "8.4.3", "8.5.1.1", "8.5.1.2", "8.5.1.3", "8.5.2.1", "8.5.2.2", "8.5.2.3", "8.5.3",
    "8.6.1", "8.6.2", "8.6.3", "8.7.1", "8.7.2", "8.7.3.1", "8.7.3.2", "8.7.3.3", "9.1", "9.2",
    "9.3", "9.4", "10.1", "10.2",
];

const WORDS: &[&str] = &[
    "service",
    "availability",
    "incident",
    "change",
    "release",
    "supplier",
    "capacity",
    "continuity",
    "customer",
    "review",
    "approval",
    "record",
    "evidence",
    "target",
    "measure",
    "report",
    "risk",
    "control",
    "backup",
    "restore",
    "network",
    "identity",
    "access",
    "monitoring",
    "escalation",
    "priority",
    "resolution",
    "request",
    "problem",
    "known",
    "error",
    "configuration",
    "asset",
    "budget",
    "demand",
    "agreement",
    "level",
    "objective",
    "improvement",
    "audit",
    "management",
    "quarterly",
    "monthly",
    "weekly",
    "within",
    "hours",
    "minutes",
    "agreed",
    "documented",
    "owner",
    "team",
    "desk",
];

/// Code blocks by language: templates of snippets as documents adapt them,
/// `{w}` a word, `{n}` a number (each filled afresh). Structure lines recur
/// from block to block (as in real repositories: `done`, `GROUP BY ...`,
/// blank lines); lines with values mostly do not.
const CODE: &[(&str, &str)] = &[
    (
        "yaml",
        "thresholds:\n  cpu_warning: {n}\n  cpu_critical: {n}\n  disk_free_min_gb: {n}\nnotify:\n  - {w}-desk@example.org\n  - {w}-{w}@example.org\nwindow: {n}m\n",
    ),
    (
        "bash",
        "#!/usr/bin/env bash\nset -euo pipefail\nfor db in {w} {w} {w}; do\n  pg_dump \"$db\" | gzip > \"/backup/{w}/$db-$(date +%F).sql.gz\"\ndone\nfind /backup/{w} -mtime +{n} -delete\necho \"{w} backup done\"\n",
    ),
    (
        "sql",
        "SELECT service_id,\n       COUNT(*) AS {w}_incidents,\n       AVG(resolved_at - opened_at) AS mean_time_to_{w}\nFROM {w}_incidents\nWHERE priority = 'P{n}'\n  AND opened_at >= DATE '2026-10-{n}'\nGROUP BY service_id\nORDER BY {w}_incidents DESC;\n",
    ),
    (
        "python",
        "import csv\n\ndef {w}_breaches(path, target={n}.9):\n    with open(path) as f:\n        for row in csv.DictReader(f):\n            if float(row['{w}']) < target:\n                yield row['service'], row['{w}']\n\nprint(list({w}_breaches('{w}-{n}.csv')))\n",
    ),
    (
        "json",
        "{\n  \"service\": \"{w}-{n}\",\n  \"window_minutes\": {n},\n  \"approvers\": [\"CAB\", \"{w} owner\"],\n  \"rollback\": true,\n  \"risk\": \"{w}\",\n  \"tests\": [\"{w}\", \"{w}\"]\n}\n",
    ),
];

/// The date `days` after 2024-12-01 (the generator's dates are around the
/// benchmark's build date, 2026-12-01).
fn day(days: usize) -> String {
    let d = jiff::civil::date(2024, 12, 1)
        .checked_add(jiff::Span::new().days(days as i64))
        .unwrap_or(jiff::civil::date(2024, 12, 1));
    d.to_string()
}

/// Audit `k`: three leaf clauses in scope (consecutive, from a multiple of
/// three: every clause is in some audit of the last year once there are
/// 73 audits); `k % 4` 0 or 1: performed in the last year, 2: the year
/// before, 3: planned. Every fifth performed audit finds its first clause
/// nonconforming (nonconformity `k / 5` records it).
fn audit_fields(k: usize, processes: &[Doc]) -> String {
    let leaves: Vec<&str> = (0..3).map(|t| LEAVES[(3 * k + t) % LEAVES.len()]).collect();
    let scope: Vec<String> = leaves.iter().map(|l| format!("ISO20000-1:{l}")).collect();
    let auditor = format!("Auditor {}", k % 7);
    let kind = if k % 10 == 9 {
        "certification"
    } else {
        "internal"
    };
    let mut f = format!(
        "audit_type: {kind}\nauditors: [{auditor}]\nauditees: [SMS manager]\nscope: [{}]\n",
        scope.join(", ")
    );
    let performed = match k % 4 {
        0 | 1 => Some(369 + (k * 7) % 355),
        2 => Some(10 + (k * 7) % 355),
        _ => None,
    };
    match performed {
        None => {
            let _ = writeln!(f, "planned_on: {}", day(740 + k % 60));
        }
        Some(p) => {
            let _ = writeln!(
                f,
                "planned_on: {}\nperformed_on: {}\nresults:",
                day(p - 2),
                day(p)
            );
            for (t, s) in scope.iter().enumerate() {
                let result = if t == 0 && k.is_multiple_of(5) {
                    "nonconforming"
                } else {
                    "conforming"
                };
                let ev = &processes[(3 * k + t) % processes.len()].id;
                let _ = writeln!(
                    f,
                    "  - {{req: {s}, result: {result}, evidence: [{ev}], note: \"Sampled {} records\"}}",
                    10 + t
                );
            }
        }
    }
    f
}

/// Nonconformity `j`: raised from audit `5 j` when that audit found its
/// first clause nonconforming, else from an incident review; open with
/// actions planned, awaiting verification, or closed and verified.
fn nonconformity_fields(j: usize, audits: usize) -> String {
    let a = 5 * j;
    let from_audit = a < audits && a % 4 < 3;
    let req = LEAVES[(3 * a) % LEAVES.len()];
    let (source, req) = if from_audit {
        (format!("audit: AUD-{a:05}"), req)
    } else {
        (
            "source: Incident review".to_string(),
            LEAVES[j % LEAVES.len()],
        )
    };
    let grade = ["minor", "minor", "observation", "minor", "improvement"][j % 5];
    let raised = if from_audit && a % 4 == 2 {
        20 + (a * 7) % 355
    } else {
        380 + (j * 3) % 300
    };
    let mut f = format!(
        "grade: {grade}\nraised_on: {}\n{source}\nrequirements: [ISO20000-1:{req}]\nroot_cause: A step depended on memory.\ncorrection: The records were corrected.\n",
        day(raised)
    );
    match j % 3 {
        0 => {
            let _ = writeln!(
                f,
                "state: closed\nactions:\n  - {{action: Add the step to the tool, owner: SMS manager, due_by: {}, done_on: {}}}\neffectiveness: {{verified_by: Auditor {}, verified_on: {}, result: effective}}\nclosed_on: {}",
                day(raised + 30),
                day(raised + 20),
                j % 7,
                day(raised + 25),
                day(raised + 25)
            );
        }
        1 => {
            let _ = writeln!(
                f,
                "state: open\nactions:\n  - {{action: Add the step to the tool, owner: SMS manager, due_by: {}}}",
                day(740 + j % 90)
            );
        }
        _ => {
            let _ = writeln!(
                f,
                "state: open\nactions:\n  - {{action: Add the step to the tool, owner: SMS manager, due_by: {}, done_on: {}}}",
                day(raised + 30),
                day(raised + 10)
            );
        }
    }
    f
}

/// A code template with its `{w}` and `{n}` filled.
fn fill(template: &str, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(t) = tail.strip_prefix("{w}") {
            out.push_str(rng.word());
            rest = t;
        } else if let Some(t) = tail.strip_prefix("{n}") {
            let _ = write!(out, "{}", 1 + rng.below(99));
            rest = t;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

#[derive(Clone)]
struct Doc {
    id: String,
    title: String,
    kind: &'static str,
    folder: &'static str,
    file: String,
    record: bool,
}

fn main() {
    let mut docs_n = 1000usize;
    let mut out: Option<PathBuf> = None;
    let mut hugo: Option<PathBuf> = None;
    let mut code_every = 10usize;
    let mut customers = 0usize;
    let mut ops = Ops::default();
    let mut measure_months = 0u32;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--docs" => docs_n = v.parse().unwrap_or(1000),
            "--out" => out = Some(PathBuf::from(v)),
            "--hugo" => hugo = Some(PathBuf::from(v)),
            "--code-every" => code_every = v.parse().unwrap_or(10).max(1),
            "--customers" => customers = v.parse().unwrap_or(0),
            "--audits" => ops.audits = v.parse().unwrap_or(0),
            "--nonconformities" => ops.nonconformities = v.parse().unwrap_or(0),
            "--measure-months" => measure_months = v.parse().unwrap_or(0),
            other => {
                eprintln!(
                    "unknown argument {other}; usage: gen_sms --docs N --out DIR [--hugo DIR] [--code-every K] [--customers N] [--audits A] [--nonconformities M] [--measure-months M]"
                );
                std::process::exit(2);
            }
        }
        i += 2;
    }
    let Some(out) = out else {
        eprintln!(
            "usage: gen_sms --docs N --out DIR [--hugo DIR] [--code-every K] [--customers N] [--audits A] [--nonconformities M] [--measure-months M]"
        );
        std::process::exit(2);
    };
    let done = generate(
        docs_n,
        &out,
        hugo.as_deref(),
        code_every,
        ops,
        measure_months,
    )
    .and_then(|services| relationship(&out, &services, customers));
    if let Err(e) = done {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// How many audits and nonconformities among the documents.
#[derive(Clone, Copy, Default)]
struct Ops {
    audits: usize,
    nonconformities: usize,
}

/// Writes the repository; returns the services' ids.
fn generate(
    n: usize,
    out: &Path,
    hugo: Option<&Path>,
    code_every: usize,
    ops: Ops,
    measure_months: u32,
) -> std::io::Result<Vec<String>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let n_services = match measure_months {
        0 => (n / 20).max(8),
        _ => (n / 10).max(8),
    };
    let n_suppliers = (n / 50).max(3);
    let n_plans = n_services.div_ceil(4);
    let n_processes = 30usize;
    let n_policies = (n / 100).max(5);
    let fixed = n_services * 2 + n_suppliers * 2 + n_plans + n_processes + n_policies;
    let rest = n.saturating_sub(fixed);
    let n_procedures = rest / 8;
    let n_risks = rest / 16;
    let n_objectives = rest / 40;
    let n_reports = rest / 16;
    let n_records = (rest - n_procedures - n_risks - n_objectives - n_reports)
        .saturating_sub(ops.audits + ops.nonconformities);

    let mut docs: Vec<Doc> = Vec::with_capacity(n);
    let mut add = |prefix: &str,
                   kind: &'static str,
                   folder: &'static str,
                   count: usize,
                   record: bool,
                   title: &str| {
        for i in 0..count {
            let id = format!("{prefix}-{i:05}");
            let ext = if record { "yaml" } else { "md" };
            docs.push(Doc {
                file: format!("{folder}/{}.{ext}", id.to_lowercase()),
                id,
                title: format!("{title} {i}"),
                kind,
                folder,
                record,
            });
        }
    };
    add("SVC", "service", "services", n_services, true, "Service");
    add(
        "SLA",
        "sla",
        "slas",
        n_services,
        false,
        "Service level agreement",
    );
    add(
        "SUP",
        "supplier",
        "suppliers",
        n_suppliers,
        true,
        "Supplier",
    );
    add(
        "CON",
        "contract",
        "contracts",
        n_suppliers,
        true,
        "Contract",
    );
    add(
        "BCP",
        "continuity-plan",
        "continuity",
        n_plans,
        false,
        "Continuity plan",
    );
    add("PRC", "process", "processes", n_processes, false, "Process");
    add("POL", "policy", "policies", n_policies, false, "Policy");
    add(
        "PROC",
        "procedure",
        "procedures",
        n_procedures,
        false,
        "Procedure",
    );
    add("RSK", "risk", "risks", n_risks, true, "Risk");
    add(
        "OBJ",
        "objective",
        "objectives",
        n_objectives,
        false,
        "Objective",
    );
    add(
        "RPT",
        "report",
        "reports",
        n_reports,
        false,
        "Service report",
    );
    add("REC", "record", "records", n_records, false, "Record");
    add("AUD", "audit", "audits", ops.audits, true, "Internal audit");
    add(
        "NC",
        "nonconformity",
        "nonconformities",
        ops.nonconformities,
        true,
        "Nonconformity",
    );

    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out)?;
    fs::write(
        out.join("sms.yaml"),
        format!(
            "name: Synthetic SMS\norganisation: Benchmark Ltd\nscope: A synthetic repository for benchmarks.\nrequirements:\n  - ISO20000-1\nfolders:\n  services: service\n  slas: sla\n  suppliers: supplier\n  contracts: contract\n  continuity: continuity-plan\n  processes: process\n  policies: policy\n  procedures: procedure\n  risks: risk\n  objectives: objective\n  reports: report\n  records: record\n{}",
            if ops.audits + ops.nonconformities > 0 {
                "  audits: audit\n  nonconformities: nonconformity\n"
            } else {
                ""
            }
        ),
    )?;
    let by_kind = |k: &str| {
        docs.iter()
            .filter(|d| d.kind == k)
            .cloned()
            .collect::<Vec<_>>()
    };
    let services = by_kind("service");
    let suppliers = by_kind("supplier");
    let processes = by_kind("process");
    let mut folders: Vec<&str> = docs.iter().map(|d| d.folder).collect();
    folders.sort();
    folders.dedup();
    for f in &folders {
        fs::create_dir_all(out.join(f))?;
    }
    if let Some(h) = hugo {
        let _ = fs::remove_dir_all(h);
        fs::create_dir_all(h.join("layouts/_default"))?;
        fs::write(
            h.join("hugo.toml"),
            "baseURL = 'http://example.org/'\ntitle = 'Synthetic SMS'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap']\n[markup.highlight]\n  noClasses = false\n",
        )?;
        fs::write(
            h.join("layouts/_default/single.html"),
            "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n",
        )?;
        fs::write(
            h.join("layouts/_default/list.html"),
            "<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n",
        )?;
        for f in &folders {
            fs::create_dir_all(h.join("content").join(f))?;
        }
    }

    let index: std::collections::HashMap<&str, (String, String)> = docs
        .iter()
        .map(|x| {
            (
                x.id.as_str(),
                (
                    x.title.clone(),
                    format!("/{}/{}/", x.folder, x.id.to_lowercase()),
                ),
            )
        })
        .collect();
    for (i, d) in docs.iter().enumerate() {
        let month = 1 + i % 10;
        let day = 1 + i % 27;
        let mut front = format!(
            "id: {}\ntitle: {}\nowner: {} owner\nversion: \"1.{}\"\nstatus: approved\napproved_by: Management board\napproved_on: 2026-{month:02}-{day:02}\nreview_by: 2027-{month:02}-{day:02}\n",
            d.id,
            d.title,
            d.kind,
            i % 7
        );
        // Coverage: the processes cover every leaf; others add one or two clauses.
        let mut sat: Vec<&str> = Vec::new();
        if d.kind == "process" {
            let k = processes.iter().position(|p| p.id == d.id).unwrap_or(0);
            sat.extend(
                LEAVES
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| j % n_processes == k)
                    .map(|(_, l)| *l),
            );
        } else if rng.below(3) > 0 {
            sat.push(LEAVES[rng.below(LEAVES.len())]);
        }
        if !sat.is_empty() {
            let _ = writeln!(
                front,
                "satisfies: [{}]",
                sat.iter()
                    .map(|s| format!("ISO20000-1:{s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        match d.kind {
            "service" => {
                let k: usize = d.id[4..].parse().unwrap_or(0);
                let crit = ["low", "medium", "high", "critical"][k % 4];
                let _ = writeln!(front, "criticality: {crit}");
                if k > 0 {
                    let _ = writeln!(front, "depends_on: [{}]", services[rng.below(k)].id);
                }
                let _ = writeln!(
                    front,
                    "suppliers: [{}]\ncustomers: [Operations, Finance]",
                    suppliers[k % suppliers.len()].id
                );
            }
            "sla" if measure_months > 0 => {
                let _ = writeln!(front, "service: {}\ntargets:", d.id.replace("SLA", "SVC"));
                for (metric, target, unit, better, _, _) in METRICS {
                    let _ = writeln!(
                        front,
                        "  - {{metric: {metric}, target: {target}, unit: \"{unit}\", better: {better}}}"
                    );
                }
            }
            "sla" => {
                let _ = writeln!(
                    front,
                    "service: {}\ntargets:\n  - {{metric: availability, target: 99.9, unit: \"%\", period: calendar month}}\n  - {{metric: P1 response, target: 15, unit: min}}",
                    d.id.replace("SLA", "SVC")
                );
            }
            "supplier" => {
                let _ = writeln!(front, "contracts: [{}]", d.id.replace("SUP", "CON"));
            }
            "contract" => {
                let _ = writeln!(
                    front,
                    "supplier: {}\nexpires_on: 2028-06-30",
                    d.id.replace("CON", "SUP")
                );
            }
            "continuity-plan" => {
                let k: usize = d.id[4..].parse().unwrap_or(0);
                let covers: Vec<&str> = services
                    .iter()
                    .skip(k * 4)
                    .take(4)
                    .map(|s| s.id.as_str())
                    .collect();
                let _ = writeln!(
                    front,
                    "covers: [{}]\nrto: 4h\nrpo: 1h\nlast_tested: 2026-0{}-15",
                    covers.join(", "),
                    3 + k % 6
                );
            }
            "process" | "procedure" => {
                let _ = writeln!(
                    front,
                    "process_owner: SMS manager\ninputs: [requests, incidents]\noutputs: [records]"
                );
            }
            "audit" => front.push_str(&audit_fields(d.id[4..].parse().unwrap_or(0), &processes)),
            "nonconformity" => front.push_str(&nonconformity_fields(
                d.id[3..].parse().unwrap_or(0),
                ops.audits,
            )),
            _ => {}
        }
        // Body.
        let target = &docs[rng.below(docs.len())];
        let target2 = &services[rng.below(services.len())];
        let proc_ = &processes[rng.below(processes.len())];
        let mut body = format!("# {}\n\n## Purpose\n\n", d.title);
        for s in 0..3 {
            let mut sentence = String::new();
            for w in 0..14 {
                sentence.push_str(rng.word());
                sentence.push(if w == 13 { '.' } else { ' ' });
            }
            body.push_str(&sentence);
            body.push(' ');
            if s == 1 {
                let _ = write!(
                    body,
                    "See [[{}]] and [[{}|the service]]. ",
                    target.id, target2.id
                );
            }
        }
        body.push_str(
            "\n\n## Responsibilities\n\n| Role | Responsibility | Frequency |\n|---|---|---|\n",
        );
        for _ in 0..4 {
            let _ = writeln!(
                body,
                "| {} {} | {} the {} {} | {} |",
                rng.word(),
                rng.word(),
                rng.word(),
                rng.word(),
                rng.word(),
                ["daily", "weekly", "monthly", "quarterly"][rng.below(4)]
            );
        }
        let rel = if d.folder == "processes" {
            format!("{}.md", proc_.id.to_lowercase())
        } else {
            format!("../processes/{}.md", proc_.id.to_lowercase())
        };
        let _ = write!(
            body,
            "\n## Related\n\nThe activities follow [the process]({rel}#purpose); clause [[ISO20000-1:{}]] applies.\n",
            LEAVES[rng.below(LEAVES.len())]
        );
        if i % code_every == 0 {
            // Every block differs (it names its document, and its values
            // vary), so no cache of blocks can skip highlighting.
            let (lang, template) = CODE[rng.below(CODE.len())];
            let code = fill(template, &mut rng);
            let code = match lang {
                "sql" => format!("-- {}\n{code}", d.id),
                "json" => code.replacen('{', &format!("{{\n  \"id\": \"{}\",", d.id), 1),
                _ => format!("# {}\n{code}", d.id),
            };
            let _ = write!(body, "\n## Example\n\n```{lang}\n{code}```\n");
        }
        let _ = write!(
            body,
            "\n## Records\n\nRecords of this {} are kept for three years and reviewed {}.\n",
            d.kind,
            ["monthly", "quarterly"][i % 2]
        );

        let path = out.join(&d.file);
        if d.record {
            let indented: String = body
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        "\n".to_string()
                    } else {
                        format!("  {l}\n")
                    }
                })
                .collect();
            fs::write(path, format!("{front}body: |\n{indented}"))?;
        } else {
            fs::write(path, format!("---\n{front}---\n\n{body}"))?;
        }
        if let Some(h) = hugo {
            let title_of = |id: &str| index.get(id).cloned();
            let mut hb = String::with_capacity(body.len());
            let mut rest = body.as_str();
            while let Some(s) = rest.find("[[") {
                hb.push_str(&rest[..s]);
                let Some(e) = rest[s..].find("]]") else { break };
                let inner = &rest[s + 2..s + e];
                let (id, text) = inner
                    .split_once('|')
                    .map(|(a, b)| (a, Some(b)))
                    .unwrap_or((inner, None));
                match title_of(id) {
                    Some((t, url)) => {
                        let _ = write!(hb, "[{}]({url})", text.unwrap_or(&t));
                    }
                    None => hb.push_str(id),
                }
                rest = &rest[s + e + 2..];
            }
            hb.push_str(rest);
            let hb = hb
                .replace("../processes/", "/processes/")
                .replace(".md#", "/#");
            let hb = hb.replace(
                &format!("]({}/#", proc_.id.to_lowercase()),
                &format!("](/processes/{}/#", proc_.id.to_lowercase()),
            );
            fs::write(
                h.join("content")
                    .join(d.folder)
                    .join(format!("{}.md", d.id.to_lowercase())),
                format!("---\ntitle: \"{}\"\n---\n\n{hb}", d.title),
            )?;
        }
    }
    if measure_months > 0 {
        let slas: Vec<&str> = docs
            .iter()
            .filter(|d| d.kind == "sla")
            .map(|d| d.id.as_str())
            .collect();
        let why = docs
            .iter()
            .find(|d| d.kind == "record")
            .map_or("", |d| d.id.as_str());
        measurements(out, &slas, why, measure_months)?;
    }
    eprintln!("wrote {} documents to {}", docs.len(), out.display());
    Ok(services.into_iter().map(|s| s.id).collect())
}

/// `n` customers, service `k` received by customer `k % n`, each reviewed
/// this autumn, with four complaints each (received through the year, the
/// last one still open, all within the rules' limits on 2026-12-01).
fn relationship(out: &Path, services: &[String], n: usize) -> std::io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let sms = out.join("sms.yaml");
    let text = fs::read_to_string(&sms)?;
    fs::write(
        &sms,
        format!("{text}  customers: customer\n  complaints: complaint\n"),
    )?;
    fs::create_dir_all(out.join("customers"))?;
    fs::create_dir_all(out.join("complaints"))?;
    for c in 0..n {
        let id = format!("CUS-{c:05}");
        let mut received: Vec<&str> = services
            .iter()
            .enumerate()
            .filter(|(k, _)| k % n == c)
            .map(|(_, s)| s.as_str())
            .collect();
        if received.is_empty() {
            // More customers than services: one each, in turn.
            received.extend(services.get(c % services.len().max(1)).map(String::as_str));
        }
        fs::write(
            out.join(format!("customers/{}.yaml", id.to_lowercase())),
            format!(
                "id: {id}\ntitle: Customer {c}\nowner: Business relationship manager\nstatus: approved\napproved_by: Management board\napproved_on: 2026-03-02\nreview_by: 2027-03-31\nrelationship_manager: Manager {}\nservices: [{}]\nlast_service_review: 2026-{:02}-{:02}\nbody: |\n  ## Service reviews\n\n  Quarterly, on the service report.\n",
                c % 7,
                received.join(", "),
                9 + c % 3,
                1 + c % 27
            ),
        )?;
        for k in 0..4 {
            let cid = format!("CMP-{c:05}-{k}");
            let service = received[k % received.len()];
            let month = 2 + k * 3; // February, May, August, November
            let day = 1 + (c + k) % 27;
            let state = if k == 3 {
                format!("received_on: 2026-11-{:02}\nstate: open\n", 10 + c % 20)
            } else {
                format!(
                    "received_on: 2026-{month:02}-{day:02}\nstate: closed\nclosed_on: 2026-{:02}-{day:02}\nresolution: Fixed and confirmed with the customer.\n",
                    month + 1
                )
            };
            fs::write(
                out.join(format!("complaints/{}.yaml", cid.to_lowercase())),
                format!(
                    "id: {cid}\ntitle: Complaint {k} of customer {c}\ncustomer: {id}\nservice: {service}\n{state}"
                ),
            )?;
        }
    }
    eprintln!("wrote {n} customers and {} complaints", n * 4);
    Ok(())
}

/// The SLA targets of `--measure-months`: (metric, target, unit, better),
/// and the values written: a met one (plus a little that varies), a miss.
const METRICS: [(&str, f64, &str, &str, f64, f64); 4] = [
    ("availability", 99.9, "%", "higher", 99.9, 99.41),
    ("P1 response", 15.0, "min", "lower", 9.0, 22.0),
    ("P2 response", 60.0, "min", "lower", 41.0, 75.0),
    ("first-time fix", 80.0, "%", "higher", 80.5, 76.5),
];

/// `measurements/YYYY-MM.csv` for the `months` months up to 2026-11: every
/// target of every SLA, one value in 20 missing its target and explained
/// by `why` (a record), with a quoted note.
fn measurements(out: &Path, slas: &[&str], why: &str, months: u32) -> std::io::Result<()> {
    let dir = out.join("measurements");
    fs::create_dir_all(&dir)?;
    let last: u32 = 2026 * 12 + 10; // 2026-11, as months since year 0
    for k in 0..months {
        let index = last.saturating_sub(months - 1 - k);
        let period = format!("{:04}-{:02}", index / 12, index % 12 + 1);
        let mut text = String::from("period,sla,metric,value,explained_by,note\n");
        for (i, sla) in slas.iter().enumerate() {
            for (t, (metric, _, _, _, met, missed)) in METRICS.iter().enumerate() {
                let miss = (i + t + k as usize).is_multiple_of(20);
                let value = match miss {
                    true => *missed,
                    false => met + ((i + k as usize) % 10) as f64 / 100.0,
                };
                let (by, note) = match miss {
                    true => (why, "\"Supplier outage, 3 h 20 min\""),
                    false => ("", ""),
                };
                let _ = writeln!(text, "{period},{sla},{metric},{value:.2},{by},{note}");
            }
        }
        fs::write(dir.join(format!("{period}.csv")), text)?;
    }
    Ok(())
}
