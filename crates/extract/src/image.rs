//! Placeholder until this format's extractor lands.
use trove_model::FileKind;
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract(_: FileKind, _: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
