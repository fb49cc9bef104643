//! The three charts of `/me`, fed from the learner's history.

use std::collections::HashSet;

use crate::exam::Blueprint;
use crate::exam::scoring::MIN_ITEMS_PER_DOMAIN;
use crate::progress::History;
use crate::web::charts::{self, Chart, DomainBar, DomainSeries, ScorePoint};

/// How many recent attempts the accuracy-against-weight chart reads.
pub(super) const RECENT_ATTEMPTS: usize = 10;

pub(super) struct Trends {
    pub score: Chart,
    pub domains: Chart,
    pub accuracy: Chart,
    /// How many attempts the accuracy chart read (at most [`RECENT_ATTEMPTS`]).
    pub recent: usize,
}

pub(super) fn of(b: &Blueprint, h: &History) -> Trends {
    // The lines over time are the mocks': full exams, comparable with one
    // another and with the pass mark.
    let points: Vec<ScorePoint> =
        h.mocks().map(|a| ScorePoint { at: a.finished_at, scaled: a.score.scaled, passed: a.score.passed }).collect();

    // A domain's point needs as many items as a scaled estimate does (a
    // mock under real conditions may be short of one).
    let series: Vec<DomainSeries> = b
        .domains
        .iter()
        .map(|d| DomainSeries {
            code: d.code.clone(),
            name: d.name.clone(),
            points: h
                .mocks()
                .filter_map(|a| {
                    let s = a.score.domains.iter().find(|s| s.code == d.code)?;
                    (s.total >= MIN_ITEMS_PER_DOMAIN).then(|| (a.finished_at, s.percent()))
                })
                .collect(),
        })
        .collect();

    let recent: HashSet<uuid::Uuid> = h.attempts.iter().rev().take(RECENT_ATTEMPTS).map(|a| a.id).collect();
    let weight_sum: u32 = b.domains.iter().map(|d| d.weight).sum::<u32>().max(1);
    let bars: Vec<DomainBar> = b
        .domains
        .iter()
        .map(|d| {
            let answers: Vec<bool> = h
                .answers
                .iter()
                .filter(|a| a.domain == d.code && recent.contains(&a.attempt))
                .map(|a| a.correct)
                .collect();
            let right = answers.iter().filter(|c| **c).count();
            DomainBar {
                code: d.code.clone(),
                name: d.name.clone(),
                accuracy: (!answers.is_empty()).then(|| 100.0 * right as f64 / answers.len() as f64),
                weight_percent: 100.0 * f64::from(d.weight) / f64::from(weight_sum),
                answers: answers.len() as u32,
            }
        })
        .collect();

    Trends {
        score: charts::score_over_time(&points, b.scale),
        domains: charts::domains_over_time(&series),
        accuracy: charts::accuracy_vs_weight(&bars, recent.len()),
        recent: recent.len(),
    }
}
