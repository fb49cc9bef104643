//! The item form as browsers send it without JavaScript: the answer, the
//! flag and the strikes, and the button pressed.
//!
//! Parsed by hand: ranks and matches arrive as `rank-<position>` and
//! `match-<prompt>`, fields named by the display position, which no
//! derived form type maps; one pass over the pairs reads them all.

use crate::app::attempts::SaveRequest;
use crate::exam::display::DisplayResponse;
use crate::exam::kind::Kind;

/// The item form as browsers send it (fields may repeat).
pub struct ItemForm {
    pub save: SaveRequest,
    pub action: String,
}

pub fn parse_item_form(body: &[u8], kind: Kind, shown: usize, prompts: usize) -> ItemForm {
    let mut choice = Vec::new();
    let mut ranks = vec![None; shown];
    let mut matches = vec![None; prompts];
    let mut seq = 0;
    let mut flagged = None;
    let mut struck: Vec<i32> = Vec::new();
    let mut action = String::from("save");
    for (k, v) in form_urlencoded::parse(body) {
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match &*k {
            "choice" => choice.extend(number(&v)),
            "seq" => seq = v.parse().unwrap_or(0),
            "flagged" => flagged = Some(v == "true"),
            "struck" => struck = v.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
            "action" => action = v.into_owned(),
            _ => {
                if let Some(p) = k.strip_prefix("rank-").and_then(number).filter(|&p| p < shown) {
                    ranks[p] = number(&v).filter(|&r| r >= 1).map(|r| r - 1);
                } else if let Some(p) = k.strip_prefix("match-").and_then(number).filter(|&p| p < prompts) {
                    matches[p] = number(&v);
                }
            }
        }
    }
    let response = match kind {
        Kind::Single | Kind::Multiple => DisplayResponse { choice: Some(choice), ..Default::default() },
        Kind::Ordering => DisplayResponse { ranks: Some(ranks), ..Default::default() },
        Kind::Matching => DisplayResponse { matches: Some(matches), ..Default::default() },
    };
    if action == "flag" {
        flagged = Some(!flagged.unwrap_or(false));
    }
    if let Some(p) = action.strip_prefix("strike-").and_then(|p| p.parse::<i32>().ok()) {
        match struck.iter().position(|&s| s == p) {
            Some(i) => {
                struck.remove(i);
            }
            None => struck.push(p),
        }
    }
    let check = action == "check";
    ItemForm { save: SaveRequest { seq, response, flagged, struck: Some(struck), check }, action }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_form_reads_repeated_choices_ranks_and_actions() {
        let f = parse_item_form(b"seq=4&choice=0&choice=3&flagged=false&action=flag&struck=1,2", Kind::Multiple, 5, 0);
        assert_eq!(f.save.seq, 4);
        assert_eq!(f.save.response.choice, Some(vec![0, 3]));
        assert_eq!(f.save.flagged, Some(true), "flag toggles");
        assert_eq!(f.save.struck, Some(vec![1, 2]));
        let f = parse_item_form(b"seq=1&rank-0=2&rank-1=&rank-2=1&action=strike-1", Kind::Ordering, 3, 0);
        assert_eq!(f.save.response.ranks, Some(vec![Some(1), None, Some(0)]));
        assert_eq!(f.save.struck, Some(vec![1]));
    }
}
