//! Taking an exam over HTTP: start, answer, resume, time, submit, result.
//!
//! It stays whole: one learner's flow from start to result, in that order.

use reqwest::StatusCode;
use serde_json::json;
use time::Duration;

use crate::helpers::{TestApp, first_item_touched, item_body, key_of, location, secrets_of, wrong_answer_of};

fn text_between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).map(|i| i + start.len()).unwrap_or(0);
    let to = page[from..].find(end).map_or(page.len(), |i| from + i);
    &page[from..to]
}

#[tokio::test]
async fn a_whole_mock_exam_is_answered_submitted_and_scored_by_domain() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;

    let first = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(first.contains("1 of 65"), "the item page says where we are");
    assert!(first.contains(">130:00<"), "the countdown starts at the time limit");

    // Items 3, 6, … right (21), items 1, 4, … wrong (22), the rest unanswered (22).
    let mut right_per_domain = std::collections::HashMap::<String, u32>::new();
    for n in 1..=65 {
        let answer = match n % 3 {
            0 => key_of(&app.db, id, n).await,
            1 => wrong_answer_of(&app.db, id, n).await,
            _ => continue,
        };
        let saved = app.save_json(id, n, json!({ "seq": 1, "response": answer })).await;
        assert_eq!(saved.status(), StatusCode::OK, "item {n}: {:?}", saved.text().await);
        if n % 3 == 0 {
            let domain: String = sqlx::query_scalar("SELECT domain FROM items WHERE attempt_id = $1 AND position = $2")
                .bind(id)
                .bind(n)
                .fetch_one(&app.db)
                .await
                .unwrap();
            *right_per_domain.entry(domain).or_default() += 1;
        }
    }

    let review = app.get_text(&format!("/attempts/{id}/review")).await;
    assert!(
        review.contains("<strong>43</strong> answered") && review.contains("<strong>22</strong> unanswered"),
        "{review}"
    );

    let submitted = app.submit(id).await;
    assert_eq!(location(&submitted), format!("/attempts/{id}/result"));
    let result = app.get_text(&format!("/attempts/{id}/result")).await;

    // The score, recomputed by the formula from what we know we answered.
    let blueprint = [("D1", 28.0, 18.0), ("D2", 26.0, 17.0), ("D3", 22.0, 14.0), ("D4", 24.0, 16.0)];
    let weighted: f64 = blueprint
        .iter()
        .map(|(d, w, total)| w * f64::from(*right_per_domain.get(*d).unwrap_or(&0)) / total)
        .sum::<f64>()
        / 100.0;
    let scaled = (100.0 + 900.0 * weighted).round() as u32;
    assert!(result.contains(&format!("<span class=\"number\">{scaled}</span>")), "expected {scaled}");
    assert!(result.contains("Fail"), "21 of 65 right cannot pass");
    for (d, _, total) in blueprint {
        let right = right_per_domain.get(d).copied().unwrap_or(0);
        assert!(result.contains(&format!("{right}/{} ·", total as u32)), "{d} bar shows {right}/{total}");
    }
    assert_eq!(result.matches("class=\"card result-item").count(), 10, "ten questions a page");
    assert_eq!(app.reviewed(id, "").await, (1..=65).collect::<Vec<_>>(), "every item is reviewed, in order");
    assert!(result.contains("class=\"md explanation\""), "with its explanation");
    assert!(result.contains("Correct answer."), "and why each option is right or wrong");

    assert_eq!(app.reviewed(id, "show=incorrect").await.len(), 65 - 21);
    assert_eq!(app.reviewed(id, "domain=D3").await.len(), 14);
}

#[tokio::test]
async fn closing_the_browser_and_logging_in_again_resumes_everything() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    let answer = key_of(&app.db, id, 2).await;
    app.save_json(id, 2, json!({ "seq": 1, "response": answer, "flagged": true, "struck": [0] })).await;
    // No-JavaScript navigation saves too: flag item 3 through the form.
    let flagged = app
        .post_form(&format!("/attempts/{id}/items/3"), &[("seq", "1"), ("flagged", "false"), ("action", "flag")])
        .await;
    assert_eq!(location(&flagged), format!("/attempts/{id}/items/3#item"));

    let other = app.new_browser();
    other.log_in("learner@example.org", "correct horse battery").await;
    let home = other.get_text("/").await;
    assert!(home.contains(&format!("/attempts/{id}\"")), "home offers to resume");
    let exam_page = other.get_text("/exams/mla-c01").await;
    assert!(exam_page.contains("Resume"), "so does the exam page");

    let resumed = other.client.get(other.url(&format!("/attempts/{id}"))).send().await.unwrap();
    assert_eq!(location(&resumed), format!("/attempts/{id}/items/1"), "resume goes to the first unanswered item");
    let page = other.get_text(&format!("/attempts/{id}/items/2")).await;
    let chosen = answer.choice.clone().or(None);
    if let Some(choice) = chosen {
        for p in choice {
            assert!(page.contains(&format!("value=\"{p}\" id=\"choice-2-{p}\" checked")), "choice {p} kept");
        }
    }
    assert!(page.contains("Flagged ⚑"), "the flag is kept");
    assert!(page.contains("name=\"struck\" value=\"0\""), "the strike-through is kept");
    let palette = text_between(&page, "aria-label=\"All questions\"", "</nav>");
    // Each cell's state as its classes (the script names it from them).
    assert!(palette.contains("value=goto-2 class=\"cell answered flagged current\""), "{palette}");
    assert!(palette.contains("value=goto-3 class=\"cell flagged\""), "{palette}");
}

#[tokio::test]
async fn a_save_after_the_deadline_is_refused_and_earlier_answers_count() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    let right = key_of(&app.db, id, 1).await;
    assert_eq!(app.save_json(id, 1, json!({ "seq": 1, "response": right })).await.status(), StatusCode::OK);

    // Within the grace after the deadline, a save in flight still counts.
    app.clock.advance(Duration::minutes(130) + Duration::seconds(20));
    let late_but_in_grace = key_of(&app.db, id, 2).await;
    assert_eq!(app.save_json(id, 2, json!({ "seq": 1, "response": late_but_in_grace })).await.status(), StatusCode::OK);

    app.clock.advance(Duration::seconds(15));
    let too_late = app.save_json(id, 3, json!({ "seq": 1, "response": key_of(&app.db, id, 3).await })).await;
    assert_eq!(too_late.status(), StatusCode::CONFLICT);
    let reply: serde_json::Value = too_late.json().await.unwrap();
    assert_eq!(reply["status"], "time_up");
    assert!(reply["message"].as_str().unwrap().contains("after the deadline"));

    let (correct, answered): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE correct), count(*) FILTER (WHERE answered) FROM items WHERE attempt_id = $1",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((correct, answered), (2, 2), "graded as it stood: both acknowledged answers count");
    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains("time ran out"));
}

#[tokio::test]
async fn a_submit_after_the_deadline_is_recorded_as_expired() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    app.clock.advance(Duration::minutes(131));
    let submitted = app.submit(id).await;
    assert_eq!(location(&submitted), format!("/attempts/{id}/result"));
    let reason: Option<String> = sqlx::query_scalar("SELECT finished_reason FROM attempts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("expired"), "the deadline ended it, not the late submit");
}

#[tokio::test]
async fn an_expired_attempt_is_graded_by_the_sweep_without_any_request() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    app.clock.advance(Duration::minutes(131));
    let state = mockexam::app::App::new(app.db.clone(), Default::default(), app.clock.clone());
    assert_eq!(mockexam::app::attempts::grade_expired(&state).await.unwrap(), 1);
    let reason: Option<String> = sqlx::query_scalar("SELECT finished_reason FROM attempts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(reason.as_deref(), Some("expired"));
}

#[tokio::test]
async fn a_late_older_save_never_overwrites_a_newer_one() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    let right = key_of(&app.db, id, 1).await;
    let wrong = wrong_answer_of(&app.db, id, 1).await;
    assert_eq!(app.save_json(id, 1, json!({ "seq": 5, "response": right })).await.status(), StatusCode::OK);
    let late = app.save_json(id, 1, json!({ "seq": 4, "response": wrong })).await;
    assert_eq!(late.status(), StatusCode::CONFLICT);
    assert_eq!(late.json::<serde_json::Value>().await.unwrap()["status"], "stale");
    app.submit(id).await;
    let correct: bool = sqlx::query_scalar("SELECT correct FROM items WHERE attempt_id = $1 AND position = 1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(correct, "the newer, right answer stood");
}

#[tokio::test]
async fn a_multiple_response_item_refuses_more_choices_than_it_asks_for() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    let mut multiple = None;
    for n in 1..=65 {
        if let (_, mockexam::exam::Body::Multiple { key, options }) = item_body(&app.db, id, n).await {
            multiple = Some((n, key.len(), options.len()));
            break;
        }
    }
    let (n, allowed, shown) = multiple.expect("a mock holds a multiple-response item");
    let right = key_of(&app.db, id, n).await;
    assert_eq!(app.save_json(id, n, json!({ "seq": 1, "response": right })).await.status(), StatusCode::OK);

    let too_many: Vec<usize> = (0..shown).take(allowed + 1).collect();
    let refused = app.save_json(id, n, json!({ "seq": 2, "response": { "choice": too_many } })).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let reply: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(reply["status"], "invalid");
    assert!(reply["message"].as_str().unwrap().contains(&format!("at most {allowed}")), "{reply}");
    let page = app.get_text(&format!("/attempts/{id}/items/{n}")).await;
    assert!(page.contains(&format!("Select {allowed} options.")), "the page shows the count");
    app.submit(id).await;
    let correct: bool = sqlx::query_scalar("SELECT correct FROM items WHERE attempt_id = $1 AND position = $2")
        .bind(id)
        .bind(n)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(correct, "the earlier answer was kept");
}

#[tokio::test]
async fn submitting_twice_grades_once_and_shows_the_same_result() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    app.save_json(id, 1, json!({ "seq": 1, "response": key_of(&app.db, id, 1).await })).await;
    let (a, b) = tokio::join!(app.submit(id), app.submit(id));
    assert_eq!(location(&a), location(&b));
    let finished_at: time::OffsetDateTime =
        sqlx::query_scalar("SELECT finished_at FROM attempts WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    app.clock.advance(Duration::minutes(1));
    app.submit(id).await;
    let again: time::OffsetDateTime =
        sqlx::query_scalar("SELECT finished_at FROM attempts WHERE id = $1").bind(id).fetch_one(&app.db).await.unwrap();
    assert_eq!(finished_at, again, "a later submit changes nothing");
    let late = app.save_json(id, 2, json!({ "seq": 1, "response": key_of(&app.db, id, 2).await })).await;
    assert_eq!(late.json::<serde_json::Value>().await.unwrap()["status"], "finished");
}

#[tokio::test]
async fn a_learner_cannot_read_save_into_or_submit_another_learners_attempt() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;

    let intruder = app.new_browser();
    intruder.register("mallory@example.org", "Mallory", "correct horse battery").await;
    for path in [
        format!("/attempts/{id}"),
        format!("/attempts/{id}/items/1"),
        format!("/attempts/{id}/review"),
        format!("/attempts/{id}/result"),
    ] {
        assert_eq!(intruder.get(&path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let save = intruder.save_json(id, 1, json!({ "seq": 9, "response": key_of(&app.db, id, 1).await })).await;
    assert_eq!(save.status(), StatusCode::NOT_FOUND);
    assert_eq!(intruder.submit(id).await.status(), StatusCode::NOT_FOUND);
    assert!(!first_item_touched(&app.db, id).await, "nothing of the attempt changed");
}

#[tokio::test]
async fn no_key_explanation_or_rationale_reaches_the_client_before_submit() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam"), ("real_conditions", "1")]).await;
    let secrets = secrets_of(&app.db, id).await;
    let mut pages = vec![app.get_text(&format!("/attempts/{id}/review")).await];
    for n in 1..=65 {
        pages.push(app.get_text(&format!("/attempts/{id}/items/{n}")).await);
        let saved = app.save_json(id, n, json!({ "seq": 1, "response": key_of(&app.db, id, n).await })).await;
        pages.push(saved.text().await.unwrap());
    }
    for (i, page) in pages.iter().enumerate() {
        for secret in &secrets {
            assert!(!page.contains(secret.as_str()), "page {i} leaks {secret:?}");
        }
        for marker in [
            "is-key",
            "Correct answer.",
            "class=\"rationale\"",
            "class=\"md explanation\"",
            "unscored</span>",
            "right order",
        ] {
            assert!(!page.contains(marker), "page {i} shows {marker:?}");
        }
    }
}

#[tokio::test]
async fn practice_on_one_domain_shows_the_explanation_right_after_each_answer() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "practice"), ("count", "5"), ("domains", "D3")]).await;
    let domains: Vec<String> =
        sqlx::query_scalar("SELECT domain FROM items WHERE attempt_id = $1").bind(id).fetch_all(&app.db).await.unwrap();
    assert_eq!(domains, vec!["D3"; 5]);

    let before = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(before.contains("Check answer") && !before.contains("class=\"md explanation\""));
    assert!(before.contains("· Practice · D3</span>"), "practice shows the domain");
    let answer = wrong_answer_of(&app.db, id, 1).await;
    let checked = app.save_json(id, 1, json!({ "seq": 1, "response": answer, "check": true })).await;
    assert_eq!(checked.status(), StatusCode::OK);
    let after = app.get_text(&format!("/attempts/{id}/items/1")).await;
    assert!(after.contains("class=\"md explanation\""), "the explanation shows at once");
    assert!(
        after.contains("Incorrect") && after.contains("Correct answer") || after.contains("right order"),
        "with the key"
    );
    let relock = app.save_json(id, 1, json!({ "seq": 2, "response": key_of(&app.db, id, 1).await })).await;
    assert_eq!(relock.json::<serde_json::Value>().await.unwrap()["status"], "locked", "a checked answer cannot change");
    // A checked item can still be flagged and left (its disabled answer
    // fields send nothing, which must not count as a change).
    let flag = app
        .post_form(&format!("/attempts/{id}/items/1"), &[("seq", "3"), ("flagged", "false"), ("action", "flag")])
        .await;
    assert_eq!(location(&flag), format!("/attempts/{id}/items/1#item"));
    let next = app
        .post_form(&format!("/attempts/{id}/items/1"), &[("seq", "4"), ("flagged", "true"), ("action", "next")])
        .await;
    assert_eq!(location(&next), format!("/attempts/{id}/items/2"));
    let (flagged, answered, correct): (bool, bool, Option<bool>) =
        sqlx::query_as("SELECT flagged, answered, correct FROM items WHERE attempt_id = $1 AND position = 1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((flagged, answered, correct), (true, true, Some(false)), "the checked answer stood");
    let other = app.get_text(&format!("/attempts/{id}/items/2")).await;
    assert!(!other.contains("class=\"md explanation\""), "the next item is still open");
}

#[tokio::test]
async fn real_exam_conditions_mix_in_unscored_items_named_afterwards() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam"), ("real_conditions", "1")]).await;
    let scored: Vec<(String, i64)> = sqlx::query_as(
        "SELECT domain, count(*) FROM items WHERE attempt_id = $1 AND scored GROUP BY domain ORDER BY domain",
    )
    .bind(id)
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(scored, vec![("D1".into(), 14), ("D2".into(), 13), ("D3".into(), 11), ("D4".into(), 12)]);
    app.submit(id).await;
    let result = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(result.contains("15 items were unscored"));
    assert!(result.contains("of 50 scored items"));
    let mut badges = 0;
    for page in 1..=7 {
        let html = app.get_text(&format!("/attempts/{id}/result?page={page}")).await;
        badges += html.matches("<span class=\"badge\">unscored</span>").count();
    }
    assert_eq!(badges, 15, "each unscored item is marked on its page");
}

#[tokio::test]
async fn review_mode_draws_the_questions_missed_before_most_recent_first() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let none = app.post_form("/exams/mla-c01/attempts", &[("mode", "review")]).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.text().await.unwrap().contains("no missed questions"));

    let first = app.start(&[("mode", "practice"), ("count", "4")]).await;
    for n in 1..=4 {
        let answer = if n <= 2 { wrong_answer_of(&app.db, first, n).await } else { key_of(&app.db, first, n).await };
        app.save_json(first, n, json!({ "seq": 1, "response": answer })).await;
    }
    app.submit(first).await;
    let review = app.start(&[("mode", "review"), ("count", "10")]).await;
    let missed: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 AND position <= 2 ORDER BY position")
            .bind(first)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let drawn: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 ORDER BY position")
            .bind(review)
            .fetch_all(&app.db)
            .await
            .unwrap();
    for m in &missed {
        assert!(drawn.contains(m), "a missed question is in the review");
    }
    let correct_ones: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT version_id FROM items WHERE attempt_id = $1 AND position > 2")
            .bind(first)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let case_mates: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM question_versions v JOIN questions q ON q.id = v.question_id WHERE v.id = ANY($1) AND q.case_key IS NOT NULL",
    )
    .bind(&missed)
    .fetch_one(&app.db)
    .await
    .unwrap();
    if case_mates == 0 {
        assert_eq!(drawn.len(), 2, "only the missed questions");
        assert!(correct_ones.iter().all(|c| !drawn.contains(c)));
    }
}

#[tokio::test]
async fn four_mocks_in_a_row_draw_260_distinct_questions_on_the_blueprint() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let mut seen = std::collections::HashSet::new();
    for _ in 0..4 {
        let id = app.start(&[("mode", "exam")]).await;
        let per_domain: Vec<i64> =
            sqlx::query_scalar("SELECT count(*) FROM items WHERE attempt_id = $1 GROUP BY domain ORDER BY domain")
                .bind(id)
                .fetch_all(&app.db)
                .await
                .unwrap();
        assert_eq!(per_domain, vec![18, 17, 14, 16]);
        let questions: Vec<uuid::Uuid> = sqlx::query_scalar(
            "SELECT v.question_id FROM items i JOIN question_versions v ON v.id = i.version_id WHERE i.attempt_id = $1",
        )
        .bind(id)
        .fetch_all(&app.db)
        .await
        .unwrap();
        seen.extend(questions);
        app.submit(id).await;
    }
    assert_eq!(seen.len(), 260);
}

#[tokio::test]
async fn the_result_reviews_ten_questions_a_page_and_every_link_keeps_the_filter() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let id = app.start(&[("mode", "exam")]).await;
    app.submit(id).await;
    let first = app.get_text(&format!("/attempts/{id}/result")).await;
    assert!(first.contains("<span class=\"number\">100</span>"), "the score comes first, on every page");
    assert!(first.contains("id=\"item-10\"") && !first.contains("id=\"item-11\""));
    assert_eq!(first.matches("aria-label=\"Question ").count(), 65, "the index names every question");
    let mut whole = first.len();
    for page in 2..=7 {
        whole += app.get_text(&format!("/attempts/{id}/result?page={page}")).await.len();
    }
    assert!(first.len() * 4 < whole, "a page is a fraction of the whole review: {} of {whole} bytes", first.len());

    // A jump to a question (from the index, the unscored list, a note
    // saved) opens the page that holds it.
    let finished_item = app.get(&format!("/attempts/{id}/items/37")).await;
    assert_eq!(location(&finished_item), format!("/attempts/{id}/result?item=37#item-37"), "an item once finished");
    let jump = app.get_text(&format!("/attempts/{id}/result?item=37")).await;
    assert!(jump.contains("id=\"item-37\"") && jump.contains("aria-current=\"page\">4<"), "page 4 of 7");
    let filtered = app.get_text(&format!("/attempts/{id}/result?show=incorrect&domain=D1&page=2")).await;
    let prev = "href=\"?show=incorrect&#38;domain=D1&#38;page=1#items-heading\" rel=\"prev\"";
    assert!(filtered.contains(prev), "{}", &filtered[filtered.find("class=\"pager\"").unwrap_or(0)..][..400]);
    assert!(filtered.contains("href=\"?show=incorrect&#38;domain=D1&#38;item="), "the index keeps the filter");
    let past_the_end = app.get_text(&format!("/attempts/{id}/result?page=99")).await;
    assert!(past_the_end.contains("id=\"item-65\""), "a page past the end is the last");

    let refused = app.get(&format!("/attempts/{id}/result?page=two")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("“two” is not a page number."));
}
