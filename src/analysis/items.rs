//! Statistics per question over a class's finished attempts: how many
//! responded, the facility, two measures of discrimination, how often each
//! option was chosen, and the mean time spent. [`super::flags`] judges them.
//!
//! Sums are kept in whole parts of a point ([`Credit::PARTS`]) in integers,
//! so "no spread" is an exact zero and never a NaN from rounding.

use std::collections::HashMap;

use uuid::Uuid;

use super::flags::Flag;
use super::tally::Tallies;
use crate::exam::credit::Credit;
use crate::exam::{Body, Response};

/// A finished attempt, its total score (the sum of the credit of its
/// scored items) and the most those items could earn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub id: Uuid,
    pub total: Credit,
    pub max: Credit,
}

impl Attempt {
    /// Each attempt's total and maximum (a point per response), summed
    /// from its responses: for callers that hold every scored response of
    /// every attempt. In attempt id order.
    pub fn totals(responses: &[ItemResponse]) -> Vec<Attempt> {
        let mut totals: HashMap<Uuid, (Credit, u32)> = HashMap::new();
        for r in responses {
            let (total, count) = totals.entry(r.attempt).or_default();
            *total = *total + r.credit;
            *count += 1;
        }
        let mut attempts: Vec<Attempt> =
            totals.into_iter().map(|(id, (total, count))| Attempt { id, total, max: Credit::points(count) }).collect();
        attempts.sort_by_key(|a| a.id);
        attempts
    }
}

/// One scored response to a question in a finished attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemResponse {
    pub attempt: Uuid,
    pub question: Uuid,
    /// 1 or 0, or part of a point under partial credit.
    pub credit: Credit,
    /// The options chosen, in canonical indices; empty for ordering and
    /// matching items, and for an unanswered item.
    pub chosen: Vec<usize>,
    /// Seconds spent on the item, when known.
    pub seconds: Option<u32>,
}

impl ItemResponse {
    /// The options a response chose, in canonical indices: the chosen
    /// option of a single-answer item, those of a multiple-response item,
    /// none otherwise.
    pub fn chosen_of(response: Option<&Response>) -> Vec<usize> {
        match response {
            Some(Response::Single(option)) => vec![*option],
            Some(Response::Multiple(options)) => options.clone(),
            _ => Vec::new(),
        }
    }
}

/// What the statistics need to know of a question: its options and which
/// of them are keys. Ordering and matching questions have no options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemKey {
    pub question: Uuid,
    pub options: usize,
    pub keys: Vec<usize>,
}

impl ItemKey {
    /// The options and keys of a question's body.
    pub fn of(question: Uuid, body: &Body) -> ItemKey {
        let (options, keys) = match body {
            Body::Single { options, key } => (options.len(), vec![*key]),
            Body::Multiple { options, key } => (options.len(), key.clone()),
            Body::Ordering { .. } | Body::Matching { .. } => (0, Vec::new()),
        };
        ItemKey { question, options, keys }
    }
}

/// How often one option was chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptionCount {
    /// The option's canonical index.
    pub option: usize,
    pub key: bool,
    /// By everyone who responded.
    pub chosen: u32,
    /// By the upper group (see [`ItemStats::upper_lower`]): a fraction
    /// when the band at the group's boundary is shared.
    pub chosen_by_upper: f64,
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStats {
    pub question: Uuid,
    /// Responses to the question: one per attempt that had it.
    pub responses: u32,
    /// The percent right: the mean credit × 100. None with no responses.
    pub facility: Option<f64>,
    /// The corrected item–total correlation: the point-biserial correlation
    /// of the item's credit with the *rest* score, the attempt's total minus
    /// this item (so the item does not correlate with itself):
    ///
    /// ```text
    /// r = (M1 − M0) ÷ s × √(p × q)
    /// ```
    ///
    /// where M1 is the mean rest score of those who got it right, M0 that of
    /// those who got it wrong, s the population standard deviation of the
    /// rest scores (divided by n, not n − 1), p the share right and q = 1 − p.
    /// Under partial credit it is the Pearson correlation of credit and rest
    /// score, which is the same number when every credit is 1 or 0.
    /// From −1 to 1; a good question is well above 0. None when undefined:
    /// fewer than 2 responses, all right, all wrong, or rest scores all equal.
    pub point_biserial: Option<f64>,
    /// The upper–lower index D = p_upper − p_lower: rank those who responded
    /// by score band (the total as permille of the maximum, see
    /// [`super::tally::band`]), take the top 27% and the bottom 27% (27% of
    /// the responses rounded to the nearest whole attempt, a half up, at
    /// least 1), and subtract the lower group's mean credit from the
    /// upper's. Attempts in one band are interchangeable: when a group
    /// needs only some of a band, that band counts pro rata (its credit
    /// times the share needed). From −1 to 1. None with fewer than 2
    /// responses (the groups would be the same attempt).
    pub upper_lower: Option<f64>,
    /// Every option in canonical order; empty for ordering and matching.
    /// A chosen index the question does not have is not counted.
    pub options: Vec<OptionCount>,
    /// The mean seconds spent, over the responses whose time is known.
    pub mean_seconds: Option<f64>,
    pub flags: Vec<Flag>,
}

/// The statistics of each question in `items`, in the same order, over the
/// `responses` whose attempt is in `attempts` (others are left out: their
/// total is unknown). A question nobody had gets zero responses and no
/// numbers. The responses are tallied by band in memory and the tallies
/// give the numbers ([`super::tally`]), exactly as stored tallies would.
pub fn analyse(items: &[ItemKey], attempts: &[Attempt], responses: &[ItemResponse]) -> Vec<ItemStats> {
    let mut by_attempt: HashMap<Uuid, Vec<ItemResponse>> = HashMap::new();
    for r in responses {
        by_attempt.entry(r.attempt).or_default().push(r.clone());
    }
    let mut tallies = Tallies::default();
    for attempt in attempts {
        if let Some(responses) = by_attempt.get(&attempt.id) {
            tallies.add_attempt(attempt.total, attempt.max, responses);
        }
    }
    items.iter().map(|item| tallies.stats(item)).collect()
}

/// The share of responses in each of the upper and lower groups.
pub const GROUP_PERCENT: usize = 27;

/// 27% of `n` rounded to the nearest whole, a half up, and at least 1.
pub fn group_size(n: usize) -> usize {
    ((GROUP_PERCENT * n + 50) / 100).max(1)
}

#[cfg(test)]
mod tests;
