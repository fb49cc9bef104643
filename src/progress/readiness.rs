//! Whether the learner is ready for the real exam, by a rule stated on the
//! page.
//!
//! Only fresh answers count (the learner's first meeting with a question):
//! a repeated question scores memory, not skill, and a bank of a few
//! hundred questions is soon known by heart.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::History;
use crate::exam::{Blueprint, Scale, scoring};

// The numbers live in macros so that the code and the words of `RULE` read
// the same literal.
macro_rules! mocks_read {
    () => {
        3
    };
}
macro_rules! domain_recent {
    () => {
        40
    };
}
macro_rules! domain_min {
    () => {
        10
    };
}

/// How many of the latest counting mocks the verdict reads.
pub const MOCKS: usize = mocks_read!();
/// How many of a domain's latest fresh answers the verdict reads.
pub const DOMAIN_RECENT: usize = domain_recent!();
/// How many fresh answers a domain needs before it can be judged.
pub const DOMAIN_MIN: usize = domain_min!();

/// The rule in words, as shown beside the verdict.
pub const RULE: &str = concat!(
    "Only questions new to you count, since a repeated question scores memory, not skill. You are ready when each of \
     your last ",
    mocks_read!(),
    " full mocks (counting only mocks where at least half the questions were new to you) reaches the pass mark on its \
     new questions, and each domain averages at least the pass mark's place on the scale (720 on a 100–1000 scale is 69%) over \
     its last ",
    domain_recent!(),
    " new answers, with at least ",
    domain_min!(),
    " of them to judge."
);

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ready,
    NotYet,
    /// Too few mocks or answers to judge.
    TooLittleData,
}

impl Verdict {
    /// The verdict in words, as `/me` and the class dashboard show it.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ready => "Ready",
            Verdict::NotYet => "Not yet",
            Verdict::TooLittleData => "Too early to tell",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Readiness {
    pub verdict: Verdict,
    /// One plain sentence, e.g. "Not yet: D3 averages 58% over your last
    /// 40 new D3 items."
    pub statement: String,
    /// How many answers the statement rests on.
    pub items: usize,
}

/// The verdict, read in this order: too few counting mocks; a counting mock
/// below the pass mark; a domain below the pass percent (the weakest is
/// named); a domain with too few fresh answers; else ready. A domain known
/// to fail decides before one not yet judged, since no later answer there
/// could make the learner ready. Mock scores are listed oldest first.
pub fn readiness(blueprint: &Blueprint, history: &History) -> Readiness {
    let answers = &history.answers;
    let mut scored_by_attempt: HashMap<Uuid, Vec<usize>> = HashMap::new();
    for (i, a) in answers.iter().enumerate().filter(|(_, a)| a.scored) {
        scored_by_attempt.entry(a.attempt).or_default().push(i);
    }
    // The fresh scored answers of the latest counting mocks, newest first.
    let mut mocks: Vec<Vec<usize>> = history
        .mocks()
        .rev()
        .filter_map(|mock| {
            let scored = scored_by_attempt.get(&mock.id).map_or(&[][..], Vec::as_slice);
            let fresh: Vec<usize> = scored.iter().copied().filter(|&i| answers[i].fresh).collect();
            (!fresh.is_empty() && 2 * fresh.len() >= scored.len()).then_some(fresh)
        })
        .take(MOCKS)
        .collect();
    mocks.reverse();
    let mut read: HashSet<usize> = mocks.iter().flatten().copied().collect();

    if mocks.len() < MOCKS {
        let statement = too_few_mocks(mocks.len(), history.mocks().count());
        return Readiness { verdict: Verdict::TooLittleData, statement, items: read.len() };
    }

    let scale = blueprint.scale;
    let scores: Vec<u32> = mocks
        .iter()
        .map(|fresh| {
            scoring::score(blueprint, fresh.iter().map(|&i| (answers[i].domain.as_str(), answers[i].correct))).scaled
        })
        .collect();
    let scores_text = list(scores.iter().map(u32::to_string));
    if scores.iter().any(|&s| s < scale.pass) {
        let statement = format!(
            "Not yet: your last {MOCKS} full mocks, oldest first, scored {scores_text} on questions new to you; each \
             needs {}.",
            scale.pass
        );
        return Readiness { verdict: Verdict::NotYet, statement, items: read.len() };
    }

    let judged: Vec<(&str, usize, usize)> = windows(blueprint, history)
        .into_iter()
        .map(|(code, recent)| {
            read.extend(&recent);
            (code, recent.iter().filter(|&&i| answers[i].correct).count(), recent.len())
        })
        .collect();
    let items = read.len();

    let needed = pass_percent(scale);
    let weakest = judged
        .iter()
        .filter(|&&(_, correct, total)| total >= DOMAIN_MIN && 100 * correct < needed * total)
        .min_by(|a, b| (a.1 * b.2).cmp(&(b.1 * a.2)));
    if let Some(&(code, correct, total)) = weakest {
        let statement = format!(
            "Not yet: {code} averages {}% over your last {total} new {code} items; each domain needs {needed}%.",
            100 * correct / total
        );
        return Readiness { verdict: Verdict::NotYet, statement, items };
    }

    let lacking: Vec<String> = judged
        .iter()
        .filter(|&&(_, _, total)| total < DOMAIN_MIN)
        .map(|&(code, _, total)| format!("{code} ({total} so far)"))
        .collect();
    if !lacking.is_empty() {
        let statement = format!(
            "Answer more new questions in {}: each domain needs at least {DOMAIN_MIN} new answers to judge.",
            list(lacking)
        );
        return Readiness { verdict: Verdict::TooLittleData, statement, items };
    }

    let statement = format!(
        "Ready: your last {MOCKS} full mocks, oldest first, scored {scores_text} on questions new to you, and every \
         domain averages at least {needed}% over its last new items."
    );
    Readiness { verdict: Verdict::Ready, statement, items }
}

/// Each blueprint domain's latest fresh answers, in any mode, at most
/// [`DOMAIN_RECENT`] of them: their places in `history.answers`, oldest
/// first. What the verdict judges each domain on.
fn windows<'a>(blueprint: &'a Blueprint, history: &History) -> Vec<(&'a str, Vec<usize>)> {
    let mut windows: Vec<(&str, Vec<usize>)> =
        blueprint.domains.iter().map(|d| (d.code.as_str(), Vec::new())).collect();
    for (i, a) in history.answers.iter().enumerate().filter(|(_, a)| a.fresh) {
        if let Some((_, window)) = windows.iter_mut().find(|(code, _)| *code == a.domain) {
            window.push(i);
        }
    }
    for (_, window) in &mut windows {
        window.drain(..window.len().saturating_sub(DOMAIN_RECENT));
    }
    windows
}

/// One domain's figure as the verdict reads it: right out of its latest
/// fresh answers (at most [`DOMAIN_RECENT`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DomainFigure {
    pub code: String,
    pub correct: u32,
    pub total: u32,
}

impl DomainFigure {
    /// Whole percent, rounded down as the verdict's statement writes it;
    /// None without answers.
    pub fn percent(&self) -> Option<u32> {
        (100 * self.correct).checked_div(self.total)
    }
}

/// Each blueprint domain's figure, in blueprint order: the per-domain
/// percents `/me` and the class dashboard show beside the verdict.
pub fn domain_figures(blueprint: &Blueprint, history: &History) -> Vec<DomainFigure> {
    windows(blueprint, history)
        .into_iter()
        .map(|(code, recent)| DomainFigure {
            code: code.to_owned(),
            correct: recent.iter().filter(|&&i| history.answers[i].correct).count() as u32,
            total: recent.len() as u32,
        })
        .collect()
}

/// Where the pass mark sits on the scale, in whole percent rounded up: 720
/// on 100–1000 is 68.9%, so 69%. Rounded up so that a domain average
/// shown as meeting it really does.
pub fn pass_percent(scale: Scale) -> usize {
    let above_min = scale.pass.saturating_sub(scale.min) as usize;
    let span = scale.max.saturating_sub(scale.min) as usize;
    // A scale of one point has nothing to pass but full marks.
    if span == 0 { 100 } else { (100 * above_min).div_ceil(span) }
}

fn too_few_mocks(counting: usize, taken: usize) -> String {
    let more = MOCKS - counting;
    let plural = if more == 1 { "" } else { "s" };
    let base = format!(
        "Take {more} more full mock{plural}: readiness rests on your last {MOCKS} full mocks, on questions new to you"
    );
    if counting == taken {
        return format!("{base}.");
    }
    let verb = if counting == 1 { "counts" } else { "count" };
    format!(
        "{base}; {counting} of your {taken} {verb}, as a mock counts only when at least half its questions are new to you."
    )
}

/// "a", "a and b", "a, b and c".
fn list(items: impl IntoIterator<Item = String>) -> String {
    let mut items: Vec<String> = items.into_iter().collect();
    match items.pop() {
        None => String::new(),
        Some(last) if items.is_empty() => last,
        Some(last) => format!("{} and {last}", items.join(", ")),
    }
}

#[cfg(test)]
mod tests;
