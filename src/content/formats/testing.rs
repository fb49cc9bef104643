//! Generated questions for the round-trip property tests of every format:
//! each kind, case studies, and texts full of the characters formats treat
//! as syntax (`{}~=#:%`, Markdown, HTML, quotes, commas, non-ASCII).

use std::path::Path;

use rand::{Rng, SeedableRng, seq::IndexedRandom};
use rand_chacha::ChaCha8Rng;

use super::ReadSet;
use crate::exam::{Body, CaseStudy, Choice, Difficulty, Pair, Question};

/// The bundled bank's 398 questions and its case studies, for round trips.
pub fn bank() -> (Vec<Question>, Vec<CaseStudy>) {
    let content = crate::content::load_dir(Path::new("content/mla-c01")).expect("the bundled bank loads");
    (content.questions.into_iter().map(|q| q.question).collect(), content.cases)
}

/// The questions a reader found, without their places.
pub fn questions(set: &ReadSet) -> Vec<Question> {
    set.questions.iter().map(|q| q.question.clone()).collect()
}

/// `valid` broken one to three times at random places: cut short, a range
/// repeated or deleted, or one of the format's `syntax` strings inserted,
/// for the readers' no-panic tests.
pub fn mutate(rng: &mut ChaCha8Rng, valid: &str, syntax: &[&str]) -> String {
    let mut text = valid.to_string();
    for _ in 0..rng.random_range(1..4) {
        let boundary = |rng: &mut ChaCha8Rng, text: &str| {
            let mut at = rng.random_range(0..=text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let a = boundary(rng, &text);
        let b = boundary(rng, &text);
        let (lo, hi) = (a.min(b), a.max(b));
        match rng.random_range(0..4) {
            0 => text.truncate(lo),
            1 => text = format!("{}{}", &text[..hi], &text[lo..]),
            2 => text.replace_range(lo..hi, ""),
            _ => text.insert_str(lo, syntax[rng.random_range(0..syntax.len())]),
        }
    }
    text
}

const WORDS: &[&str] = &[
    "SageMaker",
    "endpoint",
    "`s3://bucket/key`",
    "{braces}",
    "~tilde",
    "=equals",
    "#hash",
    "a:colon",
    "50%",
    "back\\slash",
    "**bold**",
    "_em_",
    "<b>tag</b>",
    "\"quoted\"",
    "comma,",
    "semi;",
    "naïve",
    "→",
    "[x]",
    "->",
    "x < y & z",
    "ANSWER:",
    "A.",
    "//",
    "$CATEGORY:",
    "::name::",
    "Glue",
    "drift",
    "IAM",
    "KMS",
];

fn words(rng: &mut ChaCha8Rng, n: usize) -> String {
    (0..n).map(|_| *WORDS.choose(rng).unwrap()).collect::<Vec<_>>().join(" ")
}

/// A one-line text unlike any other drawn from the same `rng` (a counter
/// keeps options of one question distinct).
fn line(rng: &mut ChaCha8Rng, n: &mut usize) -> String {
    *n += 1;
    format!("{} {}", words(rng, 3), n)
}

fn choices(rng: &mut ChaCha8Rng, count: usize, n: &mut usize) -> Vec<Choice> {
    (0..count).map(|_| Choice { text: line(rng, n), rationale: words(rng, 5) }).collect()
}

/// `count` questions of every kind, some in one of two case studies, all
/// in domains `D1`..`D4`, ids `gen-1`.., from `seed`.
pub fn generated(seed: u64, count: usize) -> (Vec<Question>, Vec<CaseStudy>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut n = 0;
    let cases: Vec<CaseStudy> = (1..=2)
        .map(|i| CaseStudy {
            id: format!("case-{i}"),
            title: format!("Case {i}: {}", words(&mut rng, 2)),
            scenario: format!("{}\n\n{}", words(&mut rng, 12), words(&mut rng, 8)),
        })
        .collect();
    let questions = (1..=count)
        .map(|i| {
            let body = match i % 4 {
                0 => {
                    let count = rng.random_range(3..=6);
                    let options = choices(&mut rng, count, &mut n);
                    Body::Single { key: rng.random_range(0..options.len()), options }
                }
                1 => {
                    let count = rng.random_range(5..=7);
                    let options = choices(&mut rng, count, &mut n);
                    let mut key: Vec<usize> = (0..options.len()).filter(|_| rng.random_bool(0.4)).collect();
                    if key.len() < 2 {
                        key = vec![0, options.len() - 1];
                    }
                    key.truncate(options.len() - 1);
                    Body::Multiple { options, key }
                }
                2 => {
                    let count = rng.random_range(3..=5);
                    Body::Ordering { steps: choices(&mut rng, count, &mut n) }
                }
                _ => {
                    let (count, extras) = (rng.random_range(3..=5), rng.random_range(0..=2));
                    let pairs = (0..count)
                        .map(|_| Pair {
                            prompt: line(&mut rng, &mut n),
                            answer: line(&mut rng, &mut n),
                            rationale: words(&mut rng, 4),
                        })
                        .collect();
                    Body::Matching { pairs, extra_answers: choices(&mut rng, extras, &mut n) }
                }
            };
            let select = match &body {
                Body::Multiple { key, .. } => {
                    format!(" (Select {}.)", ["", "", "TWO", "THREE", "FOUR", "FIVE", "SIX"][key.len()])
                }
                _ => String::new(),
            };
            Question {
                id: format!("gen-{i}"),
                domain: format!("D{}", i % 4 + 1),
                difficulty: [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard][i % 3],
                tags: (0..i % 3).map(|t| format!("tag-{t}")).collect(),
                references: (0..i % 2).map(|r| format!("https://docs.aws.amazon.com/page-{r}.html")).collect(),
                // Case members share a domain: the two cases take D1 and D2 questions.
                case: (i % 4 < 2 && i % 5 == 0).then(|| format!("case-{}", i % 4 + 1)),
                stem: format!("{}\n\n{}?{select}", words(&mut rng, 10), words(&mut rng, 6)),
                explanation: format!("{}\n\n- {}\n- {}", words(&mut rng, 9), words(&mut rng, 3), words(&mut rng, 3)),
                body,
            }
        })
        .collect();
    (questions, cases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::formats::check::check;

    #[test]
    fn generated_questions_pass_the_checks_and_vary() {
        let (questions, cases) = generated(7, 40);
        for q in &questions {
            assert!(check(q).errors.is_empty(), "{q:#?}: {:?}", check(q).errors);
            if let Some(case) = &q.case {
                assert!(cases.iter().any(|c| &c.id == case));
            }
        }
        assert!(questions.iter().any(|q| q.case.is_some()));
        assert_ne!(generated(7, 5).0, generated(8, 5).0);
        assert_eq!(generated(7, 5).0, generated(7, 5).0);
    }
}
