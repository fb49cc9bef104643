//! What never changes about an item once it is drawn: whose attempt it is,
//! the mode (and whether it takes a confidence mark), the question version
//! and the option order. Kept in memory so
//! that a save, the hottest request of exam day, goes straight to its one
//! guarded upsert without reading the item first.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use uuid::Uuid;

use crate::exam::Mode;
use crate::store::attempts::{Attempt, Item};

/// About 1,500 attempts of 65 items, some 12 MB. A full cache starts over:
/// the next request of each attempt in progress refills it.
const CAPACITY: usize = 100_000;

#[derive(Debug)]
pub struct ItemFacts {
    pub user_id: Uuid,
    pub mode: Mode,
    /// The attempt takes a confidence mark with each answer.
    pub offers_confidence: bool,
    pub item_count: i32,
    pub version_id: Uuid,
    pub option_order: Vec<i32>,
}

impl ItemFacts {
    pub fn of(attempt: &Attempt, item: &Item) -> Self {
        ItemFacts {
            user_id: attempt.user_id,
            mode: attempt.mode,
            offers_confidence: attempt.offers_confidence(),
            item_count: attempt.item_count,
            version_id: item.version_id,
            option_order: item.option_order.clone(),
        }
    }
}

#[derive(Default)]
pub struct ItemFactsCache {
    map: RwLock<HashMap<(Uuid, i32), Arc<ItemFacts>>>,
}

impl ItemFactsCache {
    pub fn get(&self, attempt: Uuid, position: i32) -> Option<Arc<ItemFacts>> {
        self.map.read().expect("cache lock poisoned").get(&(attempt, position)).cloned()
    }

    /// Records the facts of items just read from the database.
    pub fn remember(&self, attempt: &Attempt, items: &[Item]) {
        if attempt.is_finished() {
            return;
        }
        let mut map = self.map.write().expect("cache lock poisoned");
        if map.len() + items.len() > CAPACITY {
            map.clear();
        }
        for item in items {
            map.entry((attempt.id, item.position)).or_insert_with(|| Arc::new(ItemFacts::of(attempt, item)));
        }
    }
}
