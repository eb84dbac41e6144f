//! Measurement CSV files: reading (`measure::read`) and checking
//! (`measure::check`). The checks live in `tests/fuzz_logic/mod.rs`, shared
//! with `tests/fuzz_regressions.rs`.
#![no_main]

#[path = "../../tests/fuzz_logic/mod.rs"]
mod logic;

libfuzzer_sys::fuzz_target!(|data: &[u8]| logic::measurements(data));
