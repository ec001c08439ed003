//! The OCR facet on SQLite: each [`OcrCatalog`] operation in full.

use rusqlite::params;
use trove_model::{BlobId, PartKind};

use super::SqliteCatalog;
use crate::StoreError;
use crate::connection::collect_rows;
use crate::decode::{parse_blob_id, parse_kind, parse_measured_tones};
use crate::ocr::{MeasuredTones, OcrCandidate, OcrCatalog, OcrResult};

/// Documents OCR may read: extracted PDFs and images.
const OCR_KINDS: &str = "('pdf', 'jpeg', 'png', 'tiff', 'webp', 'gif')";

impl OcrCatalog for SqliteCatalog {
    fn pending_ocr(
        &self,
        version: &str,
        after: Option<&BlobId>,
        limit: usize,
    ) -> Result<Vec<OcrCandidate>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(&format!(
                "SELECT b.id, b.kind, b.size, b.metadata FROM blobs b
                 WHERE b.status = 'extracted' AND b.kind IN {OCR_KINDS} AND b.id > ?1
                   AND NOT EXISTS (SELECT 1 FROM ocr_sources o WHERE o.blob = b.id AND o.version = ?2)
                 ORDER BY b.id LIMIT ?3"
            ))?;
            let after = after.map_or("", BlobId::as_str);
            let found: Vec<(BlobId, trove_model::FileKind, u64, Option<MeasuredTones>)> =
                collect_rows(
                    &mut statement,
                    params![after, version, limit as i64],
                    |row| {
                        let id: String = row.get(0)?;
                        let kind: String = row.get(1)?;
                        let metadata: String = row.get(3)?;
                        Ok::<_, StoreError>((
                            parse_blob_id(&id)?,
                            parse_kind(&kind)?,
                            row.get::<_, i64>(2)? as u64,
                            parse_measured_tones(&id, &metadata)?,
                        ))
                    },
                )?;
            let mut pages = connection.prepare_cached(
                "SELECT idx, length(replace(replace(replace(text, ' ', ''), char(10), ''), char(9), ''))
                 FROM parts WHERE blob = ?1 AND kind = 'page' ORDER BY idx",
            )?;
            found
                .into_iter()
                .map(|(blob, kind, size, tones)| {
                    let page_texts: Vec<(u32, usize)> =
                        collect_rows(&mut pages, [blob.as_str()], |row| {
                            Ok::<_, StoreError>((row.get(0)?, row.get::<_, i64>(1)? as usize))
                        })?;
                    Ok(OcrCandidate {
                        blob,
                        kind,
                        pages: page_texts,
                        size,
                        tones,
                    })
                })
                .collect()
        })
    }

    fn write_ocr(&self, version: &str, results: &[OcrResult]) -> Result<(), StoreError> {
        self.with_connection(|connection| {
            let tx = connection.transaction()?;
            for result in results {
                let blob = result.blob.as_str();
                tx.execute("DELETE FROM parts WHERE blob = ?1 AND kind = 'ocr'", [blob])?;
                tx.execute("DELETE FROM ocr_pages WHERE blob = ?1", [blob])?;
                let next: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(seq) + 1, 0) FROM parts WHERE blob = ?1",
                    [blob],
                    |row| row.get(0),
                )?;
                for (offset, page) in result.pages.iter().enumerate() {
                    let label = match page.confidence {
                        Some(confidence) => format!("OCR, confidence {confidence:.0}%"),
                        None => "OCR, no words".to_owned(),
                    };
                    tx.execute(
                        "INSERT INTO parts (blob, seq, kind, idx, label, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![blob, next + offset as i64, PartKind::Ocr.code(), page.page, label, page.text],
                    )?;
                    tx.execute(
                        "INSERT INTO ocr_pages (blob, page, confidence, layout) VALUES (?1, ?2, ?3, ?4)",
                        params![blob, page.page, page.confidence.map(f64::from), page.layout],
                    )?;
                }
                tx.execute(
                    "INSERT INTO ocr_sources (blob, version, decision) VALUES (?1, ?2, ?3)
                     ON CONFLICT (blob) DO UPDATE SET version = excluded.version, decision = excluded.decision",
                    params![blob, version, result.decision],
                )?;
                if !result.pages.is_empty() {
                    tx.execute("UPDATE blobs SET indexed = 0 WHERE id = ?1", [blob])?;
                    // Records may be read from the pages' tables: the blob is read again.
                    tx.execute("DELETE FROM record_sources WHERE blob = ?1", [blob])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn ocr_confidences(&self, blob: &BlobId) -> Result<Vec<(u32, Option<f32>)>, StoreError> {
        self.with_connection(|connection| {
            let mut statement = connection.prepare_cached(
                "SELECT page, confidence FROM ocr_pages WHERE blob = ?1 ORDER BY page",
            )?;
            collect_rows(&mut statement, [blob.as_str()], |row| {
                Ok::<_, StoreError>((row.get(0)?, row.get::<_, Option<f64>>(1)?.map(|c| c as f32)))
            })
        })
    }
}
