//! The OCR facet on PostgreSQL: each [`OcrCatalog`] operation, meaning what it means on
//! SQLite (`sqlite/ocr.rs`).

use trove_model::{BlobId, PartKind};

use super::PgCatalog;
use crate::StoreError;
use crate::decode::{parse_blob_id, parse_kind, parse_measured_tones};
use crate::ocr::{OcrCandidate, OcrCatalog, OcrResult};

/// Documents OCR may read: extracted PDFs and images.
const OCR_KINDS: &str = "('pdf', 'jpeg', 'png', 'tiff', 'webp', 'gif')";

impl OcrCatalog for PgCatalog {
    fn pending_ocr(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<OcrCandidate>, StoreError> {
        let after = after.map_or("", BlobId::as_str);
        self.with_client(|client| {
            let found = client.query(
                &format!(
                    r#"SELECT b.id, b.kind, b.size, b.metadata FROM blobs b
                       WHERE b.status = 'extracted' AND b.kind IN {OCR_KINDS}
                         AND b.id COLLATE "C" > $1
                         AND NOT EXISTS (SELECT 1 FROM ocr_sources o
                                         WHERE o.blob = b.id AND o.version = $2)
                       ORDER BY b.id COLLATE "C" LIMIT $3"#
                ),
                &[&after, &version, &(limit as i64)],
            )?;
            let pages = client.prepare(
                "SELECT idx, length(translate(text, E' \\n\\t', ''))
                 FROM parts WHERE blob = $1 AND kind = 'page' ORDER BY idx",
            )?;
            found
                .iter()
                .map(|row| {
                    let blob = parse_blob_id(row.get(0))?;
                    let kind = parse_kind(row.get(1))?;
                    let size = row.get::<_, i64>(2) as u64;
                    let tones = parse_measured_tones(row.get(0), row.get(3))?;
                    let pages = client
                        .query(&pages, &[&blob.as_str()])?
                        .iter()
                        .map(|page| (page.get::<_, i64>(0) as u32, page.get::<_, i32>(1) as usize))
                        .collect();
                    Ok(OcrCandidate {
                        blob,
                        kind,
                        pages,
                        size,
                        tones,
                    })
                })
                .collect()
        })
    }

    fn write_ocr(&self, version: &str, results: &[OcrResult]) -> Result<(), StoreError> {
        self.with_client(|client| {
            let mut tx = client.transaction()?;
            let insert_part = tx.prepare(
                "INSERT INTO parts (blob, seq, kind, idx, label, text)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )?;
            let insert_page = tx.prepare(
                "INSERT INTO ocr_pages (blob, page, confidence, layout) VALUES ($1, $2, $3, $4)",
            )?;
            for result in results {
                let blob = result.blob.as_str();
                tx.execute(
                    "DELETE FROM parts WHERE blob = $1 AND kind = 'ocr'",
                    &[&blob],
                )?;
                tx.execute("DELETE FROM ocr_pages WHERE blob = $1", &[&blob])?;
                let next: i32 = tx
                    .query_one(
                        "SELECT COALESCE(MAX(seq) + 1, 0) FROM parts WHERE blob = $1",
                        &[&blob],
                    )?
                    .get(0);
                for (offset, page) in result.pages.iter().enumerate() {
                    let label = match page.confidence {
                        Some(confidence) => format!("OCR, confidence {confidence:.0}%"),
                        None => "OCR, no words".to_owned(),
                    };
                    tx.execute(
                        &insert_part,
                        &[
                            &blob,
                            &(next + offset as i32),
                            &PartKind::Ocr.code(),
                            &i64::from(page.page),
                            &label,
                            &page.text,
                        ],
                    )?;
                    tx.execute(
                        &insert_page,
                        &[&blob, &(page.page as i32), &page.confidence, &page.layout],
                    )?;
                }
                tx.execute(
                    "INSERT INTO ocr_sources (blob, version, decision) VALUES ($1, $2, $3)
                     ON CONFLICT (blob) DO UPDATE SET
                         version = excluded.version, decision = excluded.decision",
                    &[&blob, &version, &result.decision],
                )?;
                if !result.pages.is_empty() {
                    tx.execute(
                        "UPDATE blobs SET indexed = FALSE, generation = generation + 1
                         WHERE id = $1",
                        &[&blob],
                    )?;
                    // Records may be read from the pages' tables: the blob is read again.
                    tx.execute("DELETE FROM record_sources WHERE blob = $1", &[&blob])?;
                }
            }
            tx.execute("UPDATE records_revision SET revision = revision + 1", &[])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn ocr_confidences(&self, blob: &BlobId) -> Result<Vec<(u32, Option<f32>)>, StoreError> {
        self.with_client(|client| {
            Ok(client
                .query(
                    "SELECT page, confidence FROM ocr_pages WHERE blob = $1 ORDER BY page",
                    &[&blob.as_str()],
                )?
                .iter()
                .map(|row| (row.get::<_, i32>(0) as u32, row.get(1)))
                .collect())
        })
    }
}
