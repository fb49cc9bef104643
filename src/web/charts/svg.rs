//! The SVG pieces the charts are drawn with. Every number goes through
//! `num` (one decimal, never NaN) and every text through `esc`.

use std::fmt::Write as _;

/// The root element, with a `<title>` and a `<desc>` it is labelled by.
/// `id` must be unique on the page: each chart has its own.
pub(super) fn open(id: &str, (width, height): (f64, f64), font: f64, title: &str, desc: &str) -> String {
    format!(
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" font-size="{}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        num(width),
        num(height),
        num(font),
        esc(title),
        esc(desc)
    )
}

pub(super) fn line(svg: &mut String, class: &str, (x1, y1): (f64, f64), (x2, y2): (f64, f64)) {
    let (x1, y1, x2, y2) = (num(x1), num(y1), num(x2), num(y2));
    let _ = write!(svg, r#"<line class="{class}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>"#);
}

/// A text; `anchor` is `start`, `middle` or `end`.
pub(super) fn text(svg: &mut String, class: &str, (x, y): (f64, f64), anchor: &str, content: &str) {
    let class = if class.is_empty() { String::new() } else { format!(r#" class="{class}""#) };
    let anchor = if anchor == "start" { String::new() } else { format!(r#" text-anchor="{anchor}""#) };
    let _ = write!(svg, r#"<text{class} x="{}" y="{}"{anchor}>{}</text>"#, num(x), num(y), esc(content));
}

pub(super) fn rect(svg: &mut String, class: &str, (x, y): (f64, f64), (w, h): (f64, f64)) {
    let _ =
        write!(svg, r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}"/>"#, num(x), num(y), num(w), num(h));
}

/// A path; `d` is made by `shape` or `cross`.
pub(super) fn path(svg: &mut String, class: &str, d: &str) {
    let _ = write!(svg, r#"<path class="{class}" d="{d}"/>"#);
}

/// A line through the points, dashed unless `dash` is empty. One point makes
/// no line: the marker alone shows it.
pub(super) fn polyline(svg: &mut String, class: &str, dash: &str, xy: &[(f64, f64)]) {
    if xy.len() < 2 {
        return;
    }
    let points: Vec<String> = xy.iter().map(|&(x, y)| format!("{},{}", num(x), num(y))).collect();
    let dash = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
    let _ = write!(svg, r#"<polyline class="{class}"{dash} points="{}"/>"#, points.join(" "));
}

/// A filled marker centred on (x, y), six shapes: circle, square, triangle,
/// diamond, triangle pointing down, plus.
pub(super) fn shape(kind: usize, (x, y): (f64, f64), r: f64) -> String {
    const PLUS: [(f64, f64); 12] = [
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
    ];
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
        _ => poly(&PLUS),
    }
}

/// An ×: stroked, where `shape` is filled.
pub(super) fn cross((x, y): (f64, f64), r: f64) -> String {
    let (l, t, rt, b) = (num(x - r), num(y - r), num(x + r), num(y + r));
    format!("M{l},{t}L{rt},{b}M{rt},{t}L{l},{b}")
}

/// A number with at most one decimal ("12.5", "12"): enough for the eye,
/// and it keeps a 500-mock chart small.
pub(super) fn num(v: f64) -> String {
    let v = if v.is_finite() { (v * 10.0).round() / 10.0 } else { 0.0 };
    // -0.0 would print as "-0".
    let v = if v == 0.0 { 0.0 } else { v };
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// Cuts a long name to `max` characters with an ellipsis.
pub(super) fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_owned() } else { s.chars().take(max - 1).chain(['…']).collect() }
}

/// Escapes text for XML (and HTML) content and attribute values.
pub(super) fn esc(s: &str) -> String {
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
