//! Assignments over HTTP (issue 15, "Groups and assignments"): an
//! instructor assigns a full mock or a drill to a group, learners start it
//! from /me and finish it, and each member's status (done with the score,
//! in progress, not started, overdue) shows on both sides; only matching
//! work counts; the form's checks; deleting; whose group is whose.

use std::sync::Arc;

use reqwest::StatusCode;
use time::Duration;
use uuid::Uuid;

use crate::helpers::{Browser, TestApp, location};

/// Makes a group as `instructor`; returns its page's path and join code.
async fn make_group(instructor: &Browser, name: &str) -> (String, String) {
    let made = instructor.post_form("/instructor/groups", &[("name", name)]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let path = location(&made).split('?').next().expect("a path").to_string();
    let page = instructor.get_text(&path).await;
    let start = page.find("class=\"join-code\">").expect("the code is shown") + "class=\"join-code\">".len();
    (path, page[start..start + 9].to_string())
}

/// A new learner who has joined the group with `code`.
async fn member(app: &TestApp, email: &str, name: &str, code: &str) -> Browser {
    let browser = app.new_browser();
    assert_eq!(browser.register(email, name, "correct horse battery").await.status(), StatusCode::SEE_OTHER);
    let joined = browser.post_form("/groups/join", &[("code", code)]).await;
    assert!(joined.text().await.expect("a body").contains("You joined"), "{email} joined");
    browser
}

/// The due date `days` from the server's now, as the date field sends it.
fn in_days(app: &TestApp, days: i64) -> String {
    (app.clock.now() + Duration::days(days)).date().to_string()
}

/// Assigns with the form's `fields`; returns the assignment's page path.
async fn assign(instructor: &Browser, group: &str, fields: &[(&str, &str)]) -> String {
    let response = instructor.post_form(&format!("{group}/assignments/new"), fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "assigned: {:?}", response.text().await);
    assert_eq!(location(&response), format!("{group}?notice=assigned#assignments"));
    let page = instructor.get_text(location(&response)).await;
    assert!(page.contains("Assigned. Your learners see it on their page."), "{page}");
    let at = page.find(&format!("href=\"{group}/assignments/")).expect("the assignment is linked") + 6;
    page[at..at + page[at..].find('"').expect("a closing quote")].to_string()
}

/// Presses the first Start button of /me's assignments, as a browser
/// would post that form; returns the attempt it started.
async fn start_from_me(learner: &Browser) -> Uuid {
    let me = learner.get_text("/me").await;
    let form_at = me.find("class=\"inline start-assignment\"").expect("a Start button");
    let form = &me[me[..form_at].rfind("<form").expect("its form")..];
    let form = &form[..form.find("</form>").expect("the form ends")];
    let action_at = form.find("action=\"").expect("an action") + 8;
    let action = &form[action_at..action_at + form[action_at..].find('"').unwrap()];
    let fields: Vec<(String, String)> = form
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|f| {
            let name = &f[..f.find('"').unwrap()];
            let value_at = f.find("value=\"").unwrap() + 7;
            (name.to_string(), f[value_at..value_at + f[value_at..].find('"').unwrap()].to_string())
        })
        .filter(|(name, _)| name != "csrf_token")
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let started = learner.post_form(action, &fields).await;
    assert_eq!(started.status(), StatusCode::SEE_OTHER, "started: {:?}", started.text().await);
    let to = location(&started);
    to.strip_prefix("/attempts/").and_then(|r| r.split('/').next()).expect("an attempt").parse().expect("a uuid")
}

async fn submit(learner: &Browser, attempt: Uuid) {
    let done = learner.submit(attempt).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER, "submitted");
}

/// The text of the status cell in `name`'s row of an assignment page.
fn row_of<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page.find(&format!("<td data-label=\"Name\">{name}</td>")).unwrap_or_else(|| panic!("{name}: {page}"));
    &page[at..at + page[at..].find("</tr>").expect("the row ends")]
}

#[tokio::test]
async fn a_full_mock_started_from_me_shows_done_with_its_score_and_a_late_member_overdue() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (group, code) = make_group(&ines, "Spring cohort").await;
    let ada = member(&app, "ada@example.org", "Ada Lovelace", &code).await;
    let bob = member(&app, "bob@example.org", "Bob Babbage", &code).await;
    let cy = member(&app, "cy@example.org", "Cy Clark", &code).await;

    let form = ines.get_text(&format!("{group}/assignments/new")).await;
    assert!(form.contains("Assign to Spring cohort") && form.contains("value=\"mla-c01\""), "{form}");
    let due = in_days(&app, 1);
    let page = assign(
        &ines,
        &group,
        &[("exam", "mla-c01"), ("mode", "exam"), ("due_date", &due), ("note", "before the Friday class")],
    )
    .await;
    let group_page = ines.get_text(&group).await;
    assert!(group_page.contains("Full mock") && group_page.contains(&format!("due {due} 23:59 UTC")), "{group_page}");
    assert!(group_page.contains("0 of 3 done"), "{group_page}");

    let me = ada.get_text("/me").await;
    assert!(me.contains("Your assignments") && me.contains("Spring cohort"), "{me}");
    assert!(me.contains("Full mock") && me.contains("Not started") && me.contains("before the Friday class"), "{me}");
    let attempt = start_from_me(&ada).await;
    let (mode, count): (String, i32) = sqlx::query_as("SELECT mode, item_count FROM attempts WHERE id = $1")
        .bind(attempt)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((mode.as_str(), count), ("exam", 65), "the Start button starts the full mock");
    assert!(ada.get_text("/me").await.contains("In progress"));
    assert!(row_of(&ines.get_text(&page).await, "Ada Lovelace").contains("In progress"));
    submit(&ada, attempt).await;
    let (scaled, passed): (i32, bool) =
        sqlx::query_as("SELECT (score->>'scaled')::int, (score->>'passed')::boolean FROM attempts WHERE id = $1")
            .bind(attempt)
            .fetch_one(&app.db)
            .await
            .unwrap();

    let me = ada.get_text("/me").await;
    let verdict = if passed { "pass" } else { "fail" };
    assert!(me.contains(&format!("{scaled}, {verdict}")), "done with the score: {me}");
    assert!(me.contains(&format!("href=\"/attempts/{attempt}/result\"")), "{me}");
    assert!(!me.contains("class=\"inline start-assignment\""), "nothing open: {me}");

    // Cy has it open for now; Bob never starts.
    let cys = start_from_me(&cy).await;
    let shown = ines.get_text(&page).await;
    assert!(row_of(&shown, "Ada Lovelace").contains(&format!("{scaled} ({verdict})")), "{shown}");
    assert!(row_of(&shown, "Ada Lovelace").contains(">Done<"), "{shown}");
    assert!(row_of(&shown, "Bob Babbage").contains("Not started"), "{shown}");
    assert!(row_of(&shown, "Cy Clark").contains("In progress"), "{shown}");
    assert!(shown.contains("1 of 3 done") && !shown.contains("overdue"), "{shown}");
    submit(&cy, cys).await;

    // Past the due time, Bob's is overdue, on both sides; done stays done.
    // (Two days: past the end of tomorrow, within a session's idle time.)
    app.clock.advance(Duration::days(2));
    let shown = ines.get_text(&page).await;
    assert!(row_of(&shown, "Bob Babbage").contains("Overdue"), "{shown}");
    assert!(row_of(&shown, "Cy Clark").contains(">Done<"), "{shown}");
    assert!(ines.get_text(&group).await.contains("2 of 3 done, 1 overdue"));
    assert!(bob.get_text("/me").await.contains("Overdue"));
    // The dashboard's meeting point counts it too.
    let state = mockexam::app::App::new(app.db.clone(), Arc::new(Default::default()), app.clock.clone());
    let group_id: Uuid = group.rsplit('/').next().unwrap().parse().unwrap();
    let overdue = mockexam::app::assignments::overdue_for(&state, group_id).await.expect("overdue counts");
    let bob_id: Uuid =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'bob@example.org'").fetch_one(&app.db).await.unwrap();
    assert_eq!(overdue.into_iter().collect::<Vec<_>>(), [(bob_id, 1)]);
    // And the class dashboard names him at risk for it, and only him.
    let dashboard = ines.get_text(&format!("{group}/dashboard?exam=mla-c01")).await;
    let dashboard_row = |name: &str| {
        let at = dashboard.find(&format!("class=\"member-name\">{name}</td>")).expect("a row per member");
        dashboard[at..at + dashboard[at..].find("</tr>").expect("the row ends")].to_string()
    };
    assert!(dashboard_row("Bob Babbage").contains("1 assignment overdue"), "{dashboard}");
    assert!(!dashboard_row("Ada Lovelace").contains("overdue"), "{dashboard}");
}

#[tokio::test]
async fn a_drill_is_done_only_by_a_drill_of_its_domain_and_count_started_after_it_was_set() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (group, code) = make_group(&ines, "Drillers").await;
    let ada = member(&app, "ada@example.org", "Ada Lovelace", &code).await;
    // A matching drill taken before the assignment was set does not count.
    let before = ada.start(&[("mode", "drill"), ("domains", "D3"), ("count", "5")]).await;
    submit(&ada, before).await;
    app.clock.advance(Duration::seconds(1));

    let page =
        assign(&ines, &group, &[("exam", "mla-c01"), ("mode", "drill"), ("domains", "D3"), ("count", "5")]).await;
    assert!(ines.get_text(&group).await.contains("Drill of D3, 5 questions"));
    // Another domain, too few questions, another mode: none is the drill.
    for fields in [
        &[("mode", "drill"), ("domains", "D2"), ("count", "5")][..],
        &[("mode", "drill"), ("domains", "D3"), ("count", "4")][..],
        &[("mode", "practice"), ("domains", "D3"), ("count", "5")][..],
    ] {
        let other = ada.start(fields).await;
        submit(&ada, other).await;
    }
    assert!(row_of(&ines.get_text(&page).await, "Ada Lovelace").contains("Not started"));
    let me = ada.get_text("/me").await;
    assert!(me.contains("Drill of D3, 5 questions") && me.contains("Not started"), "{me}");

    let drill = start_from_me(&ada).await;
    let settings: serde_json::Value =
        sqlx::query_scalar("SELECT settings FROM attempts WHERE id = $1").bind(drill).fetch_one(&app.db).await.unwrap();
    assert_eq!((settings["domains"].clone(), settings["count"].clone()), (serde_json::json!(["D3"]), 5.into()));
    submit(&ada, drill).await;
    let shown = ines.get_text(&page).await;
    assert!(row_of(&shown, "Ada Lovelace").contains(">Done<"), "{shown}");
    assert!(ada.get_text("/me").await.contains(&format!("href=\"/attempts/{drill}/result\"")));
}

#[tokio::test]
async fn the_assign_form_says_what_is_wrong_where_and_keeps_what_was_typed() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (group, _) = make_group(&ines, "Checks").await;
    let yesterday = in_days(&app, -1);
    let d3: i64 = sqlx::query_scalar("SELECT count(*) FROM questions WHERE domain = 'D3' AND NOT retired")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let (range, too_many) = (format!("Choose from 1 to {d3} questions"), (d3 + 1).to_string());
    let cases: [(&[(&str, &str)], &str); 7] = [
        (&[("exam", "no-such-exam"), ("mode", "exam")], "Choose one of the published exams."),
        (&[("exam", "mla-c01"), ("mode", "review")], "Choose what to take"),
        (&[("exam", "mla-c01"), ("mode", "drill"), ("count", "5")], "Choose the one domain the drill works on."),
        (&[("exam", "mla-c01"), ("mode", "drill"), ("domains", "D9"), ("count", "5")], "has no domain D9"),
        (&[("exam", "mla-c01"), ("mode", "drill"), ("domains", "D3"), ("count", "0")], &range),
        (&[("exam", "mla-c01"), ("mode", "drill"), ("domains", "D3"), ("count", &too_many)], &range),
        (&[("exam", "mla-c01"), ("mode", "exam"), ("due_date", &yesterday)], "That due time has passed"),
    ];
    for (fields, message) in cases {
        let mut fields = fields.to_vec();
        fields.push(("note", "kept as typed"));
        let response = ines.post_form(&format!("{group}/assignments/new"), &fields).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
        assert!(body.contains("Nothing was assigned.") && body.contains("value=\"kept as typed\""), "{body}");
    }
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM assignments").fetch_one(&app.db).await.unwrap();
    assert_eq!(none, 0);

    // A draft is not assignable: its learners could not open it.
    sqlx::query("UPDATE exams SET published = false").execute(&app.db).await.unwrap();
    assert!(ines.get_text(&format!("{group}/assignments/new")).await.contains("No exam is published yet"));
    let response = ines.post_form(&format!("{group}/assignments/new"), &[("exam", "mla-c01"), ("mode", "exam")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn deleting_asks_first_and_leaving_the_group_takes_its_assignments_off_me() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (group, code) = make_group(&ines, "Evening class").await;
    let ada = member(&app, "ada@example.org", "Ada Lovelace", &code).await;
    let mock = assign(&ines, &group, &[("exam", "mla-c01"), ("mode", "practice")]).await;
    assign(&ines, &group, &[("exam", "mla-c01"), ("mode", "drill"), ("domains", "D1"), ("count", "10")]).await;
    let me = ada.get_text("/me").await;
    assert!(me.contains("Practice mock") && me.contains("Drill of D1, 10 questions"), "{me}");

    let confirm = ines.get_text(&format!("{mock}/delete")).await;
    assert!(confirm.contains("Delete the assignment") && confirm.contains("Practice mock"), "{confirm}");
    assert!(ada.get_text("/me").await.contains("Practice mock"), "asking deleted nothing");
    let deleted = ines.post_form(&format!("{mock}/delete"), &[]).await;
    assert_eq!(location(&deleted), format!("{group}?notice=unassigned#assignments"));
    assert_eq!(ines.get(&mock).await.status(), StatusCode::NOT_FOUND);
    let me = ada.get_text("/me").await;
    assert!(!me.contains("Practice mock") && me.contains("Drill of D1, 10 questions"), "{me}");

    let group_id = group.rsplit('/').next().unwrap();
    let left = ada.post_form(&format!("/groups/{group_id}/leave"), &[]).await;
    assert_eq!(left.status(), StatusCode::SEE_OTHER);
    let me = ada.get_text("/me").await;
    assert!(!me.contains("Drill of D1") && me.contains("Nothing assigned."), "{me}");
}

#[tokio::test]
async fn another_instructor_finds_none_of_a_groups_assignment_pages_and_an_admin_all() {
    let app = TestApp::spawn().await;
    let ines = app.new_browser_as("instructor", "ines@example.org").await;
    let (group, _) = make_group(&ines, "Mine").await;
    let page = assign(&ines, &group, &[("exam", "mla-c01"), ("mode", "exam")]).await;
    let (other_group, _) = make_group(&ines, "Also mine").await;

    let otto = app.new_browser_as("instructor", "otto@example.org").await;
    for path in [format!("{group}/assignments/new"), page.clone(), format!("{page}/delete")] {
        assert_eq!(otto.get(&path).await.status(), StatusCode::NOT_FOUND, "GET {path}");
    }
    let posted = otto.post_form(&format!("{group}/assignments/new"), &[("exam", "mla-c01"), ("mode", "exam")]).await;
    assert_eq!(posted.status(), StatusCode::NOT_FOUND);
    assert_eq!(otto.post_form(&format!("{page}/delete"), &[]).await.status(), StatusCode::NOT_FOUND);
    // Nor is it found under another of Ines's groups.
    let elsewhere = page.replace(&group, &other_group);
    assert_eq!(ines.get(&elsewhere).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(ines.post_form(&format!("{elsewhere}/delete"), &[]).await.status(), StatusCode::NOT_FOUND);
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM assignments").fetch_one(&app.db).await.unwrap();
    assert_eq!(count, 1, "still there");

    let ada = app.new_browser_as("admin", "ada@example.org").await;
    assert_eq!(ada.get(&page).await.status(), StatusCode::OK);
    // A learner is refused outright.
    let lee = app.new_browser();
    lee.register("lee@example.org", "Lee Learner", "correct horse battery").await;
    assert_eq!(lee.get(&page).await.status(), StatusCode::FORBIDDEN);
}
