//! Reports: the per-street figures (`report streets`), the district bulletin (`report
//! district`), organization coverage (`report coverage`), the xlsx workbook, and one
//! worker's history (`report worker`); lists and reports written to files (xlsx, CSV, `-o`)
//! and tables fitted to the terminal.

mod bulletin;
mod coverage;
mod export;
mod language;
mod past;
mod print;
mod seed;
mod streets;
mod workbook;
mod worker;
