//! Grading and scoring whole mocks: the server time of a submit's work,
//! timed around the one function every ending of an attempt goes through.

use std::time::{Duration, Instant};

use mockexam::app::App;
use mockexam::app::attempts::{self, SaveOutcome, SaveRequest, StartOutcome};
use mockexam::app::exams;
use mockexam::exam::FinishReason;
use mockexam::exam::display::DisplayResponse;
use mockexam::exam::kind::Kind;

/// What grading took, in the order graded.
#[derive(Default)]
pub struct Timings {
    /// `attempts::grade`, whole: what a submit waits for.
    pub grade: Vec<Duration>,
    /// Its first part, on other mocks: the score and the items' credit
    /// written (`store::attempts::finish`).
    pub scoring: Vec<Duration>,
    /// Its second part, on those: the learner's standing refreshed from
    /// their whole history (`grade` again, which finds the score made).
    pub standing: Vec<Duration>,
}

/// Starts `mocks` 65-item mock exams for a new learner, answers every item
/// of each (as the page would: in display positions, one save per item),
/// then grades them in turn: every other one timed with `attempts::grade`
/// whole, the others in its two parts. The learner's history grows as
/// they go, as it would over weeks of practice.
pub async fn time_grading(app: &App, mocks: usize) -> anyhow::Result<Timings> {
    let (user, _) = crate::data::register(app, "grader@example.org").await?;
    let exam = exams::by_slug(app, "mla-c01").await?;
    let request = crate::data::full_mock();
    let mut started = Vec::new();
    for _ in 0..mocks {
        let StartOutcome::Started(attempt) = attempts::start(app, user, &exam, &request).await? else {
            anyhow::bail!("a mock did not start");
        };
        let items = attempts::shape(app, user, attempt, 1).await?.item_count;
        for n in 1..=items {
            let shape = attempts::shape(app, user, attempt, n).await?;
            let k = n as usize;
            let response = match shape.kind {
                Kind::Single => DisplayResponse { choice: Some(vec![k % shape.options]), ..Default::default() },
                Kind::Multiple => DisplayResponse { choice: Some(vec![0]), ..Default::default() },
                Kind::Ordering => {
                    DisplayResponse { ranks: Some((0..shape.options).map(Some).collect()), ..Default::default() }
                }
                Kind::Matching => DisplayResponse {
                    matches: Some((0..shape.prompts).map(|p| Some((p + k) % shape.options)).collect()),
                    ..Default::default()
                },
            };
            let save = SaveRequest { seq: 1, response, flagged: Some(n % 9 == 0), ..Default::default() };
            let outcome = attempts::save(app, attempts::Saver::User(user), attempt, n, &save).await?;
            anyhow::ensure!(matches!(outcome, SaveOutcome::Saved { .. }), "item {n} not saved: {outcome:?}");
        }
        started.push((attempt, items));
    }
    let mut timings = Timings::default();
    for (i, (attempt, items)) in started.into_iter().enumerate() {
        let start = Instant::now();
        if i % 2 == 0 {
            let score = attempts::grade(app, attempt, Some(user), FinishReason::Submitted).await?;
            timings.grade.push(start.elapsed());
            anyhow::ensure!(score.is_some(), "the mock of {items} items was not graded");
        } else {
            let score = attempts::score(app, attempt, Some(user), FinishReason::Submitted).await?;
            timings.scoring.push(start.elapsed());
            anyhow::ensure!(score.is_some(), "the mock of {items} items was not scored");
            let start = Instant::now();
            attempts::grade(app, attempt, Some(user), FinishReason::Submitted).await?;
            timings.standing.push(start.elapsed());
        }
    }
    Ok(timings)
}
