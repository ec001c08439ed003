//! The `SummaryInformation` property set of a compound file ([MS-OLEPS]):
//! title, subject, author, creation and save times, application, pages.

use encoding_rs::Encoding;
use trove_model::{FileKind, Metadata};

use super::{Compound, read_stream};
use crate::ExtractError;
use crate::binary::{u16_at, u32_at, u64_at, utf16le};

const STREAM: &str = "/\u{5}SummaryInformation";

/// Property identifiers of the summary information set.
const CODEPAGE: u32 = 1;
const TITLE: u32 = 2;
const SUBJECT: u32 = 3;
const AUTHOR: u32 = 4;
const LAST_AUTHOR: u32 = 8;
const CREATED: u32 = 12;
const SAVED: u32 = 13;
const PAGES: u32 = 14;
const APPLICATION: u32 = 18;

/// Property types used by those properties.
const VT_I2: u32 = 0x02;
const VT_I4: u32 = 0x03;
const VT_LPSTR: u32 = 0x1E;
const VT_LPWSTR: u32 = 0x1F;
const VT_FILETIME: u32 = 0x40;

/// No real summary holds more; a crafted count is not followed further.
const MAX_PROPERTIES: usize = 1024;

/// A property value as stored.
enum Value<'a> {
    Int(i64),
    Bytes(&'a [u8]),
    Wide(&'a [u8]),
    Time(u64),
}

/// Reads the summary information into metadata. A missing or malformed
/// property set gives empty metadata: it must not cost the document its
/// text.
pub(super) fn read(kind: FileKind, file: &mut Compound<'_>) -> Result<Metadata, ExtractError> {
    let Some(stream) = read_stream(kind, file, STREAM)? else {
        return Ok(Metadata::default());
    };
    Ok(parse(&stream).unwrap_or_default())
}

fn parse(stream: &[u8]) -> Option<Metadata> {
    if u16_at(stream, 0)? != 0xFFFE {
        return None;
    }
    let section = usize::try_from(u32_at(stream, 44)?).ok()?;
    let count = usize::try_from(u32_at(stream, section.checked_add(4)?)?).ok()?;
    let mut properties = Vec::new();
    for i in 0..count.min(MAX_PROPERTIES) {
        let entry = section + 8 + i * 8;
        let id = u32_at(stream, entry)?;
        let offset = section.checked_add(usize::try_from(u32_at(stream, entry + 4)?).ok()?)?;
        if let Some(value) = value_at(stream, offset) {
            properties.push((id, value));
        }
    }
    let codepage = properties.iter().find_map(|(id, v)| match v {
        Value::Int(cp) if *id == CODEPAGE => Some(*cp as u16),
        _ => None,
    });
    let text = |wanted: u32| {
        properties
            .iter()
            .find_map(|(id, v)| match v {
                _ if *id != wanted => None,
                Value::Bytes(b) => Some(decode(b, codepage)),
                Value::Wide(b) => Some(utf16le(b)),
                _ => None,
            })
            .map(|s| s.trim_end_matches('\0').trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let time = |wanted: u32| {
        properties.iter().find_map(|(id, v)| match v {
            Value::Time(t) if *id == wanted => filetime_to_iso(*t),
            _ => None,
        })
    };
    let pages = properties.iter().find_map(|(id, v)| match v {
        Value::Int(n) if *id == PAGES => u32::try_from(*n).ok().filter(|n| *n > 0),
        _ => None,
    });
    Some(Metadata {
        title: text(TITLE),
        subject: text(SUBJECT),
        author: text(AUTHOR),
        last_editor: text(LAST_AUTHOR),
        created: time(CREATED),
        modified: time(SAVED),
        generator: text(APPLICATION),
        page_count: pages,
        ..Metadata::default()
    })
}

fn value_at(stream: &[u8], offset: usize) -> Option<Value<'_>> {
    let body = offset.checked_add(4)?;
    match u32_at(stream, offset)? & 0xFFFF {
        VT_I2 => Some(Value::Int(i64::from(u16_at(stream, body)? as i16))),
        VT_I4 => Some(Value::Int(i64::from(u32_at(stream, body)? as i32))),
        VT_LPSTR => {
            let len = usize::try_from(u32_at(stream, body)?).ok()?;
            let start = body + 4;
            Some(Value::Bytes(stream.get(start..start.checked_add(len)?)?))
        }
        VT_LPWSTR => {
            let chars = usize::try_from(u32_at(stream, body)?).ok()?;
            let start = body + 4;
            Some(Value::Wide(
                stream.get(start..start.checked_add(chars.checked_mul(2)?)?)?,
            ))
        }
        VT_FILETIME => Some(Value::Time(u64_at(stream, body)?)),
        _ => None,
    }
}

/// Decodes an 8-bit property string in the set's code page. Code page 1200
/// means the "8-bit" strings are really UTF-16.
fn decode(bytes: &[u8], codepage: Option<u16>) -> String {
    if codepage == Some(1200) {
        return utf16le(bytes);
    }
    let encoding = codepage
        .and_then(encoding_of)
        .unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encodings of the Windows code pages that office files name.
pub(super) fn encoding_of(codepage: u16) -> Option<&'static Encoding> {
    let label = match codepage {
        65001 => "utf-8",
        936 => "gbk",
        54936 => "gb18030",
        950 => "big5",
        932 => "shift_jis",
        949 => "euc-kr",
        874 => "windows-874",
        1250..=1258 => return Encoding::for_label(format!("windows-{codepage}").as_bytes()),
        20866 => "koi8-r",
        21866 => "koi8-u",
        28591..=28599 => {
            return Encoding::for_label(format!("iso-8859-{}", codepage - 28590).as_bytes());
        }
        10000 => "macintosh",
        _ => return None,
    };
    Encoding::for_label(label.as_bytes())
}

/// A Windows FILETIME (100 ns ticks since 1601-01-01 UTC) as ISO 8601.
/// Zero means "not set"; times before 1900 are damaged values.
fn filetime_to_iso(ticks: u64) -> Option<String> {
    const SECONDS_1601_TO_1970: i64 = 11_644_473_600;
    let seconds = i64::try_from(ticks / 10_000_000).ok()? - SECONDS_1601_TO_1970;
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(1900..=9999).contains(&year) {
        return None;
    }
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    ))
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filetimes_render_as_utc_iso_dates() {
        // 2017-03-01T09:15:00Z
        let ticks = (1_488_359_700u64 + 11_644_473_600) * 10_000_000;
        assert_eq!(
            filetime_to_iso(ticks).as_deref(),
            Some("2017-03-01T09:15:00Z")
        );
        assert_eq!(filetime_to_iso(0), None);
    }

    #[test]
    fn eight_bit_strings_follow_the_code_page() {
        let gbk = encoding_rs::GBK.encode("教育转化").0;
        assert_eq!(decode(&gbk, Some(936)), "教育转化");
        assert_eq!(decode(b"caf\xe9", None), "café");
    }

    #[test]
    fn a_minimal_property_set_is_read() {
        let mut stream = vec![0u8; 48];
        stream[0..2].copy_from_slice(&0xFFFEu16.to_le_bytes());
        stream[44..48].copy_from_slice(&48u32.to_le_bytes());
        // Section: size, two properties (codepage, title).
        let title = encoding_rs::GBK.encode("名单\0").0.into_owned();
        let mut section = Vec::new();
        section.extend_from_slice(&0u32.to_le_bytes());
        section.extend_from_slice(&2u32.to_le_bytes());
        section.extend_from_slice(&CODEPAGE.to_le_bytes());
        section.extend_from_slice(&24u32.to_le_bytes());
        section.extend_from_slice(&TITLE.to_le_bytes());
        section.extend_from_slice(&32u32.to_le_bytes());
        section.extend_from_slice(&VT_I2.to_le_bytes());
        section.extend_from_slice(&936u32.to_le_bytes());
        section.extend_from_slice(&VT_LPSTR.to_le_bytes());
        section.extend_from_slice(&(title.len() as u32).to_le_bytes());
        section.extend_from_slice(&title);
        stream.extend_from_slice(&section);
        let meta = parse(&stream).unwrap();
        assert_eq!(meta.title.as_deref(), Some("名单"));
    }
}
