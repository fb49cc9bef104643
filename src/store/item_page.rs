//! The item page in one statement: the session, the attempt, the item on
//! screen and every item's state for the palette. It is the request an
//! examinee makes most; a round trip per part would cost more than the
//! database's work.

use sqlx::PgExecutor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use super::attempts::{Attempt, Item, Settings, attempt_from_row};
use super::sessions::{Limits, display_of, hash_token, is_stale};
use super::users::{User, user_from_row};
use crate::account::Display;
use crate::exam::scoring::Score;
use crate::exam::{Blueprint, FinishReason, Mode};

/// Who asked, and what they may see of the attempt they asked for.
pub struct ItemPage {
    pub user: User,
    pub display: Display,
    /// The session's last-seen time is worth refreshing.
    pub session_stale: bool,
    /// None when the attempt is not this user's (or does not exist).
    pub attempt: Option<AttemptAt>,
}

pub struct AttemptAt {
    pub attempt: Attempt,
    /// None when the attempt has no item at that position.
    pub item: Option<Item>,
    pub cells: Vec<Cell>,
}

/// An item's state as its palette cell shows it, in position order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub answered: bool,
    pub flagged: bool,
}

/// Reads the item page for the session `token`; None if the session is not
/// live (expired, ended, or its account disabled).
pub async fn read(
    db: impl PgExecutor<'_>,
    token: &str,
    limits: &Limits,
    attempt: Uuid,
    position: i32,
    now: OffsetDateTime,
) -> sqlx::Result<Option<ItemPage>> {
    // The palette comes as one letter per item (see `cells`), not as 65
    // decoded items: the page needs two booleans of each.
    let row = sqlx::query!(
        r#"SELECT u.id AS account_id, u.email, u.display_name, u.role, u.text_size, u.high_contrast,
                  s.last_seen_at AS "last_seen_at!",
                  a.id AS "id?", a.user_id AS "user_id?", a.mode AS "mode?",
                  a.blueprint AS "blueprint?: Json<Blueprint>", a.settings AS "settings?: Json<Settings>",
                  a.item_count AS "item_count?", a.started_at AS "started_at?", a.deadline, a.finished_at,
                  a.finished_reason, a.score AS "score: Json<Score>",
                  items.item AS "item: Json<Item>", items.cells
           FROM live_session($1, $2, $3) s
           JOIN users u ON u.id = s.user_id
           LEFT JOIN attempts a ON a.id = $4 AND a.user_id = s.user_id
           LEFT JOIN LATERAL (
               SELECT (array_agg(item_state(i)) FILTER (WHERE i.position = $5))[1] AS item,
                      string_agg(CASE WHEN i.answered AND i.flagged THEN 'b' WHEN i.answered THEN 'a'
                                      WHEN i.flagged THEN 'f' ELSE '-' END, '' ORDER BY i.position) AS cells
               FROM items i WHERE i.attempt_id = a.id
           ) items ON true"#,
        hash_token(token),
        now - limits.idle,
        now - limits.absolute,
        attempt,
        position
    )
    .fetch_optional(db)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let user = user_from_row(row.account_id, row.email, row.display_name, &row.role);
    let display = display_of(&row.text_size, row.high_contrast);
    let session_stale = is_stale(row.last_seen_at, now);
    let attempt = match (row.id, row.user_id, row.mode, row.blueprint, row.settings, row.item_count, row.started_at) {
        (Some(id), Some(user_id), Some(mode), Some(blueprint), Some(settings), Some(item_count), Some(started_at)) => {
            let a = AttemptRow {
                id,
                user_id,
                mode,
                blueprint,
                settings,
                item_count,
                started_at,
                deadline: row.deadline,
                finished_at: row.finished_at,
                finished_reason: row.finished_reason,
                score: row.score,
            };
            Some(AttemptAt {
                attempt: attempt_from_row!(a),
                item: row.item.map(|i| i.0),
                cells: cells(row.cells.as_deref().unwrap_or_default()),
            })
        }
        _ => None,
    };
    Ok(Some(ItemPage { user, display, session_stale, attempt }))
}

/// The attempt's columns, present once the left join found the attempt.
struct AttemptRow {
    id: Uuid,
    user_id: Uuid,
    mode: String,
    blueprint: Json<Blueprint>,
    settings: Json<Settings>,
    item_count: i32,
    started_at: OffsetDateTime,
    deadline: Option<OffsetDateTime>,
    finished_at: Option<OffsetDateTime>,
    finished_reason: Option<String>,
    score: Option<Json<Score>>,
}

/// The palette's cells from the statement's letters: `a` answered, `f`
/// flagged, `b` both, anything else neither.
fn cells(letters: &str) -> Vec<Cell> {
    letters.bytes().map(|l| Cell { answered: l == b'a' || l == b'b', flagged: l == b'f' || l == b'b' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_letter_is_one_cell_in_order() {
        let none = Cell { answered: false, flagged: false };
        let answered = Cell { answered: true, flagged: false };
        let flagged = Cell { answered: false, flagged: true };
        let both = Cell { answered: true, flagged: true };
        assert_eq!(cells("a-fb"), vec![answered, none, flagged, both]);
        assert_eq!(cells(""), Vec::<Cell>::new());
    }
}
