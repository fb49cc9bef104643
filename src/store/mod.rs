//! SQL, one module per aggregate. Functions take an executor (a pool or a
//! transaction) and return domain types.

pub mod sessions;
pub mod throttle;
pub mod users;
