//! A leak of hostile files, each with what ingest must make of it: zip bombs (deflated
//! zeros, nested, and entries overlapping one block of data), path traversal in every
//! spelling, symbolic link loops, XML entity expansion and external entities inside Office
//! and OpenDocument files, a very long sheet, a PDF of thousands of pages, an archive of
//! thousands of members, archives nested 50 deep, image headers claiming 50,000 × 50,000
//! pixels, and every format the demo writes cut short at random points.
//!
//! Ingest must never panic, write outside its store, or read outside the leak; a file that
//! cannot be read is a recorded failure with its reason. [`HostileFile::expect`] says which
//! reason where one is certain; for the rest, any outcome but a crash will do.

use std::fs;
use std::io::Write;
use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use trove_model::FailureReason;

use crate::error::SynthError;
use crate::leak::io_error;
use crate::zipfile::zip_bytes;

/// How big the large hostile files are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostileScale {
    /// Rows of the long sheet (CSV).
    pub sheet_rows: usize,
    /// Pages of the long PDF.
    pub pdf_pages: usize,
    /// Members of the crowded archive.
    pub archive_members: usize,
}

impl HostileScale {
    /// What the issue names: a 1M-row sheet, a 10,000-page PDF, a 100,000-member archive.
    pub const FULL: HostileScale = HostileScale {
        sheet_rows: 1_000_000,
        pdf_pages: 10_000,
        archive_members: 100_000,
    };
    /// Small enough for the test run.
    pub const SMALL: HostileScale = HostileScale {
        sheet_rows: 20_000,
        pdf_pages: 500,
        archive_members: 5_000,
    };
}

/// One hostile file and what ingest must make of it.
#[derive(Debug, Clone, Serialize)]
pub struct HostileFile {
    /// Path under the leak folder.
    pub path: String,
    /// What it is.
    pub what: String,
    /// A failure with this reason recorded at this path or inside it; `None`: any outcome
    /// but a crash.
    pub expect: Option<FailureReason>,
}

/// What no extracted text may ever contain: the start of `/etc/passwd`, which an XML
/// external entity or a link would pull in.
pub const OUTSIDE_MARKER: &str = "root:x:0:0";

/// Writes the hostile leak into `dir` (created) and returns what each file is.
pub fn write_hostile_leak(
    dir: &Path,
    scale: HostileScale,
    seed: u64,
) -> Result<Vec<HostileFile>, SynthError> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let mut files = Vec::new();
    let mut put = |path: &str, what: &str, expect: Option<FailureReason>, bytes: Vec<u8>| {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        fs::write(&target, bytes).map_err(|e| io_error(&target, e))?;
        files.push(HostileFile {
            path: path.to_owned(),
            what: what.to_owned(),
            expect,
        });
        Ok::<(), SynthError>(())
    };
    use FailureReason::{DecompressionBomb, PathTraversal, TooDeep};

    // Bombs.
    let zeros = vec![0u8; 200 << 20];
    let bomb = zip_bytes("bomb", &[("zeros.bin", &zeros)])?;
    put(
        "bombs/deflated.zip",
        "200 MiB of zeros deflated",
        Some(DecompressionBomb),
        bomb.clone(),
    )?;
    let ten: Vec<(String, Vec<u8>)> = (0..10)
        .map(|i| (format!("part{i}.zip"), bomb.clone()))
        .collect();
    let ten: Vec<(&str, &[u8])> = ten
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    put(
        "bombs/nested.zip",
        "ten bombs in one zip",
        Some(DecompressionBomb),
        zip_bytes("nested", &ten)?,
    )?;
    put(
        "bombs/overlapping.zip",
        "1,000 entries sharing one 1 MiB block of deflated zeros",
        Some(DecompressionBomb),
        overlapping_zip(1000, 1 << 20),
    )?;

    // Path traversal, in every spelling.
    let traversal: Vec<(&str, &[u8])> = vec![
        ("../evil-parent.txt", b"escaped"),
        ("../../../../../../tmp/evil-deep.txt", b"escaped"),
        ("/tmp/evil-absolute.txt", b"escaped"),
        ("C:\\Windows\\evil-drive.txt", b"escaped"),
        ("..\\..\\evil-backslash.txt", b"escaped"),
        ("inside/../../evil-middle.txt", b"escaped"),
        ("fine.txt", b"a harmless member"),
    ];
    put(
        "traversal/every-spelling.zip",
        "members named to climb out",
        Some(PathTraversal),
        zip_bytes("traversal", &traversal)?,
    )?;
    put(
        "traversal/escape.tar",
        "a tar member named ../ and a link to /etc/passwd",
        Some(PathTraversal),
        traversal_tar()?,
    )?;

    // XML that expands or reaches outside.
    put(
        "xml/laughs.docx",
        "a billion laughs in word/document.xml",
        None,
        laughs_docx()?,
    )?;
    put(
        "xml/external.xlsx",
        "an external entity naming /etc/passwd in sharedStrings.xml",
        None,
        external_entity_xlsx()?,
    )?;
    put(
        "xml/laughs.odt",
        "a billion laughs in content.xml",
        None,
        laughs_odt()?,
    )?;

    // Large but honest.
    put(
        "large/long-sheet.csv",
        "a sheet of many rows",
        None,
        long_csv(scale.sheet_rows),
    )?;
    put(
        "large/many-pages.pdf",
        "a PDF of many pages",
        None,
        many_page_pdf(scale.pdf_pages),
    )?;
    put(
        "large/crowded.zip",
        "an archive of many small members",
        None,
        crowded_zip(scale.archive_members)?,
    )?;

    // Nesting 50 deep.
    let mut nested = zip_bytes("core", &[("core.txt", b"fifty levels down")])?;
    for level in 0..50 {
        nested = zip_bytes("nest", &[(&format!("level{level}.zip"), &nested)])?;
    }
    put(
        "nesting/fifty.zip",
        "zips nested 50 deep",
        Some(TooDeep),
        nested,
    )?;

    // Images that claim to be enormous.
    put(
        "images/huge.png",
        "a PNG header claiming 50,000 × 50,000 pixels",
        None,
        huge_png(),
    )?;
    put(
        "images/huge.jpg",
        "a JPEG header claiming 50,000 × 50,000 pixels",
        None,
        huge_jpeg(),
    )?;

    // Every format cut short.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for (name, bytes) in sample_documents()? {
        for cut in 0..3 {
            let at = rng.random_range(1..bytes.len().max(2));
            put(
                &format!("truncated/{cut}-{name}"),
                &format!("{name} cut at byte {at} of {}", bytes.len()),
                None,
                bytes[..at].to_vec(),
            )?;
        }
    }

    // Links that loop, and one that leaves the tree.
    #[cfg(unix)]
    {
        let links = dir.join("links");
        fs::create_dir_all(&links).map_err(|e| io_error(&links, e))?;
        let link = |target: &str, name: &str| {
            std::os::unix::fs::symlink(target, links.join(name))
                .map_err(|e| io_error(&links.join(name), e))
        };
        link("b", "a")?;
        link("a", "b")?;
        link(".", "self")?;
        link("/etc/passwd", "passwd")?;
        for (path, what) in [
            ("links/a", "a link to a link to itself"),
            ("links/self", "a link to its own folder"),
            ("links/passwd", "a link to /etc/passwd"),
        ] {
            files.push(HostileFile {
                path: path.to_owned(),
                what: what.to_owned(),
                expect: None,
            });
        }
    }
    Ok(files)
}

/// A zip whose `entries` central-directory records all point at one local file of
/// `size` deflated zeros: each entry inflates the same bytes again (Fifield's
/// overlapping-file construction, without the quoting trick).
fn overlapping_zip(entries: usize, size: usize) -> Vec<u8> {
    let zeros = vec![0u8; size];
    let mut deflated = Vec::new();
    {
        let mut encoder =
            flate2::write::DeflateEncoder::new(&mut deflated, flate2::Compression::best());
        let _ = encoder.write_all(&zeros);
        let _ = encoder.finish();
    }
    let crc = crc32fast::hash(&zeros);
    let name = b"zeros.bin";
    let mut out = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    // One local file header and its data.
    out.extend_from_slice(&le32(0x0403_4b50));
    out.extend_from_slice(&le16(20));
    push_entry_fields(&mut out, crc, deflated.len(), size, name.len());
    out.extend_from_slice(&le16(0));
    out.extend_from_slice(name);
    out.extend_from_slice(&deflated);
    let directory_start = out.len();
    for i in 0..entries {
        let entry = format!("zeros-{i:05}.bin");
        out.extend_from_slice(&le32(0x0201_4b50));
        out.extend_from_slice(&le16(20));
        out.extend_from_slice(&le16(20));
        push_entry_fields(&mut out, crc, deflated.len(), size, entry.len());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&le32(0));
        out.extend_from_slice(entry.as_bytes());
    }
    let directory_size = out.len() - directory_start;
    out.extend_from_slice(&le32(0x0605_4b50));
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&le16(entries as u16));
    out.extend_from_slice(&le16(entries as u16));
    out.extend_from_slice(&le32(directory_size as u32));
    out.extend_from_slice(&le32(directory_start as u32));
    out.extend_from_slice(&le16(0));
    out
}

/// The fields a local header and a central-directory record share, from the flags to the
/// name's length: no flags, deflated, time zero, then CRC, sizes and name length.
fn push_entry_fields(out: &mut Vec<u8>, crc: u32, compressed: usize, size: usize, name: usize) {
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(compressed as u32).to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(name as u16).to_le_bytes());
}

fn traversal_tar() -> Result<Vec<u8>, SynthError> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut add = |name: &str, bytes: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        // set_path refuses `..`; the raw name field does not.
        let field = &mut header.as_old_mut().name;
        field[..name.len()].copy_from_slice(name.as_bytes());
        header.set_cksum();
        builder.append(&header, bytes)
    };
    add("../evil-tar.txt", b"escaped").map_err(|e| SynthError::encode("escape.tar", e))?;
    add("fine.txt", b"a harmless member").map_err(|e| SynthError::encode("escape.tar", e))?;
    let mut link = tar::Header::new_gnu();
    link.set_entry_type(tar::EntryType::Symlink);
    link.set_size(0);
    link.set_mode(0o777);
    link.set_link_name("/etc/passwd")
        .map_err(|e| SynthError::encode("escape.tar", e))?;
    link.set_path("passwd-link")
        .map_err(|e| SynthError::encode("escape.tar", e))?;
    link.set_cksum();
    builder
        .append(&link, std::io::empty())
        .map_err(|e| SynthError::encode("escape.tar", e))?;
    builder
        .into_inner()
        .map_err(|e| SynthError::encode("escape.tar", e))
}

/// The classic entity expansion: ten levels of ten, a billion `lol`s if expanded.
fn laughs_doctype(root: &str) -> String {
    let mut doctype =
        format!("<?xml version=\"1.0\"?>\n<!DOCTYPE {root} [\n<!ENTITY lol0 \"lol\">\n");
    for level in 1..10 {
        let previous = format!("&lol{};", level - 1).repeat(10);
        doctype.push_str(&format!("<!ENTITY lol{level} \"{previous}\">\n"));
    }
    doctype.push_str("]>\n");
    doctype
}

fn laughs_docx() -> Result<Vec<u8>, SynthError> {
    let document = format!(
        "{}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
        laughs_doctype("w:document")
    );
    zip_bytes(
        "laughs.docx",
        &[
            ("[Content_Types].xml", CONTENT_TYPES_DOCX.as_bytes()),
            ("word/document.xml", document.as_bytes()),
        ],
    )
}

fn external_entity_xlsx() -> Result<Vec<u8>, SynthError> {
    let strings = "<?xml version=\"1.0\"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>&xxe;</t></si></sst>";
    let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
    let workbook = "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    let rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
    let root_rels = "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    zip_bytes(
        "external.xlsx",
        &[
            ("[Content_Types].xml", CONTENT_TYPES_XLSX.as_bytes()),
            ("_rels/.rels", root_rels.as_bytes()),
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ("xl/sharedStrings.xml", strings.as_bytes()),
        ],
    )
}

fn laughs_odt() -> Result<Vec<u8>, SynthError> {
    let content = format!(
        "{}<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text><text:p>&lol9;</text:p></office:text></office:body></office:document-content>",
        laughs_doctype("office:document-content")
    );
    zip_bytes(
        "laughs.odt",
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content.as_bytes()),
        ],
    )
}

const CONTENT_TYPES_DOCX: &str = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
const CONTENT_TYPES_XLSX: &str = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";

fn long_csv(rows: usize) -> Vec<u8> {
    let mut out = String::from("序号,姓名,身份证号,住址,状态\n");
    for row in 1..=rows {
        out.push_str(&format!("{row},测试人员{row},,某乡某村{},正常\n", row % 97));
    }
    out.into_bytes()
}

/// A PDF of `pages` pages, each a line of text, written by hand: one content stream shared
/// by every page keeps it small.
fn many_page_pdf(pages: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    let mut object = |out: &mut Vec<u8>, body: String| {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", offsets.len()).as_bytes());
    };
    let kids: String = (0..pages).map(|i| format!("{} 0 R ", 5 + i)).collect();
    object(&mut out, "<< /Type /Catalog /Pages 2 0 R >>".into());
    object(
        &mut out,
        format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>"),
    );
    object(
        &mut out,
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
    );
    let text = "BT /F1 12 Tf 72 720 Td (A page of a very long report) Tj ET";
    object(
        &mut out,
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
    );
    for _ in 0..pages {
        object(
            &mut out,
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>".into(),
        );
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
    );
    for offset in &offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn crowded_zip(members: usize) -> Result<Vec<u8>, SynthError> {
    let names: Vec<String> = (0..members)
        .map(|i| format!("notes/{:03}/note-{i:06}.txt", i / 1000))
        .collect();
    let bodies: Vec<String> = (0..members).map(|i| format!("工作记录 {i}")).collect();
    let entries: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&bodies)
        .map(|(n, b)| (n.as_str(), b.as_bytes()))
        .collect();
    zip_bytes("crowded.zip", &entries)
}

/// A PNG whose header says 50,000 × 50,000 pixels, with one tiny (wrong) data chunk.
fn huge_png() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = |out: &mut Vec<u8>, kind: &[u8], data: &[u8]| {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    };
    let mut header = Vec::new();
    header.extend_from_slice(&50_000u32.to_be_bytes());
    header.extend_from_slice(&50_000u32.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &header);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG whose frame header says 50,000 × 50,000 pixels, cut after the header.
fn huge_jpeg() -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // SOF0: length 17, precision 8, height, width, 3 components.
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend_from_slice(&50_000u16.to_be_bytes());
    out.extend_from_slice(&50_000u16.to_be_bytes());
    out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// One file of every format the demo leak writes, to cut short.
fn sample_documents() -> Result<Vec<(String, Vec<u8>)>, SynthError> {
    let work = tempfile::tempdir().map_err(|e| io_error(Path::new("a temporary folder"), e))?;
    crate::write_demo_leak(
        work.path(),
        &crate::SynthOptions {
            people: 20,
            seed: 1,
            ..crate::SynthOptions::default()
        },
    )?;
    let mut by_extension: std::collections::BTreeMap<String, (String, Vec<u8>)> =
        Default::default();
    let leak = work.path().join("leak");
    let mut folders = vec![leak.clone()];
    while let Some(folder) = folders.pop() {
        // In name order, so that the same seed picks the same samples on every machine.
        let mut paths = fs::read_dir(&folder)
            .map_err(|e| io_error(&folder, e))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| io_error(&folder, e))?;
        paths.sort();
        for path in paths {
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let Some(extension) = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_lowercase)
            else {
                continue;
            };
            if by_extension.contains_key(&extension) {
                continue;
            }
            let bytes = fs::read(&path).map_err(|e| io_error(&path, e))?;
            if bytes.len() > 16 {
                by_extension.insert(extension.clone(), (format!("sample.{extension}"), bytes));
            }
        }
    }
    Ok(by_extension.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overlapping_zip_names_one_block_many_times() {
        let zip = overlapping_zip(3, 1024);
        let archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        assert_eq!(archive.len(), 3);
    }

    #[test]
    fn the_long_pdf_has_its_pages() {
        let pdf = many_page_pdf(7);
        let document = lopdf::Document::load_mem(&pdf).unwrap();
        assert_eq!(document.get_pages().len(), 7);
    }
}
