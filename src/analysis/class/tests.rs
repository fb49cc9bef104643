use time::macros::datetime;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-11-30 12:00 UTC);

fn figure(code: &str, correct: u32, total: u32) -> DomainFigure {
    DomainFigure { code: code.into(), correct, total }
}

fn standing(n: u128, name: &str) -> Standing {
    Standing {
        user: Uuid::from_u128(n),
        name: name.into(),
        finished_mocks: 0,
        finished_attempts: 0,
        latest: None,
        latest_at: None,
        best: None,
        domains: vec![figure("D1", 0, 0), figure("D2", 0, 0)],
        verdict: Verdict::TooLittleData,
        statement: String::new(),
    }
}

fn codes() -> Vec<String> {
    vec!["D1".into(), "D2".into()]
}

#[test]
fn a_learner_with_a_recent_mock_and_no_verdict_against_them_is_not_at_risk() {
    let recent = Some(NOW - Duration::days(RECENT_MOCK_DAYS));
    assert_eq!(at_risk(Verdict::Ready, recent, 0, NOW), vec![]);
    assert_eq!(at_risk(Verdict::TooLittleData, recent, 0, NOW), vec![]);
}

#[test]
fn not_ready_no_recent_mock_and_overdue_work_each_put_a_learner_at_risk() {
    let recent = Some(NOW - Duration::days(1));
    assert_eq!(at_risk(Verdict::NotYet, recent, 0, NOW), vec![Risk::NotReady]);
    let old = Some(NOW - Duration::days(RECENT_MOCK_DAYS) - Duration::seconds(1));
    assert_eq!(at_risk(Verdict::Ready, old, 0, NOW), vec![Risk::NoRecentMock]);
    assert_eq!(at_risk(Verdict::Ready, None, 0, NOW), vec![Risk::NoMock]);
    assert_eq!(at_risk(Verdict::Ready, recent, 2, NOW), vec![Risk::Overdue(2)]);
    assert_eq!(at_risk(Verdict::NotYet, None, 1, NOW), vec![Risk::NotReady, Risk::NoMock, Risk::Overdue(1)]);
}

#[test]
fn risks_read_as_words() {
    assert_eq!(Risk::NotReady.words(), "not ready");
    assert_eq!(Risk::NoMock.words(), "no finished mock yet");
    assert_eq!(Risk::NoRecentMock.words(), "no finished mock in the last 14 days");
    assert_eq!(Risk::Overdue(1).words(), "1 assignment overdue");
    assert_eq!(Risk::Overdue(3).words(), "3 assignments overdue");
}

#[test]
fn the_group_average_is_the_mean_of_member_percents_over_members_with_answers() {
    let mut a = standing(1, "A");
    a.domains = vec![figure("D1", 1, 2), figure("D2", 0, 0)];
    a.latest = Some(Mark { scaled: 700, passed: false });
    a.verdict = Verdict::NotYet;
    let mut b = standing(2, "B");
    // 3 of 4 and 1 of 2: 75% and 50% average 62.5%, not 4 of 6.
    b.domains = vec![figure("D1", 3, 4), figure("D2", 0, 0)];
    b.latest = Some(Mark { scaled: 900, passed: true });
    b.verdict = Verdict::Ready;
    let c = standing(3, "C");
    let s = summary(&codes(), &[a, b, c]);
    assert_eq!(
        s.domains,
        vec![
            DomainAverage { code: "D1".into(), percent: Some(62.5), members: 2 },
            DomainAverage { code: "D2".into(), percent: None, members: 0 },
        ]
    );
    assert_eq!(s.mean_latest, Some(800.0));
    assert_eq!(s.with_latest, 2);
    assert_eq!((s.ready, s.not_yet, s.too_little_data), (1, 1, 1));
}

#[test]
fn a_group_without_members_has_no_averages() {
    let s = summary(&codes(), &[]);
    assert_eq!(s.mean_latest, None);
    assert_eq!(s.with_latest, 0);
    assert!(s.domains.iter().all(|d| d.percent.is_none() && d.members == 0));
}

#[test]
fn sort_keys_are_the_column_words_and_the_exams_domain_codes() {
    let codes = codes();
    for word in ["name", "attempts", "latest", "best", "readiness", "risk", "D1", "D2"] {
        let key = SortKey::parse(word, &codes).expect(word);
        assert_eq!(key.as_str(), word);
    }
    assert_eq!(SortKey::parse("D2", &codes), Some(SortKey::Domain("D2".into())));
    assert_eq!(SortKey::parse("D9", &codes), None);
    assert_eq!(SortKey::parse("", &codes), None);
}

fn sorted(standings: &[Standing], risks: &[Vec<Risk>], key: &SortKey, descending: bool) -> Vec<String> {
    let mut rows: Vec<(&Standing, &Vec<Risk>)> = standings.iter().zip(risks).collect();
    sort(&mut rows, key, descending, |&(s, r)| (s, r.as_slice()));
    rows.iter().map(|(s, _)| s.name.clone()).collect()
}

fn class() -> (Vec<Standing>, Vec<Vec<Risk>>) {
    let mut ann = standing(1, "ann");
    ann.finished_mocks = 2;
    ann.finished_attempts = 5;
    ann.latest = Some(Mark { scaled: 650, passed: false });
    ann.best = Some(Mark { scaled: 800, passed: true });
    ann.domains = vec![figure("D1", 1, 4), figure("D2", 0, 0)];
    ann.verdict = Verdict::NotYet;
    let mut bob = standing(2, "Bob");
    bob.finished_mocks = 2;
    bob.finished_attempts = 3;
    bob.latest = Some(Mark { scaled: 900, passed: true });
    bob.best = Some(Mark { scaled: 900, passed: true });
    bob.domains = vec![figure("D1", 3, 4), figure("D2", 1, 1)];
    bob.verdict = Verdict::Ready;
    let mut cy = standing(3, "Cy");
    cy.finished_attempts = 9;
    // In the order given: Cy, Bob, Ann.
    let risks = vec![vec![Risk::NoMock, Risk::Overdue(1)], vec![], vec![Risk::NotReady]];
    (vec![cy, bob, ann], risks)
}

#[test]
fn names_sort_without_regard_to_case_either_way() {
    let (s, r) = class();
    assert_eq!(sorted(&s, &r, &SortKey::Name, false), ["ann", "Bob", "Cy"]);
    assert_eq!(sorted(&s, &r, &SortKey::Name, true), ["Cy", "Bob", "ann"]);
}

#[test]
fn scores_sort_either_way_with_members_without_one_last() {
    let (s, r) = class();
    assert_eq!(sorted(&s, &r, &SortKey::Latest, false), ["ann", "Bob", "Cy"]);
    assert_eq!(sorted(&s, &r, &SortKey::Latest, true), ["Bob", "ann", "Cy"]);
    assert_eq!(sorted(&s, &r, &SortKey::Best, false), ["ann", "Bob", "Cy"]);
    assert_eq!(sorted(&s, &r, &SortKey::Best, true), ["Bob", "ann", "Cy"]);
}

#[test]
fn attempts_sort_by_mocks_then_all_attempts() {
    let (s, r) = class();
    // Cy has the most attempts but no mock.
    assert_eq!(sorted(&s, &r, &SortKey::Attempts, false), ["Cy", "Bob", "ann"]);
    assert_eq!(sorted(&s, &r, &SortKey::Attempts, true), ["ann", "Bob", "Cy"]);
}

#[test]
fn readiness_sorts_not_yet_then_too_little_data_then_ready() {
    let (s, r) = class();
    assert_eq!(sorted(&s, &r, &SortKey::Readiness, false), ["ann", "Cy", "Bob"]);
    assert_eq!(sorted(&s, &r, &SortKey::Readiness, true), ["Bob", "Cy", "ann"]);
}

#[test]
fn risk_sorts_by_how_many_reasons() {
    let (s, r) = class();
    assert_eq!(sorted(&s, &r, &SortKey::Risk, false), ["Bob", "ann", "Cy"]);
    assert_eq!(sorted(&s, &r, &SortKey::Risk, true), ["Cy", "ann", "Bob"]);
}

#[test]
fn a_domain_sorts_by_its_percent_with_members_without_answers_last() {
    let (s, r) = class();
    let d1 = SortKey::Domain("D1".into());
    assert_eq!(sorted(&s, &r, &d1, false), ["ann", "Bob", "Cy"]);
    assert_eq!(sorted(&s, &r, &d1, true), ["Bob", "ann", "Cy"]);
    // Only Bob has D2 answers; the others tie and go by name.
    let d2 = SortKey::Domain("D2".into());
    assert_eq!(sorted(&s, &r, &d2, true), ["Bob", "ann", "Cy"]);
    assert_eq!(sorted(&s, &r, &d2, false), ["Bob", "ann", "Cy"]);
}

#[test]
fn ties_go_by_name() {
    let (s, r) = class();
    let mut s = s;
    for x in &mut s {
        x.latest = Some(Mark { scaled: 700, passed: false });
    }
    assert_eq!(sorted(&s, &r, &SortKey::Latest, true), ["ann", "Bob", "Cy"]);
}

#[test]
fn a_standing_reads_the_history_as_me_does() {
    use crate::exam::Mode;
    use crate::progress::testing::{self as t, attempt_scaled};
    let blueprint = t::blueprint();
    let (mock1, mut answers) = t::mock(1, t::at(0, 0), &[(1, "D1", true), (2, "D1", false), (3, "D2", true)]);
    let (mock2, more) = t::mock(2, t::at(1, 0), &[(4, "D1", true)]);
    answers.extend(more);
    let mut first = mock1.clone();
    first.score.scaled = 800;
    first.score.passed = true;
    let mut second = mock2.clone();
    second.score.scaled = 600;
    second.score.passed = false;
    let practice = attempt_scaled(3, Mode::Practice, t::at(2, 0), 1000);
    let history = History::new(answers, vec![second, practice, first]);
    let s = Standing::of(Uuid::from_u128(7), &blueprint, &history);
    assert_eq!((s.finished_mocks, s.finished_attempts), (2, 3));
    assert_eq!(s.latest, Some(Mark { scaled: 600, passed: false }));
    assert_eq!(s.latest_at, Some(t::at(1, 0)));
    assert_eq!(s.best, Some(Mark { scaled: 800, passed: true }));
    assert_eq!(s.domains, readiness::domain_figures(&blueprint, &history));
    assert_eq!(s.domains[0], DomainFigure { code: "D1".into(), correct: 2, total: 3 });
    let r = readiness::readiness(&blueprint, &history);
    assert_eq!((s.verdict, s.statement), (r.verdict, r.statement));
}

#[test]
fn the_first_of_equal_best_scores_is_the_best() {
    use crate::progress::testing::{self as t, attempt_scaled};
    let mut a = attempt_scaled(1, crate::exam::Mode::Exam, t::at(0, 0), 700);
    a.score.passed = true; // told apart from the second by its result alone
    let b = attempt_scaled(2, crate::exam::Mode::Exam, t::at(1, 0), 700);
    let s = Standing::of(Uuid::nil(), &t::blueprint(), &History::new(vec![], vec![a, b]));
    assert_eq!(s.best, Some(Mark { scaled: 700, passed: true }));
    let empty = Standing::of(Uuid::nil(), &t::blueprint(), &History::default());
    assert_eq!((empty.latest, empty.best, empty.latest_at), (None, None, None));
}

#[test]
fn a_domain_sorts_by_the_share_right_not_the_count() {
    let (mut s, r) = class();
    // Cy: 3 of 6 (50%); Bob: 3 of 4 (75%); Ann: 1 of 1 (100%).
    s[0].domains[0] = figure("D1", 3, 6);
    s[1].domains[0] = figure("D1", 3, 4);
    s[2].domains[0] = figure("D1", 1, 1);
    assert_eq!(sorted(&s, &r, &SortKey::Domain("D1".into()), true), ["ann", "Bob", "Cy"]);
}

#[test]
fn without_mocks_attempts_still_sort_by_all_finished_attempts() {
    let (mut s, mut r) = class();
    let mut dee = standing(4, "Dee");
    dee.finished_attempts = 2;
    s.push(dee);
    r.push(vec![]);
    // Dee and Cy have no mock; Cy has more attempts.
    assert_eq!(sorted(&s, &r, &SortKey::Attempts, false), ["Dee", "Cy", "Bob", "ann"]);
}
