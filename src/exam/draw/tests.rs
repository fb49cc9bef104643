//! The draw's unit tests: blueprint counts, seeds, case studies, short
//! domains and unscored items.

use super::*;

const MLA: [u32; 4] = [28, 26, 22, 24];

#[test]
fn largest_remainder_splits_the_mla_blueprint() {
    assert_eq!(largest_remainder(&MLA, 65), vec![18, 17, 14, 16]);
    assert_eq!(largest_remainder(&MLA, 50), vec![14, 13, 11, 12]);
    assert_eq!(largest_remainder(&MLA, 15), vec![4, 4, 3, 4]);
    assert_eq!(largest_remainder(&MLA, 10), vec![3, 3, 2, 2]);
    assert_eq!(largest_remainder(&MLA, 1), vec![1, 0, 0, 0]);
    assert_eq!(largest_remainder(&MLA, 0), vec![0, 0, 0, 0]);
}

#[test]
fn largest_remainder_always_sums_to_n() {
    for n in 0..200 {
        assert_eq!(largest_remainder(&MLA, n).iter().sum::<u32>(), n);
        assert_eq!(largest_remainder(&[1, 1, 1], n).iter().sum::<u32>(), n);
    }
    // Equal remainders go to the earlier part.
    assert_eq!(largest_remainder(&[1, 1, 1], 4), vec![2, 1, 1]);
}

fn bank(per_domain: usize) -> Vec<Candidate> {
    ["D1", "D2", "D3", "D4"]
        .iter()
        .flat_map(|d| (0..per_domain).map(|_| Candidate { domain: d.to_string(), case: None, priority: i64::MIN }))
        .collect()
}

fn domains() -> Vec<(String, u32)> {
    ["D1", "D2", "D3", "D4"].iter().zip(MLA).map(|(d, w)| (d.to_string(), w)).collect()
}

fn per_domain(candidates: &[Candidate], drawn: &[Drawn]) -> Vec<usize> {
    ["D1", "D2", "D3", "D4"]
        .iter()
        .map(|d| drawn.iter().filter(|x| candidates[x.candidate].domain == *d).count())
        .collect()
}

fn request(domains: &[(String, u32)], seed: u64) -> Request<'_> {
    Request { count: 65, domains, unscored: 0, seed }
}

#[test]
fn a_mock_follows_the_blueprint_and_is_reproducible_from_its_seed() {
    let candidates = bank(30);
    let d = domains();
    let first = draw(&candidates, &request(&d, 7));
    assert_eq!(per_domain(&candidates, &first), vec![18, 17, 14, 16]);
    assert_eq!(first, draw(&candidates, &request(&d, 7)));
    assert_ne!(first, draw(&candidates, &request(&d, 8)));
}

#[test]
fn unseen_questions_come_before_seen_ones() {
    let mut candidates = bank(20);
    for (i, c) in candidates.iter_mut().enumerate() {
        if i % 2 == 0 {
            c.priority = 1000 + i as i64;
        }
    }
    let d = domains();
    let drawn = draw(&candidates, &request(&d, 1));
    // Each domain has 10 unseen questions and needs 14 to 18: all 10
    // unseen are in, and the seen ones are the least recently seen.
    let unseen = drawn.iter().filter(|x| candidates[x.candidate].priority == i64::MIN).count();
    assert_eq!(unseen, 40);
}

#[test]
fn case_studies_stay_whole() {
    let mut candidates = bank(20);
    for c in candidates.iter_mut().filter(|c| c.domain == "D3").take(3) {
        c.case = Some("cs".into());
        c.priority = i64::MIN;
    }
    let d = domains();
    for seed in 0..20 {
        let drawn = draw(&candidates, &request(&d, seed));
        let in_case: Vec<usize> =
            drawn.iter().filter(|x| candidates[x.candidate].case.is_some()).map(|x| x.candidate).collect();
        assert!(in_case.is_empty() || in_case.len() == 3, "seed {seed}: {in_case:?}");
        if in_case.len() == 3 {
            // shown together
            let pos: Vec<usize> = drawn
                .iter()
                .enumerate()
                .filter(|(_, x)| candidates[x.candidate].case.is_some())
                .map(|(i, _)| i)
                .collect();
            assert_eq!(pos[2] - pos[0], 2);
        }
        assert_eq!(per_domain(&candidates, &drawn), vec![18, 17, 14, 16]);
    }
}

#[test]
fn a_case_study_across_domains_stays_whole_and_counts_in_each_domain() {
    let mut candidates = bank(20);
    // Two D1 questions and one D3 question share a case study.
    for i in [0, 1, 45] {
        candidates[i].case = Some("cs".into());
    }
    assert_eq!(candidates[45].domain, "D3");
    let d = domains();
    let mut drew_it = 0;
    for seed in 0..40 {
        let drawn = draw(&candidates, &Request { unscored: 15, ..request(&d, seed) });
        let in_case: Vec<&Drawn> = drawn.iter().filter(|x| candidates[x.candidate].case.is_some()).collect();
        assert!(in_case.is_empty() || in_case.len() == 3, "seed {seed}: {in_case:?}");
        drew_it += usize::from(in_case.len() == 3);
        assert_eq!(per_domain(&candidates, &drawn), vec![18, 17, 14, 16], "seed {seed}");
        let scored: Vec<Drawn> = drawn.iter().filter(|x| x.scored).cloned().collect();
        assert_eq!(per_domain(&candidates, &scored), vec![14, 13, 11, 12], "seed {seed}");
    }
    assert!(drew_it > 0, "the case study was drawn in some of the 40 mocks");
}

#[test]
fn a_case_study_that_does_not_fit_a_domain_quota_is_left_out() {
    // D2's quota in a 10-question draw is 3; a case with four D2
    // questions cannot fit, however early it comes.
    let mut candidates = bank(10);
    for c in candidates.iter_mut().filter(|c| c.domain == "D2").take(4) {
        c.case = Some("big".into());
        c.priority = i64::MIN;
    }
    let d = domains();
    for seed in 0..20 {
        let drawn = draw(&candidates, &Request { count: 10, ..request(&d, seed) });
        assert!(drawn.iter().all(|x| candidates[x.candidate].case.is_none()), "seed {seed}");
        assert_eq!(per_domain(&candidates, &drawn), vec![3, 3, 2, 2]);
    }
}

#[test]
fn a_short_domain_is_filled_from_the_others_and_no_more() {
    // D4 holds 5 of its 16; the others, 30 each, fill the 11 left and
    // not one more.
    let short: Vec<Candidate> = bank(30)
        .into_iter()
        .filter(|c| c.domain != "D4")
        .chain(bank(5).into_iter().filter(|c| c.domain == "D4"))
        .collect();
    let d = domains();
    for seed in 0..5 {
        let drawn = draw(&short, &request(&d, seed));
        assert_eq!(drawn.len(), 65, "seed {seed}");
        assert_eq!(per_domain(&short, &drawn)[3], 5);
    }
}

#[test]
fn a_draw_of_one_domain_draws_only_that_domain() {
    let candidates = bank(20);
    let d3 = vec![("D3".to_string(), 1)];
    let drawn = draw(&candidates, &Request { count: 10, ..request(&d3, 4) });
    assert_eq!(per_domain(&candidates, &drawn), vec![0, 0, 10, 0]);
}

#[test]
fn unscored_items_come_from_outside_case_studies_while_there_are_enough() {
    let mut candidates = bank(30);
    for c in candidates.iter_mut().filter(|c| c.domain == "D3").take(3) {
        c.case = Some("cs".into());
        c.priority = i64::MIN + 1;
    }
    for c in candidates.iter_mut().filter(|c| c.case.is_none()) {
        c.priority = 0;
    }
    let d = domains();
    for seed in 0..30 {
        let drawn = draw(&candidates, &Request { unscored: 15, ..request(&d, seed) });
        let in_case: Vec<&Drawn> = drawn.iter().filter(|x| candidates[x.candidate].case.is_some()).collect();
        assert_eq!(in_case.len(), 3, "the case study comes first: seed {seed}");
        assert!(in_case.iter().all(|x| x.scored), "seed {seed}: {in_case:?}");
    }
}

#[test]
fn a_short_domain_is_filled_from_the_others() {
    let short: Vec<Candidate> = bank(20)
        .into_iter()
        .filter(|c| c.domain != "D4")
        .chain(bank(5).into_iter().filter(|c| c.domain == "D4"))
        .collect();
    let d = domains();
    let drawn = draw(&short, &request(&d, 3));
    assert_eq!(drawn.len(), 65);
    assert_eq!(per_domain(&short, &drawn)[3], 5);
}

#[test]
fn unscored_items_leave_the_scored_ones_on_the_weights() {
    let candidates = bank(30);
    let d = domains();
    let drawn = draw(&candidates, &Request { unscored: 15, ..request(&d, 5) });
    let scored: Vec<Drawn> = drawn.iter().filter(|x| x.scored).cloned().collect();
    assert_eq!(drawn.len(), 65);
    assert_eq!(per_domain(&candidates, &scored), vec![14, 13, 11, 12]);
}

#[test]
fn shuffled_order_is_a_permutation_that_is_never_the_file_order() {
    for seed in 0..100 {
        let order = shuffled_order(3, seed);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, vec![0, 1, 2]);
        assert_ne!(order, vec![0, 1, 2]);
    }
    assert_eq!(shuffled_order(1, 0), vec![0]);
}
