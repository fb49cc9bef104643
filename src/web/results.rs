//! The result of a finished attempt: the estimated scaled score, pass or
//! fail, a bar per domain, then every item with its key and explanations,
//! [`PER_PAGE`] at a time so that the page stays light on a slow phone.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use uuid::Uuid;

use super::attempts::view::ItemView;
use super::misses::ItemNotes;
use super::outcomes::item_notice;
use super::paging::Paging;
use super::reports::ItemReports;
use super::session::{Chrome, CurrentUser};
use super::{AppError, AppState, Result};
use crate::app::attempts::{self, AttemptResult, ResultOutcome};
use crate::exam::credit;
use crate::exam::kind::Kind;
use crate::exam::scoring::{DomainScore, Score};
use crate::exam::{CreditRule, ExtraTime, FinishReason, Visibility};
use crate::progress::Confidence;
use crate::progress::confidence::ConfidenceGroups;
use crate::store::attempts::Item;

pub fn router() -> Router<AppState> {
    Router::new().route("/attempts/{id}/result", get(show_result))
}

#[derive(Deserialize, Default)]
struct Filter {
    /// `incorrect`, `flagged`, a confidence group's slug ([`Group::slug`]),
    /// or all when absent.
    show: Option<String>,
    domain: Option<String>,
    notice: Option<String>,
    /// The item a notice is about (a note saved, a report sent), or to
    /// jump to: the page shown is the one that holds it.
    item: Option<String>,
    page: Option<String>,
}

/// Questions per page of the review: with their explanations, ten make a
/// page of about 40 KB instead of 230 KB for a whole mock.
pub const PER_PAGE: usize = 10;

/// One question in the index of the review: its number and verdict, and
/// the link to the page that shows it.
pub struct IndexEntry {
    pub position: i32,
    pub correct: bool,
    pub href: String,
}

/// The four groups of certainty-based practice, as the result page names
/// and filters them; counted by [`crate::progress::confidence::groups`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    RightSure,
    LuckyGuesses,
    Misconceptions,
    WrongUnsure,
}

impl Group {
    const ALL: [Group; 4] = [Group::RightSure, Group::LuckyGuesses, Group::Misconceptions, Group::WrongUnsure];

    /// The item's group; None when it was not marked.
    fn of(item: &Item) -> Option<Group> {
        Some(match (item.correct == Some(true), item.confidence?) {
            (true, Confidence::Sure) => Group::RightSure,
            (true, Confidence::Unsure) => Group::LuckyGuesses,
            (false, Confidence::Sure) => Group::Misconceptions,
            (false, Confidence::Unsure) => Group::WrongUnsure,
        })
    }

    /// Its `show` filter value.
    fn slug(self) -> &'static str {
        match self {
            Group::RightSure => "right-sure",
            Group::LuckyGuesses => "lucky-guesses",
            Group::Misconceptions => "misconceptions",
            Group::WrongUnsure => "wrong-unsure",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Group::RightSure => "Right and sure",
            Group::LuckyGuesses => "Right but unsure (lucky guesses)",
            Group::Misconceptions => "Wrong but sure (misconceptions)",
            Group::WrongUnsure => "Wrong and unsure",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Group::RightSure => "what you know",
            Group::LuckyGuesses => "not learned yet: review them",
            Group::Misconceptions => "the most dangerous: review these first",
            Group::WrongUnsure => "gaps you knew about",
        }
    }

    fn count(self, g: &ConfidenceGroups) -> u32 {
        match self {
            Group::RightSure => g.right_sure,
            Group::LuckyGuesses => g.right_unsure,
            Group::Misconceptions => g.wrong_sure,
            Group::WrongUnsure => g.wrong_unsure,
        }
    }
}

/// One confidence group as the result page lists it.
pub struct GroupRow {
    pub slug: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub count: u32,
}

pub struct DomainBar {
    pub score: DomainScore,
    pub percent: u32,
    /// The credit earned, in points ("10", or "10.33" under partial credit).
    pub earned: String,
}

#[derive(Template)]
#[template(path = "results/result.html")]
struct ResultPage {
    chrome: Chrome,
    attempt_id: Uuid,
    exam_title: String,
    mode_label: &'static str,
    score: Score,
    /// The credit rule the attempt was scored by (its own blueprint's).
    credit_rule: &'static str,
    /// Under partial credit, the points earned of the scored items.
    points: Option<String>,
    /// Whether the scaled score and verdict are shown: see the rule.
    estimate: bool,
    estimate_rule: &'static str,
    weighted: String,
    pass_mark: u32,
    scale_min: u32,
    scale_max: u32,
    bars: Vec<DomainBar>,
    time_used: String,
    /// "+30 minutes (160 minutes in all)" when the learner chose extra time.
    extra_time: Option<String>,
    expired: bool,
    real_conditions: bool,
    unscored: Vec<i32>,
    items: Vec<ItemView>,
    /// The questions the filter keeps, of `total`.
    matching: usize,
    total: usize,
    paging: Paging,
    /// Every question the filter keeps, linking to the page it is on.
    index: Vec<IndexEntry>,
    /// `show=…&domain=…&` as the filter stands, for the page links.
    query: String,
    show: String,
    domain: String,
    domains: Vec<String>,
    notice: Option<&'static str>,
    /// Each item's note form and report form.
    notes: ItemNotes,
    reports: ItemReports,
    /// Empty when no item was marked: the page then has no confidence section.
    confidence: Vec<GroupRow>,
    /// Marked items of all.
    marked: u32,
}

/// `show=…&domain=…&` for the filter as it stands (empty when none), to
/// which a page link adds its own part.
fn filter_query(show: &str, domain: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [("show", show), ("domain", domain)] {
        if !value.is_empty() {
            query.append_pair(name, value);
        }
    }
    let mut query = query.finish();
    if !query.is_empty() {
        query.push('&');
    }
    query
}

async fn show_result(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    Query(filter): Query<Filter>,
) -> Result<Response> {
    let ResultOutcome::Finished(result) = attempts::result(&state, session.user.id.0, id).await? else {
        return Ok(Redirect::to(&format!("/attempts/{id}/review")).into_response());
    };
    let AttemptResult { attempt, score, items, versions, confidence } = *result;
    let show = filter.show.unwrap_or_default();
    let domain = filter.domain.unwrap_or_default();
    let visibility = Visibility::of_attempt(attempt.mode, true, true, attempt.blueprint.explanations_in_practice);
    let matching: Vec<&Item> = items
        .iter()
        .filter(|i| match show.as_str() {
            "incorrect" => i.correct != Some(true),
            "flagged" => i.flagged,
            other => match Group::ALL.into_iter().find(|g| g.slug() == other) {
                Some(group) => Group::of(i) == Some(group),
                None => true,
            },
        })
        .filter(|i| domain.is_empty() || i.domain == domain)
        .collect();
    let paging = match (filter.page.as_deref(), filter.item.as_deref().and_then(|n| n.parse::<i32>().ok())) {
        (Some(page), _) => {
            let page = page.trim().parse().map_err(|_| AppError::Invalid(format!("“{page}” is not a page number.")))?;
            Paging::new(matching.len(), PER_PAGE, page)
        }
        (None, Some(n)) => match matching.iter().position(|i| i.position == n) {
            Some(index) => Paging::holding(matching.len(), PER_PAGE, index),
            None => Paging::new(matching.len(), PER_PAGE, 1),
        },
        (None, None) => Paging::new(matching.len(), PER_PAGE, 1),
    };
    let query = filter_query(&show, &domain);
    let index = matching
        .iter()
        .map(|i| IndexEntry {
            position: i.position,
            correct: i.correct == Some(true),
            href: format!("?{query}item={0}#item-{0}", i.position),
        })
        .collect();
    let views: Vec<ItemView> = matching[paging.start..paging.end]
        .iter()
        .filter_map(|i| {
            versions.get(&i.version_id).map(|v| {
                let mut view = ItemView::new(i, v, visibility, attempt.offers_confidence());
                view.credit_note =
                    credit::partial_note(attempt.blueprint.credit, &v.content.question.body, i.response.as_ref());
                view
            })
        })
        .collect();
    let user = session.user.id.0;
    let item_notice = item_notice(filter.notice.as_deref(), filter.item.as_deref());
    let notes = ItemNotes::for_result(&state, user, id, item_notice).await?;
    let reports = ItemReports::for_result(&state, user, id, item_notice).await?;
    let b = &attempt.blueprint;
    let page = ResultPage {
        chrome,
        attempt_id: id,
        exam_title: b.title.clone(),
        mode_label: attempt.mode.label(),
        credit_rule: b.credit.summary(),
        points: (b.credit == CreditRule::Partial).then(|| score.earned().to_points_text()),
        weighted: format!("{:.1}", score.weighted_percent),
        estimate: score.supports_estimate(attempt.mode),
        estimate_rule: crate::exam::scoring::ESTIMATE_RULE,
        pass_mark: b.scale.pass,
        scale_min: b.scale.min,
        scale_max: b.scale.max,
        bars: score
            .domains
            .iter()
            .filter(|d| d.total > 0)
            .map(|d| DomainBar {
                score: d.clone(),
                percent: d.percent().round() as u32,
                earned: d.earned().to_points_text(),
            })
            .collect(),
        score,
        time_used: super::format::duration(attempt.finished_at.unwrap_or(attempt.started_at) - attempt.started_at),
        extra_time: (attempt.settings.extra_time != ExtraTime::None).then(|| {
            let e = attempt.settings.extra_time;
            format!("{} ({} minutes in all)", e.label(), e.minutes(b.time_limit_minutes))
        }),
        expired: attempt.finished_reason == Some(FinishReason::Expired),
        real_conditions: attempt.settings.real_conditions,
        unscored: items.iter().filter(|i| !i.scored).map(|i| i.position).collect(),
        matching: matching.len(),
        total: items.len(),
        paging,
        index,
        query,
        items: views,
        show,
        domain,
        domains: b.domains.iter().map(|d| d.code.clone()).collect(),
        notice: (filter.notice.as_deref() == Some("time-up"))
            .then_some("Time is up. Your attempt was graded with every answer saved before the deadline."),
        notes,
        reports,
        marked: confidence.right_sure + confidence.right_unsure + confidence.wrong_sure + confidence.wrong_unsure,
        confidence: if confidence.unmarked as usize == items.len() {
            Vec::new()
        } else {
            Group::ALL
                .into_iter()
                .map(|g| GroupRow { slug: g.slug(), label: g.label(), hint: g.hint(), count: g.count(&confidence) })
                .collect()
        },
    };
    Ok(Html(page.render()?).into_response())
}
