//! The JSON API fuzzed against its own OpenAPI document by schemathesis,
//! a property-based tester: generated requests for every operation (valid
//! and not), then chains of calls that follow the document's links. No
//! answer may be a 5xx, and every answer must fit the document: its status,
//! content type and schema. The run is bounded (examples per operation, a
//! fixed seed) so CI time stays flat; `.ci/run` installs schemathesis.

use std::time::Duration;

use crate::helpers::TestApp;

/// Where `.ci/run` installs schemathesis, else whatever `PATH` has.
fn schemathesis() -> std::path::PathBuf {
    let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/schemathesis/bin/schemathesis");
    if ours.exists() { ours } else { "schemathesis".into() }
}

#[tokio::test]
async fn a_bounded_schemathesis_run_finds_no_server_error_and_no_answer_outside_the_document() {
    let app = TestApp::spawn().await;
    app.log_in_as_learner().await;
    let token = app.create_api_token("fuzzing").await;
    let run = tokio::process::Command::new(schemathesis())
        .args(["run", &app.url("/api/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args([
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
        ])
        .args(["--max-examples", "25", "--seed", "20261130", "--workers", "2"])
        .env("NO_COLOR", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(300), run)
        .await
        .expect("the schemathesis run ends within 5 minutes")
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}. The fuzz test needs schemathesis (`.ci/run` installs it into \
                 target/schemathesis; or `pip install schemathesis`).",
                schemathesis().display()
            )
        });
    let report = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "schemathesis found answers outside the document:\n{report}");
    assert!(report.contains("passed"), "schemathesis ran no test case:\n{report}");
}
