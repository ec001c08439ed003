use serde::{Deserialize, Serialize};

/// Facts about a document other than its text. Every field is optional:
/// extractors fill in what the format records, and nothing is invented.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The title the document gives itself (document properties, HTML `<title>`);
    /// for an email, its Subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The author the document properties name (the creator, not the last person
    /// to save it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Who saved the document last, as its properties name them (OOXML
    /// `lastModifiedBy`, ODF `dc:creator`, the OLE summary's last author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_editor: Option<String>,
    /// The subject or description field of the document properties (an HTML
    /// page's description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Creation time as the document states it (ISO 8601 where it can be parsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Last-saved time as the document states it (ISO 8601 where it can be parsed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The program that wrote the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generator: Option<String>,
    /// The language the document properties declare (`zh-CN`), not one detected
    /// from the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Pages of a PDF, slides of a presentation, sheets of a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_count: Option<u32>,
    /// The text encoding that was detected and decoded (plain text, CSV, HTML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The Chinese script the text is written in, judged from its characters: `Hans`
    /// (Simplified) or `Hant` (Traditional), ISO 15924; none when it cannot be told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Email headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Every recipient of the To header, as `Name <address>` (Outlook `.msg`
    /// files give display names only).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub to: Vec<String>,
    /// Every mailbox of the Cc header, as `Name <address>`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub cc: Vec<String>,
    /// The email's Message-ID header, without its angle brackets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Dimensions, EXIF and perceptual hash, for images only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<ImageFacts>,
}

impl Metadata {
    /// The year the document was made, from its creation (or, failing that,
    /// modification or photo) date: the `year:` search field.
    pub fn year(&self) -> Option<i32> {
        let exif_date = self
            .image
            .as_ref()
            .and_then(|i| i.exif.date_time_original.as_deref());
        [exif_date, self.created.as_deref(), self.modified.as_deref()]
            .into_iter()
            .flatten()
            .find_map(leading_year)
    }
}

fn leading_year(date: &str) -> Option<i32> {
    let digits = date.get(..4)?;
    let year: i32 = digits.parse().ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

/// Facts about an image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageFacts {
    /// Width in pixels, from the image header; 0 when only EXIF could be read.
    pub width: u32,
    /// Height in pixels, from the image header; 0 when only EXIF could be read.
    pub height: u32,
    /// The EXIF fields found; all `None` when the image has no EXIF.
    pub exif: Exif,
    /// A 64-bit perceptual hash (gradient hash) as 16 hex digits, for finding
    /// the same picture re-encoded or resized. Never used to recognise faces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perceptual_hash: Option<String>,
    /// The tones of the full-size pixels, counted where extraction decoded them in full, so
    /// that OCR's triage need not decode the image again; `None` for a picture decoded at
    /// reduced scale or not at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tones: Option<ImageTones>,
}

/// How an evenly spread sample of an image's pixels divides into paper-light, ink-dark
/// and mid-tone, and how colourful it is: the figures OCR's triage tells a page of text
/// from a photograph by (`trove_ocr::measure_tones` defines them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageTones {
    /// Pixels sampled.
    pub samples: u32,
    /// Of them, paper-light.
    pub light: u32,
    /// Of them, ink-dark; the rest are mid-tone.
    pub dark: u32,
    /// The sum of their chroma (0 to 255 each).
    pub colour: u64,
}

/// The EXIF fields investigators use to authenticate photos.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exif {
    /// Camera maker (EXIF Make), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    /// Camera model (EXIF Model), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// BodySerialNumber (or the maker's serial tag when that is absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_serial: Option<String>,
    /// DateTimeOriginal exactly as written (`2018:03:01 09:15:00`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_time_original: Option<String>,
    /// DateTimeDigitized exactly as written: a camera writes it with DateTimeOriginal; a
    /// scanner or an editor may not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_time_digitized: Option<String>,
    /// The lens (EXIF LensMake and LensModel), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lens: Option<String>,
    /// Where the photo was taken, when the GPS tags give a valid position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gps: Option<GpsPosition>,
    /// ImageDescription / UserComment / XPComment text, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The program that last wrote the image (EXIF Software): an editor here
    /// suggests the photo was altered after it was taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
}

/// A position in decimal degrees (south and west negative).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GpsPosition {
    /// Degrees north of the equator, in [-90, 90].
    pub latitude: f64,
    /// Degrees east of Greenwich, in [-180, 180].
    pub longitude: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_prefers_the_photo_date() {
        let meta = Metadata {
            created: Some("2019-01-02T00:00:00".into()),
            image: Some(ImageFacts {
                exif: Exif {
                    date_time_original: Some("2018:03:01 09:15:00".into()),
                    ..Exif::default()
                },
                ..ImageFacts::default()
            }),
            ..Metadata::default()
        };
        assert_eq!(meta.year(), Some(2018));
    }

    #[test]
    fn implausible_years_are_ignored() {
        let meta = Metadata {
            created: Some("0000-00-00".into()),
            modified: Some("2017-05-05".into()),
            ..Metadata::default()
        };
        assert_eq!(meta.year(), Some(2017));
    }
}
