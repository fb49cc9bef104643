//! The server's clock decides time. Tests move it forward instead of
//! sleeping; in production the offset stays zero.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

#[derive(Clone, Default, Debug)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every server sharing it) forward.
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.whole_milliseconds() as i64, Ordering::Relaxed);
    }
}
