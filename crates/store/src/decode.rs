//! Stored codes and ids read back into model values. A value that does not parse is a
//! catalog written by something else (or damaged): [`StoreError::Corrupt`].

use std::str::FromStr;

use trove_model::{
    BlobId, FailureReason, FileKind, Hidden, ListKind, Metadata, PartKind, Review, Stage,
};

use crate::StoreError;
use crate::ocr::MeasuredTones;

pub(crate) fn parse_blob_id(text: &str) -> Result<BlobId, StoreError> {
    BlobId::from_str(text).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn parse_kind(code: &str) -> Result<FileKind, StoreError> {
    FileKind::from_str(code).map_err(StoreError::Corrupt)
}

/// Blob `id`'s metadata, from its JSON.
pub(crate) fn parse_metadata(id: &str, json: &str) -> Result<Metadata, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("metadata of {id}: {e}")))
}

/// The tones extraction counted on blob `id`, from its metadata (JSON), when it did.
pub(crate) fn parse_measured_tones(
    id: &str,
    metadata: &str,
) -> Result<Option<MeasuredTones>, StoreError> {
    Ok(parse_metadata(id, metadata)?.image.and_then(|image| {
        image.tones.map(|tones| MeasuredTones {
            width: image.width,
            height: image.height,
            tones,
        })
    }))
}

pub(crate) fn parse_list_kind(code: &str) -> Result<ListKind, StoreError> {
    ListKind::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("list kind {code:?}")))
}

pub(crate) fn parse_part_kind(code: &str) -> Result<PartKind, StoreError> {
    PartKind::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("part kind {code:?}")))
}

pub(crate) fn parse_stage(code: &str) -> Result<Stage, StoreError> {
    Stage::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("failure stage {code:?}")))
}

pub(crate) fn parse_reason(code: &str) -> Result<FailureReason, StoreError> {
    FailureReason::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("failure reason {code:?}")))
}

pub(crate) fn parse_review(code: &str) -> Result<Review, StoreError> {
    Review::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("review {code:?}")))
}

/// What a sheet hides, from `parts.hidden` (NULL: nothing).
pub(crate) fn parse_hidden(json: Option<String>) -> Result<Hidden, StoreError> {
    match json {
        None => Ok(Hidden::default()),
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("hidden rows {json:?}: {e}"))),
    }
}

/// `parts.hidden` for a part: NULL when nothing is hidden, which is almost always.
pub(crate) fn hidden_json(hidden: &Hidden) -> Result<Option<String>, StoreError> {
    if hidden.is_nothing() {
        return Ok(None);
    }
    serde_json::to_string(hidden)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The format of `occurrences.member_time`: ISO 8601, no zone (archives keep local time).
const MEMBER_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// How `occurrences.member_time` is written.
pub(crate) fn member_time_text(time: chrono::NaiveDateTime) -> String {
    time.format(MEMBER_TIME_FORMAT).to_string()
}

/// An `occurrences.member_time` read back.
pub(crate) fn parse_member_time(text: &str) -> Result<chrono::NaiveDateTime, StoreError> {
    chrono::NaiveDateTime::parse_from_str(text, MEMBER_TIME_FORMAT)
        .map_err(|_| StoreError::Corrupt(format!("member time {text:?}")))
}

/// A record from its stored JSON (`records.data`).
pub(crate) fn parse_record(data: &str) -> Result<trove_model::Record, StoreError> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("record JSON: {e}")))
}

/// How the histories (decisions, statuses, notes) write a time: RFC 3339 to the
/// microsecond, so that all of them sort together as text.
pub(crate) fn timestamp(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(crate) fn parse_timestamp(text: &str) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&chrono::Utc))
        .map_err(|e| StoreError::Corrupt(format!("timestamp {text:?}: {e}")))
}

/// A value as the JSON a catalog stores.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A list entry or candidate explanation from its stored JSON.
pub(crate) fn parse_list_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("list JSON: {e}")))
}
