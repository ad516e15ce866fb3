//! `merge`: street files brought into a district file. 柳巷街道's registry is built from the
//! registers of the monthly cycle (`crate::cycle::liuxiang`), 文庙街道's from its own
//! ([`wenmiao`]); the district's figures are checked against each street file's own rows.

mod district;
mod wenmiao;
