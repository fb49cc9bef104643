//! What makes a blueprint sound, in words a person reads, and what a full
//! mock would draw from a bank: the checks the browser's editor and an
//! `exam.toml` share, and the editor's draw preview.

use std::collections::HashSet;

use super::Blueprint;
use super::draw::largest_remainder;

/// The most questions one attempt may hold; a blueprint asking for more
/// could never be started.
pub const MAX_QUESTION_COUNT: u32 = 200;

/// A full day: a longer time limit is a typo, not an exam.
pub const MAX_TIME_LIMIT_MINUTES: u32 = 24 * 60;

/// One thing wrong with a blueprint: the field it is about, as a path
/// (`slug`, `domains[2].weight`, `scale.pass`), and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem { field: field.into(), message: message.into() }
}

/// Lowercase letters and digits in parts joined by single hyphens, such as
/// `mla-c01`: safe in a URL and a file name as it is.
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// Every problem with `b`, in the order of its fields; none: it is sound.
/// The weights need not sum to 100: they are shares of the draw.
pub fn check(b: &Blueprint) -> Vec<Problem> {
    let mut problems = Vec::new();
    if b.slug.is_empty() {
        problems.push(problem("slug", "Give the exam a slug, such as mla-c01: it names the exam in its web address."));
    } else if !is_valid_slug(&b.slug) {
        problems.push(problem(
            "slug",
            format!(
                "The slug “{}” may hold only lowercase letters, digits and single hyphens between them, such as mla-c01.",
                b.slug
            ),
        ));
    }
    if b.slug == "new" {
        // `/instructor/exams/new` is the page that makes an exam.
        problems.push(problem("slug", "The slug “new” names the page that makes an exam; choose another."));
    }
    if b.title.trim().is_empty() {
        problems.push(problem("title", "Give the exam a title."));
    }
    if b.domains.is_empty() {
        problems.push(problem("domains", "An exam needs at least one domain: a code, a name and a weight."));
    }
    let mut codes = HashSet::new();
    for (i, d) in b.domains.iter().enumerate() {
        let n = i + 1;
        if d.code.trim().is_empty() {
            problems.push(problem(format!("domains[{i}].code"), format!("Domain {n} needs a code, such as D{n}.")));
        } else if !codes.insert(d.code.as_str()) {
            problems.push(problem(
                format!("domains[{i}].code"),
                format!("The code {} is used by an earlier domain; each domain needs its own.", d.code),
            ));
        }
        if d.name.trim().is_empty() {
            problems.push(problem(format!("domains[{i}].name"), format!("Domain {n} needs a name.")));
        }
        if d.weight == 0 {
            problems.push(problem(
                format!("domains[{i}].weight"),
                format!("Domain {n} needs a weight of 1 or more: its share of the questions in a mock."),
            ));
        }
    }
    if b.question_count == 0 || b.question_count > MAX_QUESTION_COUNT {
        problems.push(problem(
            "question_count",
            format!("The question count must be between 1 and {MAX_QUESTION_COUNT}; it is {}.", b.question_count),
        ));
    }
    if b.time_limit_minutes == 0 || b.time_limit_minutes > MAX_TIME_LIMIT_MINUTES {
        problems.push(problem(
            "time_limit_minutes",
            format!(
                "The time limit must be between 1 and {MAX_TIME_LIMIT_MINUTES} minutes; it is {}.",
                b.time_limit_minutes
            ),
        ));
    }
    if b.unscored_count > 0 && b.unscored_count >= b.question_count {
        problems.push(problem(
            "unscored_count",
            format!(
                "The unscored items ({}) must be fewer than the questions in a mock ({}): some must count.",
                b.unscored_count, b.question_count
            ),
        ));
    }
    let s = b.scale;
    if s.min >= s.max {
        problems.push(problem(
            "scale.max",
            format!("The top of the scale ({}) must be above its bottom ({}).", s.max, s.min),
        ));
    } else if s.pass < s.min || s.pass > s.max {
        problems
            .push(problem("scale.pass", format!("The pass mark {} is outside the scale {}–{}.", s.pass, s.min, s.max)));
    }
    problems
}

/// One domain's row in the draw preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewRow {
    pub code: String,
    pub name: String,
    pub weight: u32,
    /// Live questions of this domain in the bank.
    pub in_bank: u32,
    /// Its share of a full mock, as the draw apportions it.
    pub drawn: u32,
}

/// What a full mock would draw from the bank as it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawPreview {
    pub rows: Vec<PreviewRow>,
    /// One per domain with fewer questions than its share, in words.
    pub warnings: Vec<String>,
}

impl DrawPreview {
    /// Whether the bank holds enough questions for one full mock. The draw
    /// fills a short domain from the others, so the total is what counts:
    /// below it, a learner pressing Start gets fewer questions than promised.
    pub fn fills_a_mock(&self, question_count: u32) -> bool {
        self.rows.iter().map(|r| r.in_bank).sum::<u32>() >= question_count
    }
}

/// The per-domain counts a full mock of `b` draws (the same largest-remainder
/// split the draw uses), given how many live questions each domain has;
/// a domain missing from `in_bank` has none.
pub fn preview_draw(b: &Blueprint, in_bank: &[(String, u32)]) -> DrawPreview {
    let weights: Vec<u32> = b.domains.iter().map(|d| d.weight).collect();
    let quotas = largest_remainder(&weights, b.question_count);
    let mut warnings = Vec::new();
    let rows = b
        .domains
        .iter()
        .zip(quotas)
        .map(|(d, drawn)| {
            let have = in_bank.iter().find(|(code, _)| *code == d.code).map_or(0, |(_, n)| *n);
            if have < drawn {
                let questions = if have == 1 { "question" } else { "questions" };
                warnings.push(format!("{} has {have} {questions}; a full mock draws {drawn}.", d.code));
            }
            PreviewRow { code: d.code.clone(), name: d.name.clone(), weight: d.weight, in_bank: have, drawn }
        })
        .collect();
    DrawPreview { rows, warnings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::{CreditRule, Domain, Scale};

    fn domain(code: &str, weight: u32) -> Domain {
        Domain { code: code.into(), name: format!("Domain {code}"), weight }
    }

    fn sound() -> Blueprint {
        Blueprint {
            slug: "intro-net".into(),
            title: "Intro to Networking".into(),
            domains: vec![domain("D1", 50), domain("D2", 30), domain("D3", 20)],
            question_count: 10,
            time_limit_minutes: 30,
            scale: Scale { min: 100, max: 1000, pass: 700 },
            unscored_count: 0,
            description: String::new(),
            credit: CreditRule::AllOrNothing,
            explanations_in_practice: true,
        }
    }

    /// The fields with problems, in order.
    fn fields(b: &Blueprint) -> Vec<String> {
        check(b).into_iter().map(|p| p.field).collect()
    }

    fn message(b: &Blueprint, field: &str) -> String {
        check(b).into_iter().find(|p| p.field == field).map(|p| p.message).unwrap_or_default()
    }

    #[test]
    fn a_sound_blueprint_has_no_problems_and_weights_need_not_sum_to_100() {
        assert_eq!(check(&sound()), vec![]);
        let mut b = sound();
        b.domains = vec![domain("D1", 1), domain("D2", 3)];
        assert_eq!(check(&b), vec![]);
    }

    #[test]
    fn slugs_are_lowercase_letters_digits_and_single_hyphens() {
        for ok in ["a", "mla-c01", "x1-2-y"] {
            assert!(is_valid_slug(ok), "{ok}");
        }
        for bad in ["", "MLA", "mla_c01", "-a", "a-", "a--b", "a b", "é"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
        let mut b = sound();
        b.slug = "Intro Net".into();
        assert_eq!(fields(&b), ["slug"]);
        assert!(message(&b, "slug").contains("“Intro Net” may hold only lowercase letters"));
        b.slug = String::new();
        assert!(message(&b, "slug").starts_with("Give the exam a slug"));
        b.slug = "new".into();
        assert_eq!(fields(&b), ["slug"]);
        b.slug = "new-1".into();
        assert_eq!(check(&b), vec![]);
    }

    #[test]
    fn a_title_is_needed() {
        let mut b = sound();
        b.title = "  ".into();
        assert_eq!(fields(&b), ["title"]);
        assert_eq!(message(&b, "title"), "Give the exam a title.");
    }

    #[test]
    fn an_exam_needs_a_domain() {
        let mut b = sound();
        b.domains.clear();
        assert_eq!(fields(&b), ["domains"]);
    }

    #[test]
    fn each_domain_needs_a_code_a_name_and_a_weight_of_one_or_more() {
        let mut b = sound();
        b.domains[1] = Domain { code: " ".into(), name: "".into(), weight: 0 };
        assert_eq!(fields(&b), ["domains[1].code", "domains[1].name", "domains[1].weight"]);
        assert_eq!(message(&b, "domains[1].code"), "Domain 2 needs a code, such as D2.");
        assert_eq!(message(&b, "domains[1].name"), "Domain 2 needs a name.");
        assert!(message(&b, "domains[1].weight").starts_with("Domain 2 needs a weight of 1 or more"));
        b.domains[1] = domain("D2", 1);
        assert_eq!(check(&b), vec![]);
    }

    #[test]
    fn domain_codes_are_unique() {
        let mut b = sound();
        b.domains[2].code = "D1".into();
        assert_eq!(fields(&b), ["domains[2].code"]);
        assert!(message(&b, "domains[2].code").starts_with("The code D1 is used by an earlier domain"));
    }

    #[test]
    fn the_question_count_is_between_1_and_the_most_an_attempt_holds() {
        let mut b = sound();
        b.question_count = 0;
        assert_eq!(fields(&b), ["question_count"]);
        assert_eq!(message(&b, "question_count"), "The question count must be between 1 and 200; it is 0.");
        b.question_count = MAX_QUESTION_COUNT + 1;
        assert_eq!(fields(&b), ["question_count"]);
        b.question_count = MAX_QUESTION_COUNT;
        assert_eq!(check(&b), vec![]);
        b.question_count = 1;
        assert_eq!(check(&b), vec![]);
    }

    #[test]
    fn the_time_limit_is_between_a_minute_and_a_day() {
        let mut b = sound();
        b.time_limit_minutes = 0;
        assert_eq!(fields(&b), ["time_limit_minutes"]);
        assert_eq!(message(&b, "time_limit_minutes"), "The time limit must be between 1 and 1440 minutes; it is 0.");
        b.time_limit_minutes = MAX_TIME_LIMIT_MINUTES + 1;
        assert_eq!(fields(&b), ["time_limit_minutes"]);
        b.time_limit_minutes = MAX_TIME_LIMIT_MINUTES;
        assert_eq!(check(&b), vec![]);
        b.time_limit_minutes = 1;
        assert_eq!(check(&b), vec![]);
    }

    #[test]
    fn unscored_items_are_fewer_than_the_questions() {
        let mut b = sound();
        b.unscored_count = 9;
        assert_eq!(check(&b), vec![]);
        b.unscored_count = 10;
        assert_eq!(fields(&b), ["unscored_count"]);
        assert!(message(&b, "unscored_count").starts_with("The unscored items (10) must be fewer than the questions"));
        // A count of zero is reported once, on the count.
        b.question_count = 0;
        b.unscored_count = 0;
        assert_eq!(fields(&b), ["question_count"]);
    }

    #[test]
    fn the_scale_runs_upwards_and_holds_the_pass_mark() {
        let mut b = sound();
        b.scale = Scale { min: 100, max: 1000, pass: 1200 };
        assert_eq!(fields(&b), ["scale.pass"]);
        assert_eq!(message(&b, "scale.pass"), "The pass mark 1200 is outside the scale 100–1000.");
        b.scale.pass = 99;
        assert_eq!(fields(&b), ["scale.pass"]);
        b.scale.pass = 100;
        assert_eq!(check(&b), vec![]);
        b.scale.pass = 1000;
        assert_eq!(check(&b), vec![]);
        b.scale = Scale { min: 500, max: 500, pass: 500 };
        assert_eq!(fields(&b), ["scale.max"]);
        assert_eq!(message(&b, "scale.max"), "The top of the scale (500) must be above its bottom (500).");
        b.scale = Scale { min: 600, max: 500, pass: 550 };
        assert_eq!(fields(&b), ["scale.max"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut b = sound();
        b.title.clear();
        b.time_limit_minutes = 0;
        b.scale.pass = 5000;
        assert_eq!(fields(&b), ["title", "time_limit_minutes", "scale.pass"]);
    }

    fn bank(counts: &[(&str, u32)]) -> Vec<(String, u32)> {
        counts.iter().map(|(c, n)| (c.to_string(), *n)).collect()
    }

    #[test]
    fn the_draw_preview_splits_a_mock_as_the_draw_does() {
        let b = sound();
        let preview = preview_draw(&b, &bank(&[("D1", 9), ("D2", 3), ("D3", 2)]));
        let drawn: Vec<u32> = preview.rows.iter().map(|r| r.drawn).collect();
        assert_eq!(drawn, largest_remainder(&[50, 30, 20], 10));
        assert_eq!(drawn, [5, 3, 2]);
        assert_eq!(
            preview.rows[0],
            PreviewRow { code: "D1".into(), name: "Domain D1".into(), weight: 50, in_bank: 9, drawn: 5 }
        );
        assert_eq!(preview.warnings, Vec::<String>::new());
        assert!(preview.fills_a_mock(b.question_count));
    }

    #[test]
    fn the_draw_preview_warns_of_each_short_domain() {
        let b = sound();
        let preview = preview_draw(&b, &bank(&[("D1", 20), ("D2", 1), ("D9", 40)]));
        assert_eq!(preview.rows.iter().map(|r| r.in_bank).collect::<Vec<_>>(), [20, 1, 0]);
        assert_eq!(
            preview.warnings,
            ["D2 has 1 question; a full mock draws 3.", "D3 has 0 questions; a full mock draws 2."]
        );
        // The others fill in for a short domain: 21 questions fill a mock of 10.
        assert!(preview.fills_a_mock(b.question_count));
        let preview = preview_draw(&b, &bank(&[("D1", 4), ("D2", 4)]));
        assert!(!preview.fills_a_mock(9));
        assert!(preview.fills_a_mock(8));
        assert!(!preview.fills_a_mock(b.question_count));
    }
}
