//! UTF-32 text, which encoding_rs does not decode (the Encoding Standard leaves it out) and
//! whose little-endian byte-order mark begins like UTF-16's. Rare, but some Windows and
//! Java tools write it; such a file is turned into UTF-8 before it is judged or read.

/// The byte-order marks of UTF-32, little- and big-endian.
const LITTLE: [u8; 4] = [0xFF, 0xFE, 0x00, 0x00];
const BIG: [u8; 4] = [0x00, 0x00, 0xFE, 0xFF];
/// The byte-order mark of UTF-8, which keeps the text's encoding decided for the reader.
const UTF8_BOM: &[u8] = "\u{FEFF}".as_bytes();

/// `bytes` as UTF-8 (with its byte-order mark) when they begin with a UTF-32 one; `None`
/// otherwise. Code units that are no character become U+FFFD; a cut last unit is dropped.
pub(crate) fn utf32_to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    let little = match bytes.get(..4)? {
        mark if mark == LITTLE => true,
        mark if mark == BIG => false,
        _ => return None,
    };
    let mut text = String::with_capacity(bytes.len() / 4);
    for unit in bytes[4..].chunks_exact(4) {
        let unit = [unit[0], unit[1], unit[2], unit[3]];
        let value = if little {
            u32::from_le_bytes(unit)
        } else {
            u32::from_be_bytes(unit)
        };
        text.push(char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    Some([UTF8_BOM, text.as_bytes()].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, little: bool) -> Vec<u8> {
        let mut bytes = if little {
            LITTLE.to_vec()
        } else {
            BIG.to_vec()
        };
        for c in text.chars() {
            let value = u32::from(c);
            bytes.extend(if little {
                value.to_le_bytes()
            } else {
                value.to_be_bytes()
            });
        }
        bytes
    }

    #[test]
    fn both_byte_orders_become_utf8_with_a_mark() {
        for little in [true, false] {
            let utf8 = utf32_to_utf8(&encode("<p>古丽 ئىسىم 𠀀</p>", little)).unwrap();
            assert_eq!(
                std::str::from_utf8(&utf8).unwrap(),
                "\u{FEFF}<p>古丽 ئىسىم 𠀀</p>"
            );
        }
    }

    #[test]
    fn utf16_and_invalid_units_are_told_apart() {
        assert_eq!(utf32_to_utf8(&[0xFF, 0xFE, b'a', 0]), None, "UTF-16LE");
        let bad = [LITTLE.as_slice(), &0x0011_0000u32.to_le_bytes(), &[0x41, 0]].concat();
        assert_eq!(utf32_to_utf8(&bad).unwrap(), "\u{FEFF}\u{FFFD}".as_bytes());
    }
}
