//! Large village registers for benchmarks: many workbooks of many rows in the register
//! layout of the demo leak, so that reading person records can be timed at scale.

use std::path::{Path, PathBuf};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::SynthError;
use crate::ground_truth::RowKind;
use crate::leak::io_error;
use crate::lists::REGISTER;
use crate::spreadsheets::{SheetSpec, xlsx};

/// Writes `rows` person rows into `DIR/register-NNNN.xlsx` files of at most
/// `rows_per_file` rows each (header below a merged title, as the demo's registers), and
/// returns their paths. The same seed gives the same bytes.
pub fn write_register_workbooks(
    dir: &Path,
    rows: usize,
    rows_per_file: usize,
    seed: u64,
) -> Result<Vec<PathBuf>, SynthError> {
    std::fs::create_dir_all(dir).map_err(|source| io_error(dir, source))?;
    let vocabulary = crate::vocabulary::vocabulary();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let per_file = rows_per_file.max(1);
    let mut paths = Vec::new();
    let mut written = 0;
    while written < rows {
        let count = per_file.min(rows - written);
        let residents = crate::people::generate(&mut rng, vocabulary, count, true);
        let spec = SheetSpec {
            name: "人口登记表".into(),
            title: Some(format!("人口登记表（第{}册）", paths.len() + 1)),
            columns: REGISTER,
            residents: residents.iter().collect(),
            blank_row_midway: false,
        };
        let path = dir.join(format!("register-{:04}.xlsx", paths.len() + 1));
        let doc = xlsx(&path.display().to_string(), RowKind::Register, &[spec])?;
        std::fs::write(&path, &doc.bytes).map_err(|source| io_error(&path, source))?;
        paths.push(path);
        written += count;
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_split_into_workbooks() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_register_workbooks(dir.path(), 25, 10, 1).unwrap();
        assert_eq!(paths.len(), 3);
        assert!(paths.iter().all(|p| p.exists()));
    }
}
