//! The `page` a list's address asks for, checked: a page past any list's end (or a
//! number too large to compute an offset from) is the asker's mistake, a 400, never a
//! failed query.

use crate::error::WebError;
use crate::i18n::Phrase;

/// The furthest page a list of records or candidates is read to.
pub const MAX_LIST_PAGE: u64 = 100_000;

/// `page` (1 when absent) if it lies within 1..=[`MAX_LIST_PAGE`].
pub fn checked_page(page: Option<u64>) -> Result<u64, WebError> {
    match page.unwrap_or(1) {
        page @ 1..=MAX_LIST_PAGE => Ok(page),
        other => Err(WebError::Refused(
            Phrase::new("error.list_page")
                .arg("max", MAX_LIST_PAGE)
                .arg("page", other),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_out_of_range_are_refused() {
        assert_eq!(checked_page(None).unwrap(), 1);
        assert_eq!(checked_page(Some(3)).unwrap(), 3);
        assert!(checked_page(Some(0)).is_err());
        assert!(checked_page(Some(u64::MAX)).is_err());
    }
}
