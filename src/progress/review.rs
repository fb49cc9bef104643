//! The spaced review of misses: a Leitner schedule replayed from the
//! learner's answers.

use time::OffsetDateTime;
use uuid::Uuid;

use super::History;

pub const RULE: &str = "TODO";

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewEntry {
    pub question: Uuid,
    pub domain: String,
    /// The Leitner box, from 1.
    #[serde(rename = "box")]
    pub level: u8,
    #[serde(with = "time::serde::rfc3339")]
    pub due: OffsetDateTime,
    /// The last answer was wrong but marked sure.
    pub misconception: bool,
}

/// Every question in the queue, in the order a review takes them.
pub fn queue(_history: &History) -> Vec<ReviewEntry> {
    todo!()
}

/// The entries due at `now`, in the order a review takes them.
pub fn due(queue: &[ReviewEntry], now: OffsetDateTime) -> Vec<&ReviewEntry> {
    queue.iter().filter(|e| e.due <= now).collect()
}
