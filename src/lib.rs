//! 暖蜂 nuanfeng: a registry of courier stations, delivery workers, check-ins (报到) and
//! volunteer points over one local SQLite file, for the party-building instructors
//! (党建工作指导员) of a district.
//!
//! Layers import downward only: `cli` → `commands` → {`import`, `report`, `db`} → `model`,
//! and `report` → `db`. `import` (read → map headers → normalize → validate) pushes records
//! into a sink (`model::sink`) that `db` implements; `db` holds every SQL statement; `report`
//! computes figures once and renders them in any format. `outfile` (files written whole or not
//! at all) and `testhook` sit beside the layers, used by any of them and using none. The
//! README's "代码结构" ("How the code is laid out" in README.en.md) maps the files.
//!
//! The library exists for the binary: its public surface is [`cli`] (the command line and
//! its dispatch), [`exit`] (what `main` needs to end a run) and, hidden, [`internals`]: the
//! pieces the integration tests and the fuzz target check directly. Everything else is
//! private, so that the compiler reports what nothing uses.

rust_i18n::i18n!("locales", fallback = "en");

pub mod cli;
mod commands;
mod db;
mod divisions;
pub mod i18n;
mod import;
mod model;
mod outfile;
mod report;
mod testhook;

/// What the binary's `main` needs to end a run: the errors that set the exit code, and how
/// a message is made safe to print.
pub mod exit {
    pub use crate::commands::{Silent, UsageError};
    pub use crate::import::workbook::reading_workbook;
    pub use crate::model::{io_error_kind, mask_all_numbers, mask_numbers, terminal_safe};
}

/// The internals that the integration tests (`tests/`) and the fuzz target (`fuzz/`) check
/// directly: the register pipeline without a database, the ledger's writer and check, the
/// schema. Not an interface of the program.
#[doc(hidden)]
pub mod internals {
    /// The register pipeline: reading, headers, validation (`crate::import`).
    pub mod import {
        pub use crate::import::header::{HeaderMap, specs};
        pub use crate::import::read::{CsvRows, EncodingChoice, RawRow, SharedHash};
        pub use crate::import::validate;
        pub use crate::import::workbook::reading_workbook;
        pub use crate::import::{Checked, check_register};
    }

    /// The registry: schema, ledger, membership counts (`crate::db`).
    pub mod db {
        pub use crate::db::check::schema_objects;
        pub use crate::db::in_lists::expand_in_lists;
        pub use crate::db::ledger;
        pub use crate::db::membership::{StageCounts, admitted, stage_counts};
        pub use crate::db::{SCHEMA_SQL, SCHEMA_VERSION};
    }

    /// The vocabulary (`crate::model`).
    pub mod model {
        pub use crate::model::{
            IdNumber, Phone, PointCategory, PointRecord, Points, RegisterKind, StoreError,
            WorkerRef, id_check_char, mask_numbers, normalize,
        };
    }

    pub use crate::commands::pii_command_line;

    /// Every key of the message catalogue (`locales/*.yml`) with its text in `locale` (`zh`
    /// or `en`), sorted by key: for the catalogue's tests (`tests/cli/catalogue.rs`).
    pub fn catalogue(locale: &str) -> Vec<(String, String)> {
        let mut all: Vec<(String, String)> = crate::_rust_i18n_backend()
            .messages_for_locale(locale)
            .unwrap_or_default()
            .into_iter()
            .map(|(key, text)| (key.into_owned(), text.into_owned()))
            .collect();
        all.sort();
        all
    }
}
