//! ID numbers inside longer text: photo file names (`653121199001010027.jpg`), EXIF
//! descriptions, free text. Only 18-character numbers are looked for: 15 digits alone say
//! too little to tell an ID number from any other number.

use super::{decode_on, today};

/// Every valid 18-character ID number in `text` that stands between non-digits, in
/// canonical form (upper-case `X`), in the order found, repeats included. A run of 19 or
/// more digits holds none: cutting it would invent numbers.
///
/// ```
/// use trove_records::resident_id::find_ids;
///
/// assert_eq!(find_ids("照片/653121199001010027.jpg"), ["653121199001010027"]);
/// assert_eq!(find_ids("ID 11010519491231002x, 在押"), ["11010519491231002X"]);
/// assert!(find_ids("6531211990010100271").is_empty());
/// ```
pub fn find_ids(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let on = today();
    let mut found = Vec::new();
    let mut position = 0;
    while position < bytes.len() {
        if !bytes[position].is_ascii_digit() {
            position += 1;
            continue;
        }
        let start = position;
        let mut end = start
            + bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
        if end - start == 17 && matches!(bytes.get(end), Some(b'X' | b'x')) {
            end += 1;
        }
        let bounded = !bytes.get(end).is_some_and(u8::is_ascii_digit);
        if end - start == 18 && bounded {
            let id = decode_on(text.get(start..end).unwrap_or_default(), on);
            if id.is_valid()
                && let Some(canonical) = id.canonical
            {
                found.push(canonical);
            }
        }
        position = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_between_any_non_digits() {
        let text = "a653121199001010027b 653121199001010035/11010519491231002X.jpg";
        assert_eq!(
            find_ids(text),
            [
                "653121199001010027",
                "653121199001010035",
                "11010519491231002X"
            ]
        );
    }

    #[test]
    fn invalid_and_unbounded_numbers_are_not_found() {
        assert!(find_ids("653121199001010021").is_empty(), "check character");
        assert!(find_ids("1653121199001010027").is_empty(), "19 digits");
        assert!(
            find_ids("11010519491231002X5").is_empty(),
            "a digit after the X"
        );
        assert!(find_ids("653121900101002").is_empty(), "15 digits");
        assert!(find_ids("").is_empty());
    }

    #[test]
    fn repeats_are_kept() {
        assert_eq!(find_ids("653121199001010027 653121199001010027").len(), 2);
    }
}
