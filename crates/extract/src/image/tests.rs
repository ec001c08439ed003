use super::*;

const ASCII: u16 = 2;
const LONG: u16 = 4;
const RATIONAL: u16 = 5;

/// One TIFF directory entry: tag, type, count, value bytes (little-endian).
type Entry = (u16, u16, u32, Vec<u8>);

fn ascii(tag: u16, text: &str) -> Entry {
    let mut bytes = text.as_bytes().to_vec();
    bytes.push(0);
    (tag, ASCII, bytes.len() as u32, bytes)
}

fn long(tag: u16, value: u32) -> Entry {
    (tag, LONG, 1, value.to_le_bytes().to_vec())
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let bytes = values
        .iter()
        .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
        .collect();
    (tag, RATIONAL, values.len() as u32, bytes)
}

fn ifd_size(entries: &[Entry]) -> usize {
    let data: usize = entries
        .iter()
        .map(|e| {
            if e.3.len() > 4 {
                e.3.len().next_multiple_of(2)
            } else {
                0
            }
        })
        .sum();
    2 + 12 * entries.len() + 4 + data
}

/// Appends a directory at the end of `tiff`, its long values after it.
fn write_ifd(tiff: &mut Vec<u8>, entries: &[Entry]) {
    let mut data_at = tiff.len() + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    tiff.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        tiff.extend(tag.to_le_bytes());
        tiff.extend(kind.to_le_bytes());
        tiff.extend(count.to_le_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            tiff.extend(inline);
        } else {
            tiff.extend((data_at as u32).to_le_bytes());
            let padded = value.len().next_multiple_of(2);
            data.extend(value);
            data.resize(data.len() + padded - value.len(), 0);
            data_at += padded;
        }
    }
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(data);
}

/// A little-endian TIFF block: IFD0 (Make, Model, ImageDescription in UTF-8
/// Chinese), the EXIF IFD (DateTimeOriginal, BodySerialNumber) and the GPS
/// IFD (39°28'12" N, 75°59'24" E).
fn exif_block() -> Vec<u8> {
    let exif_ifd = vec![
        ascii(0x9003, "2018:03:01 09:15:00"),
        ascii(0xA431, "0123456789"),
    ];
    let gps_ifd = vec![
        ascii(0x0001, "N"),
        rationals(0x0002, &[(39, 1), (28, 1), (12, 1)]),
        ascii(0x0003, "E"),
        rationals(0x0004, &[(75, 1), (59, 1), (2400, 100)]),
    ];
    let mut ifd0 = vec![
        ascii(0x010E, "喀什 检查站"),
        ascii(0x010F, "Canon"),
        ascii(0x0110, "Canon EOS 5D Mark III"),
        long(0x8769, 0),
        long(0x8825, 0),
    ];
    let exif_at = 8 + ifd_size(&ifd0);
    let gps_at = exif_at + ifd_size(&exif_ifd);
    ifd0[3] = long(0x8769, exif_at as u32);
    ifd0[4] = long(0x8825, gps_at as u32);
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    write_ifd(&mut tiff, &ifd0);
    write_ifd(&mut tiff, &exif_ifd);
    write_ifd(&mut tiff, &gps_ifd);
    tiff
}

fn gradient_jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode_image(&pixels)
        .unwrap();
    jpeg
}

/// Splices an APP1 EXIF segment right after the JPEG's start-of-image marker.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let tiff = exif_block();
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(tiff);
    out.extend(&jpeg[2..]);
    out
}

#[test]
fn exif_written_by_hand_reads_back_exactly() {
    let jpeg = with_exif(&gradient_jpeg(600, 300));
    let extracted = extract(FileKind::Jpeg, &jpeg, &Limits::default()).unwrap();
    let facts = extracted.metadata.image.unwrap();
    assert_eq!((facts.width, facts.height), (600, 300));
    let exif = facts.exif;
    assert_eq!(exif.make.as_deref(), Some("Canon"));
    assert_eq!(exif.model.as_deref(), Some("Canon EOS 5D Mark III"));
    assert_eq!(
        exif.date_time_original.as_deref(),
        Some("2018:03:01 09:15:00")
    );
    assert_eq!(exif.body_serial.as_deref(), Some("0123456789"));
    assert_eq!(exif.description.as_deref(), Some("喀什 检查站"));
    let gps = exif.gps.unwrap();
    assert!((gps.latitude - 39.47).abs() < 1e-9, "{gps:?}");
    assert!((gps.longitude - 75.99).abs() < 1e-9, "{gps:?}");
    assert_eq!(extracted.parts.len(), 1);
    assert_eq!(extracted.parts[0].text, "喀什 检查站");
}

#[test]
fn thumbnail_is_a_jpeg_at_most_256_pixels_long() {
    let extracted = extract(FileKind::Jpeg, &gradient_jpeg(600, 300), &Limits::default()).unwrap();
    let thumbnail = image::load_from_memory(&extracted.thumbnail.unwrap()).unwrap();
    assert_eq!((thumbnail.width(), thumbnail.height()), (256, 128));
    assert!(extracted.parts.is_empty());
}

#[test]
fn perceptual_hash_survives_resizing() {
    let hash = |bytes: &[u8]| {
        let extracted = extract(FileKind::Jpeg, bytes, &Limits::default()).unwrap();
        let hex = extracted.metadata.image.unwrap().perceptual_hash.unwrap();
        u64::from_str_radix(&hex, 16).unwrap()
    };
    let (big, small) = (
        hash(&gradient_jpeg(600, 300)),
        hash(&gradient_jpeg(300, 150)),
    );
    assert!(
        (big ^ small).count_ones() <= 8,
        "{big:016x} vs {small:016x}"
    );
}

#[test]
fn a_truncated_photo_keeps_its_exif() {
    let jpeg = with_exif(&gradient_jpeg(600, 300));
    let cut = &jpeg[..jpeg.len() / 2];
    let extracted = extract(FileKind::Jpeg, cut, &Limits::default()).unwrap();
    let facts = extracted.metadata.image.unwrap();
    assert_eq!(facts.exif.make.as_deref(), Some("Canon"));
}

#[test]
fn garbage_is_corrupt() {
    let result = extract(
        FileKind::Png,
        b"\x89PNG\r\n\x1a\nnot really",
        &Limits::default(),
    );
    assert!(matches!(result, Err(ExtractError::Corrupt { .. })));
}

#[test]
fn a_photo_decoded_at_reduced_scale_hashes_as_when_decoded_in_full() {
    // Camera photos are decoded in full and huge ones at reduced scale (as every JPEG was
    // in older stores): near-duplicate search across the two must still pair the same
    // picture.
    let jpeg = gradient_jpeg(1080, 1440);
    let pixels = 1080 * 1440;
    let scaled = decode_pixels(&jpeg, ImageFormat::Jpeg, FULL_DECODE_JPEG_PIXELS + 1).unwrap();
    assert!(
        !scaled.full_size && scaled.image.width() < 1080,
        "not decoded at reduced scale"
    );
    let full = decode_pixels(&jpeg, ImageFormat::Jpeg, pixels).unwrap();
    assert!(
        full.full_size && full.image.width() == 1080,
        "not decoded in full"
    );
    let bits = |pixels: &Pixels| {
        let small = DynamicImage::ImageRgb8(shrink::to_thumbnail(&pixels.image, THUMBNAIL_SIZE));
        u64::from_str_radix(&perceptual_hash(&small), 16).unwrap()
    };
    let (from_scaled, from_full) = (bits(&scaled), bits(&full));
    assert!(
        from_full.count_ones() > 4 && from_full.count_ones() < 60,
        "{from_full:016x}"
    );
    assert!(
        (from_scaled ^ from_full).count_ones() <= 4,
        "{from_scaled:016x} vs {from_full:016x}"
    );
}

#[test]
fn a_photo_decoded_in_full_carries_the_tones_ocr_judges_it_by() {
    let jpeg = gradient_jpeg(600, 800);
    let facts = extract(FileKind::Jpeg, &jpeg, &Limits::default())
        .unwrap()
        .metadata
        .image
        .unwrap();
    let tones = facts.tones.expect("tones counted at extraction");
    assert!(tones.samples > 200_000, "{tones:?}");
    // The judgement from the kept tones is the one from decoding the image again.
    let later = trove_ocr::judge_tones(facts.width, facts.height, &tones);
    assert_eq!(later, trove_ocr::judge_image(&jpeg));
}
