//! 暖蜂 nuanfeng: a registry of courier stations, delivery workers, check-ins (报到) and
//! volunteer points over one local SQLite file, for the party-building instructors
//! (党建工作指导员) of a district.
//!
//! The pipeline: `import` (read → map headers → normalize → validate) feeds the loaders of
//! `db`, which hold every SQL statement; `report` computes figures once and renders them in
//! any format; `commands` are the command-line surface over all of it.

pub mod cli;
pub mod commands;
pub mod db;
pub mod divisions;
pub mod import;
pub mod model;
pub mod report;
pub mod testhook;
