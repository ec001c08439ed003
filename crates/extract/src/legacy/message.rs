//! Outlook messages (.msg, [MS-OXMSG]): the subject and plain-text body
//! from their property streams, as one message part.

use trove_model::{FileKind, Metadata, PartKind};

use super::{Compound, decode_guessed, read_stream};
use crate::binary::utf16le;
use crate::{ExtractError, PartsBuilder};

const KIND: FileKind = FileKind::Ole;

/// Property streams: `__substg1.0_` + property tag (id, then type 001F for
/// UTF-16 or 001E for 8-bit text).
const SUBJECT: &str = "0037";
const BODY: &str = "1000";
const SENDER_NAME: &str = "0C1A";
const SENDER_ADDRESS: &str = "0C1F";
const DISPLAY_TO: &str = "0E04";

/// Reads a message's text into `builder`. A compound file that is not a
/// message adds nothing and gives empty metadata.
pub(super) fn read(
    file: &mut Compound<'_>,
    builder: &mut PartsBuilder,
) -> Result<Metadata, ExtractError> {
    let subject = property(file, SUBJECT)?;
    let body = property(file, BODY)?;
    let mut metadata = Metadata::default();
    if subject.is_none() && body.is_none() {
        return Ok(metadata);
    }
    let mut text = String::new();
    if let Some(subject) = &subject {
        text.push_str(subject);
        text.push_str("\n\n");
    }
    text.push_str(body.as_deref().unwrap_or_default());
    builder.push(PartKind::Message, 1, None, text.trim_end().to_owned());

    let name = property(file, SENDER_NAME)?;
    let address = property(file, SENDER_ADDRESS)?;
    metadata.from = match (name, address) {
        (Some(name), Some(address)) if name != address => Some(format!("{name} <{address}>")),
        (name, address) => name.or(address),
    };
    metadata.to = property(file, DISPLAY_TO)?
        .map(|to| {
            to.split(';')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    metadata.title = subject;
    Ok(metadata)
}

/// A string property of the message's top level, preferring the UTF-16
/// form. The 8-bit form is in the sender's code page, recorded only in a
/// binary property stream, so its encoding is guessed from the bytes.
fn property(file: &mut Compound<'_>, id: &str) -> Result<Option<String>, ExtractError> {
    let wide = read_stream(KIND, file, &format!("/__substg1.0_{id}001F"))?;
    let text = match wide {
        Some(bytes) => utf16le(&bytes),
        None => match read_stream(KIND, file, &format!("/__substg1.0_{id}001E"))? {
            Some(bytes) => decode_guessed(&bytes),
            None => return Ok(None),
        },
    };
    let text = text
        .trim_end_matches('\0')
        .replace("\r\n", "\n")
        .trim()
        .to_owned();
    Ok((!text.is_empty()).then_some(text))
}
