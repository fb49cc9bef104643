//! Splitting a long list into numbered pages, for pages that must stay
//! light on a slow phone.

/// One page of a list of `total` entries: entries `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based, within `1..=pages`.
    pub page: usize,
    /// At least 1: an empty list has one empty page.
    pub pages: usize,
    pub start: usize,
    pub end: usize,
}

impl Paging {
    /// The page `page` asks for, moved into range: a page past the end is
    /// the last one, page 0 the first.
    pub fn new(total: usize, per_page: usize, page: usize) -> Paging {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let start = (page - 1) * per_page;
        Paging { page, pages, start, end: (start + per_page).min(total) }
    }

    /// The page that holds entry `index` (0-based).
    pub fn holding(total: usize, per_page: usize, index: usize) -> Paging {
        Paging::new(total, per_page, index / per_page.max(1) + 1)
    }

    pub fn previous(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }

    pub fn numbers(&self) -> std::ops::RangeInclusive<usize> {
        1..=self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_ten_cover_the_list_and_clamp() {
        let p = Paging::new(65, 10, 1);
        assert_eq!((p.page, p.pages, p.start, p.end), (1, 7, 0, 10));
        assert_eq!((p.previous(), p.next()), (None, Some(2)));
        let last = Paging::new(65, 10, 7);
        assert_eq!((last.start, last.end, last.next(), last.previous()), (60, 65, None, Some(6)));
        assert_eq!(Paging::new(65, 10, 99), last);
        assert_eq!(Paging::new(65, 10, 0), p);
        let empty = Paging::new(0, 10, 3);
        assert_eq!((empty.page, empty.pages, empty.start, empty.end), (1, 1, 0, 0));
        assert_eq!(Paging::new(10, 10, 2).pages, 1);
        assert_eq!(Paging::new(11, 10, 2), Paging { page: 2, pages: 2, start: 10, end: 11 });
        assert_eq!(p.numbers().collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7]);
    }

    #[test]
    fn the_page_holding_an_entry() {
        assert_eq!(Paging::holding(65, 10, 0).page, 1);
        assert_eq!(Paging::holding(65, 10, 9).page, 1);
        assert_eq!(Paging::holding(65, 10, 10).page, 2);
        assert_eq!(Paging::holding(65, 10, 64).page, 7);
    }
}
