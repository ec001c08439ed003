//! A search as the address bar carries it (`?q=…&page=…&sort=…&type=…`),
//! checked, turned into index options, and turned back into links.

use serde::Deserialize;
use trove_index::{HitOrder, SearchFilter, SearchOptions};

use crate::error::WebError;
use crate::i18n::Phrase;

/// Hits per page.
pub const PAGE_SIZE: usize = 20;

/// The deepest page served: the index collects every hit before the page
/// asked for, so a deep page costs as much as all the pages before it.
pub const MAX_PAGE: usize = 500;

/// The query string's fields as sent; empty means "not given". Every field
/// is text, so that a mistyped value gets a message from
/// [`SearchRequest::from_params`] rather than the framework's.
#[derive(Debug, Default, Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub sort: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub folder: String,
    #[serde(default)]
    pub year: String,
}

/// The order hits are listed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    /// Newest year first.
    Date,
}

impl Sort {
    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Date => "date",
        }
    }
}

/// A checked search request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: String,
    /// 1-based.
    pub page: usize,
    pub sort: Sort,
    pub filter: SearchFilter,
}

impl SearchRequest {
    /// Checks the fields; a value that cannot be read is a 400 that says
    /// what was expected.
    pub fn from_params(params: &SearchParams) -> Result<Self, WebError> {
        let given = |text: &str| Some(text.trim().to_owned()).filter(|text| !text.is_empty());
        let page = match given(&params.page) {
            None => 1,
            Some(text) => match text.parse::<usize>() {
                Ok(page) if (1..=MAX_PAGE).contains(&page) => page,
                _ => {
                    return Err(WebError::Refused(
                        Phrase::new("error.search_page")
                            .arg("max", MAX_PAGE)
                            .arg("text", format!("{text:?}")),
                    ));
                }
            },
        };
        let sort = match given(&params.sort).as_deref() {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(other) => {
                return Err(WebError::Refused(
                    Phrase::new("error.sort").arg("text", format!("{other:?}")),
                ));
            }
        };
        let year = given(&params.year)
            .map(|text| {
                text.parse::<i64>().map_err(|_| {
                    WebError::Refused(Phrase::new("error.year").arg("text", format!("{text:?}")))
                })
            })
            .transpose()?;
        Ok(SearchRequest {
            query: params.q.trim().to_owned(),
            page,
            sort,
            filter: SearchFilter {
                kind: given(&params.kind),
                folder: given(&params.folder),
                year,
                blobs: None,
            },
        })
    }

    /// The index options for this request's page.
    pub fn options(&self) -> SearchOptions {
        SearchOptions {
            limit: Some(PAGE_SIZE),
            offset: (self.page - 1) * PAGE_SIZE,
            order: match self.sort {
                Sort::Relevance => HitOrder::Relevance,
                Sort::Date => HitOrder::Newest,
            },
            filter: self.filter.clone(),
            ..SearchOptions::default()
        }
    }

    /// The address of this search in `case`.
    pub fn link(&self, case: &str) -> String {
        let year = self.filter.year.map(|year| year.to_string());
        let page = (self.page > 1).then(|| self.page.to_string());
        let sort = (self.sort != Sort::Relevance).then(|| self.sort.code());
        let fields: Vec<(&str, &str)> = [
            ("q", Some(self.query.as_str())),
            ("type", self.filter.kind.as_deref()),
            ("folder", self.filter.folder.as_deref()),
            ("year", year.as_deref()),
            ("sort", sort),
            ("page", page.as_deref()),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name, value)))
        .collect();
        let query = serde_urlencoded::to_string(fields).unwrap_or_default();
        format!("/cases/{case}/search?{query}")
    }

    /// This search at another page.
    pub fn at_page(&self, page: usize) -> SearchRequest {
        SearchRequest {
            page,
            ..self.clone()
        }
    }

    /// This search with its filter changed, from the first page.
    pub fn with_filter(&self, change: impl FnOnce(&mut SearchFilter)) -> SearchRequest {
        let mut changed = self.at_page(1);
        change(&mut changed.filter);
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &str, page: &str, sort: &str, year: &str) -> SearchParams {
        SearchParams {
            q: q.into(),
            page: page.into(),
            sort: sort.into(),
            year: year.into(),
            ..SearchParams::default()
        }
    }

    #[test]
    fn empty_fields_mean_the_defaults() {
        let request = SearchRequest::from_params(&params(" 教育 ", "", "", "")).unwrap();
        assert_eq!(request.query, "教育");
        assert_eq!((request.page, request.sort), (1, Sort::Relevance));
        assert_eq!(request.filter, SearchFilter::default());
    }

    #[test]
    fn a_bad_page_sort_or_year_is_a_clear_400() {
        for bad in [
            params("x", "0", "", ""),
            params("x", "two", "", ""),
            params("x", "100000", "", ""),
            params("x", "", "size", ""),
            params("x", "", "", "MMXVII"),
        ] {
            let error = SearchRequest::from_params(&bad).unwrap_err();
            assert!(matches!(error, WebError::Refused(_)), "{error}");
        }
    }

    #[test]
    fn the_second_page_skips_the_first_twenty_hits() {
        let request = SearchRequest::from_params(&params("x", "2", "date", "")).unwrap();
        let options = request.options();
        assert_eq!((options.offset, options.limit), (20, Some(20)));
        assert_eq!(options.order, HitOrder::Newest);
    }

    #[test]
    fn links_carry_every_choice_encoded_and_filters_restart_at_page_one() {
        let request = SearchRequest::from_params(&params("a&b \"c\"", "3", "date", "2017"))
            .unwrap()
            .with_filter(|filter| filter.folder = Some("名单/x".into()));
        assert_eq!(
            request.link("case-a"),
            "/cases/case-a/search?q=a%26b+%22c%22&folder=%E5%90%8D%E5%8D%95%2Fx&year=2017&sort=date"
        );
    }
}
