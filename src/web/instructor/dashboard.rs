//! A group's class dashboard: one row per member in one exam, sorted on
//! the server by any column, the group's averages, two charts, and the
//! same rows as CSV.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use uuid::Uuid;

use crate::analysis::class::{Mark, Risk, SortKey, Standing, Summary};
use crate::analysis::distribution;
use crate::app::dashboard::{self, Dashboard, Request};
use crate::exam::Blueprint;
use crate::progress::readiness;
use crate::store::groups::Group;
use crate::web::charts::Chart;
use crate::web::charts::class::{self as charts, DomainAverageBar};
use crate::web::progress::export::{csv, download};
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// About ten bands of scores across the scale.
const SCORE_BANDS: u32 = 9;

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    exam: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

impl DashboardQuery {
    fn request(&self) -> Request<'_> {
        Request {
            exam: self.exam.as_deref(),
            sort: self.sort.as_deref(),
            descending: self.dir.as_deref() == Some("desc"),
        }
    }
}

/// A column header: a link that sorts on it.
struct Header {
    label: String,
    /// Spelled out for screen readers where the label is a code.
    title: String,
    href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    aria: &'static str,
}

struct RowView {
    name: String,
    mocks: u32,
    attempts: u32,
    latest: String,
    best: String,
    /// Per domain: the label for small screens, and the figure.
    domains: Vec<(String, String)>,
    verdict: &'static str,
    statement: String,
    /// Empty when not at risk.
    risks: String,
}

struct Averages {
    /// Per domain: code, name, average in words, members it rests on.
    domains: Vec<(String, String, String, usize)>,
    mean_latest: String,
    with_latest: usize,
    ready: usize,
    not_yet: usize,
    too_little_data: usize,
}

#[derive(Template)]
#[template(path = "instructor/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    group: Group,
    /// (slug, title, selected) of the exams the members have attempts in.
    exams: Vec<(String, String, bool)>,
    exam: Option<Blueprint>,
    members: usize,
    with_attempts: usize,
    headers: Vec<Header>,
    rows: Vec<RowView>,
    averages: Option<Averages>,
    scores_chart: Option<Chart>,
    domains_chart: Option<Chart>,
    csv_href: String,
    risk_days: i64,
    domain_recent: usize,
}

fn mark(m: Option<Mark>) -> String {
    m.map_or("—".into(), |m| format!("{} ({})", m.scaled, if m.passed { "pass" } else { "fail" }))
}

fn figure(s: &Standing, code: &str) -> Option<(u32, u32)> {
    let d = s.domains.iter().find(|d| d.code == code)?;
    Some((d.percent()?, d.total))
}

fn risk_words(risks: &[Risk]) -> String {
    risks.iter().map(|r| r.words()).collect::<Vec<_>>().join("; ")
}

fn headers(d: &Dashboard, b: &Blueprint) -> Vec<Header> {
    let mut columns: Vec<(SortKey, String, String)> = vec![
        (SortKey::Name, "Name".into(), "Name".into()),
        (SortKey::Attempts, "Attempts".into(), "Finished mocks, and all finished attempts".into()),
        (SortKey::Latest, "Latest".into(), "Latest mock's scaled score".into()),
        (SortKey::Best, "Best".into(), "Best mock's scaled score".into()),
    ];
    columns.extend(b.domains.iter().map(|dom| (SortKey::Domain(dom.code.clone()), dom.code.clone(), dom.name.clone())));
    columns.push((SortKey::Readiness, "Readiness".into(), "Readiness".into()));
    columns.push((SortKey::Risk, "At risk".into(), "At risk".into()));
    columns
        .into_iter()
        .map(|(key, label, title)| {
            let active = key == d.sort;
            // A click on the sorted column flips it; names start A to Z,
            // figures highest first.
            let dir = match (active, d.descending) {
                (true, true) => "asc",
                (true, false) => "desc",
                (false, _) if key == SortKey::Name => "asc",
                (false, _) => "desc",
            };
            Header {
                href: format!(
                    "/instructor/groups/{}/dashboard?exam={}&sort={}&dir={dir}",
                    d.group.id,
                    b.slug,
                    key.as_str()
                ),
                aria: match (active, d.descending) {
                    (false, _) => "none",
                    (true, true) => "descending",
                    (true, false) => "ascending",
                },
                label,
                title,
            }
        })
        .collect()
}

fn averages(s: &Summary, b: &Blueprint) -> Averages {
    Averages {
        domains: (s.domains.iter())
            .map(|a| {
                let name = b.domain(&a.code).map_or(String::new(), |d| d.name.clone());
                let percent = a.percent.map_or("—".into(), |p| format!("{}%", p.round() as i64));
                (a.code.clone(), name, percent, a.members)
            })
            .collect(),
        mean_latest: s.mean_latest.map_or("—".into(), |m| format!("{}", m.round() as i64)),
        with_latest: s.with_latest,
        ready: s.ready,
        not_yet: s.not_yet,
        too_little_data: s.too_little_data,
    }
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(id): Path<Uuid>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response> {
    let d = dashboard::dashboard(&state, &actor, id, q.request()).await?;
    let exams = (d.exams.iter())
        .map(|e| {
            let selected = d.exam.as_ref().is_some_and(|x| x.id == e.id);
            (e.blueprint.slug.clone(), e.blueprint.title.clone(), selected)
        })
        .collect();
    let mut page = DashboardPage {
        chrome,
        exams,
        exam: None,
        members: d.members,
        with_attempts: d.with_attempts,
        headers: Vec::new(),
        rows: Vec::new(),
        averages: None,
        scores_chart: None,
        domains_chart: None,
        csv_href: String::new(),
        risk_days: crate::analysis::class::RECENT_MOCK_DAYS,
        domain_recent: readiness::DOMAIN_RECENT,
        group: d.group.clone(),
    };
    if let (Some(exam), Some(summary)) = (&d.exam, &d.summary) {
        let b = &exam.blueprint;
        page.headers = headers(&d, b);
        page.csv_href = format!("/instructor/groups/{}/dashboard.csv?exam={}", d.group.id, b.slug);
        page.rows = (d.rows.iter())
            .map(|r| {
                let s = &r.standing;
                RowView {
                    name: s.name.clone(),
                    mocks: s.finished_mocks,
                    attempts: s.finished_attempts,
                    latest: mark(s.latest),
                    best: mark(s.best),
                    domains: (b.domains.iter())
                        .map(|dom| {
                            let text = figure(s, &dom.code).map_or("—".into(), |(p, n)| format!("{p}% of {n}"));
                            (dom.code.clone(), text)
                        })
                        .collect(),
                    verdict: s.verdict.label(),
                    statement: s.statement.clone(),
                    risks: risk_words(&r.risks),
                }
            })
            .collect();
        let latest: Vec<u32> = d.rows.iter().filter_map(|r| r.standing.latest).map(|m| m.scaled).collect();
        page.scores_chart = Some(charts::score_distribution(&distribution(&latest, b.scale, SCORE_BANDS), b.scale));
        let bars: Vec<DomainAverageBar> = (summary.domains.iter())
            .map(|a| DomainAverageBar {
                code: a.code.clone(),
                name: b.domain(&a.code).map_or(String::new(), |d| d.name.clone()),
                percent: a.percent,
                members: a.members,
            })
            .collect();
        page.domains_chart = Some(charts::domain_averages(&bars, readiness::pass_percent(b.scale)));
        page.averages = Some(averages(summary, b));
        page.exam = Some(b.clone());
    }
    Ok(Html(page.render()?).into_response())
}

/// The dashboard's rows as CSV, in the page's order. Domain columns are
/// named by code and hold whole percents; a cell a spreadsheet would run
/// as a formula (starting with = + - @) gets a leading apostrophe.
pub async fn dashboard_csv(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path(id): Path<Uuid>,
    Query(q): Query<DashboardQuery>,
) -> Result<Response> {
    let d = dashboard::dashboard(&state, &actor, id, q.request()).await?;
    let codes: Vec<String> =
        d.exam.as_ref().map(|e| e.blueprint.domains.iter().map(|d| d.code.clone()).collect()).unwrap_or_default();
    let mut header: Vec<&str> = vec![
        "name",
        "finished_mocks",
        "finished_attempts",
        "latest_scaled",
        "latest_result",
        "best_scaled",
        "best_result",
    ];
    header.extend(codes.iter().map(String::as_str));
    header.extend(["readiness", "readiness_statement", "at_risk", "risk_reasons"]);
    let result = |m: Option<Mark>| m.map_or(String::new(), |m| if m.passed { "pass".into() } else { "fail".into() });
    let scaled = |m: Option<Mark>| m.map_or(String::new(), |m| m.scaled.to_string());
    let rows = d.rows.iter().map(|r| {
        let s = &r.standing;
        let mut row = vec![
            s.name.clone(),
            s.finished_mocks.to_string(),
            s.finished_attempts.to_string(),
            scaled(s.latest),
            result(s.latest),
            scaled(s.best),
            result(s.best),
        ];
        row.extend(codes.iter().map(|c| figure(s, c).map_or(String::new(), |(p, _)| p.to_string())));
        row.extend([
            s.verdict.label().to_string(),
            s.statement.clone(),
            if r.risks.is_empty() { "no" } else { "yes" }.to_string(),
            risk_words(&r.risks),
        ]);
        row
    });
    let slug = d.exam.as_ref().map_or("none", |e| e.blueprint.slug.as_str());
    Ok(download(&format!("dashboard-{slug}.csv"), csv(&header, rows)))
}
