//! Placeholder until this format's extractor lands.
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
