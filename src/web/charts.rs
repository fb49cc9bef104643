//! Charts for the learner's progress page, drawn on the server as inline SVG.
//!
//! Pure functions: data in, a [`Chart`] out: the `<svg>` and the same data as
//! a [`Table`], its text alternative. No script and no inline styles (the CSP
//! forbids them): colours come from the `chart-*` classes in `static/app.css`,
//! so the light and dark schemes both work. The SVG is a string because askama
//! has nothing for SVG; every text that goes into it passes through `esc`.
//!
//! The viewBox is 380 units wide: on a 375 px phone a unit is about a pixel
//! (a little less in a card, hence 14-unit text). The x axis of the lines is
//! the sequence of mocks, evenly spaced, not a time scale: mocks come in bursts
//! (three on a Sunday, then none for a week) and a time scale would pile the
//! bursts onto one another. The dates are written under the axis instead.

pub mod class;
mod svg;

use time::OffsetDateTime;

use crate::exam::Scale;
use svg::{clip, cross, esc, line, path, polyline, rect, shape, text};

pub struct Chart {
    /// The whole `<svg>` element, every text escaped; safe to emit with askama's `|safe`.
    pub svg: String,
    /// The text alternative: the same data as a table.
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One finished mock. The chart sorts by `at`, so the order given is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScorePoint {
    pub at: OffsetDateTime,
    pub scaled: u32,
    pub passed: bool,
}

/// One domain's percent correct (0–100) in each mock that had it.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainSeries {
    pub code: String,
    pub name: String,
    pub points: Vec<(OffsetDateTime, f64)>,
}

/// One domain over the last few mocks: accuracy in percent (`None`: no
/// answers in that domain) beside the blueprint's weight in percent.
#[derive(Debug, Clone, PartialEq)]
pub struct DomainBar {
    pub code: String,
    pub name: String,
    pub accuracy: Option<f64>,
    pub weight_percent: f64,
    pub answers: u32,
}

const W: f64 = 380.0;
/// The plot area of the line charts; the left margin holds "1000" or "100%".
const LEFT: f64 = 44.0;
const RIGHT: f64 = W - 14.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 172.0;
/// Below the plot: the dates, then the note on the x axis.
const LINE_CHART_H: f64 = 212.0;
/// Above this many mocks the markers merge into a band: only the latest stays.
const MAX_MARKERS: usize = 60;
/// Markers per domain line: enough to tell the lines apart by shape.
const SERIES_MARKERS: usize = 12;
/// Text size in viewBox units: the chart usually sits in a card, about 300
/// px wide on a phone, where 14 units come out near 11 px.
const FONT: f64 = 14.0;
const LEGEND_ROW: f64 = 20.0;
const EMPTY: &str = "No finished attempts yet";
/// Names come from instructors and can be long; the table has them whole.
const NAME_CHARS: usize = 40;

/// Six series styles, each with its own colour class, dash pattern and marker
/// shape, so a line is told apart without colour. Solid first.
const DASHES: [&str; 6] = ["", "8 4", "2 4", "10 4 2 4", "4 2", "14 3 2 3 2 3"];

/// Series `i`'s (dash, marker shape). Past six series the pairs still differ:
/// the marker shifts by one each round of dashes (distinct for 36 series).
fn series_style(i: usize) -> (&'static str, usize) {
    (DASHES[i % 6], (i % 6 + i / 6) % 6)
}

/// Scaled score per mock, with the pass mark as a labelled line.
pub fn score_over_time(points: &[ScorePoint], scale: Scale) -> Chart {
    let title = "Scaled score per mock";
    let mut points = points.to_vec();
    points.sort_by_key(|p| p.at);
    let table = Table {
        caption: format!("{title} (pass mark {})", scale.pass),
        headers: strings(&["Mock", "Date", "Scaled score", "Result"]),
        rows: (points.iter().enumerate())
            .map(|(i, p)| {
                let result = if p.passed { "Pass" } else { "Fail" };
                vec![(i + 1).to_string(), long_date(p.at), p.scaled.to_string(), result.into()]
            })
            .collect(),
    };
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return empty("chart-score", title, table);
    };
    let desc = format!("{}; latest {}; pass mark {}.", span(points.len(), first.at, last.at), last.scaled, scale.pass);
    let mut svg = svg::open("chart-score", (W, LINE_CHART_H), FONT, title, &desc);

    let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
    let step = nice_step(hi - lo);
    let mut tick = (lo / step).ceil() * step;
    while tick <= hi {
        grid_line(&mut svg, score_y(tick, scale), &format!("{tick}"));
        tick += step;
    }
    line(&mut svg, "chart-axis", (LEFT, BOTTOM), (RIGHT, BOTTOM));
    let n = points.len();
    let xy: Vec<(f64, f64)> =
        points.iter().enumerate().map(|(i, p)| (slot_x(i, n), score_y(f64::from(p.scaled), scale))).collect();
    polyline(&mut svg, "chart-line", "", &xy);
    // The pass line over the scores, and its label on a patch of background
    // so a busy line under it cannot hide it: above the line, or below it
    // when the line is at the top.
    let pass_y = score_y(f64::from(scale.pass), scale);
    line(&mut svg, "chart-pass", (LEFT, pass_y), (RIGHT, pass_y));
    let label_y = if pass_y - TOP < 16.0 { pass_y + 16.0 } else { pass_y - 5.0 };
    let label = format!("Pass {}", scale.pass);
    let label_w = 9.0 * label.len() as f64;
    rect(&mut svg, "chart-label-bg", (RIGHT - label_w, label_y - 12.0), (label_w, 15.0));
    text(&mut svg, "chart-pass-label", (RIGHT - 2.0, label_y), "end", &label);
    for (i, (p, &at)) in points.iter().zip(&xy).enumerate() {
        if n <= MAX_MARKERS || i == n - 1 {
            // Pass and fail differ by shape (dot, cross), not only by colour.
            let (class, d) =
                if p.passed { ("chart-mark-pass", shape(0, at, 4.5)) } else { ("chart-mark-fail", cross(at, 4.0)) };
            path(&mut svg, class, &d);
        }
    }
    date_labels(&mut svg, &points.iter().map(|p| p.at).collect::<Vec<_>>());
    svg.push_str("</svg>");
    Chart { svg, table }
}

/// Percent correct per domain per mock: one line per domain, and a legend.
pub fn domains_over_time(series: &[DomainSeries]) -> Chart {
    let title = "Percent correct per domain";
    // The x slots: every time any domain has a point, in order.
    let mut slots: Vec<OffsetDateTime> = series.iter().flat_map(|s| s.points.iter().map(|p| p.0)).collect();
    slots.sort();
    slots.dedup();
    let value_at = |s: &DomainSeries, at| s.points.iter().find(|p| p.0 == at).map_or("—".into(), |p| percent(p.1));
    let mut headers = strings(&["Mock", "Date"]);
    // Codes head the columns, so the table fits a phone; the caption names them.
    headers.extend(series.iter().map(|s| s.code.clone()));
    let names: Vec<String> = series.iter().map(|s| format!("{} {}", s.code, s.name)).collect();
    let table = Table {
        caption: format!("{title} in each mock ({})", names.join("; ")),
        headers,
        rows: (slots.iter().enumerate())
            .map(|(i, &at)| {
                let mut row = vec![(i + 1).to_string(), long_date(at)];
                row.extend(series.iter().map(|s| value_at(s, at)));
                row
            })
            .collect(),
    };
    let (Some(&first), Some(&last)) = (slots.first(), slots.last()) else {
        return empty("chart-domains", title, table);
    };
    let latest: Vec<String> = (series.iter())
        .filter_map(|s| s.points.iter().max_by_key(|p| p.0).map(|p| format!("{} {}", s.code, percent(p.1))))
        .collect();
    let desc = format!("{}; latest: {}.", span(slots.len(), first, last), latest.join(", "));
    let height = LINE_CHART_H + 6.0 + LEGEND_ROW * series.len() as f64;
    let mut svg = svg::open("chart-domains", (W, height), FONT, title, &desc);

    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        grid_line(&mut svg, percent_y(v), &format!("{v}%"));
    }
    line(&mut svg, "chart-axis", (LEFT, BOTTOM), (RIGHT, BOTTOM));
    let n = slots.len();
    for (i, s) in series.iter().enumerate() {
        let (dash, marker) = series_style(i);
        let class = format!("chart-series-{}", i % 6 + 1);
        let (line_class, marker_class) = (format!("chart-series {class}"), format!("chart-marker {class}"));
        let mut points: Vec<_> = s.points.iter().filter(|p| p.1.is_finite()).collect();
        points.sort_by_key(|p| p.0);
        let xy: Vec<(f64, f64)> =
            (points.iter()).map(|p| (slot_x(slots.binary_search(&p.0).unwrap_or(0), n), percent_y(p.1))).collect();
        polyline(&mut svg, &line_class, dash, &xy);
        // A dozen markers per line at most: the shapes tell the lines apart,
        // and more of them would hide the lines.
        let every = xy.len().div_ceil(SERIES_MARKERS).max(1);
        for (j, &at) in xy.iter().enumerate() {
            if j % every == 0 || j == xy.len() - 1 {
                path(&mut svg, &marker_class, &shape(marker, at, 4.0));
            }
        }
        // The legend: one domain a row, a sample of its line and marker.
        let y = LINE_CHART_H + 14.0 + LEGEND_ROW * i as f64;
        polyline(&mut svg, &line_class, dash, &[(12.0, y - 4.0), (44.0, y - 4.0)]);
        path(&mut svg, &marker_class, &shape(marker, (28.0, y - 4.0), 4.0));
        text(&mut svg, "", (52.0, y), "start", &clip(&format!("{} {}", s.code, s.name), NAME_CHARS));
    }
    date_labels(&mut svg, &slots);
    svg.push_str("</svg>");
    Chart { svg, table }
}

/// Over the last `attempts` mocks: per domain a filled bar (accuracy) above
/// a thin hollow bar (blueprint weight), each labelled with its value.
pub fn accuracy_vs_weight(bars: &[DomainBar], attempts: usize) -> Chart {
    let title = "Accuracy by domain beside blueprint weight";
    let names: Vec<String> = bars.iter().map(|b| format!("{} {}", b.code, b.name)).collect();
    let table = Table {
        caption: format!(
            "Accuracy by domain in the last {}, beside the blueprint weight ({})",
            plural(attempts, "attempt"),
            names.join("; ")
        ),
        headers: strings(&["Domain", "Accuracy", "Answers", "Weight"]),
        rows: (bars.iter())
            .map(|b| {
                let accuracy = b.accuracy.map_or("No answers".into(), percent);
                vec![b.code.clone(), accuracy, b.answers.to_string(), percent(b.weight_percent)]
            })
            .collect(),
    };
    if bars.is_empty() || attempts == 0 {
        return empty("chart-accuracy", title, Table { rows: Vec::new(), ..table });
    }
    let each: Vec<String> = (bars.iter())
        .map(|b| {
            let accuracy = b.accuracy.map_or("no answers".into(), percent);
            format!("{} {accuracy} (weight {})", b.code, percent(b.weight_percent))
        })
        .collect();
    let desc = format!("Last {}: {}.", plural(attempts, "attempt"), each.join("; "));
    // Rows of 52 units: the name, the accuracy bar, the weight bar.
    const ROWS_TOP: f64 = 30.0;
    const ROW_H: f64 = 52.0;
    const BAR_LEFT: f64 = 12.0;
    const BAR_W: f64 = 310.0;
    let bottom = ROWS_TOP + ROW_H * bars.len() as f64;
    let mut svg = svg::open("chart-accuracy", (W, bottom + 20.0), FONT, title, &desc);
    // A non-finite value draws as an empty bar; the table shows "—".
    let length = |v: f64| if v.is_finite() { BAR_W * v.clamp(0.0, 100.0) / 100.0 } else { 0.0 };

    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = BAR_LEFT + length(v);
        line(&mut svg, "chart-grid", (x, ROWS_TOP), (x, bottom));
        text(&mut svg, "chart-label", (x, bottom + 15.0), if v == 0.0 { "start" } else { "middle" }, &format!("{v}%"));
    }
    // The legend, with the same two shapes as the bars.
    rect(&mut svg, "chart-bar-accuracy", (12.0, 6.0), (14.0, 12.0));
    text(&mut svg, "", (32.0, 16.0), "start", "Accuracy");
    rect(&mut svg, "chart-bar-weight", (112.0, 9.0), (14.0, 6.0));
    text(&mut svg, "", (132.0, 16.0), "start", "Blueprint weight");
    for (i, b) in bars.iter().enumerate() {
        let top = ROWS_TOP + ROW_H * i as f64;
        text(&mut svg, "", (BAR_LEFT, top + 13.0), "start", &clip(&format!("{} {}", b.code, b.name), NAME_CHARS + 6));
        match b.accuracy.filter(|a| a.is_finite()) {
            Some(a) => {
                rect(&mut svg, "chart-bar-accuracy", (BAR_LEFT, top + 18.0), (length(a), 12.0));
                text(&mut svg, "chart-value", (BAR_LEFT + length(a) + 4.0, top + 28.0), "start", &percent(a));
            }
            None => text(&mut svg, "chart-label", (BAR_LEFT, top + 28.0), "start", "no answers"),
        }
        let w = b.weight_percent;
        rect(&mut svg, "chart-bar-weight", (BAR_LEFT, top + 35.0), (length(w), 6.0));
        text(&mut svg, "chart-label", (BAR_LEFT + length(w) + 4.0, top + 43.0), "start", &percent(w));
    }
    svg.push_str("</svg>");
    Chart { svg, table }
}

impl Table {
    /// The table as HTML, every text escaped, for a page that does not want
    /// to write the template part: `{{ chart.table.to_html()|safe }}`.
    pub fn to_html(&self) -> String {
        let cells = |tag: &str, row: &[String]| -> String {
            let attr = if tag == "th" { r#" scope="col""# } else { "" };
            row.iter().map(|c| format!("<{tag}{attr}>{}</{tag}>", esc(c))).collect()
        };
        let body: String = self.rows.iter().map(|r| format!("<tr>{}</tr>", cells("td", r))).collect();
        format!(
            "<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{body}</tbody></table>",
            esc(&self.caption),
            cells("th", &self.headers)
        )
    }
}

/// The chart of no data: a one-line message, and the table without rows.
fn empty(id: &str, title: &str, table: Table) -> Chart {
    let mut svg = svg::open(id, (W, 48.0), FONT, title, EMPTY);
    text(&mut svg, "chart-label", (W / 2.0, 28.0), "middle", EMPTY);
    svg.push_str("</svg>");
    Chart { svg, table }
}

fn grid_line(svg: &mut String, y: f64, label: &str) {
    line(svg, "chart-grid", (LEFT, y), (RIGHT, y));
    text(svg, "chart-label", (LEFT - 6.0, y + 5.0), "end", label);
}

/// Dates under at most four mocks (first, last and between), then the note
/// that the axis counts mocks, not days.
fn date_labels(svg: &mut String, dates: &[OffsetDateTime]) {
    let n = dates.len();
    let with_year = dates.first().map(|d| d.year()) != dates.last().map(|d| d.year());
    // Dates with a year are wider: three of them fit, not four.
    let k = n.min(if with_year { 3 } else { 4 });
    let mut picked: Vec<usize> =
        (0..k).map(|j| if k == 1 { 0 } else { (j * (n - 1) + (k - 1) / 2) / (k - 1) }).collect();
    picked.dedup();
    for &i in &picked {
        let anchor = if n == 1 {
            "middle"
        } else if i == 0 {
            "start"
        } else if i == n - 1 {
            "end"
        } else {
            "middle"
        };
        let (d, m) = (dates[i].day(), MONTHS[usize::from(u8::from(dates[i].month())) - 1]);
        let label = if with_year { format!("{d} {m} {}", dates[i].year() % 100) } else { format!("{d} {m}") };
        text(svg, "chart-label", (slot_x(i, n), BOTTOM + 16.0), anchor, &label);
    }
    text(svg, "chart-label", ((LEFT + RIGHT) / 2.0, BOTTOM + 34.0), "middle", "Mocks in the order taken");
}

/// The x of mock `i` of `n`: evenly spaced, a single mock in the middle.
fn slot_x(i: usize, n: usize) -> f64 {
    if n <= 1 { (LEFT + RIGHT) / 2.0 } else { LEFT + (RIGHT - LEFT) * i as f64 / (n - 1) as f64 }
}

fn score_y(v: f64, scale: Scale) -> f64 {
    let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
    // A scale with max <= min is a content error; draw it flat, not NaN.
    BOTTOM - (v.clamp(lo, hi.max(lo)) - lo) / (hi - lo).max(1.0) * (BOTTOM - TOP)
}

fn percent_y(v: f64) -> f64 {
    BOTTOM - v.clamp(0.0, 100.0) / 100.0 * (BOTTOM - TOP)
}

/// A round gridline step (1, 2 or 5 times a power of ten) giving about four
/// gridlines: 200 for a 100–1000 scale.
fn nice_step(span: f64) -> f64 {
    let raw = (span / 4.0).max(1.0);
    let mag = 10f64.powf(raw.log10().floor());
    let nearest =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * mag).min_by(|a, b| (a - raw).abs().total_cmp(&(b - raw).abs()));
    nearest.unwrap_or(mag).max(1.0)
}

/// A percent as a whole number: "72%". Not clamped: the table shows the data.
fn percent(v: f64) -> String {
    if v.is_finite() { format!("{}%", v.round() as i64) } else { "—".into() }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// "3 Nov 2026", in the offset the time carries (the caller picks the zone).
fn long_date(at: OffsetDateTime) -> String {
    format!("{} {} {}", at.day(), MONTHS[usize::from(u8::from(at.month())) - 1], at.year())
}

/// "12 mocks from 3 Nov 2026 to 28 Nov 2026", or "1 mock on 3 Nov 2026".
fn span(n: usize, first: OffsetDateTime, last: OffsetDateTime) -> String {
    if long_date(first) == long_date(last) {
        format!("{} on {}", plural(n, "mock"), long_date(first))
    } else {
        format!("{} from {} to {}", plural(n, "mock"), long_date(first), long_date(last))
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| (*s).to_owned()).collect()
}

#[cfg(test)]
mod tests;
