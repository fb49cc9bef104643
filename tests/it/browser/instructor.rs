//! The instructor's upload in Chromium: a file chosen in the form, the
//! preview, the import; and every page of the area through the
//! accessibility, phone-width and keyboard checks, light and dark.

use super::learner::register_as;
use super::web::Web;
use crate::helpers::TestApp;

const BANK: &str = "$CATEGORY: $course$/top/Bank/D1

::Q01 Leaky scaler::Fitting a scaler on all rows before the split does what? {
=Test statistics leak into training.#Fit the scaler on the training split only.
~Nothing at all.#The test rows shape the scaling.
####Split first, then fit every preprocessing step on the training split.
}
";

#[tokio::test]
async fn an_instructor_uploads_a_file_previews_it_and_imports_it() {
    let app = TestApp::spawn().await;
    let web = Web::launch(&app, true).await;
    register_as(&web, "Ines Instructor", "ines@example.org").await;
    app.set_role("ines@example.org", "instructor").await;
    app.give_exam("mla-c01", "ines@example.org").await;

    web.goto("/").await;
    web.click("a[href='/instructor']").await;
    web.wait_for_path("/instructor").await;
    web.visit_in_every_layout("/instructor").await;
    web.visit_in_every_layout("/instructor/exams/mla-c01").await;
    web.visit_in_every_layout("/instructor/exams/mla-c01/uploads/new").await;

    // The file input takes an absolute path, as a person picks a file.
    let dir = std::env::temp_dir().join(format!("mockexam-upload-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("bank.gift");
    std::fs::write(&file, BANK).expect("the file");
    web.goto("/instructor/exams/mla-c01/uploads/new").await;
    let input = web.find("#files").await;
    input.send_keys(file.to_str().expect("a UTF-8 path")).await.expect("the file is chosen");
    web.click(".upload-form button[type=submit]").await;
    web.wait_for_element("#q-q01-leaky-scaler").await;
    let preview = web.path().await;
    assert!(preview.starts_with("/instructor/uploads/"), "{preview}");
    web.visit_in_every_layout(&preview).await;

    web.click("form[action$='/import'] button[type=submit]").await;
    web.wait_for_text(".alert.success", "Imported: 1 new, 0 new versions, 0 unchanged.").await;
    assert!(web.text("table.imports").await.contains("bank.gift"));
    // Now with its past import listed.
    web.visit_in_every_layout("/instructor/exams/mla-c01").await;
    std::fs::remove_dir_all(&dir).expect("the folder is removed");
}
