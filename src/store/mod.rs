//! SQL, one module per aggregate. Functions take an executor (a pool or a
//! transaction) and return domain types.

pub mod assignments;
pub mod attempts;
pub mod exams;
pub mod groups;
pub mod imports;
pub mod item_page;
pub mod item_tallies;
pub mod misses;
pub mod progress;
pub mod questions;
pub mod report_inbox;
pub mod reports;
pub mod sessions;
pub mod standings;
pub mod throttle;
pub mod tokens;
pub mod uploads;
pub mod users;
