//! The check character of GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.

/// Weight of each of the first 17 digits: 2^(17 - position) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character for each remainder of the weighted sum modulo 11.
const CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The check character (`0`-`9` or `X`) that completes the first 17 digits of an ID
/// number; `None` unless `first17` is exactly 17 ASCII digits.
///
/// ```
/// use trove_records::resident_id::check_character;
///
/// assert_eq!(check_character("11010519491231002"), Some('X'));
/// assert_eq!(check_character("1101051949123100"), None);
/// ```
pub fn check_character(first17: &str) -> Option<char> {
    if first17.len() != WEIGHTS.len() {
        return None;
    }
    let mut sum = 0;
    for (byte, weight) in first17.bytes().zip(WEIGHTS) {
        if !byte.is_ascii_digit() {
            return None;
        }
        sum += u32::from(byte - b'0') * weight;
    }
    CHARACTERS.get((sum % 11) as usize).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_of_the_standard_ends_in_x() {
        assert_eq!(check_character("11010519491231002"), Some('X'));
    }

    #[test]
    fn every_remainder_has_its_character() {
        assert_eq!(check_character("65312119900101002"), Some('7'));
        assert_eq!(check_character("00000000000000000"), Some('1'));
    }

    #[test]
    fn anything_but_seventeen_ascii_digits_has_none() {
        for input in [
            "",
            "1101051949123100",
            "110105194912310021",
            "1101051949123100a",
            "１1010519491231002",
        ] {
            assert_eq!(check_character(input), None, "{input}");
        }
    }
}
