//! Times reading and checking measurements: 1,000 SLAs × 4 targets × 36
//! months = 144,000 rows, made in memory as one CSV file per month (or
//! one file in all with `--one-file`), then `measure::read_all` and
//! `measure::check`, best and median of 15 runs. Besides wall-clock
//! time, the CPU time of the process's threads (Linux: their schedstat),
//! which other processes sharing the cores change far less.
//!
//! ```sh
//! cargo run --release --example measure_cost
//! cargo run --release --example measure_cost -- --one-file
//! ```

use std::collections::HashMap;
use std::fmt::Write;
use std::time::{Duration, Instant};

use smsite::diag::Pos;
use smsite::measure::{self, Better, Goal, Month, SlaTargets, Target};

// The allocator the `smsite` binary uses.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SLAS: usize = 1000;
const MONTHS: u32 = 36;
const METRICS: [(&str, f64, Better); 4] = [
    ("availability", 99.9, Better::Higher),
    ("P1 response", 15.0, Better::Lower),
    ("P2 response", 60.0, Better::Lower),
    ("first-time fix", 80.0, Better::Higher),
];

fn slas() -> Vec<SlaTargets> {
    (0..SLAS)
        .map(|i| SlaTargets {
            id: format!("SLA-{i:04}"),
            file: format!("slas/sla-{i:04}.md"),
            targets: METRICS
                .iter()
                .enumerate()
                .map(|(t, (metric, goal, better))| Target {
                    metric: metric.to_string(),
                    target: Goal::Number(*goal),
                    unit: None,
                    better: Some(*better),
                    metric_pos: Pos::new(8 + t, 13),
                })
                .collect(),
        })
        .collect()
}

/// One month's rows: every SLA and target; one value in 20 misses, half
/// of those explained, with a quoted note.
fn month_rows(out: &mut String, m: Month, k: u32) {
    for i in 0..SLAS {
        for (t, (metric, goal, better)) in METRICS.iter().enumerate() {
            let miss = (i + t + k as usize).is_multiple_of(20);
            let off = if miss { 1.5 } else { -0.5 };
            let value = match better {
                Better::Higher => goal - off,
                Better::Lower => goal + off,
            };
            let (why, note) = match miss && i % 2 == 0 {
                true => ("INC-2026-0001", "\"Gateway certificate expired, 4 h\""),
                false => ("", ""),
            };
            let _ = writeln!(out, "{m},SLA-{i:04},{metric},{value},{why},{note}");
        }
    }
}

fn files(one_file: bool) -> Vec<(String, Vec<u8>)> {
    let header = "period,sla,metric,value,explained_by,note\n";
    let first = Month {
        year: 2023,
        month: 1,
    };
    let mut all = Vec::new();
    let mut one = String::from(header);
    for k in 0..MONTHS {
        let m = Month::from_index(first.index() + k).unwrap_or(first);
        let mut text = String::from(header);
        month_rows(if one_file { &mut one } else { &mut text }, m, k);
        if !one_file {
            all.push((format!("measurements/{m}.csv"), text.into_bytes()));
        }
    }
    if one_file {
        all.push(("measurements/all.csv".to_string(), one.into_bytes()));
    }
    all
}

fn main() {
    let one_file = std::env::args().any(|a| a == "--one-file");
    let files = files(one_file);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let slas = slas();
    let ids: HashMap<String, usize> = slas
        .iter()
        .map(|s| s.id.clone())
        .chain(["INC-2026-0001".to_string()])
        .enumerate()
        .map(|(i, id)| (id, i))
        .collect();
    let build = Month {
        year: 2026,
        month: 1,
    };
    let (mut reads, mut checks, mut totals, mut cpus) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut summary = String::new();
    for _ in 0..15 {
        let cpu = cpu_time();
        let t = Instant::now();
        let (sheets, read_findings) = measure::read_all(&files);
        let t_read = t.elapsed();
        let rows: usize = sheets.iter().map(|s| s.rows.len()).sum();
        let report = measure::check(sheets, &slas, &ids, build);
        let total = t.elapsed();
        reads.push(t_read);
        checks.push(total - t_read);
        totals.push(total);
        cpus.push(cpu_time().saturating_sub(cpu));
        summary = format!(
            "{rows} rows in {} file(s), {:.1} MB; {} read findings, {} check findings, {} series",
            files.len(),
            bytes as f64 / 1e6,
            read_findings.len(),
            report.findings.len(),
            report.series.len()
        );
    }
    println!("{summary}");
    let parts = [
        ("read", reads),
        ("check", checks),
        ("total", totals),
        ("CPU", cpus),
    ];
    for (name, mut times) in parts {
        times.sort();
        println!(
            "{name:>5}: best {:.1} ms, median {:.1} ms",
            ms(times[0]),
            ms(times[times.len() / 2])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// CPU time of every thread of the process so far (zero where
/// `/proc/self/task/*/schedstat` cannot be read).
fn cpu_time() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(ns)
}
