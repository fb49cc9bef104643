//! Statistics per question over a class's finished attempts: how many
//! responded, the facility, two measures of discrimination, how often each
//! option was chosen, and the mean time spent. [`super::flags`] judges them.
//!
//! Sums are kept in whole parts of a point ([`Credit::PARTS`]) in integers,
//! so "no spread" is an exact zero and never a NaN from rounding.

use std::collections::HashMap;

use uuid::Uuid;

use super::flags::{self, Flag};
use crate::exam::Body;
use crate::exam::credit::Credit;

/// A finished attempt and its total score: the sum of the credit of its
/// scored items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub id: Uuid,
    pub total: Credit,
}

impl Attempt {
    /// Each attempt's total, summed from its responses: for callers that
    /// hold every scored response of every attempt. In attempt id order.
    pub fn totals(responses: &[ItemResponse]) -> Vec<Attempt> {
        let mut totals: HashMap<Uuid, Credit> = HashMap::new();
        for r in responses {
            let total = totals.entry(r.attempt).or_default();
            *total = *total + r.credit;
        }
        let mut attempts: Vec<Attempt> = totals.into_iter().map(|(id, total)| Attempt { id, total }).collect();
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionCount {
    /// The option's canonical index.
    pub option: usize,
    pub key: bool,
    /// By everyone who responded.
    pub chosen: u32,
    /// By the upper group (see [`ItemStats::upper_lower`]).
    pub chosen_by_upper: u32,
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
    /// by total score, take the top 27% and the bottom 27% (27% of the
    /// responses rounded to the nearest whole attempt, a half up, at least
    /// 1), and subtract the lower group's mean credit from the upper's.
    /// Equal totals are ranked by attempt id, the larger id higher, so the
    /// groups are the same every time. From −1 to 1. None with fewer than 2
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
/// numbers.
pub fn analyse(items: &[ItemKey], attempts: &[Attempt], responses: &[ItemResponse]) -> Vec<ItemStats> {
    let totals: HashMap<Uuid, Credit> = attempts.iter().map(|a| (a.id, a.total)).collect();
    let mut by_question: HashMap<Uuid, Vec<Row>> = HashMap::new();
    for r in responses {
        if let Some(total) = totals.get(&r.attempt) {
            by_question.entry(r.question).or_default().push(Row { total: *total, response: r });
        }
    }
    items.iter().map(|item| stats(item, by_question.remove(&item.question).unwrap_or_default())).collect()
}

/// A response with its attempt's total.
struct Row<'a> {
    total: Credit,
    response: &'a ItemResponse,
}

impl Row<'_> {
    fn credit(&self) -> i128 {
        i128::from(self.response.credit.parts())
    }

    /// The attempt's total without this item, in parts.
    fn rest(&self) -> i128 {
        i128::from(self.total.parts()) - self.credit()
    }
}

fn stats(item: &ItemKey, mut rows: Vec<Row>) -> ItemStats {
    // Lowest total first; see `ItemStats::upper_lower` for the tie rule.
    rows.sort_by_key(|r| (r.total, r.response.attempt));
    let n = rows.len();
    let group = group_size(n);
    let upper = &rows[n - group.min(n)..];
    let lower = &rows[..group.min(n)];

    let mut options: Vec<OptionCount> = (0..item.options)
        .map(|option| OptionCount { option, key: item.keys.contains(&option), chosen: 0, chosen_by_upper: 0 })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        for &c in &row.response.chosen {
            if let Some(o) = options.get_mut(c) {
                o.chosen += 1;
                o.chosen_by_upper += u32::from(i >= n - group.min(n));
            }
        }
    }

    let seconds: Vec<u32> = rows.iter().filter_map(|r| r.response.seconds).collect();
    let mut stats = ItemStats {
        question: item.question,
        responses: n as u32,
        facility: mean_credit(&rows).map(|m| 100.0 * m),
        point_biserial: point_biserial(&rows),
        upper_lower: if n < 2 {
            None
        } else {
            Some(mean_credit(upper).unwrap_or(0.0) - mean_credit(lower).unwrap_or(0.0))
        },
        options,
        mean_seconds: if seconds.is_empty() {
            None
        } else {
            Some(seconds.iter().map(|&s| f64::from(s)).sum::<f64>() / seconds.len() as f64)
        },
        flags: Vec::new(),
    };
    stats.flags = flags::judge(&stats);
    stats
}

/// The share of responses in each of the upper and lower groups.
pub const GROUP_PERCENT: usize = 27;

/// 27% of `n` rounded to the nearest whole, a half up, and at least 1.
pub fn group_size(n: usize) -> usize {
    ((GROUP_PERCENT * n + 50) / 100).max(1)
}

/// The mean credit, in points; None for no rows.
fn mean_credit(rows: &[Row]) -> Option<f64> {
    if rows.is_empty() {
        return None;
    }
    let sum: i128 = rows.iter().map(Row::credit).sum();
    Some(sum as f64 / (rows.len() as i128 * i128::from(Credit::PARTS)) as f64)
}

/// The Pearson correlation of credit and rest score (see
/// [`ItemStats::point_biserial`]), from exact integer sums:
/// r = (nΣxy − ΣxΣy) ÷ √((nΣx² − (Σx)²) × (nΣy² − (Σy)²)).
fn point_biserial(rows: &[Row]) -> Option<f64> {
    let n = rows.len() as i128;
    let (mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0i128, 0i128, 0i128, 0i128, 0i128);
    for r in rows {
        let (x, y) = (r.credit(), r.rest());
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    let cxx = n * sxx - sx * sx;
    let cyy = n * syy - sy * sy;
    let cxy = n * sxy - sx * sy;
    if cxx == 0 || cyy == 0 {
        return None;
    }
    // Rounding in the square roots can step just past ±1 (a perfect
    // correlation came out as −1.0000000000000002).
    Some((cxy as f64 / ((cxx as f64).sqrt() * (cyy as f64).sqrt())).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests;
