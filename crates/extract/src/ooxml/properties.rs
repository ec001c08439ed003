//! Document properties of an OOXML package: `docProps/core.xml` (Dublin
//! Core: title, creator, dates) and `docProps/app.xml` (the application,
//! page and slide counts).

use trove_model::Metadata;

use crate::ExtractError;
use crate::xml_text::name_values;
use crate::zip_package::Package;

const CORE: &str = "docProps/core.xml";
const APP: &str = "docProps/app.xml";

/// Which `app.xml` element counts this kind of document's pages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageCounter {
    Pages,
    Slides,
}

/// Reads both property parts when present. A malformed property part is
/// skipped: it must not cost the document its text.
pub(crate) fn read(
    package: &mut Package<'_>,
    counter: PageCounter,
) -> Result<Metadata, ExtractError> {
    let mut meta = Metadata::default();
    if let Some(xml) = package.read_xml(CORE)? {
        for (name, value) in name_values(&xml).unwrap_or_default() {
            // cp:lastModifiedBy is deliberately not the author.
            let slot = match name.as_str() {
                "title" => &mut meta.title,
                "creator" => &mut meta.author,
                "lastModifiedBy" => &mut meta.last_editor,
                "subject" => &mut meta.subject,
                "created" => &mut meta.created,
                "modified" => &mut meta.modified,
                "language" => &mut meta.language,
                _ => continue,
            };
            slot.get_or_insert(value);
        }
    }
    if let Some(xml) = package.read_xml(APP)? {
        let count = match counter {
            PageCounter::Pages => "Pages",
            PageCounter::Slides => "Slides",
        };
        let mut version = None;
        for (name, value) in name_values(&xml).unwrap_or_default() {
            if name == "Application" {
                meta.generator.get_or_insert(value);
            } else if name == "AppVersion" {
                version.get_or_insert(value);
            } else if name == count {
                meta.page_count = meta.page_count.or(value.parse().ok());
            }
        }
        // `Microsoft Office Word` and `16.0000` make `Microsoft Office Word 16.0000`: the
        // version says which Office saved it (12: 2007, 14: 2010, 15: 2013, 16: 2016 on).
        if let (Some(generator), Some(version)) = (&mut meta.generator, version) {
            generator.push(' ');
            generator.push_str(&version);
        }
    }
    Ok(meta)
}
