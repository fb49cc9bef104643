//! The item form as browsers send it without JavaScript: the answer, the
//! flag, the strikes, the confidence mark, and the button pressed.
//!
//! Parsed by hand: ranks and matches arrive as `rank-<position>` and
//! `match-<prompt>`, fields named by the display position, which no
//! derived form type maps; one pass over the pairs reads them all.

use crate::app::attempts::SaveRequest;
use crate::exam::display::DisplayResponse;
use crate::exam::kind::Kind;
use crate::progress::Confidence;

/// The item form as browsers send it (fields may repeat).
pub struct ItemForm {
    pub save: SaveRequest,
    pub action: String,
}

/// A field the form cannot take, with what the learner reads.
#[derive(Debug, PartialEq, Eq)]
pub struct FormError(pub String);

pub fn parse_item_form(body: &[u8], kind: Kind, shown: usize, prompts: usize) -> Result<ItemForm, FormError> {
    let mut choice = Vec::new();
    let mut ranks = vec![None; shown];
    let mut matches = vec![None; prompts];
    let mut seq = 0;
    let mut flagged = None;
    let mut struck: Vec<i32> = Vec::new();
    let mut action = String::from("save");
    let mut confidence = None;
    let mut shown_at = None;
    for (k, v) in form_urlencoded::parse(body) {
        let number = |s: &str| s.trim().parse::<usize>().ok();
        match &*k {
            "choice" => choice.extend(number(&v)),
            "seq" => seq = v.parse().unwrap_or(0),
            "shown_at" => shown_at = v.parse().ok(),
            "flagged" => flagged = Some(v == "true"),
            "struck" => struck = v.split(',').filter_map(|p| p.trim().parse().ok()).collect(),
            "action" => action = v.into_owned(),
            // Empty: not marked (keeps the stored mark).
            "confidence" if v.is_empty() => {}
            "confidence" => {
                confidence = Some(Confidence::parse(&v).ok_or_else(|| {
                    FormError(format!("`confidence` must be “sure” or “unsure”, not “{v}”; nothing was saved."))
                })?)
            }
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
    Ok(ItemForm {
        save: SaveRequest { seq, response, flagged, struck: Some(struck), confidence, check, shown_at },
        action,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_form_reads_repeated_choices_ranks_and_actions() {
        let f = parse_item_form(b"seq=4&choice=0&choice=3&flagged=false&action=flag&struck=1,2", Kind::Multiple, 5, 0)
            .expect("a good form");
        assert_eq!(f.save.seq, 4);
        assert_eq!(f.save.response.choice, Some(vec![0, 3]));
        assert_eq!(f.save.flagged, Some(true), "flag toggles");
        assert_eq!(f.save.struck, Some(vec![1, 2]));
        let f = parse_item_form(b"seq=1&rank-0=2&rank-1=&rank-2=1&action=strike-1", Kind::Ordering, 3, 0)
            .expect("a good form");
        assert_eq!(f.save.response.ranks, Some(vec![Some(1), None, Some(0)]));
        assert_eq!(f.save.struck, Some(vec![1]));
        assert_eq!(f.save.confidence, None, "no mark sent: the stored one is kept");
    }

    #[test]
    fn the_item_form_reads_the_confidence_mark_and_refuses_any_other_value() {
        let read = |body: &[u8]| parse_item_form(body, Kind::Single, 4, 0).map(|f| f.save.confidence);
        assert_eq!(read(b"seq=1&choice=0&confidence=sure"), Ok(Some(Confidence::Sure)));
        assert_eq!(read(b"seq=1&confidence=unsure&action=check"), Ok(Some(Confidence::Unsure)));
        assert_eq!(read(b"seq=1&confidence="), Ok(None));
        let Err(FormError(message)) = read(b"seq=1&confidence=maybe") else { panic!("an unknown mark is refused") };
        assert!(message.contains("`confidence`") && message.contains("maybe"), "{message}");
    }
}
