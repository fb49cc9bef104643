//! What the attempt pages show: an item with its choices (and, once
//! [`Visibility`] allows, its feedback), the palette, and the countdown.

use time::OffsetDateTime;

use crate::app::versions::RenderedVersion;
use crate::exam::display;
use crate::exam::kind::Kind;
use crate::exam::{Body, Visibility};
use crate::progress::Confidence;
use crate::store::attempts::Item;
use crate::store::item_page::Cell;

/// Whole seconds until `deadline`, rounded up (a fresh 130-minute attempt
/// has 7800 left, not 7799), never below zero.
pub fn seconds_left(deadline: OffsetDateTime, now: OffsetDateTime) -> i64 {
    ((deadline - now).whole_milliseconds() as i64 + 999).div_euclid(1000).max(0)
}

/// Time left until `deadline` as the countdown shows it: `130:00`.
pub fn time_left(deadline: OffsetDateTime, now: OffsetDateTime) -> String {
    clock(seconds_left(deadline, now))
}

/// `130:00`-style minutes and seconds.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    format!("{}:{:02}", s / 60, s % 60)
}

/// Milliseconds since the epoch, as the countdown script counts.
pub fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

const LETTERS: &[u8] = b"ABCDEFGHIJ";

pub struct PaletteEntry {
    pub position: i32,
    pub answered: bool,
    pub flagged: bool,
    pub current: bool,
}

/// Every item's cell in the palette, from the items' states in position
/// order; `current` marks the item on screen.
pub fn palette(cells: &[Cell], current: Option<i32>) -> Vec<PaletteEntry> {
    (1..)
        .zip(cells)
        .map(|(position, cell)| PaletteEntry {
            position,
            answered: cell.answered,
            flagged: cell.flagged,
            current: Some(position) == current,
        })
        .collect()
}

/// The palette states of whole items.
pub fn cells(items: &[Item]) -> Vec<Cell> {
    items.iter().map(|i| Cell { answered: i.answered, flagged: i.flagged }).collect()
}

/// An option, step or matching answer as shown.
pub struct ChoiceView {
    pub pos: usize,
    pub letter: char,
    pub html: String,
    /// The text without markup, for places that take no HTML (`<option>`).
    pub plain: String,
    pub selected: bool,
    pub struck: bool,
    /// Ordering: the position the learner gave this step (1-based).
    pub rank: Option<usize>,
    /// After feedback: whether this one is (part of) the key, and why.
    pub keyed: bool,
    pub rationale: Option<String>,
}

pub struct PromptView {
    pub index: usize,
    pub html: String,
    pub chosen: Option<usize>,
    /// After feedback: the right answer's text and why.
    pub answer: Option<String>,
    pub rationale: Option<String>,
    pub right: bool,
}

/// One item as a page shows it, built from the item and its version;
/// feedback is filled in only when [`Visibility`] allows.
pub struct ItemView {
    pub position: i32,
    pub kind: Kind,
    pub domain: Option<String>,
    pub case_title: Option<String>,
    pub case_scenario: Option<String>,
    pub stem: String,
    pub select_count: Option<usize>,
    pub choices: Vec<ChoiceView>,
    pub prompts: Vec<PromptView>,
    pub rank_options: Vec<usize>,
    pub flagged: bool,
    pub answered: bool,
    pub scored: bool,
    pub visibility: Visibility,
    pub correct: Option<bool>,
    pub explanation: Option<String>,
    /// Ordering, after feedback: the steps in the right order.
    pub key_order: Vec<String>,
    /// The attempt takes a confidence mark with each answer.
    pub offers_confidence: bool,
    /// How sure the learner said they were; None when not marked.
    pub confidence: Option<Confidence>,
    /// In a result under partial credit, how a partly right answer was
    /// credited ("2 of 3 keys, 1 wrong: 0.33 of a point").
    pub credit_note: Option<String>,
}

impl ChoiceView {
    pub fn rank_is(&self, r: &usize) -> bool {
        self.rank == Some(*r)
    }
}

impl PromptView {
    pub fn chosen_is(&self, pos: &usize) -> bool {
        self.chosen == Some(*pos)
    }
}

/// Text content of sanitized HTML: drops tags, keeps entities (which the
/// template escapes again, so they show as typed).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for ch in html.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

impl ItemView {
    /// `offers_confidence`: the attempt takes a confidence mark (see
    /// [`crate::store::attempts::Attempt::offers_confidence`]).
    pub fn new(item: &Item, v: &RenderedVersion, visibility: Visibility, offers_confidence: bool) -> ItemView {
        let body = &v.content.question.body;
        let shown = display::to_display(body, &item.option_order, item.response.as_ref());
        let chosen = shown.choice.clone().unwrap_or_default();
        let ranks = shown.ranks.clone().unwrap_or_default();
        let key = body.key();
        let keyed = |canonical: usize| match &key {
            crate::exam::Response::Single(k) => *k == canonical,
            crate::exam::Response::Multiple(ks) => ks.contains(&canonical),
            _ => false,
        };
        let feedback = visibility.feedback;
        let explained = feedback && visibility.explanation;
        let is_matching = body.kind() == Kind::Matching;
        let choices = item
            .option_order
            .iter()
            .enumerate()
            .map(|(pos, &c)| {
                let c = c as usize;
                ChoiceView {
                    pos,
                    letter: LETTERS.get(pos).map_or('?', |&b| b as char),
                    html: v.choices[c].clone(),
                    plain: strip_tags(&v.choices[c]),
                    selected: chosen.contains(&pos),
                    struck: item.struck.contains(&(pos as i32)),
                    rank: ranks.get(pos).copied().flatten().map(|r| r + 1),
                    keyed: feedback && keyed(c),
                    rationale: (explained && !is_matching).then(|| v.rationales[c].clone()),
                }
            })
            .collect();
        let prompts = match body {
            Body::Matching { pairs, .. } => {
                let answers = body.answers();
                let matches = shown.matches.clone().unwrap_or_default();
                let crate::exam::Response::Matching(key) = &key else { unreachable!("matching keys are matching") };
                pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let chosen = matches.get(i).copied().flatten();
                        let right_pos = key[i].and_then(|k| item.option_order.iter().position(|&o| o as usize == k));
                        PromptView {
                            index: i,
                            html: v.prompts[i].clone(),
                            chosen,
                            answer: feedback.then(|| {
                                let k = answers.iter().position(|a| *a == p.answer).unwrap_or(0);
                                v.choices[k].clone()
                            }),
                            rationale: explained.then(|| v.rationales[i].clone()),
                            right: feedback && chosen.is_some() && chosen == right_pos,
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let key_order = match body {
            Body::Ordering { .. } if explained => (0..v.choices.len())
                .map(|i| format!("{} <span class=\"why\">— {}</span>", v.choices[i], v.rationales[i]))
                .collect(),
            Body::Ordering { .. } if feedback => v.choices.clone(),
            _ => Vec::new(),
        };
        ItemView {
            position: item.position,
            kind: body.kind(),
            domain: visibility.domain.then(|| item.domain.clone()),
            case_title: v.case_title.clone(),
            case_scenario: v.case_scenario.clone(),
            stem: v.stem.clone(),
            select_count: body.select_count(),
            choices,
            prompts,
            rank_options: (1..=item.option_order.len()).collect(),
            flagged: item.flagged,
            answered: item.answered,
            scored: item.scored,
            visibility,
            correct: if feedback { Some(body.is_correct(item.response.as_ref())) } else { None },
            explanation: explained.then(|| v.explanation.clone()),
            key_order,
            offers_confidence,
            confidence: item.confidence,
            credit_note: None,
        }
    }

    pub fn is_sure(&self) -> bool {
        self.confidence == Some(Confidence::Sure)
    }

    pub fn is_unsure(&self) -> bool {
        self.confidence == Some(Confidence::Unsure)
    }

    /// Beside the verdict, once it is shown: what the mark and the verdict
    /// say together. None before feedback or without a mark.
    pub fn confidence_note(&self) -> Option<&'static str> {
        Some(match (self.correct?, self.confidence?) {
            (true, Confidence::Sure) => "You were sure — and right.",
            (true, Confidence::Unsure) => "You were not sure — but right: a lucky guess? Worth another look.",
            (false, Confidence::Sure) => "You were sure — and wrong: a misconception to review.",
            (false, Confidence::Unsure) => "You were not sure — and wrong: a gap to fill.",
        })
    }

    /// Single and multiple: the kinds whose options are themselves keyed.
    pub fn has_keyed_options(&self) -> bool {
        matches!(self.kind, Kind::Single | Kind::Multiple)
    }

    pub fn struck_list(&self) -> String {
        self.choices.iter().filter(|c| c.struck).map(|c| c.pos.to_string()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_shows_minutes_past_sixty() {
        assert_eq!(clock(130 * 60), "130:00");
        assert_eq!(clock(61), "1:01");
        assert_eq!(clock(-5), "0:00");
    }

    #[test]
    fn time_left_rounds_up_and_stops_at_zero() {
        let now = OffsetDateTime::UNIX_EPOCH;
        assert_eq!(seconds_left(now + time::Duration::milliseconds(1500), now), 2);
        assert_eq!(seconds_left(now - time::Duration::seconds(5), now), 0);
    }
}
