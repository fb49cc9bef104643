//! A class at a glance, pure: who is at risk and why, the group's averages,
//! and the dashboard's order. Each member's figures come in already
//! computed (their standing: the same rules as their `/me`); this module
//! only reads them.

use std::cmp::Ordering;

use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::exam::Blueprint;
use crate::progress::History;
use crate::progress::readiness::{self, DomainFigure, Verdict};

/// How recent a finished mock must be for a learner not to be at risk.
pub const RECENT_MOCK_DAYS: i64 = 14;

/// One finished mock's scaled score and its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub scaled: u32,
    pub passed: bool,
}

/// One member's standing in one exam, as the dashboard reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub user: Uuid,
    pub name: String,
    pub finished_mocks: u32,
    pub finished_attempts: u32,
    pub latest: Option<Mark>,
    /// When the latest finished mock ended.
    pub latest_at: Option<OffsetDateTime>,
    pub best: Option<Mark>,
    /// Each blueprint domain, in blueprint order.
    pub domains: Vec<DomainFigure>,
    pub verdict: Verdict,
    pub statement: String,
}

impl Standing {
    /// The standing `history` gives, by the same rules as the learner's
    /// `/me`: readiness and its per-domain figures, and the finished mocks'
    /// scaled scores. `name` is left empty: it is the account's, read with
    /// the row.
    pub fn of(user: Uuid, blueprint: &Blueprint, history: &History) -> Standing {
        let readiness = readiness::readiness(blueprint, history);
        let mark = |a: &crate::progress::AttemptRecord| Mark { scaled: a.score.scaled, passed: a.score.passed };
        // Mocks are in finishing order; on equal best scores the earliest counts.
        let best = history.mocks().map(mark).reduce(|best, m| if m.scaled > best.scaled { m } else { best });
        Standing {
            user,
            name: String::new(),
            finished_mocks: history.mocks().count() as u32,
            finished_attempts: history.attempts.len() as u32,
            latest: history.mocks().last().map(mark),
            latest_at: history.mocks().last().map(|a| a.finished_at),
            best,
            domains: readiness::domain_figures(blueprint, history),
            verdict: readiness.verdict,
            statement: readiness.statement,
        }
    }
}

/// Why a learner is at risk, each in words on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// Readiness says "not yet".
    NotReady,
    /// No finished mock at all.
    NoMock,
    /// The latest finished mock is older than [`RECENT_MOCK_DAYS`].
    NoRecentMock,
    /// This many assignments are past their due date and not done.
    Overdue(usize),
}

impl Risk {
    pub fn words(self) -> String {
        match self {
            Risk::NotReady => "not ready".into(),
            Risk::NoMock => "no finished mock yet".into(),
            Risk::NoRecentMock => format!("no finished mock in the last {RECENT_MOCK_DAYS} days"),
            Risk::Overdue(1) => "1 assignment overdue".into(),
            Risk::Overdue(n) => format!("{n} assignments overdue"),
        }
    }
}

/// Why the learner is at risk; empty when they are not. At risk: readiness
/// says not yet, or no mock finished in the last [`RECENT_MOCK_DAYS`] days
/// (or none at all), or any assignment overdue.
pub fn at_risk(
    verdict: Verdict,
    latest_mock: Option<OffsetDateTime>,
    overdue: usize,
    now: OffsetDateTime,
) -> Vec<Risk> {
    let mut risks = Vec::new();
    if verdict == Verdict::NotYet {
        risks.push(Risk::NotReady);
    }
    match latest_mock {
        None => risks.push(Risk::NoMock),
        Some(at) if now - at > Duration::days(RECENT_MOCK_DAYS) => risks.push(Risk::NoRecentMock),
        Some(_) => {}
    }
    if overdue > 0 {
        risks.push(Risk::Overdue(overdue));
    }
    risks
}

/// The group's average in one domain: the mean of the members' percents,
/// over the members with answers there.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainAverage {
    pub code: String,
    /// None when no member has answers in the domain.
    pub percent: Option<f64>,
    /// How many members it rests on.
    pub members: usize,
}

/// The group as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// One per domain code in `codes`, in that order.
    pub domains: Vec<DomainAverage>,
    /// The mean latest scaled score over the members with a finished mock.
    pub mean_latest: Option<f64>,
    pub with_latest: usize,
    pub ready: usize,
    pub not_yet: usize,
    pub too_little_data: usize,
}

/// Each member's percent counts once, whatever the number of answers
/// behind it: the average says how the typical member does, not how the
/// busiest ones do.
pub fn summary(codes: &[String], standings: &[Standing]) -> Summary {
    let domains = codes
        .iter()
        .map(|code| {
            let percents: Vec<f64> = standings
                .iter()
                .filter_map(|s| s.domains.iter().find(|d| &d.code == code))
                .filter(|d| d.total > 0)
                .map(|d| 100.0 * f64::from(d.correct) / f64::from(d.total))
                .collect();
            DomainAverage { code: code.clone(), percent: mean(&percents), members: percents.len() }
        })
        .collect();
    let latest: Vec<f64> = standings.iter().filter_map(|s| s.latest).map(|m| f64::from(m.scaled)).collect();
    let count = |v: Verdict| standings.iter().filter(|s| s.verdict == v).count();
    Summary {
        domains,
        mean_latest: mean(&latest),
        with_latest: latest.len(),
        ready: count(Verdict::Ready),
        not_yet: count(Verdict::NotYet),
        too_little_data: count(Verdict::TooLittleData),
    }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// A column the dashboard sorts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortKey {
    Name,
    Attempts,
    Latest,
    Best,
    Readiness,
    Risk,
    /// A domain's percent, by code.
    Domain(String),
}

impl SortKey {
    /// `name`, `attempts`, `latest`, `best`, `readiness`, `risk`, or a
    /// domain code of the exam; anything else is None.
    pub fn parse(word: &str, codes: &[String]) -> Option<SortKey> {
        Some(match word {
            "name" => SortKey::Name,
            "attempts" => SortKey::Attempts,
            "latest" => SortKey::Latest,
            "best" => SortKey::Best,
            "readiness" => SortKey::Readiness,
            "risk" => SortKey::Risk,
            code => SortKey::Domain(codes.iter().find(|c| c.as_str() == code)?.clone()),
        })
    }

    pub fn as_str(&self) -> &str {
        match self {
            SortKey::Name => "name",
            SortKey::Attempts => "attempts",
            SortKey::Latest => "latest",
            SortKey::Best => "best",
            SortKey::Readiness => "readiness",
            SortKey::Risk => "risk",
            SortKey::Domain(code) => code,
        }
    }
}

/// Ready above too little data above not yet: ascending reads from the
/// learners furthest from ready.
fn readiness_rank(v: Verdict) -> u8 {
    match v {
        Verdict::NotYet => 0,
        Verdict::TooLittleData => 1,
        Verdict::Ready => 2,
    }
}

/// The value a row sorts by; None (no figure) sorts last either way.
fn value(s: &Standing, risks: &[Risk], key: &SortKey) -> Option<f64> {
    match key {
        SortKey::Name => None,
        SortKey::Attempts => Some(f64::from(s.finished_mocks) * 1e6 + f64::from(s.finished_attempts)),
        SortKey::Latest => s.latest.map(|m| f64::from(m.scaled)),
        SortKey::Best => s.best.map(|m| f64::from(m.scaled)),
        SortKey::Readiness => Some(f64::from(readiness_rank(s.verdict))),
        SortKey::Risk => Some(risks.len() as f64),
        SortKey::Domain(code) => {
            let d = s.domains.iter().find(|d| &d.code == code)?;
            (d.total > 0).then(|| f64::from(d.correct) / f64::from(d.total))
        }
    }
}

fn by_name(a: &Standing, b: &Standing) -> Ordering {
    a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.user.cmp(&b.user))
}

/// Sorts the rows by `key`, descending when asked. Members without a
/// figure come last in both directions (they have nothing to compare);
/// ties go by name, A to Z. Attempts sort by finished mocks, then by all
/// finished attempts.
/// `parts` gives a row's standing and risks.
pub fn sort<T>(rows: &mut [T], key: &SortKey, descending: bool, parts: impl Fn(&T) -> (&Standing, &[Risk])) {
    rows.sort_by(|a, b| {
        let (a, a_risks) = parts(a);
        let (b, b_risks) = parts(b);
        let by_value = match (value(a, a_risks, key), value(b, b_risks, key)) {
            (Some(x), Some(y)) => {
                let o = x.total_cmp(&y);
                if descending { o.reverse() } else { o }
            }
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        let names = by_name(a, b);
        let names = if *key == SortKey::Name && descending { names.reverse() } else { names };
        by_value.then(names)
    });
}

#[cfg(test)]
mod tests;
