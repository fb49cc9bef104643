//! The class dashboard over HTTP (issue 15, "Class dashboard"): each
//! member's attempts, scores, per-domain percents and readiness equal what
//! their own `/me` shows; the group's averages; sorting; the CSV; the
//! standing kept at grading time and by the sweep; and whose dashboard is
//! whose.

use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, key_of, location};

const DOMAINS: [&str; 4] = ["D1", "D2", "D3", "D4"];

struct Class {
    instructor: Browser,
    /// The group page's path.
    group: String,
    ada: Browser,
    bob: Browser,
}

pub(crate) async fn learner(app: &TestApp, email: &str, name: &str) -> Browser {
    let browser = app.new_browser();
    assert_eq!(browser.register(email, name, "correct horse battery").await.status(), StatusCode::SEE_OTHER);
    browser
}

/// An instructor's group that `learners` joined with its code.
async fn group_of(instructor: &Browser, learners: &[&Browser]) -> String {
    let made = instructor.post_form("/instructor/groups", &[("name", "Spring cohort")]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let path = location(&made).split('?').next().expect("a path").to_string();
    let page = instructor.get_text(&path).await;
    let start = page.find("class=\"join-code\">").expect("the code") + "class=\"join-code\">".len();
    let code = &page[start..start + 9];
    for l in learners {
        assert_eq!(l.post_form("/groups/join", &[("code", code)]).await.status(), StatusCode::OK);
    }
    path
}

async fn class(app: &TestApp) -> Class {
    let instructor = app.new_browser_as("instructor", "ines@example.org").await;
    let ada = learner(app, "ada@example.org", "Ada Lovelace").await;
    let bob = learner(app, "bob@example.org", "Bob Babbage").await;
    let group = group_of(&instructor, &[&ada, &bob]).await;
    Class { instructor, group, ada, bob }
}

/// Takes a mock, answers its first `right` items with the key and submits.
pub(crate) async fn mock(app: &TestApp, who: &Browser, right: i32) -> Uuid {
    let id = who.start(&[("mode", "exam")]).await;
    for n in 1..=right {
        let key = key_of(&app.db, id, n).await;
        assert_eq!(who.save_json(id, n, json!({ "seq": 1, "response": key })).await.status(), StatusCode::OK);
    }
    assert_eq!(who.submit(id).await.status(), StatusCode::SEE_OTHER);
    id
}

async fn scaled(app: &TestApp, attempt: Uuid) -> i64 {
    sqlx::query_scalar("SELECT (score->>'scaled')::bigint FROM attempts WHERE id = $1")
        .bind(attempt)
        .fetch_one(&app.db)
        .await
        .expect("a graded attempt")
}

/// The text between `after` and the next `until`, from where `after` is.
fn between<'a>(html: &'a str, after: &str, until: &str) -> &'a str {
    let start = html.find(after).unwrap_or_else(|| panic!("{after} in {html}")) + after.len();
    let end = html[start..].find(until).expect("the end") + start;
    &html[start..end]
}

/// The learner's own per-domain figures on `/me`: (percent, answers), or
/// None where they have no new answers yet.
async fn me_figures(who: &Browser) -> Vec<Option<(u32, u32)>> {
    let me = who.get_text("/me").await;
    DOMAINS
        .iter()
        .map(|code| {
            let li = between(&me, &format!("<li data-domain=\"{code}\">"), "</li>");
            if li.contains("no new answers yet") {
                return None;
            }
            let percent = between(li, "<span class=\"figure\">", "%").parse().expect("a percent");
            let total = between(li, "of ", "<").parse().expect("a count");
            Some((percent, total))
        })
        .collect()
}

/// The row of `name` on the dashboard.
fn row<'a>(page: &'a str, name: &str) -> &'a str {
    let start = page.find(&format!("class=\"member-name\">{name}</td>")).unwrap_or_else(|| panic!("{name}: {page}"));
    let end = page[start..].find("</tr>").expect("the row's end") + start;
    &page[start..end]
}

fn dashboard_figures(row: &str) -> Vec<Option<(u32, u32)>> {
    DOMAINS
        .iter()
        .map(|code| {
            let cell = between(row, &format!("data-domain=\"{code}\">"), "</td>");
            (cell != "—").then(|| {
                let (percent, total) = cell.split_once("% of ").expect("n% of m");
                (percent.parse().expect("a percent"), total.parse().expect("a count"))
            })
        })
        .collect()
}

/// The names in the dashboard's rows, top to bottom.
fn names(page: &str) -> Vec<String> {
    page.split("class=\"member-name\">").skip(1).map(|s| s[..s.find("</td>").unwrap()].to_string()).collect()
}

#[tokio::test]
async fn the_dashboard_shows_each_member_as_their_own_progress_page_does() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    let ada_mock = mock(&app, &c.ada, 45).await;
    let bob_mock = mock(&app, &c.bob, 10).await;
    let (ada_scaled, bob_scaled) = (scaled(&app, ada_mock).await, scaled(&app, bob_mock).await);
    assert!(ada_scaled > bob_scaled);

    let page = c.instructor.get_text(&c.group).await;
    let dashboard = format!("{}/dashboard", c.group);
    assert!(page.contains(&format!("href=\"{dashboard}\"")), "linked from the group page");
    let page = c.instructor.get_text(&dashboard).await;
    assert!(page.contains("<option value=\"mla-c01\" selected>"), "the exam with the most mocks: {page}");

    let (ada_me, bob_me) = (me_figures(&c.ada).await, me_figures(&c.bob).await);
    for (name, scaled, me) in [("Ada Lovelace", ada_scaled, &ada_me), ("Bob Babbage", bob_scaled, &bob_me)] {
        let r = row(&page, name);
        assert!(r.contains("1 mock, 1 in all"), "{r}");
        let result = if scaled >= 720 { "pass" } else { "fail" };
        assert!(r.contains(&format!("class=\"latest\">{scaled} ({result})")), "{r}");
        assert!(r.contains(&format!("class=\"best\">{scaled} ({result})")), "{r}");
        assert_eq!(&dashboard_figures(r), me, "{name}'s domains as on their /me");
        // One mock is too little to judge, as /me says.
        assert!(r.contains("<strong>Too early to tell</strong>"), "{r}");
        assert!(r.contains("Take 2 more full mocks"), "{r}");
        // Not ready yet is not "not yet": the mock is recent, nothing is overdue.
        assert!(r.contains("class=\"risk\">No</td>"), "{r}");
    }
    assert!(c.ada.get_text("/me").await.contains("Too early to tell"));

    // The group's average per domain: the mean of the members' percents.
    // /me shows whole percents rounded down of at most 40 answers, so the
    // number right is the least that gives that percent.
    for (i, code) in DOMAINS.iter().enumerate() {
        let percents: Vec<f64> = [&ada_me, &bob_me]
            .iter()
            .filter_map(|m| m[i])
            .map(|(p, n)| {
                let right = (p * n).div_ceil(100);
                100.0 * f64::from(right) / f64::from(n)
            })
            .collect();
        let li = between(&page, &format!("<li data-domain=\"{code}\">"), "</li>");
        assert!(li.contains(&format!("of {} learner", percents.len())), "{li}");
        if !percents.is_empty() {
            let mean = percents.iter().sum::<f64>() / percents.len() as f64;
            assert!(li.contains(&format!("<span class=\"figure\">{}%</span>", mean.round() as i64)), "{code}: {li}");
        }
    }
    let mean_latest = (ada_scaled + bob_scaled) as f64 / 2.0;
    assert!(
        between(&page, "id=\"mean-latest\">", "<").trim() == format!("{}", mean_latest.round() as i64),
        "mean latest: {page}"
    );
    assert_eq!(between(&page, "id=\"count-too-early\">", "<"), "2");
    // Both charts, drawn on the server.
    assert!(page.contains("id=\"chart-class-scores-title\""), "{page}");
    assert!(page.contains("id=\"chart-class-domains-title\""), "{page}");

    // The CSV holds the same figures.
    let csv = c.instructor.get(&format!("{}/dashboard.csv?exam=mla-c01", c.group)).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(lines[0].starts_with("name,finished_mocks,finished_attempts,latest_scaled,latest_result,best_scaled,best_result,D1,D2,D3,D4,readiness"), "{}", lines[0]);
    let ada_line = lines.iter().find(|l| l.starts_with("Ada Lovelace,")).expect("Ada's row");
    let cells: Vec<&str> = ada_line.split(',').collect();
    assert_eq!(
        &cells[1..7],
        &[
            "1",
            "1",
            &ada_scaled.to_string(),
            if ada_scaled >= 720 { "pass" } else { "fail" },
            &ada_scaled.to_string(),
            if ada_scaled >= 720 { "pass" } else { "fail" }
        ]
    );
    let csv_domains: Vec<Option<u32>> = cells[7..11].iter().map(|c| c.parse().ok()).collect();
    assert_eq!(csv_domains, ada_me.iter().map(|f| f.map(|(p, _)| p)).collect::<Vec<_>>());
    assert!(ada_line.contains("Too early to tell"), "{ada_line}");
}

#[tokio::test]
async fn the_group_average_is_the_mean_of_the_members_percents() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    mock(&app, &c.ada, 65).await;
    mock(&app, &c.bob, 0).await;
    let page = c.instructor.get_text(&format!("{}/dashboard", c.group)).await;
    let (ada, bob) = (me_figures(&c.ada).await, me_figures(&c.bob).await);
    for (i, code) in DOMAINS.iter().enumerate() {
        let (a, b) = (ada[i].expect("Ada answered"), bob[i].expect("Bob answered"));
        assert_eq!((a.0, b.0), (100, 0), "{code}: all right and all wrong");
        let li = between(&page, &format!("<li data-domain=\"{code}\">"), "</li>");
        assert!(li.contains("<span class=\"figure\">50%</span>"), "{code}: {li}");
        assert!(li.contains("of 2 learners"), "{li}");
    }
}

#[tokio::test]
async fn columns_sort_on_the_server_either_way() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    mock(&app, &c.ada, 45).await;
    mock(&app, &c.bob, 5).await;
    let base = format!("{}/dashboard?exam=mla-c01", c.group);
    let by_name = c.instructor.get_text(&base).await;
    assert_eq!(names(&by_name), ["Ada Lovelace", "Bob Babbage"]);
    let asc = c.instructor.get_text(&format!("{base}&sort=latest&dir=asc")).await;
    assert_eq!(names(&asc), ["Bob Babbage", "Ada Lovelace"]);
    // The sorted header says so, and its link flips the order.
    let sorted = between(&asc, "aria-sort=\"ascending\">", "</th>");
    assert!(sorted.contains("sort=latest&#38;dir=desc") && sorted.ends_with(">Latest</a>"), "{sorted}");
    assert_eq!(asc.matches("aria-sort=\"ascending\"").count(), 1);
    let desc = c.instructor.get_text(&format!("{base}&sort=latest&dir=desc")).await;
    assert_eq!(names(&desc), ["Ada Lovelace", "Bob Babbage"]);
    assert!(between(&desc, "aria-sort=\"descending\">", "</th>").ends_with(">Latest</a>"), "{desc}");
    let by_d1 = c.instructor.get_text(&format!("{base}&sort=D1&dir=asc")).await;
    assert_eq!(names(&by_d1).len(), 2);
    // An unknown column sorts by name.
    assert_eq!(names(&c.instructor.get_text(&format!("{base}&sort=nope")).await), ["Ada Lovelace", "Bob Babbage"]);
    // The CSV keeps the order asked for.
    let csv = c.instructor.get_text(&format!("{}/dashboard.csv?exam=mla-c01&sort=latest&dir=asc", c.group)).await;
    let first = csv.trim_start_matches('\u{feff}').lines().nth(1).expect("a row");
    assert!(first.starts_with("Bob Babbage,"), "{csv}");
}

#[tokio::test]
async fn a_standing_refreshes_after_another_mock_and_a_removed_member_leaves_the_dashboard() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    let first = mock(&app, &c.ada, 5).await;
    let dashboard = format!("{}/dashboard", c.group);
    let before = c.instructor.get_text(&dashboard).await;
    assert!(row(&before, "Ada Lovelace").contains("1 mock, 1 in all"));
    // Bob has no attempt yet: he is listed, with nothing to show.
    let bob = row(&before, "Bob Babbage");
    assert!(bob.contains("0 mocks, 0 in all") && bob.contains("class=\"latest\">—"), "{bob}");
    assert!(bob.contains("no finished mock yet"), "at risk without a mock: {bob}");

    let second = mock(&app, &c.ada, 50).await;
    let after = c.instructor.get_text(&dashboard).await;
    let ada = row(&after, "Ada Lovelace");
    assert!(ada.contains("2 mocks, 2 in all"), "{ada}");
    let latest = scaled(&app, second).await;
    let best = latest.max(scaled(&app, first).await);
    assert!(ada.contains(&format!("class=\"latest\">{latest} (")), "{ada}");
    assert!(ada.contains(&format!("class=\"best\">{best} (")), "{ada}");
    assert_eq!(dashboard_figures(ada), me_figures(&c.ada).await);

    let bob_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'bob@example.org'").fetch_one(&app.db).await.unwrap();
    let removed = c.instructor.post_form(&format!("{}/members/{bob_id}/remove", c.group), &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let page = c.instructor.get_text(&dashboard).await;
    assert!(!page.contains("Bob Babbage"), "{page}");
    assert_eq!(names(&page), ["Ada Lovelace"]);
}

#[tokio::test]
async fn the_sweep_refreshes_a_standing_written_stale() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    mock(&app, &c.ada, 30).await;
    // As if the refresh had failed at grading time: the row is old and wrong.
    sqlx::query("UPDATE learner_standings SET finished_mocks = 99, through = through - interval '1 day'")
        .execute(&app.db)
        .await
        .unwrap();
    // And a standing missing altogether, as after attempts written directly.
    mock(&app, &c.bob, 30).await;
    let deleted = sqlx::query(
        "DELETE FROM learner_standings s USING users u WHERE u.id = s.user_id AND u.email = 'bob@example.org'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    assert_eq!(deleted.rows_affected(), 1);
    let dashboard = format!("{}/dashboard", c.group);
    assert!(row(&c.instructor.get_text(&dashboard).await, "Ada Lovelace").contains("99 mocks"));

    let state = mockexam::app::App::new(app.db.clone(), Default::default(), app.clock.clone());
    assert_eq!(mockexam::app::standings::refresh_stale(&state, 10).await.unwrap(), 2);
    assert_eq!(mockexam::app::standings::refresh_stale(&state, 10).await.unwrap(), 0, "nothing left stale");
    let page = c.instructor.get_text(&dashboard).await;
    assert!(row(&page, "Ada Lovelace").contains("1 mock, 1 in all"), "{page}");
    assert!(row(&page, "Bob Babbage").contains("1 mock, 1 in all"), "{page}");
}

#[tokio::test]
async fn another_instructor_gets_404_and_a_learner_403() {
    let app = TestApp::spawn().await;
    let c = class(&app).await;
    let other = app.new_browser_as("instructor", "otto@example.org").await;
    for path in [format!("{}/dashboard", c.group), format!("{}/dashboard.csv?exam=mla-c01", c.group)] {
        assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(c.ada.get(&path).await.status(), StatusCode::FORBIDDEN, "{path}");
        assert_eq!(c.instructor.get(&path).await.status(), StatusCode::OK, "{path}");
    }
    let admin = app.new_browser_as("admin", "root@example.org").await;
    assert_eq!(admin.get(&format!("{}/dashboard", c.group)).await.status(), StatusCode::OK, "admins see every group");
    let unknown = format!("/instructor/groups/{}/dashboard", Uuid::new_v4());
    assert_eq!(c.instructor.get(&unknown).await.status(), StatusCode::NOT_FOUND);
    let no_exam = format!("{}/dashboard?exam=no-such-exam", c.group);
    assert_eq!(c.instructor.get(&no_exam).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn empty_groups_and_groups_without_attempts_say_so() {
    let app = TestApp::spawn().await;
    let instructor = app.new_browser_as("instructor", "ines@example.org").await;
    let empty = group_of(&instructor, &[]).await;
    let page = instructor.get_text(&format!("{empty}/dashboard")).await;
    assert!(page.contains("No one has joined this group yet."), "{page}");
    let ada = learner(&app, "ada@example.org", "Ada Lovelace").await;
    let joined = group_of(&instructor, &[&ada]).await;
    let page = instructor.get_text(&format!("{joined}/dashboard")).await;
    assert!(page.contains("none has finished an attempt yet"), "{page}");
    let csv = instructor.get_text(&format!("{joined}/dashboard.csv")).await;
    assert_eq!(csv.trim_start_matches('\u{feff}').lines().count(), 1, "the header alone: {csv}");
}

#[tokio::test]
async fn names_in_the_csv_are_quoted_and_cannot_run_as_formulas() {
    let app = TestApp::spawn().await;
    let instructor = app.new_browser_as("instructor", "ines@example.org").await;
    let eve = learner(&app, "eve@example.org", "=HYPERLINK(\"x\"), Eve").await;
    let group = group_of(&instructor, &[&eve]).await;
    mock(&app, &eve, 3).await;
    let csv = instructor.get_text(&format!("{group}/dashboard.csv?exam=mla-c01")).await;
    let row = csv.lines().nth(1).expect("Eve's row");
    assert!(row.starts_with("\"'=HYPERLINK(\"\"x\"\"), Eve\","), "{row}");
}
