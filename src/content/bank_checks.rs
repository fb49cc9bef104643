//! Whole-bank checks on the bundled MLA-C01 bank: no option length predicts
//! the key (issue 16). A learner who always picks the longest, the
//! second-longest or the shortest option must score about chance.
//!
//! Length is the number of characters of an option's text as written. The
//! rank of a single-answer key is 1 + the number of options strictly longer
//! than it (tied options share the better rank). For a multiple-response
//! question with N keys, the N longest options are taken by length, ties
//! broken by file order.

use std::path::Path;

use crate::exam::{Body, Choice};

/// The figures the bounds are asserted on.
#[derive(Debug, Default)]
struct Figures {
    /// 4-option single-answer questions with the key at rank 1..=4.
    ranks: [usize; 4],
    singles: usize,
    /// Keys among the N longest options, all keys, and the keys expected
    /// there by chance (N × N ÷ options, summed).
    mr_hits: usize,
    mr_keys: usize,
    mr_chance: f64,
    /// Lengths of keys and of distractors, over single and multiple questions.
    key_len: (usize, usize),
    distractor_len: (usize, usize),
}

impl Figures {
    fn rank_share(&self, rank: usize) -> f64 {
        self.ranks[rank] as f64 / self.singles as f64
    }
    fn mr_share(&self) -> f64 {
        self.mr_hits as f64 / self.mr_keys as f64
    }
    fn mr_chance_share(&self) -> f64 {
        self.mr_chance / self.mr_keys as f64
    }
    fn key_mean(&self) -> f64 {
        self.key_len.0 as f64 / self.key_len.1 as f64
    }
    fn distractor_mean(&self) -> f64 {
        self.distractor_len.0 as f64 / self.distractor_len.1 as f64
    }
    fn report(&self) -> String {
        format!(
            "single-answer (4 options, n={}): key longest {:.1}%, 2nd {:.1}%, 3rd {:.1}%, shortest {:.1}% (bounds 20–30% each)\n\
             multiple-response: {:.1}% of keys among the N longest, chance {:.1}% (bound ±10 points)\n\
             mean length: keys {:.1}, distractors {:.1}, ratio {:.3} (bound 0.9–1.1)",
            self.singles,
            100.0 * self.rank_share(0),
            100.0 * self.rank_share(1),
            100.0 * self.rank_share(2),
            100.0 * self.rank_share(3),
            100.0 * self.mr_share(),
            100.0 * self.mr_chance_share(),
            self.key_mean(),
            self.distractor_mean(),
            self.key_mean() / self.distractor_mean(),
        )
    }
}

fn len(choice: &Choice) -> usize {
    choice.text.chars().count()
}

fn figures() -> Figures {
    let content = crate::content::load_dir(Path::new("content/mla-c01")).expect("the bundled bank loads");
    let mut f = Figures::default();
    for q in content.questions.iter().map(|q| &q.question) {
        let (options, keys): (&Vec<Choice>, Vec<usize>) = match &q.body {
            Body::Single { options, key } => (options, vec![*key]),
            Body::Multiple { options, key } => (options, key.clone()),
            _ => continue,
        };
        let lengths: Vec<usize> = options.iter().map(len).collect();
        for (i, l) in lengths.iter().enumerate() {
            let sum = if keys.contains(&i) { &mut f.key_len } else { &mut f.distractor_len };
            sum.0 += l;
            sum.1 += 1;
        }
        match &q.body {
            Body::Single { key, .. } if options.len() == 4 => {
                let rank = lengths.iter().filter(|&&l| l > lengths[*key]).count();
                f.ranks[rank] += 1;
                f.singles += 1;
            }
            Body::Multiple { .. } => {
                let mut order: Vec<usize> = (0..options.len()).collect();
                order.sort_by_key(|&i| (std::cmp::Reverse(lengths[i]), i));
                let n = keys.len();
                f.mr_hits += order[..n].iter().filter(|i| keys.contains(i)).count();
                f.mr_keys += n;
                f.mr_chance += (n * n) as f64 / options.len() as f64;
            }
            _ => {}
        }
    }
    f
}

#[test]
fn no_length_rank_predicts_the_single_answer_key() {
    let f = figures();
    assert!(f.singles > 0, "no 4-option single-answer questions found");
    for rank in 0..4 {
        let share = f.rank_share(rank);
        assert!(
            (0.20..=0.30).contains(&share),
            "rank {} holds the key in {:.1}% of questions\n{}",
            rank + 1,
            100.0 * share,
            f.report()
        );
    }
}

#[test]
fn multiple_response_keys_are_not_the_longest_options_beyond_chance() {
    let f = figures();
    assert!(f.mr_keys > 0, "no multiple-response questions found");
    let gap = f.mr_share() - f.mr_chance_share();
    assert!(
        gap.abs() <= 0.10,
        "keys among the N longest differ from chance by {:.1} points\n{}",
        100.0 * gap,
        f.report()
    );
}

#[test]
fn keys_are_about_as_long_as_distractors() {
    let f = figures();
    let ratio = f.key_mean() / f.distractor_mean();
    assert!((0.9..=1.1).contains(&ratio), "key length is {ratio:.3} × the distractors'\n{}", f.report());
}
