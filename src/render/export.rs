//! Exports beside a page: the same rows as CSV (a header, then a record
//! per row) and as JSON, each written straight into its file, each in a
//! task of its own. Every table of the site that has exports (register,
//! matrices, registers of records) writes them through [`export`].

use std::io::Write;

use serde::Serialize;

use super::Sink;
use crate::address;

/// The one CSV writer of the exports (the crate's defaults).
pub type CsvWriter<'w> = csv::Writer<&'w mut dyn std::io::Write>;

/// Writes the CSV (a header, then a record per row) and the JSON (the rows)
/// beside `page`, each straight into its file, each in a task of `scope`.
pub fn export<'s, T: Serialize + Sync, H: AsRef<[u8]> + Sync>(
    scope: &rayon::Scope<'s>,
    sink: &'s dyn Sink,
    page: &'static str,
    header: &'s [H],
    rows: &'s [T],
    record: fn(&T, &mut CsvWriter) -> csv::Result<()>,
) {
    scope.spawn(move |_| {
        sink.stream(&address::beside(page, "csv"), &mut |w| {
            let mut c = csv::Writer::from_writer(w);
            c.write_record(header)?;
            for r in rows {
                record(r, &mut c)?;
            }
            c.flush()
        })
    });
    scope.spawn(move |_| {
        sink.stream(&address::beside(page, "json"), &mut |w| {
            let mut b = std::io::BufWriter::with_capacity(1 << 16, w);
            serde_json::to_writer_pretty(&mut b, rows)?;
            b.write_all(b"\n")?;
            b.flush()
        })
    });
}
