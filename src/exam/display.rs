//! Between what the learner sees and what is stored. Options (steps, or
//! matching answers) are shown in a per-item shuffled order; the client only
//! ever names display positions, so nothing it receives reveals the file
//! order, which for `ordering` is the key.

use serde::{Deserialize, Serialize};

use super::kind::{Body, Kind, Response, ResponseError};

/// A response as the client sends it, in display positions (0-based).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(description = "A response in display positions (0-based). Send the one property that fits the item's \
    kind; an empty or absent response clears the answer.")]
pub struct DisplayResponse {
    /// `single` and `multiple`: the chosen options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Vec<usize>>,
    /// `ordering`: for each step as shown, its position (0-based) or null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranks: Option<Vec<Option<usize>>>,
    /// `matching`: for each prompt (in order), the chosen answer as shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<Vec<Option<usize>>>,
}

/// Turns a display response into a stored one: `Ok(None)` when nothing is
/// chosen (or no answer of this kind is sent at all, as in a save that only
/// flags the item), an error when it does not fit the question.
pub fn to_canonical(body: &Body, order: &[i32], shown: &DisplayResponse) -> Result<Option<Response>, ResponseError> {
    let canon = |p: usize| order.get(p).map(|&c| c as usize).ok_or(ResponseError::OutOfRange);
    // An answer of another kind (ranks for a single-answer item, say) does
    // not fit, even beside none of this kind.
    let foreign = match body.kind() {
        Kind::Single | Kind::Multiple => shown.ranks.is_some() || shown.matches.is_some(),
        Kind::Ordering => shown.choice.is_some() || shown.matches.is_some(),
        Kind::Matching => shown.choice.is_some() || shown.ranks.is_some(),
    };
    if foreign {
        return Err(ResponseError::OutOfRange);
    }
    let response = match body.kind() {
        Kind::Single => match shown.choice.as_deref() {
            None | Some([]) => return Ok(None),
            Some([p]) => Response::Single(canon(*p)?),
            Some(_) => return Err(ResponseError::TooMany { allowed: 1 }),
        },
        Kind::Multiple => {
            let mut chosen =
                shown.choice.clone().unwrap_or_default().into_iter().map(canon).collect::<Result<Vec<_>, _>>()?;
            chosen.sort_unstable();
            chosen.dedup();
            Response::Multiple(chosen)
        }
        Kind::Ordering => {
            let Some(ranks) = shown.ranks.clone() else { return Ok(None) };
            if ranks.len() != order.len() {
                return Err(ResponseError::OutOfRange);
            }
            let mut canonical = vec![None; order.len()];
            for (p, rank) in ranks.into_iter().enumerate() {
                canonical[canon(p)?] = rank;
            }
            Response::Ordering(canonical)
        }
        Kind::Matching => {
            let Some(matches) = shown.matches.clone() else { return Ok(None) };
            Response::Matching(matches.into_iter().map(|m| m.map(canon).transpose()).collect::<Result<_, _>>()?)
        }
    };
    body.check_response(&response)?;
    Ok(if response.is_empty() { None } else { Some(response) })
}

/// The stored response in display positions, to show what was chosen.
pub fn to_display(body: &Body, order: &[i32], response: Option<&Response>) -> DisplayResponse {
    let shown = |c: usize| order.iter().position(|&o| o as usize == c);
    match (body.kind(), response) {
        (Kind::Single, Some(Response::Single(c))) => {
            DisplayResponse { choice: Some(shown(*c).into_iter().collect()), ..Default::default() }
        }
        (Kind::Multiple, Some(Response::Multiple(cs))) => {
            let mut choice: Vec<usize> = cs.iter().filter_map(|&c| shown(c)).collect();
            choice.sort_unstable();
            DisplayResponse { choice: Some(choice), ..Default::default() }
        }
        (Kind::Ordering, Some(Response::Ordering(ranks))) => DisplayResponse {
            ranks: Some(order.iter().map(|&c| ranks.get(c as usize).copied().flatten()).collect()),
            ..Default::default()
        },
        (Kind::Matching, Some(Response::Matching(ms))) => {
            DisplayResponse { matches: Some(ms.iter().map(|m| m.and_then(shown)).collect()), ..Default::default() }
        }
        _ => DisplayResponse::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exam::kind::{Choice, Pair};

    fn choices(n: usize) -> Vec<Choice> {
        (0..n).map(|i| Choice { text: format!("c{i}"), rationale: String::new() }).collect()
    }

    #[test]
    fn a_shown_choice_maps_to_its_file_option_and_back() {
        let body = Body::Single { options: choices(4), key: 2 };
        let order = [3, 2, 0, 1];
        let shown = DisplayResponse { choice: Some(vec![1]), ..Default::default() };
        let stored = to_canonical(&body, &order, &shown).unwrap();
        assert_eq!(stored, Some(Response::Single(2)));
        assert!(body.is_correct(stored.as_ref()));
        assert_eq!(to_display(&body, &order, stored.as_ref()), shown);
    }

    #[test]
    fn a_save_with_no_answer_stores_none_for_every_kind() {
        let pairs = (0..3)
            .map(|i| Pair { prompt: format!("p{i}"), answer: format!("a{i}"), rationale: String::new() })
            .collect::<Vec<_>>();
        let bodies = [
            Body::Single { options: choices(4), key: 0 },
            Body::Multiple { options: choices(5), key: vec![0, 1] },
            Body::Ordering { steps: choices(3) },
            Body::Matching { pairs, extra_answers: Vec::new() },
        ];
        for body in &bodies {
            let order: Vec<i32> = (0..body.shuffled_len() as i32).collect();
            assert_eq!(to_canonical(body, &order, &DisplayResponse::default()), Ok(None), "{:?}", body.kind());
        }
    }

    #[test]
    fn an_answer_of_another_kind_does_not_fit() {
        let choice = DisplayResponse { choice: Some(vec![0]), ..Default::default() };
        let ranks = DisplayResponse { ranks: Some(vec![Some(0), Some(1), Some(2)]), ..Default::default() };
        let matches = DisplayResponse { matches: Some(vec![Some(0), Some(1), Some(2)]), ..Default::default() };
        let pairs = (0..3)
            .map(|i| Pair { prompt: format!("p{i}"), answer: format!("a{i}"), rationale: String::new() })
            .collect::<Vec<_>>();
        let cases = [
            (Body::Single { options: choices(3), key: 0 }, [&ranks, &matches]),
            (Body::Multiple { options: choices(3), key: vec![0, 1] }, [&ranks, &matches]),
            (Body::Ordering { steps: choices(3) }, [&choice, &matches]),
            (Body::Matching { pairs, extra_answers: Vec::new() }, [&choice, &ranks]),
        ];
        for (body, foreign) in &cases {
            let order: Vec<i32> = (0..body.shuffled_len() as i32).collect();
            for shown in foreign {
                assert_eq!(to_canonical(body, &order, shown), Err(ResponseError::OutOfRange), "{:?}", body.kind());
            }
        }
        let ordering = Body::Ordering { steps: choices(3) };
        assert!(to_canonical(&ordering, &[0, 1, 2], &ranks).is_ok(), "its own kind still fits");
    }

    #[test]
    fn multiple_choices_map_to_file_options_and_back_in_shown_order() {
        let body = Body::Multiple { options: choices(5), key: vec![1, 4] };
        let order = [4, 0, 3, 1, 2];
        let shown = DisplayResponse { choice: Some(vec![0, 3]), ..Default::default() };
        let stored = to_canonical(&body, &order, &shown).unwrap();
        assert_eq!(stored, Some(Response::Multiple(vec![1, 4])));
        assert!(body.is_correct(stored.as_ref()));
        assert_eq!(to_display(&body, &order, stored.as_ref()), shown);
    }

    #[test]
    fn ordering_ranks_map_to_file_steps() {
        let body = Body::Ordering { steps: choices(3) };
        let order = [2, 0, 1]; // shown: step 2, step 0, step 1
        // The learner puts them right: step 0 first, step 1 second, step 2 third.
        let shown = DisplayResponse { ranks: Some(vec![Some(2), Some(0), Some(1)]), ..Default::default() };
        let stored = to_canonical(&body, &order, &shown).unwrap();
        assert_eq!(stored, Some(Response::Ordering(vec![Some(0), Some(1), Some(2)])));
        assert!(body.is_correct(stored.as_ref()));
        assert_eq!(to_display(&body, &order, stored.as_ref()), shown);
    }

    #[test]
    fn two_steps_shown_in_one_place_are_refused() {
        let body = Body::Ordering { steps: choices(3) };
        let order = [2, 0, 1];
        let shown = DisplayResponse { ranks: Some(vec![Some(0), Some(0), Some(1)]), ..Default::default() };
        assert_eq!(to_canonical(&body, &order, &shown), Err(ResponseError::RepeatedPlace));
    }

    #[test]
    fn matching_answers_map_through_the_shuffle() {
        let pair = |p: &str, a: &str| Pair { prompt: p.into(), answer: a.into(), rationale: String::new() };
        let body =
            Body::Matching { pairs: vec![pair("p0", "x"), pair("p1", "y"), pair("p2", "z")], extra_answers: vec![] };
        let order = [1, 2, 0]; // shown: y, z, x
        let shown = DisplayResponse { matches: Some(vec![Some(2), Some(0), None]), ..Default::default() };
        let stored = to_canonical(&body, &order, &shown).unwrap();
        assert_eq!(stored, Some(Response::Matching(vec![Some(0), Some(1), None])));
        assert!(!body.is_correct(stored.as_ref()), "incomplete");
        assert_eq!(to_display(&body, &order, stored.as_ref()), shown);
    }

    #[test]
    fn nothing_chosen_is_no_response_and_bad_input_is_refused() {
        let body = Body::Multiple { options: choices(5), key: vec![0, 1] };
        let order = [0, 1, 2, 3, 4];
        assert_eq!(to_canonical(&body, &order, &DisplayResponse::default()).unwrap(), None);
        let three = DisplayResponse { choice: Some(vec![0, 1, 2]), ..Default::default() };
        assert_eq!(to_canonical(&body, &order, &three), Err(ResponseError::TooMany { allowed: 2 }));
        let out = DisplayResponse { choice: Some(vec![9]), ..Default::default() };
        assert_eq!(to_canonical(&body, &order, &out), Err(ResponseError::OutOfRange));
    }
}
