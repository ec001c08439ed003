//! Placeholder until this format's extractor lands.
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract_doc(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
pub(crate) fn extract_ppt(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
pub(crate) fn extract_ole(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
