//! A zip written byte by byte, so that one entry can carry traditional PKWARE ("ZipCrypto")
//! encryption deterministically (the zip crate draws the encryption header from the OS RNG).

/// DOS time and date of every entry: 2019-02-20 10:30:00, as the other archives'.
const DOS_TIME: u16 = (10 << 11) | (30 << 5);
const DOS_DATE: u16 = ((2019 - 1980) << 9) | (2 << 5) | 20;
/// General-purpose flags: bit 0 encrypted, bit 11 names are UTF-8.
const FLAG_ENCRYPTED: u16 = 1;
const FLAG_UTF8: u16 = 1 << 11;

/// An entry to store (uncompressed), encrypted with `password` if one is given.
pub(crate) struct Entry<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub password: Option<&'a [u8]>,
}

/// The archive bytes: local headers and data, central directory, end record.
pub(crate) fn stored_zip(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for entry in entries {
        let crc = crc32fast::hash(entry.bytes);
        let (flags, data) = match entry.password {
            Some(password) => (
                FLAG_UTF8 | FLAG_ENCRYPTED,
                encrypt(password, crc, entry.bytes),
            ),
            None => (FLAG_UTF8, entry.bytes.to_vec()),
        };
        let offset = out.len() as u32;
        let name = entry.name.as_bytes();
        let fields = |out: &mut Vec<u8>| {
            out.extend(20u16.to_le_bytes());
            out.extend(flags.to_le_bytes());
            out.extend(0u16.to_le_bytes()); // stored
            out.extend(DOS_TIME.to_le_bytes());
            out.extend(DOS_DATE.to_le_bytes());
            out.extend(crc.to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((entry.bytes.len() as u32).to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes()); // extra field length
        };
        out.extend(0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend(name);
        out.extend(&data);

        central.extend(0x0201_4b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // version made by
        fields(&mut central);
        central.extend([0u8; 8]); // comment length, disk, internal and external attributes
        central.extend([0u8; 2]);
        central.extend(offset.to_le_bytes());
        central.extend(name);
    }
    let central_offset = out.len() as u32;
    out.extend(&central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // this disk, disk with the directory
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The 12-byte encryption header followed by the encrypted data (APPNOTE 6.1). The header's
/// first eleven bytes are fixed filler rather than random, for reproducible output; the last
/// is the CRC's high byte, which readers use to check the password.
fn encrypt(password: &[u8], crc: u32, plain: &[u8]) -> Vec<u8> {
    let mut keys = Keys::new(password);
    let mut header = [0x5Au8; 12];
    header[11] = (crc >> 24) as u8;
    header
        .iter()
        .chain(plain)
        .map(|&p| keys.encrypt(p))
        .collect()
}

struct Keys([u32; 3]);

impl Keys {
    fn new(password: &[u8]) -> Keys {
        let mut keys = Keys([0x1234_5678, 0x2345_6789, 0x3456_7890]);
        for &b in password {
            keys.update(b);
        }
        keys
    }

    fn update(&mut self, plain: u8) {
        let [k0, k1, k2] = &mut self.0;
        *k0 = crc32_step(*k0, plain);
        *k1 = k1
            .wrapping_add(*k0 & 0xFF)
            .wrapping_mul(134_775_813)
            .wrapping_add(1);
        *k2 = crc32_step(*k2, (*k1 >> 24) as u8);
    }

    fn encrypt(&mut self, plain: u8) -> u8 {
        let temp = (self.0[2] | 2) as u16;
        let cipher = plain ^ (temp.wrapping_mul(temp ^ 1) >> 8) as u8;
        self.update(plain);
        cipher
    }
}

/// One byte of the reflected CRC-32 (polynomial 0xEDB88320), without pre- or
/// post-inversion, as the ZipCrypto key schedule uses it.
fn crc32_step(crc: u32, byte: u8) -> u32 {
    let mut c = (crc ^ u32::from(byte)) & 0xFF;
    for _ in 0..8 {
        c = if c & 1 == 1 {
            0xEDB8_8320 ^ (c >> 1)
        } else {
            c >> 1
        };
    }
    c ^ (crc >> 8)
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::*;

    #[test]
    fn zip_crate_decrypts_with_the_password_and_refuses_without() {
        let bytes = stored_zip(&[
            Entry {
                name: "公开.txt",
                bytes: b"open",
                password: None,
            },
            Entry {
                name: "机密.txt",
                bytes: "秘密内容".as_bytes(),
                password: Some(b"2018"),
            },
        ]);
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut open = String::new();
        archive
            .by_index(0)
            .unwrap()
            .read_to_string(&mut open)
            .unwrap();
        assert_eq!(open, "open");
        assert!(archive.by_index(1).is_err());
        let mut secret = String::new();
        archive
            .by_index_decrypt(1, b"2018")
            .unwrap()
            .read_to_string(&mut secret)
            .unwrap();
        assert_eq!(secret, "秘密内容");
    }
}
