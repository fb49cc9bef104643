//! An exam's item analysis: the statistics of each question over the
//! finished mocks, filtered by group and dates, as a page and as CSV. The
//! use case is `app::item_analysis`; the formulas are `analysis/`.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;
use uuid::Uuid;

use crate::analysis::ItemStats;
use crate::analysis::flags::times;
use crate::analysis::items::{GROUP_PERCENT, group_size};
use crate::app::item_analysis::{self, AnalysedItem, Filters, ItemAnalysis};
use crate::exam::Body;
use crate::store::groups::Listed;
use crate::store::item_tallies::Analysed;
use crate::web::error::AppError;
use crate::web::session::{Chrome, Editor};
use crate::web::{AppState, Result};

/// The filters as typed, kept in the form and the CSV link.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FilterForm {
    group: String,
    from: String,
    to: String,
}

/// A date field's problem, said where it is.
struct DateError {
    field: &'static str,
    message: String,
}

impl FilterForm {
    /// The filters, or what is wrong with the dates. A group id that is not
    /// a group is not found, like a group that is not the actor's.
    fn filters(&self) -> Result<(Filters, Vec<DateError>)> {
        let group = match self.group.trim() {
            "" => None,
            id => Some(Uuid::parse_str(id).map_err(|_| AppError::NotFound)?),
        };
        let mut errors = Vec::new();
        let mut date = |field: &'static str, label: &str, text: &str| -> Option<Date> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = Date::parse(text, format_description!("[year]-[month]-[day]")).ok();
            if parsed.is_none() {
                errors.push(DateError {
                    field,
                    message: format!("{label}: enter a date as YYYY-MM-DD, like 2026-09-01."),
                });
            }
            parsed
        };
        let from = date("from", "From", &self.from);
        let to = date("to", "To", &self.to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(DateError { field: "to", message: "To: the last day comes on or after the first.".into() });
        }
        Ok((Filters { group, from, to }, errors))
    }

    /// The query string of these filters, for the CSV link.
    fn query(&self) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [("group", &self.group), ("from", &self.from), ("to", &self.to)] {
            if !value.trim().is_empty() {
                query.append_pair(name, value.trim());
            }
        }
        let q = query.finish();
        if q.is_empty() { q } else { format!("?{q}") }
    }
}

#[derive(Template)]
#[template(path = "instructor/items.html")]
struct ItemsPage {
    chrome: Chrome,
    analysis: ItemAnalysis,
    form: FilterForm,
    errors: Vec<DateError>,
    group_percent: usize,
}

impl ItemsPage {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    fn selected(&self, group: &Listed) -> bool {
        self.form.group.trim() == group.group.id.to_string()
    }

    fn rows(&self) -> Vec<Row<'_>> {
        rows(&self.analysis)
    }

    fn csv_link(&self) -> String {
        format!("/instructor/exams/{}/items.csv{}", self.analysis.exam.blueprint.slug, self.form.query())
    }
}

/// The start of a stem, for the list: its first line, cut at a word.
fn stem_start(item: &AnalysedItem) -> String {
    let line = item.question.content.question.stem.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim().trim_start_matches('#').trim();
    if line.chars().count() <= 90 {
        return line.to_string();
    }
    let cut: String = line.chars().take(90).collect();
    match cut.rfind(' ') {
        Some(at) => format!("{}…", &cut[..at]),
        None => format!("{cut}…"),
    }
}

/// One option as the page shows it: numbered from 1 in the file's order.
struct OptionRow {
    number: usize,
    text: String,
    key: bool,
    chosen: u32,
    upper: String,
    /// The upper group's count in whole responses, for its bar.
    upper_value: f64,
}

/// One question as the page shows it.
pub struct Row<'a> {
    item: &'a AnalysedItem,
    stem: String,
    kind: &'static str,
    options: Vec<OptionRow>,
    /// The upper group's size, the maximum of its bars.
    upper_size: usize,
}

impl Row<'_> {
    fn question(&self) -> &Analysed {
        &self.item.question
    }

    fn facility(&self) -> String {
        self.item.stats.facility.map_or("–".into(), |f| format!("{f:.0}%"))
    }

    fn point_biserial(&self) -> String {
        self.item.stats.point_biserial.map_or("–".into(), |r| format!("{r:.2}"))
    }

    fn upper_lower(&self) -> String {
        self.item.stats.upper_lower.map_or("–".into(), |d| format!("{d:.2}"))
    }

    fn mean_time(&self) -> String {
        self.item.stats.mean_seconds.map_or("not known".into(), |s| format!("{s:.0} s"))
    }

    fn reasons(&self) -> Vec<String> {
        self.item.stats.flags.iter().map(|f| f.reason()).collect()
    }
}

fn rows(analysis: &ItemAnalysis) -> Vec<Row<'_>> {
    analysis
        .items
        .iter()
        .map(|item| {
            let texts: Vec<String> = match &item.question.content.question.body {
                Body::Single { options, .. } | Body::Multiple { options, .. } => {
                    options.iter().map(|o| o.text.clone()).collect()
                }
                _ => Vec::new(),
            };
            let options = item
                .stats
                .options
                .iter()
                .map(|o| OptionRow {
                    number: o.option + 1,
                    text: texts.get(o.option).cloned().unwrap_or_default(),
                    key: o.key,
                    chosen: o.chosen,
                    upper: times(o.chosen_by_upper),
                    upper_value: o.chosen_by_upper,
                })
                .collect();
            Row {
                item,
                stem: stem_start(item),
                kind: item.question.content.question.body.kind().as_str(),
                options,
                upper_size: group_size(item.stats.responses as usize),
            }
        })
        .collect()
}

pub async fn show_items(
    State(state): State<AppState>,
    Editor(actor): Editor,
    chrome: Chrome,
    Path(slug): Path<String>,
    Query(form): Query<FilterForm>,
) -> Result<Response> {
    let (filters, errors) = form.filters()?;
    // A wrong date is not applied: the page says so beside its field.
    let filters = if errors.is_empty() { filters } else { Filters { from: None, to: None, ..filters } };
    let analysis = item_analysis::analysis(&state, &actor, &slug, &filters).await?;
    let page = ItemsPage { chrome, analysis, form, errors, group_percent: GROUP_PERCENT };
    Ok(Html(page.render()?).into_response())
}

/// The same analysis as CSV, one row per question; docs/item-analysis.md
/// describes the columns.
pub async fn download_items(
    State(state): State<AppState>,
    Editor(actor): Editor,
    Path(slug): Path<String>,
    Query(form): Query<FilterForm>,
) -> Result<Response> {
    let (filters, errors) = form.filters()?;
    if let Some(e) = errors.first() {
        return Err(AppError::Invalid(e.message.clone()));
    }
    let analysis = item_analysis::analysis(&state, &actor, &slug, &filters).await?;
    let text = csv_of(&analysis).map_err(AppError::Internal)?;
    let disposition = format!("attachment; filename=\"{slug}-items.csv\"");
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
        (header::CONTENT_DISPOSITION, HeaderValue::try_from(disposition).map_err(|e| AppError::Internal(e.into()))?),
    ];
    Ok((headers, text).into_response())
}

/// The CSV's columns, in order.
pub const CSV_COLUMNS: [&str; 11] = [
    "question",
    "domain",
    "kind",
    "responses",
    "facility_percent",
    "point_biserial",
    "upper_lower",
    "mean_seconds",
    "open_reports",
    "flags",
    "options",
];

fn csv_of(analysis: &ItemAnalysis) -> anyhow::Result<String> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(CSV_COLUMNS)?;
    let number = |x: Option<f64>, digits: usize| x.map_or(String::new(), |x| format!("{x:.digits$}"));
    for item in &analysis.items {
        let ItemStats { responses, facility, point_biserial, upper_lower, mean_seconds, .. } = &item.stats;
        let flags: Vec<String> = item.stats.flags.iter().map(|f| f.reason()).collect();
        // `2*:30/14.3`: option 2, a key, chosen by 30, by the upper group 14.3.
        let options: Vec<String> = item
            .stats
            .options
            .iter()
            .map(|o| {
                format!("{}{}:{}/{}", o.option + 1, if o.key { "*" } else { "" }, o.chosen, times(o.chosen_by_upper))
            })
            .collect();
        out.write_record([
            item.question.key.clone(),
            item.question.content.question.domain.clone(),
            item.question.content.question.body.kind().as_str().to_string(),
            responses.to_string(),
            number(*facility, 1),
            number(*point_biserial, 3),
            number(*upper_lower, 3),
            number(*mean_seconds, 1),
            item.open_reports.to_string(),
            flags.join(" | "),
            options.join(";"),
        ])?;
    }
    Ok(String::from_utf8(out.into_inner()?)?)
}
