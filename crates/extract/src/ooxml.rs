//! Placeholder until this format's extractor lands.
use crate::{ExtractError, Extracted, Limits};
pub(crate) fn extract_docx(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
pub(crate) fn extract_pptx(_: &[u8], _: &Limits) -> Result<Extracted, ExtractError> { Ok(Extracted::default()) }
