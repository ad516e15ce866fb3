//! `report district`: the district bulletin.
