//! Office Open XML documents and presentations (.docx, .pptx): a zip
//! package of XML parts, read with a streaming walker of our own (docx-rs
//! panics on too many real files).
//!
//! Workbooks (.xlsx) are read by [`crate::spreadsheet`] through calamine.

mod presentation;
mod properties;
pub(crate) mod relationships;
mod word;

use trove_model::FileKind;

use crate::ExtractError;
use crate::zip_package::Package;

pub(crate) use presentation::extract as extract_pptx;
pub(crate) use word::extract as extract_docx;

use relationships::Relationship;

/// The relationships of `part` (`""` for the package's own), empty when
/// its rels part is missing or unreadable.
fn relationships_of(
    package: &mut Package<'_>,
    part: &str,
) -> Result<Vec<Relationship>, ExtractError> {
    let xml = package.read_xml(&relationships::rels_path(part))?;
    Ok(xml
        .map(|xml| relationships::parse(part, &xml))
        .unwrap_or_default())
}

/// The package's main part: the target of its `officeDocument`
/// relationship, or the conventional name when the package has none.
fn main_part(package: &mut Package<'_>, conventional: &str) -> Result<String, ExtractError> {
    let found = relationships_of(package, "")?
        .into_iter()
        .find(|r| r.kind == "officeDocument" && package.contains(&r.target))
        .map(|r| r.target);
    Ok(found.unwrap_or_else(|| conventional.to_owned()))
}

/// A missing main part, worded for the error report.
fn missing(kind: FileKind, part: &str) -> ExtractError {
    ExtractError::corrupt(kind, format!("the package has no {part}"))
}
