//! The monthly cycle of a street office, month over month: 柳巷街道's registers of July (stations
//! and workers as .xlsx under a title row and a two-row merged header, with a 合计 row and Excel
//! damage) and the platform's exports (check-ins as GBK CSV, points as .xlsx, the office's
//! volunteer-service register as CSV), then August's — the workers register again with one
//! 手机号 changed, one person gone and one new, exports overlapping July's last days. Every
//! figure of both months is checked against the test's own count of the data it wrote the
//! files from; re-importing July's exports after August changes nothing.

pub(crate) mod liuxiang;
mod month_over_month;
mod tally;
