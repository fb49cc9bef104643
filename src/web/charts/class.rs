//! The class dashboard's two charts, drawn like `/me`'s: the group's latest
//! scores as a histogram against the pass mark, and the group's average
//! per domain against the pass percent. Each comes with its table.

use super::svg::{self, clip, line, rect, text};
use super::{
    BOTTOM, Chart, FONT, LEFT, NAME_CHARS, RIGHT, TOP, Table, W, empty, grid_line, nice_step, percent, strings,
};
use crate::analysis::Distribution;
use crate::exam::Scale;

/// One domain's group average, for [`domain_averages`].
#[derive(Debug, Clone, PartialEq)]
pub struct DomainAverageBar {
    pub code: String,
    pub name: String,
    /// None when no member has answers there.
    pub percent: Option<f64>,
    pub members: usize,
}

/// The latest scaled score of each member with a mock, counted per band of
/// scores; the pass mark is a labelled vertical line at the edge of the
/// first passing band (the bins never straddle it).
pub fn score_distribution(d: &Distribution, scale: Scale) -> Chart {
    let title = "Latest scaled scores in the group";
    let table = Table {
        caption: format!("{title}: learners per band of scores (pass mark {})", scale.pass),
        headers: strings(&["Scores", "Learners", "Result"]),
        rows: (d.bins.iter())
            .map(|b| {
                let result = if b.passing { "Pass" } else { "Fail" };
                vec![format!("{}–{}", b.from, b.to), b.count.to_string(), result.into()]
            })
            .collect(),
    };
    if d.total == 0 || d.bins.is_empty() {
        return empty("chart-class-scores", title, table);
    }
    let desc = format!(
        "{} of {} learners passed their latest mock (pass mark {}); {}.",
        d.passed,
        d.total,
        scale.pass,
        (d.bins.iter().filter(|b| b.count > 0))
            .map(|b| format!("{}–{}: {}", b.from, b.to, b.count))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut svg = svg::open("chart-class-scores", (W, BOTTOM + 40.0), FONT, title, &desc);
    let most = d.bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let step = nice_step(f64::from(most)).max(1.0);
    let top = (f64::from(most) / step).ceil() * step;
    let count_y = |c: f64| BOTTOM - c / top * (BOTTOM - TOP);
    let mut tick = 0.0;
    while tick <= top {
        grid_line(&mut svg, count_y(tick), &format!("{tick}"));
        tick += step;
    }
    line(&mut svg, "chart-axis", (LEFT, BOTTOM), (RIGHT, BOTTOM));
    let n = d.bins.len() as f64;
    let width = (RIGHT - LEFT) / n;
    for (i, b) in d.bins.iter().enumerate() {
        let x = LEFT + width * i as f64;
        if b.count > 0 {
            let y = count_y(f64::from(b.count));
            rect(&mut svg, "chart-bar-accuracy", (x + 1.0, y), (width - 2.0, BOTTOM - y));
            text(&mut svg, "chart-value", (x + width / 2.0, y - 4.0), "middle", &b.count.to_string());
        }
    }
    // The scale's ends under the axis, and the pass line with its label.
    let (first, last) = (d.bins[0].from, d.bins[d.bins.len() - 1].to);
    text(&mut svg, "chart-label", (LEFT, BOTTOM + 16.0), "start", &first.to_string());
    text(&mut svg, "chart-label", (RIGHT, BOTTOM + 16.0), "end", &last.to_string());
    if let Some(i) = d.bins.iter().position(|b| b.passing) {
        let x = LEFT + width * i as f64;
        line(&mut svg, "chart-pass", (x, TOP), (x, BOTTOM + 4.0));
        let anchor = if x > (LEFT + RIGHT) / 2.0 { "end" } else { "start" };
        let label_x = if anchor == "end" { x - 4.0 } else { x + 4.0 };
        text(&mut svg, "chart-pass-label", (label_x, BOTTOM + 16.0), anchor, &format!("Pass {}", scale.pass));
    }
    text(&mut svg, "chart-label", ((LEFT + RIGHT) / 2.0, BOTTOM + 34.0), "middle", "Latest scaled score");
    svg.push_str("</svg>");
    Chart { svg, table }
}

/// Per domain a bar of the group's average, labelled with it and the
/// number of learners it rests on; the pass percent as a vertical line.
pub fn domain_averages(bars: &[DomainAverageBar], pass_percent: usize) -> Chart {
    let title = "Group average per domain";
    let names: Vec<String> = bars.iter().map(|b| format!("{} {}", b.code, b.name)).collect();
    let table = Table {
        caption: format!("{title}, each domain needs {pass_percent}% ({})", names.join("; ")),
        headers: strings(&["Domain", "Average", "Learners"]),
        rows: (bars.iter())
            .map(|b| vec![b.code.clone(), b.percent.map_or("—".into(), percent), b.members.to_string()])
            .collect(),
    };
    if bars.iter().all(|b| b.percent.is_none()) {
        return empty("chart-class-domains", title, table);
    }
    let each: Vec<String> =
        (bars.iter()).map(|b| format!("{} {}", b.code, b.percent.map_or("no answers".into(), percent))).collect();
    let desc = format!("{}; each domain needs {pass_percent}%.", each.join(", "));
    const ROWS_TOP: f64 = 24.0;
    const ROW_H: f64 = 40.0;
    const BAR_LEFT: f64 = 12.0;
    const BAR_W: f64 = 300.0;
    let bottom = ROWS_TOP + ROW_H * bars.len() as f64;
    let mut svg = svg::open("chart-class-domains", (W, bottom + 20.0), FONT, title, &desc);
    let length = |v: f64| if v.is_finite() { BAR_W * v.clamp(0.0, 100.0) / 100.0 } else { 0.0 };
    for v in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let x = BAR_LEFT + length(v);
        line(&mut svg, "chart-grid", (x, ROWS_TOP), (x, bottom));
        text(&mut svg, "chart-label", (x, bottom + 15.0), if v == 0.0 { "start" } else { "middle" }, &format!("{v}%"));
    }
    for (i, b) in bars.iter().enumerate() {
        let top = ROWS_TOP + ROW_H * i as f64;
        text(&mut svg, "", (BAR_LEFT, top + 13.0), "start", &clip(&format!("{} {}", b.code, b.name), NAME_CHARS + 6));
        match b.percent.filter(|p| p.is_finite()) {
            Some(p) => {
                rect(&mut svg, "chart-bar-accuracy", (BAR_LEFT, top + 18.0), (length(p), 12.0));
                let label = format!("{} ({})", percent(p), b.members);
                text(&mut svg, "chart-value", (BAR_LEFT + length(p) + 4.0, top + 28.0), "start", &label);
            }
            None => text(&mut svg, "chart-label", (BAR_LEFT, top + 28.0), "start", "no answers"),
        }
    }
    let pass_x = BAR_LEFT + length(pass_percent as f64);
    line(&mut svg, "chart-pass", (pass_x, ROWS_TOP - 6.0), (pass_x, bottom));
    text(&mut svg, "chart-pass-label", (pass_x, ROWS_TOP - 9.0), "middle", &format!("Pass {pass_percent}%"));
    svg.push_str("</svg>");
    Chart { svg, table }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::distribution;

    const SCALE: Scale = Scale { min: 100, max: 1000, pass: 720 };

    #[test]
    fn the_score_chart_marks_the_pass_mark_and_tables_every_band() {
        let d = distribution(&[650, 730, 900], SCALE, 9);
        let c = score_distribution(&d, SCALE);
        assert!(c.svg.contains("chart-pass"), "{}", c.svg);
        assert!(c.svg.contains("Pass 720"));
        assert!(c.svg.contains("2 of 3 learners passed"), "{}", c.svg);
        assert_eq!(c.table.rows.len(), d.bins.len());
        assert!(c.table.rows.contains(&vec!["720–819".to_string(), "1".into(), "Pass".into()]));
        assert!(c.table.rows.contains(&vec!["620–719".to_string(), "1".into(), "Fail".into()]));
    }

    #[test]
    fn no_scores_make_an_empty_chart() {
        let c = score_distribution(&distribution(&[], SCALE, 9), SCALE);
        assert!(c.svg.contains("No finished attempts yet"));
    }

    #[test]
    fn the_domain_chart_shows_each_average_with_its_learners_and_the_pass_percent() {
        let bars = vec![
            DomainAverageBar { code: "D1".into(), name: "Data <prep>".into(), percent: Some(62.5), members: 2 },
            DomainAverageBar { code: "D2".into(), name: "Models".into(), percent: None, members: 0 },
        ];
        let c = domain_averages(&bars, 69);
        assert!(c.svg.contains("Pass 69%"));
        assert!(c.svg.contains("Data &lt;prep&gt;"), "{}", c.svg);
        assert!(c.svg.contains("63% (2)"), "{}", c.svg);
        assert_eq!(c.table.rows[1], vec!["D2".to_string(), "—".into(), "0".into()]);
        let none = domain_averages(&bars[1..], 69);
        assert!(none.svg.contains("No finished attempts yet"));
    }
}
