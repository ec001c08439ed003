//! The record query language of `trove records` and the workbench: words every record
//! must contain, and `field:value` terms. One parser, so that a query pasted from the
//! terminal into the browser finds the same records.

use trove_model::BlobId;

use crate::records::RecordFilter;

/// The fields a `field:value` term may name.
pub const RECORD_QUERY_FIELDS: &str =
    "status, list, township, village, sex, flag, tag, person, id, valid or blob";

/// A query term that cannot be read, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordQueryError {
    /// The term names a field records cannot be filtered by.
    #[error("unknown field `{field}` in `{term}`: use {RECORD_QUERY_FIELDS}")]
    UnknownField {
        /// The field named.
        field: String,
        /// The whole term it was named in.
        term: String,
    },
    /// `valid:` was given something other than yes or no.
    #[error("valid: takes yes or no, not `{value}`")]
    Validity {
        /// What was given.
        value: String,
    },
    /// `blob:` was given something that is not a document id.
    #[error("blob:{value} is not a document id (a BLAKE3 hash of 64 hex digits)")]
    Blob {
        /// What was given.
        value: String,
    },
}

/// Words and `field:value` terms (each string may hold several, split on white space) to
/// a filter: status:training_centre, list:register|detainees, township:…, village:…,
/// sex:male|female, flag:CODE, person:KEY, id:NUMBER, valid:yes|no, blob:HASH.
///
/// ```
/// let filter = trove_store::parse_record_query(&["古丽 status:training_centre valid:no"]).unwrap();
/// assert_eq!(filter.words, vec!["古丽"]);
/// assert_eq!(filter.id_valid, Some(false));
/// ```
pub fn parse_record_query<S: AsRef<str>>(terms: &[S]) -> Result<RecordFilter, RecordQueryError> {
    let mut filter = RecordFilter::default();
    for term in terms.iter().flat_map(|t| t.as_ref().split_whitespace()) {
        let Some((field, value)) = term.split_once(':') else {
            filter.words.push(term.to_owned());
            continue;
        };
        let value = value.to_owned();
        match field {
            "status" => filter.status = Some(value),
            "list" => filter.list = Some(value),
            "township" => filter.township = Some(value),
            "village" => filter.village = Some(value),
            "sex" => filter.sex = Some(value),
            "flag" => filter.flag = Some(value),
            "tag" => filter.tag = Some(value),
            "person" => filter.person = Some(value),
            "id" => filter.id_number = Some(value.to_uppercase()),
            "valid" => {
                filter.id_valid = Some(match value.as_str() {
                    "yes" | "true" => true,
                    "no" | "false" => false,
                    _ => return Err(RecordQueryError::Validity { value }),
                })
            }
            "blob" => {
                filter.blob = Some(
                    value
                        .parse::<BlobId>()
                        .map_err(|_| RecordQueryError::Blob { value })?,
                )
            }
            _ => {
                return Err(RecordQueryError::UnknownField {
                    field: field.to_owned(),
                    term: term.to_owned(),
                });
            }
        }
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_mix_words_and_fields() {
        let filter = parse_record_query(&["古丽 status:training_centre", "valid:no"]).unwrap();
        assert_eq!(filter.words, vec!["古丽"]);
        assert_eq!(filter.status.as_deref(), Some("training_centre"));
        assert_eq!(filter.id_valid, Some(false));
    }

    #[test]
    fn an_unknown_field_names_the_known_ones() {
        let error = parse_record_query(&["colour:red"]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown field `colour` in `colour:red`: use status, list, township, village, sex, flag, tag, person, id, valid or blob"
        );
    }
}
