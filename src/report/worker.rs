//! `report worker`: one worker's history.
