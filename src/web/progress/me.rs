//! The `/me` page and its one form, the exam date.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::history::{HistoryRow, SortKey, SortLink, sort_links, sort_rows};
use super::trends::{self, Trends};
use crate::app::misses::{self, Breakdown};
use crate::app::progress::{self, Progress};
use crate::app::{assignments, exams, groups};
use crate::assignments::{Status, Work};
use crate::exam::{Blueprint, Mode};
use crate::progress::confidence::ConfidenceGroups;
use crate::progress::coverage::Coverage;
use crate::progress::plan::{self, DayPlan, Task};
use crate::progress::readiness::{self, DomainFigure, Readiness, Verdict};
use crate::progress::review;
use crate::progress::weak_spots::{self, Focus};
use crate::store::exams::Exam;
use crate::store::groups::Membership;
use crate::store::users::User;
use crate::web::form::AppForm;
use crate::web::format;
use crate::web::session::{Chrome, CurrentUser};
use crate::web::{AppError, AppState, Result};

/// How many weak spots the page lists.
const WEAK_SPOTS_SHOWN: usize = 5;
/// How many rows of the history the page shows unless asked for all: a
/// learner with hundreds of attempts still gets a light page.
const HISTORY_SHOWN: usize = 50;
/// How many questions a drill from the page draws.
const DRILL_COUNT: u32 = 20;

#[derive(Deserialize, Default)]
pub(super) struct MeQuery {
    exam: Option<String>,
    mode: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    /// Show every attempt, not only the first [`HISTORY_SHOWN`].
    all: Option<String>,
    notice: Option<String>,
}

/// A weak spot as listed, with the drill that works on it.
pub(super) struct WeakView {
    pub label: String,
    pub percent: u32,
    pub total: u32,
    /// Drill form fields: a domain, or a tag.
    pub domain: Option<String>,
    pub tag: Option<String>,
}

#[derive(Template)]
#[template(path = "progress/me.html")]
struct MePage {
    chrome: Chrome,
    exams: Vec<Exam>,
    exam: Blueprint,
    notice: Option<&'static str>,
    rows: Vec<HistoryRow>,
    total_attempts: usize,
    /// Attempts that pass the filter, shown or not.
    matching: usize,
    /// The link that shows them all, when some are left out.
    show_all_href: Option<String>,
    mode_filter: String,
    sort_links: Vec<SortLink>,
    sort: &'static str,
    sort_choices: Vec<(&'static str, &'static str)>,
    descending: bool,
    readiness: Readiness,
    /// Each domain over its last new answers, as readiness reads it.
    domains: Vec<DomainFigure>,
    domain_recent: usize,
    readiness_rule: &'static str,
    plan: DayPlan,
    plan_rule: &'static str,
    exam_date: String,
    exam_date_text: Option<String>,
    due: usize,
    queue_len: usize,
    misconceptions_due: usize,
    next_due: Option<String>,
    review_rule: &'static str,
    review_count: u32,
    weak: Vec<WeakView>,
    weak_rule: &'static str,
    drill_count: u32,
    coverage: Coverage,
    confidence: ConfidenceGroups,
    answers: usize,
    trends: Trends,
    misses: Breakdown,
    /// The groups the learner is in, each with its Leave link.
    groups: Vec<Membership>,
    /// Their groups' assignments not done yet, the soonest due first.
    open_assignments: Vec<AssignmentView>,
    /// And those done, briefly.
    done_assignments: Vec<AssignmentView>,
}

/// One of the learner's assignments as `/me` lists it.
pub(super) struct AssignmentView {
    pub group: String,
    /// "MLA-C01: Drill of D3, 20 questions".
    pub what: String,
    pub note: String,
    /// "due 2026-12-04 23:59 UTC", or "no due date".
    pub due: String,
    pub status: Status,
    /// The start form's fields: the exam, and the mode, domain and count
    /// that start exactly the assigned work.
    pub slug: String,
    pub mode: &'static str,
    pub domain: Option<String>,
    pub count: Option<u32>,
    /// Done: when, and a mock's "780, pass".
    pub done: Option<(uuid::Uuid, String)>,
}

impl AssignmentView {
    fn of(a: assignments::Assigned) -> AssignmentView {
        let work = &a.assignment.work;
        let (domain, count) = match work {
            Work::Mock => (None, None),
            Work::PracticeMock => (None, Some(a.assignment.full_count)),
            Work::Drill { domains, count } => (domains.first().cloned(), Some(*count)),
        };
        let done = match &a.status {
            Status::Done { attempt, on, result } => {
                let score = result.map_or(String::new(), |(scaled, passed)| {
                    format!(" · {scaled}, {}", if passed { "pass" } else { "fail" })
                });
                Some((*attempt, format!("done {}{score}", format::utc_minute(*on))))
            }
            _ => None,
        };
        AssignmentView {
            group: a.group,
            what: format!("{}: {}", a.assignment.exam_title, work.describe()),
            note: a.assignment.note.clone(),
            due: a.assignment.due_at.map_or("no due date".into(), |d| format!("due {}", format::utc_minute(d))),
            slug: a.assignment.exam_slug.clone(),
            mode: work.mode().as_str(),
            domain,
            count,
            done,
            status: a.status,
        }
    }

    fn resume(&self) -> Option<uuid::Uuid> {
        match self.status {
            Status::InProgress { attempt } => Some(attempt),
            _ => None,
        }
    }

    fn overdue(&self) -> bool {
        self.status == Status::Overdue
    }
}

impl MePage {
    fn verdict_label(&self) -> &'static str {
        match self.readiness.verdict {
            Verdict::Ready => "Ready",
            Verdict::NotYet => "Not yet",
            Verdict::TooLittleData => "Too early to tell",
        }
    }

    fn verdict_class(&self) -> &'static str {
        match self.readiness.verdict {
            Verdict::Ready => "ready",
            Verdict::NotYet => "not-yet",
            Verdict::TooLittleData => "too-early",
        }
    }

    fn percent_of_bank(&self, n: &usize) -> usize {
        (100 * n).checked_div(self.coverage.bank).unwrap_or(0)
    }

    /// The link to the learner's misses with this error tag.
    fn misses_with(&self, tag: &str) -> String {
        let query: String =
            form_urlencoded::Serializer::new(String::new()).append_pair("error_tag", &format!("tag:{tag}")).finish();
        format!("/me/misses?{query}")
    }

    fn joined(&self, m: &Membership) -> String {
        format::utc_minute(m.joined_at)
    }

    fn days_left_text(&self) -> Option<String> {
        let days = self.plan.days_left?;
        let when = match days {
            2.. => format!("{days} days to your exam"),
            1 => "Your exam is tomorrow".into(),
            0 => "Your exam is today".into(),
            _ => "Your exam date has passed".into(),
        };
        Some(match &self.exam_date_text {
            Some(d) => format!("{when} ({d})."),
            None => format!("{when}."),
        })
    }

    fn task_label(&self, task: &Task) -> String {
        match task {
            Task::Review { due } => format!("Review the {due} questions due"),
            Task::Drill { domain, count } => {
                let name = self.exam.domain(domain).map_or(domain.as_str(), |d| d.name.as_str());
                format!("Drill {domain} {name}: {count} questions")
            }
            Task::Mock => format!("Take a full mock: {} questions", self.exam.question_count),
        }
    }
}

/// The exam the page is about: the one asked for, else the one of the
/// learner's latest attempt, else the first.
async fn chosen_exam(state: &AppState, user: &User, asked: Option<&str>) -> Result<(Vec<Exam>, Exam)> {
    let all = exams::visible(state, user).await?;
    let slug = match asked {
        Some(slug) => Some(slug.to_string()),
        None => crate::app::attempts::list(state, user.id.0, 1).await?.into_iter().next().map(|a| a.exam_slug),
    };
    let exam = slug
        .and_then(|s| all.iter().find(|e| e.blueprint.slug == s).cloned())
        .or_else(|| all.first().cloned())
        .ok_or(AppError::NotFound)?;
    Ok((all, exam))
}

pub(super) async fn show(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    chrome: Chrome,
    Query(q): Query<MeQuery>,
) -> Result<Response> {
    let user = session.user.id.0;
    let (exams, exam) = chosen_exam(&state, &session.user, q.exam.as_deref()).await?;
    let (progress, misses, groups, assigned) = tokio::try_join!(
        progress::progress(&state, user, &exam),
        misses::breakdown(&state, user, exam.id),
        groups::memberships(&state, &session.user),
        assignments::for_learner(&state, &session.user)
    )?;
    let (done_assignments, open_assignments): (Vec<_>, Vec<_>) =
        assigned.into_iter().map(AssignmentView::of).partition(|a| a.done.is_some());
    let Progress {
        attempts,
        history,
        readiness,
        domains,
        weak_spots,
        coverage,
        queue,
        due,
        next_due,
        confidence,
        exam_date,
        plan,
        now,
    } = progress;
    let b = &exam.blueprint;

    let mode_filter = q.mode.as_deref().and_then(Mode::parse);
    let key = q.sort.as_deref().and_then(SortKey::parse).unwrap_or(SortKey::Date);
    let descending = q.dir.as_deref() != Some("asc");
    let mut rows: Vec<HistoryRow> =
        attempts.iter().filter(|a| mode_filter.is_none_or(|m| a.mode == m)).map(HistoryRow::of).collect();
    sort_rows(&mut rows, key, descending);
    let matching = rows.len();
    let show_all = q.all.is_some();
    if !show_all {
        rows.truncate(HISTORY_SHOWN);
    }
    let mode_word = mode_filter.map_or("", Mode::as_str);

    let weak = weak_spots
        .iter()
        .take(WEAK_SPOTS_SHOWN)
        .map(|w| {
            let (label, domain, tag) = match &w.focus {
                Focus::Domain(code) => {
                    let name = b.domain(code).map_or("", |d| d.name.as_str());
                    (format!("{code} {name}"), Some(code.clone()), None)
                }
                Focus::Tag(tag) => (format!("Topic: {tag}"), None, Some(tag.clone())),
            };
            WeakView { label, percent: w.percent(), total: w.total, domain, tag }
        })
        .collect();
    let misconceptions_due = review::due(&queue, now).iter().filter(|e| e.misconception).count();

    let page = MePage {
        chrome,
        notice: match q.notice.as_deref() {
            Some("date-set") => Some("Your exam date is saved."),
            Some("date-cleared") => Some("Your exam date is cleared."),
            Some("group-left") => Some("You left the group."),
            _ => None,
        },
        total_attempts: attempts.len(),
        matching,
        show_all_href: (matching > HISTORY_SHOWN && !show_all).then(|| {
            format!(
                "/me?exam={}&mode={mode_word}&sort={}&dir={}&all=1#history",
                b.slug,
                key.as_str(),
                if descending { "desc" } else { "asc" }
            )
        }),
        rows,
        mode_filter: mode_word.to_string(),
        sort_links: sort_links(&b.slug, mode_word, key, descending),
        sort: key.as_str(),
        sort_choices: SortKey::ALL.iter().map(|(_, word, label)| (*word, *label)).collect(),
        descending,
        readiness,
        domains,
        domain_recent: readiness::DOMAIN_RECENT,
        readiness_rule: readiness::RULE,
        plan,
        plan_rule: plan::RULE,
        exam_date: exam_date.map(|d| d.to_string()).unwrap_or_default(),
        exam_date_text: exam_date.map(format::day),
        due,
        queue_len: queue.len(),
        misconceptions_due,
        next_due: next_due.map(format::utc_minute),
        review_rule: review::RULE,
        review_count: (due as u32).clamp(1, crate::app::attempts::MAX_COUNT),
        weak,
        weak_rule: weak_spots::RULE,
        drill_count: DRILL_COUNT,
        coverage,
        confidence,
        answers: history.answers.len(),
        trends: trends::of(b, &history),
        misses,
        groups,
        open_assignments,
        done_assignments,
        exam: b.clone(),
        exams,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub(super) struct ExamDateForm {
    exam: String,
    #[serde(default)]
    exam_date: String,
    /// Present when the learner pressed "Clear".
    clear: Option<String>,
}

/// Sets or clears the learner's exam date, then back to `/me`.
pub(super) async fn set_exam_date(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
    AppForm(form): AppForm<ExamDateForm>,
) -> Result<Response> {
    let exam = exams::visible_by_slug(&state, &session.user, &form.exam).await?;
    let text = form.exam_date.trim();
    let date = if form.clear.is_some() || text.is_empty() {
        None
    } else {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        Some(Date::parse(text, format).map_err(|_| {
            AppError::Invalid(format!("“{text}” is not a date: give the exam date as year-month-day, e.g. 2027-01-15."))
        })?)
    };
    progress::set_exam_date(&state, session.user.id.0, exam.id, date).await?;
    let notice = if date.is_some() { "date-set" } else { "date-cleared" };
    Ok(Redirect::to(&format!("/me?exam={}&notice={notice}#plan", exam.blueprint.slug)).into_response())
}
