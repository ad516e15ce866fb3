//! Reports: the per-street figures (`report streets`), the district bulletin (`report
//! district`), organization coverage (`report coverage`), the xlsx workbook, and one
//! worker's history (`report worker`).

mod bulletin;
mod coverage;
mod language;
mod past;
mod print;
mod seed;
mod streets;
mod workbook;
mod worker;
