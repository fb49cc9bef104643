//! Reading the editor's form: rows, numbers, and the checks left out.

use super::*;

fn form() -> BlueprintForm {
    BlueprintForm {
        slug: " net ".into(),
        title: "Net".into(),
        code: vec!["N1".into(), "".into(), "N2".into()],
        name: vec!["One".into(), "".into(), "Two".into()],
        weight: vec!["3".into(), "".into(), "1".into()],
        question_count: "4".into(),
        time_limit_minutes: "5".into(),
        scale_min: "0".into(),
        scale_max: "10".into(),
        scale_pass: "6".into(),
        credit: "partial".into(),
        ..BlueprintForm::default()
    }
}

#[test]
fn a_form_reads_into_a_blueprint_skipping_empty_rows() {
    let (b, unreadable) = form().read();
    assert_eq!(unreadable, vec![]);
    assert_eq!(b.slug, "net");
    assert_eq!(b.domains.iter().map(|d| (d.code.as_str(), d.weight)).collect::<Vec<_>>(), [("N1", 3), ("N2", 1)]);
    assert_eq!((b.unscored_count, b.credit, b.explanations_in_practice), (0, CreditRule::Partial, false));
    assert_eq!(blueprint::check(&b), vec![]);
    assert_eq!(form().rows().len(), 2 + EMPTY_ROWS);
    let again = BlueprintForm::from_blueprint(&b).read().0;
    assert_eq!(again, b, "a blueprint shown in the form reads back the same");
}

#[test]
fn an_unreadable_number_leaves_out_the_checks_that_would_speak_of_its_stand_in() {
    let mut f = form();
    f.scale_max = "ten".into();
    f.question_count = String::new();
    f.unscored_count = "2".into();
    f.weight[2] = "0".into();
    let (b, unreadable) = f.read();
    let fields: Vec<String> = unreadable.iter().map(|p| p.field.clone()).collect();
    assert_eq!(fields, ["question_count", "scale.max"]);
    assert_eq!(unreadable[1].message, "The top of the scale must be a whole number; “ten” is not.");
    assert_eq!(unreadable[0].message, "The question count is missing: give a whole number.");
    let shown: Vec<String> = merge(unreadable, blueprint::check(&b)).into_iter().map(|p| p.field).collect();
    // Not the count's or the scale's checks of 0, nor the unscored items
    // against a count of 0; the weight of 0 was typed, and is reported.
    assert_eq!(shown, ["question_count", "scale.max", "domains[1].weight"]);
}
