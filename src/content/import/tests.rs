use super::*;
use crate::exam::scoring::tests::mla;

fn options(map: &[(&str, &str)], all: Option<&str>) -> Options {
    Options {
        format: None,
        domain_map: map.iter().map(|(c, d)| (c.to_string(), d.to_string())).collect(),
        all_in_domain: all.map(String::from),
    }
}

fn file(name: &str, text: &str) -> (String, Vec<u8>) {
    (name.to_string(), text.as_bytes().to_vec())
}

const GIFT: &str = "$CATEGORY: $course$/top/MLA/Deployment/Endpoints

::Endpoint choice::Which option hosts a model for spiky traffic? {
=Serverless inference#Scales to zero.
~A fixed fleet#Pays for idle capacity.
####Serverless inference scales with requests.
}

$CATEGORY: $course$/top/Security

::Key policy::Which service holds the keys? {
=AWS KMS#Keys live there.
~Amazon S3#S3 stores objects.
####KMS manages keys.
}
";

#[test]
fn category_paths_lose_moodle_prefixes_and_case() {
    assert_eq!(normalize("$course$/top/MLA/Deployment/"), "mla/deployment");
    assert_eq!(normalize("$system$/Top"), "");
    assert_eq!(normalize(" top / A  /B "), "a/b");
    assert_eq!(normalize("D1"), "d1");
    assert_eq!(normalize("$cat1$/x"), "x");
    assert_eq!(normalize("$/x"), "$/x", "a lone dollar is a name");
    assert_eq!(normalize("$price/x"), "$price/x", "so is one that only starts with a dollar");
}

#[test]
fn the_domain_comes_from_the_map_then_the_codes_and_names_then_the_fallback() {
    let mut b = mla();
    b.domains[1].name = "ML Model Development".into();
    let settle = |domain: &str, category: Option<&str>, o: &Options| settle_domain(&b, domain, category, o);
    let o = options(&[("MLA", "D1"), ("MLA/Deployment", "D3"), ("Security", "D4")], None);
    assert_eq!(settle("", Some("$course$/top/MLA/Deployment/Endpoints"), &o).as_deref(), Some("D3"), "longest parent");
    assert_eq!(settle("", Some("$course$/top/MLA/Other"), &o).as_deref(), Some("D1"));
    assert_eq!(settle("", Some("Old/Security"), &o).as_deref(), Some("D4"), "by its last segment");
    let none = options(&[], None);
    assert_eq!(settle("", Some("$course$/top/d2"), &none).as_deref(), Some("D2"), "a code, any case");
    let name = &b.domains[1].name;
    assert_eq!(settle("", Some(&format!("Bank/{name}")), &none).as_deref(), Some("D2"), "a domain's name");
    assert_eq!(settle("D3", None, &none).as_deref(), Some("D3"), "the format's own domain field");
    assert_eq!(settle("", Some("Misc"), &none), None);
    assert_eq!(settle("", None, &options(&[], Some("D2"))).as_deref(), Some("D2"));
    assert_eq!(settle("", Some("Misc"), &options(&[("Misc", "D9")], None)), None, "a map to no domain");
}

#[test]
fn a_mapping_is_category_equals_domain() {
    assert_eq!(Options::parse_mapping("A = B=D1").unwrap(), ("A = B".to_string(), "D1".to_string()));
    assert!(Options::parse_mapping("D1").unwrap_err().contains("CATEGORY=DOMAIN"));
    assert!(Options::parse_mapping("=D1").is_err());
}

#[test]
fn questions_take_their_domains_and_unmapped_ones_are_errors_naming_the_category() {
    let b = mla();
    let v = validate(&b, &[file("moodle.gift", GIFT)], &options(&[("MLA/Deployment", "D3")], None));
    let problems: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
    assert_eq!(v.questions.len(), 2);
    assert_eq!(v.questions[0].question.domain, "D3");
    assert_eq!(
        problems,
        [
            "moodle.gift:11: error: [key-policy] the question in the category `$course$/top/Security` maps to no domain of mla-c01: add --domain-map \"security=<domain>\" or --all-in-domain <domain> (D1, D2, D3, D4)"
        ]
    );
    assert!(v.has_errors());
    let v = validate(&b, &[file("moodle.gift", GIFT)], &options(&[("MLA/Deployment", "D3")], Some("D4")));
    assert!(!v.has_errors(), "{:?}", v.problems);
    assert_eq!(v.questions[1].question.domain, "D4");
    assert_eq!(v.counts()[&("D3".to_string(), Kind::Single)], 1);
    assert_eq!(v.files[0].format, Some(Format::Gift));
    assert_eq!(v.files[0].questions, 2);
    assert_eq!(v.files[0].checksum, hex::encode(Sha256::digest(GIFT.as_bytes())));
}

#[test]
fn an_id_used_in_two_files_is_an_error_at_the_second_naming_the_first() {
    let v = validate(&mla(), &[file("a.gift", GIFT), file("b.txt", GIFT)], &options(&[], Some("D1")));
    let problems: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "b.txt:3: error: [endpoint-choice] the id `endpoint-choice` is already used at a.gift:3",
            "b.txt:11: error: [key-policy] the id `key-policy` is already used at a.gift:11",
        ]
    );
}

#[test]
fn bad_files_and_bad_options_are_reported_and_nothing_is_guessed() {
    let v = validate(
        &mla(),
        &[file("notes.docx", "x"), ("bad.gift".into(), b"ok\n\xFF".to_vec()), file("empty.csv", " \n")],
        &options(&[("A", "D7")], Some("X")),
    );
    let problems: Vec<String> = v.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(problems[0].starts_with(":1: error: the mapping `A=D7` names no domain of mla-c01"), "{problems:#?}");
    assert!(problems[1].starts_with(":1: error: `X` is not a domain of mla-c01"));
    assert!(problems[2].starts_with("notes.docx:1: error: cannot tell the format from the file's name or text"));
    assert!(problems[3].starts_with("bad.gift:2: error: the file is not valid UTF-8: byte offset 3"));
    assert_eq!(problems[4], "empty.csv:1: error: the file is empty");
    assert!(validate(&mla(), &[], &Options::default()).has_errors(), "no files");
}

#[test]
fn case_studies_must_be_defined_whole_and_may_span_domains() {
    let (mut questions, cases) = crate::content::formats::testing::generated(3, 40);
    let json = crate::content::formats::json::write(&questions, &cases).text;
    let v = validate(&mla(), &[file("set.json", &json)], &Options::default());
    assert!(!v.has_errors(), "{:?}", v.problems);
    assert_eq!((v.questions.len(), v.cases.len()), (40, 2));

    // As on the real exam, one case study's questions may sit in two domains.
    let member = questions.iter_mut().find(|q| q.case.is_some()).expect("a case study question");
    member.domain = if member.domain == "D1" { "D4" } else { "D1" }.to_string();
    let json = crate::content::formats::json::write(&questions, &cases).text;
    let v = validate(&mla(), &[file("set.json", &json)], &Options::default());
    assert!(!v.has_errors(), "{:?}", v.problems);

    // The writer leaves out a question whose case study it is not given:
    // the file is edited by hand, as an author would. Our Markdown reader
    // leaves the case study check to the whole set.
    let md = crate::content::formats::markdown::write(&questions, &cases).text;
    assert!(md.contains("case: case-2\n"));
    let md = md.replacen("case: case-2\n", "case: case-9\n", 1);
    let problems: Vec<String> = validate(&mla(), &[file("set.md", &md)], &Options::default())
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(problems.iter().any(|p| p.contains("[gen-5] the case study `case-9` is not defined")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("the case study `case-2` needs two or more")), "{problems:#?}");
}

#[test]
fn questions_of_one_unmapped_category_share_one_error_and_severities_are_counted() {
    let gift = format!(
        "{GIFT}\n::Key rotation::Which rotates keys? {{\n=AWS KMS#It does.\n~Amazon S3#It does not.\n}}\n\n\
         $CATEGORY: $course$/top/Misc\n\n::Essay::Explain drift. {{}}\n\n::Odd::Which? {{=a ~b}}\n"
    );
    let v = validate(&mla(), &[file("moodle.gift", &gift)], &options(&[("MLA/Deployment", "D3")], None));
    let errors: Vec<String> =
        v.problems.iter().filter(|p| p.problem.severity == Severity::Error).map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors[0].contains("[key-policy] 2 questions, from `key-policy`, in the category `$course$/top/Security` map")
    );
    assert!(errors[1].contains("[odd] the question in the category `$course$/top/Misc` maps"), "{errors:#?}");
    assert_eq!(v.count(Severity::Error), 2);
    assert_eq!(v.count(Severity::Skipped), 1, "the essay");
    assert_eq!(v.count(Severity::Warning), v.problems.len() - 3);
}
