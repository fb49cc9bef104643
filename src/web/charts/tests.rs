//! Unit tests of the charts: the data in the table is the data given, and
//! the SVG holds up with no mocks, one mock and five hundred.

use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::svg::num;
use super::*;

const SCALE: Scale = Scale { min: 100, max: 1000, pass: 720 };

fn day(i: i64) -> OffsetDateTime {
    datetime!(2026-11-03 09:00 UTC) + Duration::hours(20 * i)
}

fn scores(n: usize) -> Vec<ScorePoint> {
    (0..n)
        .map(|i| ScorePoint { at: day(i as i64), scaled: 500 + (i as u32 * 37) % 450, passed: (i * 37) % 450 >= 220 })
        .collect()
}

fn series(count: usize, n: usize) -> Vec<DomainSeries> {
    (0..count)
        .map(|s| DomainSeries {
            code: format!("D{}", s + 1),
            name: format!("Domain {}", s + 1),
            points: (0..n).map(|i| (day(i as i64), ((i * 13 + s * 29) % 101) as f64)).collect(),
        })
        .collect()
}

fn bar(code: &str, accuracy: Option<f64>, weight: f64, answers: u32) -> DomainBar {
    DomainBar { code: code.into(), name: format!("{code} name"), accuracy, weight_percent: weight, answers }
}

/// Every `attr="…"` value in the SVG, in order.
fn attrs<'a>(svg: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!(" {attr}=\"");
    svg.match_indices(&key).map(|(i, _)| &svg[i + key.len()..][..svg[i + key.len()..].find('"').unwrap()]).collect()
}

fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg class=\"chart\""), "{svg}");
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains(r#"width="100%""#) && svg.contains(r#"role="img""#));
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    assert!(!svg.contains("style="), "the CSP forbids inline styles");
}

#[test]
fn no_mocks_say_so_and_give_an_empty_table() {
    let charts = [
        score_over_time(&[], SCALE),
        domains_over_time(&[]),
        domains_over_time(&series(3, 0)),
        accuracy_vs_weight(&[], 0),
    ];
    for chart in charts {
        assert_well_formed(&chart.svg);
        assert!(chart.svg.contains("No finished attempts yet"));
        assert!(chart.svg.len() < 1000);
        assert!(chart.table.rows.is_empty());
        assert!(!chart.table.headers.is_empty());
    }
    let none_yet = accuracy_vs_weight(&[bar("D1", None, 30.0, 0)], 0);
    assert!(none_yet.svg.contains("No finished attempts yet") && none_yet.table.rows.is_empty());
}

#[test]
fn one_mock_is_a_single_marker_without_a_line() {
    let chart = score_over_time(&scores(1), SCALE);
    assert_well_formed(&chart.svg);
    assert!(!chart.svg.contains("<polyline"));
    assert_eq!(chart.svg.matches("chart-mark-").count(), 1);
    assert!(chart.svg.contains("1 mock on 3 Nov 2026; latest 500; pass mark 720."), "{}", chart.svg);

    let chart = domains_over_time(&series(2, 1));
    assert_well_formed(&chart.svg);
    // Only the legend samples are lines.
    assert_eq!(chart.svg.matches("<polyline").count(), 2);
    assert_eq!(chart.table.rows.len(), 1);
}

#[test]
fn five_hundred_mocks_stay_small_and_drop_their_markers() {
    let chart = score_over_time(&scores(500), SCALE);
    assert_well_formed(&chart.svg);
    assert!(chart.svg.len() < 60_000, "{} bytes", chart.svg.len());
    assert_eq!(chart.svg.matches("<polyline").count(), 1);
    // Only the latest mock keeps its marker.
    assert_eq!(chart.svg.matches("chart-mark-").count(), 1);
    // At most four dates under the axis, not five hundred.
    let date_y = format!(r#" y="{}""#, num(BOTTOM + 16.0));
    assert_eq!(chart.svg.matches(&date_y).count(), 3, "a year apart: three dates");
    assert_eq!(chart.table.rows.len(), 500);
    // Coordinates carry at most one decimal.
    let points = attrs(&chart.svg, "points")[0];
    assert!(points.split([' ', ',']).all(|c| c.split('.').nth(1).is_none_or(|d| d.len() == 1)), "{points}");

    let sixty = score_over_time(&scores(60), SCALE);
    assert_eq!(sixty.svg.matches("chart-mark-").count(), 60);

    let chart = domains_over_time(&series(4, 500));
    assert_well_formed(&chart.svg);
    assert!(chart.svg.len() < 60_000, "{} bytes", chart.svg.len());
    // A dozen markers per line (and the last), plus one in the legend.
    assert!(chart.svg.matches("chart-marker").count() <= 4 * (12 + 2));
}

#[test]
fn the_score_table_is_the_data_sorted_by_time() {
    let mut points = scores(12);
    points.reverse();
    let chart = score_over_time(&points, SCALE);
    points.reverse();
    assert_eq!(chart.table.headers, ["Mock", "Date", "Scaled score", "Result"]);
    assert_eq!(chart.table.rows.len(), points.len());
    for (i, (row, p)) in chart.table.rows.iter().zip(&points).enumerate() {
        let result = if p.passed { "Pass" } else { "Fail" };
        assert_eq!(row, &[(i + 1).to_string(), long_date(p.at), p.scaled.to_string(), result.to_string()]);
    }
    assert_eq!(chart.table.rows[0][1], "3 Nov 2026");
    assert!(chart.svg.contains("12 mocks from 3 Nov 2026 to 12 Nov 2026;"), "{}", chart.svg);
}

#[test]
fn the_domain_table_has_a_row_per_mock_and_a_column_per_domain() {
    let mut data = series(2, 3);
    data[1].points.remove(1);
    data[0].points[2].1 = 66.6;
    let chart = domains_over_time(&data);
    assert_eq!(chart.table.headers, ["Mock", "Date", "D1", "D2"], "codes, so the table fits a phone");
    assert!(chart.table.caption.ends_with("(D1 Domain 1; D2 Domain 2)"), "the caption names them");
    assert_eq!(chart.table.rows.len(), 3);
    assert_eq!(chart.table.rows[1], ["2", "4 Nov 2026", "13%", "—"]);
    assert_eq!(chart.table.rows[2][2], "67%");
    assert!(chart.svg.contains("latest: D1 67%, D2 55%."), "{}", chart.svg);
}

#[test]
fn the_accuracy_table_gives_each_domain_its_values() {
    let bars = [bar("D1", Some(72.4), 28.0, 45), bar("D2", None, 26.0, 0), bar("D3", Some(100.0), 22.0, 9)];
    let chart = accuracy_vs_weight(&bars, 5);
    assert_well_formed(&chart.svg);
    assert_eq!(chart.table.headers, ["Domain", "Accuracy", "Answers", "Weight"]);
    assert_eq!(
        chart.table.rows,
        [["D1", "72%", "45", "28%"], ["D2", "No answers", "0", "26%"], ["D3", "100%", "9", "22%"]]
    );
    assert!(chart.table.caption.contains("last 5 attempts"));
    assert!(chart.table.caption.contains("D1 D1 name; D2 D2 name; D3 D3 name"), "the caption names the codes");
    // Two accuracy bars plus the legend's; three weight bars plus the legend's.
    assert_eq!(chart.svg.matches("chart-bar-accuracy").count(), 3);
    assert_eq!(chart.svg.matches("chart-bar-weight").count(), 4);
    assert!(chart.svg.contains(">72%<") && chart.svg.contains(">28%<") && chart.svg.contains(">no answers<"));
}

#[test]
fn the_pass_line_sits_at_the_pass_mark() {
    for scale in [SCALE, Scale { min: 0, max: 100, pass: 70 }, Scale { min: 200, max: 800, pass: 800 }] {
        let chart = score_over_time(&scores(3), scale);
        let at = BOTTOM - (BOTTOM - TOP) * f64::from(scale.pass - scale.min) / f64::from(scale.max - scale.min);
        let line = &chart.svg[chart.svg.find(r#"class="chart-pass""#).unwrap()..];
        assert_eq!(attrs(line, "y1")[0], num(at));
        assert_eq!(attrs(line, "y1")[0], attrs(line, "y2")[0]);
        assert!(chart.svg.contains(&format!(">Pass {}</text>", scale.pass)));
    }
    // 720 on 100–1000: 620/900 of the 160-unit plot up from the bottom.
    let chart = score_over_time(&scores(3), SCALE);
    assert!(chart.svg.contains(r#"class="chart-pass" x1="44" y1="61.8""#), "{}", chart.svg);
}

#[test]
fn names_are_escaped_everywhere() {
    let nasty = r#"<b>&"'"#;
    let data = [DomainSeries { code: "D1".into(), name: nasty.into(), points: vec![(day(0), 50.0), (day(1), 60.0)] }];
    let bars =
        [DomainBar { code: "D1".into(), name: nasty.into(), accuracy: Some(50.0), weight_percent: 25.0, answers: 4 }];
    for chart in [domains_over_time(&data), accuracy_vs_weight(&bars, 2)] {
        assert!(!chart.svg.contains("<b>") && !chart.svg.contains(r#"&""#));
        assert!(chart.svg.contains("&lt;b&gt;&amp;&quot;&#39;"), "{}", chart.svg);
        // The table keeps the name as written; `to_html` escapes it.
        assert!(chart.table.rows[0].iter().any(|c| c.contains(nasty)) || chart.table.caption.contains(nasty));
        let html = chart.table.to_html();
        assert!(!html.contains("<b>") && html.contains("&lt;b&gt;&amp;&quot;&#39;"), "{html}");
    }
}

#[test]
fn every_series_has_its_own_dash_marker_and_class() {
    let chart = domains_over_time(&series(6, 5));
    let lines: Vec<&str> = chart.svg.split("<polyline").skip(1).collect();
    // A line in the plot and a sample in the legend per series.
    assert_eq!(lines.len(), 12);
    let mut seen = std::collections::HashSet::new();
    for i in 0..36 {
        assert!(seen.insert(series_style(i)), "series {i} looks like an earlier one");
    }
    let dashes: std::collections::HashSet<_> = (0..6).map(|i| series_style(i).0).collect();
    let markers: std::collections::HashSet<_> = (0..6).map(|i| series_style(i).1).collect();
    assert_eq!((dashes.len(), markers.len()), (6, 6));
    for i in 1..=6 {
        assert!(chart.svg.contains(&format!(r#"<polyline class="chart-series chart-series-{i}""#)), "{i}");
    }
    // The shapes themselves differ.
    let shapes: std::collections::HashSet<_> = (0..6).map(|k| shape(k, (10.0, 10.0), 4.0)).collect();
    assert_eq!(shapes.len(), 6);
}

#[test]
fn the_svg_is_labelled_for_assistive_technology() {
    let chart = score_over_time(&scores(2), SCALE);
    assert!(chart.svg.contains(r#"aria-labelledby="chart-score-title""#));
    assert!(chart.svg.contains(r#"<title id="chart-score-title">Scaled score per mock</title>"#));
    assert!(
        chart.svg.contains(r#"<desc id="chart-score-desc">2 mocks from 3 Nov 2026 to 4 Nov 2026"#),
        "{}",
        chart.svg
    );
    assert!(chart.svg.contains(r#"viewBox="0 0 380 212""#));
}

#[test]
fn numbers_are_short_and_finite() {
    assert_eq!(num(12.0), "12");
    assert_eq!(num(12.345), "12.3");
    assert_eq!(num(-0.01), "0");
    assert_eq!(num(f64::NAN), "0");
    assert_eq!(percent(66.6), "67%");
    assert_eq!(percent(-0.2), "0%");
    assert_eq!(nice_step(900.0), 200.0);
    assert_eq!(clip("abcdef", 4), "abc…");
}
