//! Charts for the learner's progress page, drawn on the server as inline SVG.
//!
//! Pure functions: data in, a [`Chart`] out: the `<svg>` and the same data as
//! a [`Table`], its text alternative. No script and no inline styles (the CSP
//! forbids them): colours come from the `chart-*` classes in `static/app.css`,
//! so the light and dark schemes both work. The SVG is a string because askama
//! has nothing for SVG; every text that goes into it passes through `esc`.
//!
//! The viewBox is 380 units wide: on a 375 px phone a unit is about a pixel,
//! so the 12-unit labels read as 12 px text. The x axis of the lines is the
//! sequence of mocks, evenly spaced, not a time scale: mocks come in bursts
//! (three on a Sunday, then none for a week) and a time scale would pile the
//! bursts onto one another. The dates are written under the axis instead.

use std::fmt::Write as _;

use time::OffsetDateTime;

use crate::exam::Scale;

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
const EMPTY: &str = "No finished attempts yet";
/// Names come from instructors and can be long; the table has them whole.
const NAME_CHARS: usize = 44;

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
    let mut svg = open("chart-score", LINE_CHART_H, title, &desc);

    let (lo, hi) = (f64::from(scale.min), f64::from(scale.max));
    let step = nice_step(hi - lo);
    let mut tick = (lo / step).ceil() * step;
    while tick <= hi {
        grid_line(&mut svg, score_y(tick, scale), &format!("{tick}"));
        tick += step;
    }
    axis(&mut svg);
    let pass_y = score_y(f64::from(scale.pass), scale);
    // The label sits above the line, or below it when the line is at the top.
    let label_y = if pass_y - TOP < 14.0 { pass_y + 14.0 } else { pass_y - 5.0 };
    let _ = write!(
        svg,
        r#"<line class="chart-pass" x1="{}" y1="{}" x2="{}" y2="{}" stroke-dasharray="6 4"/><text class="chart-pass-label chart-halo" x="{}" y="{}" text-anchor="end">Pass {}</text>"#,
        num(LEFT),
        num(pass_y),
        num(RIGHT),
        num(pass_y),
        num(RIGHT),
        num(label_y),
        scale.pass
    );

    let n = points.len();
    let xy: Vec<(f64, f64)> =
        points.iter().enumerate().map(|(i, p)| (slot_x(i, n), score_y(f64::from(p.scaled), scale))).collect();
    polyline(&mut svg, "chart-line", "", &xy);
    for (i, (p, &(x, y))) in points.iter().zip(&xy).enumerate() {
        if n <= MAX_MARKERS || i == n - 1 {
            // Pass and fail differ by shape (dot, cross), not only by colour.
            let (class, d) =
                if p.passed { ("chart-mark-pass", shape(0, x, y, 4.5)) } else { ("chart-mark-fail", cross(x, y, 4.0)) };
            let _ = write!(svg, r#"<path class="{class}" d="{d}"/>"#);
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
    headers.extend(series.iter().map(|s| format!("{} {}", s.code, s.name)));
    let table = Table {
        caption: format!("{title} in each mock"),
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
    let height = LINE_CHART_H + 6.0 + 18.0 * series.len() as f64;
    let mut svg = open("chart-domains", height, title, &desc);

    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        grid_line(&mut svg, percent_y(v), &format!("{v}%"));
    }
    axis(&mut svg);
    let n = slots.len();
    for (i, s) in series.iter().enumerate() {
        let (dash, marker) = series_style(i);
        let class = format!("chart-series-{}", i % 6 + 1);
        let mut points: Vec<_> = s.points.iter().filter(|p| p.1.is_finite()).collect();
        points.sort_by_key(|p| p.0);
        let xy: Vec<(f64, f64)> =
            (points.iter()).map(|p| (slot_x(slots.binary_search(&p.0).unwrap_or(0), n), percent_y(p.1))).collect();
        polyline(&mut svg, &format!("chart-series {class}"), dash, &xy);
        // A dozen markers per line at most: the shapes tell the lines apart,
        // and more of them would hide the lines.
        let every = xy.len().div_ceil(SERIES_MARKERS).max(1);
        for (j, &(x, y)) in xy.iter().enumerate() {
            if j % every == 0 || j == xy.len() - 1 {
                let _ = write!(svg, r#"<path class="chart-marker {class}" d="{}"/>"#, shape(marker, x, y, 4.0));
            }
        }
        // The legend: one domain a row, a sample of its line and marker.
        let y = LINE_CHART_H + 12.0 + 18.0 * i as f64;
        polyline(&mut svg, &format!("chart-series {class}"), dash, &[(12.0, y - 4.0), (44.0, y - 4.0)]);
        let _ = write!(
            svg,
            r#"<path class="chart-marker {class}" d="{}"/><text x="52" y="{}">{}</text>"#,
            shape(marker, 28.0, y - 4.0, 4.0),
            num(y),
            esc(&clip(&format!("{} {}", s.code, s.name), NAME_CHARS))
        );
    }
    date_labels(&mut svg, &slots);
    svg.push_str("</svg>");
    Chart { svg, table }
}

/// Over the last `attempts` mocks: per domain a filled bar (accuracy) above
/// a thin hollow bar (blueprint weight), each labelled with its value.
pub fn accuracy_vs_weight(bars: &[DomainBar], attempts: usize) -> Chart {
    let title = "Accuracy by domain beside blueprint weight";
    let table = Table {
        caption: format!("Accuracy by domain in the last {}, beside the blueprint weight", mocks(attempts)),
        headers: strings(&["Domain", "Accuracy", "Answers", "Weight"]),
        rows: (bars.iter())
            .map(|b| {
                let accuracy = b.accuracy.map_or("No answers".into(), percent);
                vec![format!("{} {}", b.code, b.name), accuracy, b.answers.to_string(), percent(b.weight_percent)]
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
    let desc = format!("Last {}: {}.", mocks(attempts), each.join("; "));
    // Rows of 52 units: the name, the accuracy bar, the weight bar.
    const ROWS_TOP: f64 = 30.0;
    const ROW_H: f64 = 52.0;
    const BAR_LEFT: f64 = 12.0;
    const BAR_W: f64 = 310.0;
    let bottom = ROWS_TOP + ROW_H * bars.len() as f64;
    let mut svg = open("chart-accuracy", bottom + 20.0, title, &desc);
    let bar_x = |v: f64| BAR_LEFT + BAR_W * v.clamp(0.0, 100.0) / 100.0;

    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let (x, anchor) = (bar_x(v), if v == 0.0 { "start" } else { "middle" });
        let _ = write!(
            svg,
            r#"<line class="chart-grid" x1="{x}" y1="{}" x2="{x}" y2="{}"/><text class="chart-label" x="{x}" y="{}" text-anchor="{anchor}">{v}%</text>"#,
            num(ROWS_TOP),
            num(bottom),
            num(bottom + 15.0),
            x = num(x)
        );
    }
    // The legend, with the same two shapes as the bars.
    let _ = write!(
        svg,
        r#"<rect class="chart-bar-accuracy" x="12" y="6" width="14" height="12"/><text x="32" y="16">Accuracy</text><rect class="chart-bar-weight" x="112" y="9" width="14" height="6"/><text x="132" y="16">Blueprint weight</text>"#
    );
    for (i, b) in bars.iter().enumerate() {
        let top = ROWS_TOP + ROW_H * i as f64;
        let name = esc(&clip(&format!("{} {}", b.code, b.name), NAME_CHARS + 8));
        let _ = write!(svg, r#"<text x="{}" y="{}">{name}</text>"#, num(BAR_LEFT), num(top + 13.0));
        match b.accuracy.filter(|a| a.is_finite()) {
            Some(a) => {
                let _ = write!(
                    svg,
                    r#"<rect class="chart-bar-accuracy" x="{}" y="{}" width="{}" height="12"/><text class="chart-value" x="{}" y="{}">{}</text>"#,
                    num(BAR_LEFT),
                    num(top + 18.0),
                    num(bar_x(a) - BAR_LEFT),
                    num(bar_x(a) + 4.0),
                    num(top + 28.0),
                    percent(a)
                );
            }
            None => {
                let _ = write!(
                    svg,
                    r#"<text class="chart-label" x="{}" y="{}">no answers</text>"#,
                    num(BAR_LEFT),
                    num(top + 28.0)
                );
            }
        }
        let w = b.weight_percent;
        let _ = write!(
            svg,
            r#"<rect class="chart-bar-weight" x="{}" y="{}" width="{}" height="6"/><text class="chart-label" x="{}" y="{}">{}</text>"#,
            num(BAR_LEFT),
            num(top + 35.0),
            num(if w.is_finite() { bar_x(w) - BAR_LEFT } else { 0.0 }),
            num(if w.is_finite() { bar_x(w) + 4.0 } else { BAR_LEFT }),
            num(top + 43.0),
            percent(w)
        );
    }
    svg.push_str("</svg>");
    Chart { svg, table }
}

impl Table {
    /// The table as HTML, every text escaped, for a page that does not want
    /// to write the template part: `{{ chart.table.to_html()|safe }}`.
    pub fn to_html(&self) -> String {
        let mut html = format!("<table><caption>{}</caption><thead><tr>", esc(&self.caption));
        for h in &self.headers {
            let _ = write!(html, r#"<th scope="col">{}</th>"#, esc(h));
        }
        html.push_str("</tr></thead><tbody>");
        for row in &self.rows {
            html.push_str("<tr>");
            for cell in row {
                let _ = write!(html, "<td>{}</td>", esc(cell));
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
        html
    }
}

/// The chart of no data: a one-line message, and the table without rows.
fn empty(id: &str, title: &str, table: Table) -> Chart {
    let mut svg = open(id, 48.0, title, EMPTY);
    let _ = write!(
        svg,
        r#"<text class="chart-label" x="{}" y="28" text-anchor="middle">{EMPTY}</text></svg>"#,
        num(W / 2.0)
    );
    Chart { svg, table }
}

fn open(id: &str, height: f64, title: &str, desc: &str) -> String {
    format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" font-size="12" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(W),
        num(height),
        esc(title),
        esc(desc)
    )
}

fn grid_line(svg: &mut String, y: f64, label: &str) {
    let _ = write!(
        svg,
        r#"<line class="chart-grid" x1="{}" y1="{y}" x2="{}" y2="{y}"/><text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>"#,
        num(LEFT),
        num(RIGHT),
        num(LEFT - 6.0),
        num(y + 4.0),
        esc(label),
        y = num(y)
    );
}

fn axis(svg: &mut String) {
    let _ = write!(
        svg,
        r#"<line class="chart-axis" x1="{}" y1="{b}" x2="{}" y2="{b}"/>"#,
        num(LEFT),
        num(RIGHT),
        b = num(BOTTOM)
    );
}

/// Dates under at most four mocks (first, last and between), then the note
/// that the axis counts mocks, not days.
fn date_labels(svg: &mut String, dates: &[OffsetDateTime]) {
    let n = dates.len();
    let k = n.min(4);
    let with_year = dates.first().map(|d| d.year()) != dates.last().map(|d| d.year());
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
        let _ = write!(
            svg,
            r#"<text class="chart-label" x="{}" y="{}" text-anchor="{anchor}">{label}</text>"#,
            num(slot_x(i, n)),
            num(BOTTOM + 16.0)
        );
    }
    let _ = write!(
        svg,
        r#"<text class="chart-label" x="{}" y="{}" text-anchor="middle">Mocks in the order taken</text>"#,
        num((LEFT + RIGHT) / 2.0),
        num(BOTTOM + 34.0)
    );
}

fn polyline(svg: &mut String, class: &str, dash: &str, xy: &[(f64, f64)]) {
    // One point makes no line: the marker alone shows it.
    if xy.len() < 2 {
        return;
    }
    let points: Vec<String> = xy.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
    let dash = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
    let _ = write!(svg, r#"<polyline class="{class}"{dash} points="{}"/>"#, points.join(" "));
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

/// A filled marker path centred on (x, y): circle, square, triangle,
/// diamond, triangle pointing down, plus.
fn shape(kind: usize, x: f64, y: f64, r: f64) -> String {
    let poly = |pts: &[(f64, f64)]| {
        let pts: Vec<String> = pts.iter().map(|&(dx, dy)| format!("{},{}", num(x + dx * r), num(y + dy * r))).collect();
        format!("M{}Z", pts.join("L"))
    };
    match kind % 6 {
        0 => format!(
            "M{},{}a{r},{r} 0 1 0 {d},0a{r},{r} 0 1 0 -{d},0Z",
            num(x - r),
            num(y),
            r = num(r),
            d = num(2.0 * r)
        ),
        1 => poly(&[(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)]),
        2 => poly(&[(0.0, -1.2), (1.1, 0.8), (-1.1, 0.8)]),
        3 => poly(&[(0.0, -1.3), (1.3, 0.0), (0.0, 1.3), (-1.3, 0.0)]),
        4 => poly(&[(-1.1, -0.8), (1.1, -0.8), (0.0, 1.2)]),
        _ => poly(&[
            (-0.4, -1.2),
            (0.4, -1.2),
            (0.4, -0.4),
            (1.2, -0.4),
            (1.2, 0.4),
            (0.4, 0.4),
            (0.4, 1.2),
            (-0.4, 1.2),
            (-0.4, 0.4),
            (-1.2, 0.4),
            (-1.2, -0.4),
            (-0.4, -0.4),
        ]),
    }
}

/// An × for a failed mock: a stroked path, unlike the filled pass dot.
fn cross(x: f64, y: f64, r: f64) -> String {
    format!(
        "M{},{}L{},{}M{},{}L{},{}",
        num(x - r),
        num(y - r),
        num(x + r),
        num(y + r),
        num(x + r),
        num(y - r),
        num(x - r),
        num(y + r)
    )
}

/// A coordinate with at most one decimal ("12.5", "12"): enough for the
/// eye, and it keeps a 500-mock chart small.
fn num(v: f64) -> String {
    let v = if v.is_finite() { (v * 10.0).round() / 10.0 } else { 0.0 };
    // -0.0 prints as "-0".
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
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
        format!("{} on {}", mocks(n), long_date(first))
    } else {
        format!("{} from {} to {}", mocks(n), long_date(first), long_date(last))
    }
}

fn mocks(n: usize) -> String {
    if n == 1 { "1 mock".into() } else { format!("{n} mocks") }
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { s.chars().take(max - 1).chain(['…']).collect() }
}

fn strings(s: &[&str]) -> Vec<String> {
    s.iter().map(|s| (*s).to_owned()).collect()
}

/// Escapes text for SVG (XML) content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
