//! The learner's own data as CSV: one row per attempt, and one row per
//! item response. Opened by a spreadsheet: UTF-8 with a byte-order mark
//! (without it Excel reads "–" as mojibake), RFC 4180 quoting, and no cell
//! that a spreadsheet would run as a formula.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::app::progress;
use crate::web::session::CurrentUser;
use crate::web::{AppState, Result};

/// One CSV field: quoted when it holds a separator, a quote or a line
/// break; prefixed with `'` when a spreadsheet would read it as a formula.
fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

pub(crate) fn csv(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn download(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

pub(super) async fn attempts_csv(State(state): State<AppState>, CurrentUser(session): CurrentUser) -> Result<Response> {
    let all = progress::attempt_rows(&state, session.user.id.0).await?;
    let header = [
        "attempt_id",
        "exam",
        "mode",
        "started_at",
        "finished_at",
        "duration_seconds",
        "items",
        "answered",
        "correct",
        "scored_items",
        "weighted_percent",
        "scaled_score",
        "passed",
    ];
    let rows = all.into_iter().map(|a| {
        vec![
            a.attempt_id.to_string(),
            a.exam,
            a.mode.as_str().to_string(),
            rfc3339(a.started_at),
            opt(a.finished_at.map(rfc3339)),
            opt(a.duration_seconds),
            a.items.to_string(),
            a.answered.to_string(),
            opt(a.correct),
            opt(a.scored_items),
            opt(a.weighted_percent.map(|w| format!("{w:.1}"))),
            opt(a.scaled_score),
            opt(a.passed),
        ]
    });
    Ok(download("mockexam-attempts.csv", csv(&header, rows)))
}

pub(super) async fn responses_csv(
    State(state): State<AppState>,
    CurrentUser(session): CurrentUser,
) -> Result<Response> {
    let all = progress::responses(&state, session.user.id.0).await?;
    let header = [
        "attempt_id",
        "exam",
        "mode",
        "position",
        "question",
        "version",
        "domain",
        "scored",
        "answered",
        "correct",
        "confidence",
        "flagged",
        "saved_at",
    ];
    let rows = all.into_iter().map(|r| {
        vec![
            r.attempt_id.to_string(),
            r.exam,
            r.mode.as_str().to_string(),
            r.position.to_string(),
            r.question,
            r.version.to_string(),
            r.domain,
            r.scored.to_string(),
            r.answered.to_string(),
            opt(r.correct),
            opt(r.confidence.map(|c| c.as_str())),
            r.flagged.to_string(),
            opt(r.saved_at.map(rfc3339)),
        ]
    });
    Ok(download("mockexam-responses.csv", csv(&header, rows)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed_and_never_run_as_formulas() {
        assert_eq!(field("mla-c01"), "mla-c01");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-12.5"), "-12.5", "a negative number stays a number");
    }

    #[test]
    fn a_file_starts_with_a_byte_order_mark_and_ends_each_row_with_crlf() {
        let out = csv(&["a", "b"], vec![vec!["1".to_string(), "x,y".to_string()]].into_iter());
        assert_eq!(out, "\u{feff}a,b\r\n1,\"x,y\"\r\n");
    }
}
