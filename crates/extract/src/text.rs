//! Placeholder until this format's extractor lands.
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract_plain(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
pub(crate) fn extract_csv(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
