//! Placeholder until this format's extractor lands.
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract_eml(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
pub(crate) fn extract_mbox(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
