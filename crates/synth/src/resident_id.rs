//! GB 11643-1999 resident identity numbers: six-digit region code, eight-digit birth date,
//! three-digit sequence whose parity gives the sex (odd = male), and an ISO 7064 MOD 11-2
//! check character (`0`-`9` or `X`).

use crate::calendar::Date;

/// Weights of the first 17 digits in the MOD 11-2 checksum (2^(17-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The check character for the first 17 digits of an ID number.
pub(crate) fn check_character(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// A full 18-character ID number. `sequence` must be below 1000; its parity must agree with
/// the person's sex, which the caller arranges.
pub(crate) fn id_number(region: &str, birth: Date, sequence: u32) -> String {
    let mut id = format!("{region}{}{sequence:03}", birth.compact());
    let check = check_character(&id);
    id.push(check);
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_character_matches_the_published_example() {
        // The example number printed in GB 11643-1999 itself.
        assert_eq!(check_character("11010519491231002"), 'X');
    }

    #[test]
    fn id_number_joins_region_birth_sequence_and_check() {
        let id = id_number("653121", Date::new(1990, 1, 1), 13);
        assert_eq!(&id[..17], "65312119900101013");
        assert_eq!(id.len(), 18);
        assert_eq!(id.chars().last(), Some(check_character(&id[..17])));
    }
}
