//! CSV (to come).
