//! Moving a case from its SQLite catalog to PostgreSQL (`trove migrate`): every table is
//! copied as it is, times of writing and the publication secret included, in one
//! PostgreSQL transaction, then both catalogs are read back and compared.
//! The originals stay where they are: the store's `blobs/` folder serves as the shared
//! folder of originals.

use rusqlite::types::Value;

use crate::{
    PgCatalog, PublicationCatalog, RecordCatalog, SqliteCatalog, StoreError, canonical_dump,
};

/// How a column is read from SQLite and sent to PostgreSQL.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
    /// SQLite's 0/1.
    Bool,
    Bytes,
    Real,
    Double,
}

/// The tables copied, in an order their references allow, with their columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "blobs",
        &[
            ("id", Kind::Text),
            ("sha256", Kind::Text),
            ("size", Kind::Int),
            ("kind", Kind::Text),
            ("status", Kind::Text),
            ("extractor_version", Kind::Int),
            ("metadata", Kind::Text),
            ("truncated", Kind::Bool),
            ("thumbnail", Kind::Bytes),
            ("first_seen", Kind::Text),
        ],
    ),
    (
        "parts",
        &[
            ("blob", Kind::Text),
            ("seq", Kind::Int),
            ("kind", Kind::Text),
            ("idx", Kind::Int),
            ("label", Kind::Text),
            ("text", Kind::Text),
            ("hidden", Kind::Text),
        ],
    ),
    (
        "occurrences",
        &[
            ("blob", Kind::Text),
            ("root", Kind::Text),
            ("path", Kind::Text),
            ("parent", Kind::Text),
            ("name_kind", Kind::Text),
            ("member_time", Kind::Text),
            ("first_seen", Kind::Text),
        ],
    ),
    (
        "sources",
        &[
            ("root", Kind::Text),
            ("path", Kind::Text),
            ("size", Kind::Int),
            ("mtime_ns", Kind::Int),
            ("done", Kind::Bool),
        ],
    ),
    (
        "failures",
        &[
            ("root", Kind::Text),
            ("source", Kind::Text),
            ("path", Kind::Text),
            ("blob", Kind::Text),
            ("stage", Kind::Text),
            ("reason", Kind::Text),
            ("message", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "ocr_sources",
        &[
            ("blob", Kind::Text),
            ("version", Kind::Text),
            ("decision", Kind::Text),
        ],
    ),
    (
        "ocr_pages",
        &[
            ("blob", Kind::Text),
            ("page", Kind::Int),
            ("confidence", Kind::Real),
            ("layout", Kind::Text),
        ],
    ),
    (
        "records",
        &[
            ("blob", Kind::Text),
            ("part", Kind::Int),
            ("row", Kind::Int),
            ("col", Kind::Int),
            ("sheet", Kind::Text),
            ("list", Kind::Text),
            ("person", Kind::Text),
            ("id_number", Kind::Text),
            ("id_valid", Kind::Bool),
            ("name", Kind::Text),
            ("sex", Kind::Text),
            ("ethnicity", Kind::Text),
            ("birth_date", Kind::Text),
            ("township", Kind::Text),
            ("village", Kind::Text),
            ("status", Kind::Text),
            ("detention", Kind::Bool),
            ("flags", Kind::Text),
            ("candidate_key", Kind::Text),
            ("search", Kind::Text),
            ("data", Kind::Text),
        ],
    ),
    (
        "record_sources",
        &[("blob", Kind::Text), ("version", Kind::Text)],
    ),
    (
        "photo_links",
        &[
            ("blob", Kind::Text),
            ("id_number", Kind::Text),
            ("via", Kind::Text),
        ],
    ),
    (
        "person_candidates",
        &[("a", Kind::Text), ("b", Kind::Text), ("reason", Kind::Text)],
    ),
    (
        "lists",
        &[
            ("name", Kind::Text),
            ("file_name", Kind::Text),
            ("blake3", Kind::Text),
            ("imported", Kind::Text),
        ],
    ),
    (
        "list_entries",
        &[
            ("list", Kind::Text),
            ("row", Kind::Int),
            ("scored", Kind::Bool),
            ("data", Kind::Text),
        ],
    ),
    (
        "xref_persons",
        &[("list", Kind::Text), ("person", Kind::Text)],
    ),
    (
        "match_candidates",
        &[
            ("list", Kind::Text),
            ("row", Kind::Int),
            ("person", Kind::Text),
            ("score", Kind::Double),
            ("fields", Kind::Text),
            ("review", Kind::Text),
        ],
    ),
    (
        "review_decisions",
        &[
            ("list", Kind::Text),
            ("row", Kind::Int),
            ("person", Kind::Text),
            ("review", Kind::Text),
            ("note", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "verifications",
        &[
            ("subject_kind", Kind::Text),
            ("subject", Kind::Text),
            ("status", Kind::Text),
            ("note", Kind::Text),
            ("evidence", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "finding_reviews",
        &[
            ("finding", Kind::Text),
            ("review", Kind::Text),
            ("note", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "tags",
        &[
            ("subject_kind", Kind::Text),
            ("subject", Kind::Text),
            ("tag", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "notes",
        &[
            ("subject_kind", Kind::Text),
            ("subject", Kind::Text),
            ("note", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "stars",
        &[
            ("user_name", Kind::Text),
            ("subject_kind", Kind::Text),
            ("subject", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "publication_decisions",
        &[
            ("person", Kind::Text),
            ("publish", Kind::Bool),
            ("consent", Kind::Text),
            ("minor_allowed", Kind::Bool),
            ("note", Kind::Text),
            ("by_user", Kind::Text),
            ("at", Kind::Text),
        ],
    ),
    (
        "person_sheets",
        &[
            ("blob", Kind::Text),
            ("part", Kind::Int),
            ("sheet", Kind::Text),
            ("header_row", Kind::Int),
            ("list", Kind::Text),
            ("evidence", Kind::Text),
            ("records", Kind::Int),
        ],
    ),
];

/// Rows sent to PostgreSQL in one statement.
const CHUNK_ROWS: usize = 1_000;
/// ... or fewer, once they hold this many bytes of text and thumbnails.
const CHUNK_BYTES: usize = 32 << 20;

/// What a move copied and what the comparison found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// Rows copied, per table, in the order copied.
    pub tables: Vec<(&'static str, u64)>,
    /// Lines of the catalog's canonical dump, equal on both sides.
    pub compared_lines: u64,
    /// Person records, equal on both sides.
    pub compared_records: u64,
}

/// Copies `from` into the empty catalog `to`, then compares the two; `progress` hears of
/// each table and its rows as they are copied.
pub fn migrate_to_postgres(
    from: &SqliteCatalog,
    to: &PgCatalog,
    progress: &mut dyn FnMut(&str, u64),
) -> Result<MigrationReport, StoreError> {
    let held: Vec<String> = to.with_client(|client| {
        let mut held = Vec::new();
        for (table, _) in TABLES {
            let rows: i64 = client
                .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])?
                .get(0);
            if rows > 0 {
                held.push(format!("{table} ({rows})"));
            }
        }
        Ok(held)
    })?;
    if !held.is_empty() {
        return Err(StoreError::NotMoved(format!(
            "{} already holds a catalog ({}): move a case into an empty database (or schema)",
            to.database(),
            held.join(", ")
        )));
    }
    let mut tables = Vec::new();
    to.with_client(|client| {
        let mut tx = client.transaction()?;
        for (table, columns) in TABLES {
            let copied = copy_table(from, &mut tx, table, columns, progress)?;
            tables.push((*table, copied));
        }
        tx.execute("UPDATE records_revision SET revision = revision + 1", &[])?;
        // Published ids are keyed by the case's secret: the same secret, the same ids.
        let secret = from.publication_secret()?;
        tx.execute(
            "UPDATE publication_secret SET secret = $1 WHERE id = 1",
            &[&secret.as_slice()],
        )?;
        tx.commit()?;
        Ok(())
    })?;
    let (compared_lines, compared_records) = compare(from, to)?;
    Ok(MigrationReport {
        tables,
        compared_lines,
        compared_records,
    })
}

/// Copies one table, `CHUNK_ROWS` rows a statement; returns the rows copied.
fn copy_table(
    from: &SqliteCatalog,
    tx: &mut postgres::Transaction<'_>,
    table: &str,
    columns: &[(&str, Kind)],
    progress: &mut dyn FnMut(&str, u64),
) -> Result<u64, StoreError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let casts: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| format!("${}::{}[]", i + 1, array_type(*kind)))
        .collect();
    let insert = tx.prepare(&format!(
        "INSERT INTO {table} ({}) SELECT * FROM unnest({})",
        names.join(", "),
        casts.join(", ")
    ))?;
    // Failures, records and the histories are numbered as they were written (and listed
    // in that order): copied in that order, they are numbered alike.
    let order = match table {
        "failures" | "records" => " ORDER BY id",
        "review_decisions"
        | "verifications"
        | "finding_reviews"
        | "notes"
        | "publication_decisions" => " ORDER BY seq",
        _ => "",
    };
    let select = format!("SELECT {} FROM {table}{order}", names.join(", "));
    let mut copied = 0u64;
    from.with_connection(|connection| {
        let mut statement = connection.prepare(&select)?;
        let mut rows = statement.query([])?;
        let mut chunk = Chunk::new(columns);
        loop {
            let row = rows.next()?;
            if let Some(row) = row {
                for (i, column) in chunk.columns.iter_mut().enumerate() {
                    chunk.bytes += column.push(row.get::<_, Value>(i)?, table)?;
                }
                chunk.rows += 1;
            }
            let full = chunk.rows >= CHUNK_ROWS || chunk.bytes >= CHUNK_BYTES;
            if chunk.rows > 0 && (full || row.is_none()) {
                let params: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    chunk.columns.iter().map(Column::as_param).collect();
                tx.execute(&insert, &params)?;
                copied += chunk.rows as u64;
                progress(table, copied);
                chunk = Chunk::new(columns);
            }
            if row.is_none() {
                return Ok(());
            }
        }
    })?;
    Ok(copied)
}

fn array_type(kind: Kind) -> &'static str {
    match kind {
        Kind::Text => "TEXT",
        Kind::Int => "BIGINT",
        Kind::Bool => "BOOLEAN",
        Kind::Bytes => "BYTEA",
        Kind::Real => "REAL",
        Kind::Double => "DOUBLE PRECISION",
    }
}

/// Rows of one table being gathered, column by column.
struct Chunk {
    columns: Vec<Column>,
    rows: usize,
    bytes: usize,
}

impl Chunk {
    fn new(columns: &[(&str, Kind)]) -> Chunk {
        Chunk {
            columns: columns.iter().map(|(_, kind)| Column::new(*kind)).collect(),
            rows: 0,
            bytes: 0,
        }
    }
}

/// One column's values, NULLs kept.
enum Column {
    Text(Vec<Option<String>>),
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Bytes(Vec<Option<Vec<u8>>>),
    Real(Vec<Option<f32>>),
    Double(Vec<Option<f64>>),
}

impl Column {
    fn new(kind: Kind) -> Column {
        match kind {
            Kind::Text => Column::Text(Vec::new()),
            Kind::Int => Column::Int(Vec::new()),
            Kind::Bool => Column::Bool(Vec::new()),
            Kind::Bytes => Column::Bytes(Vec::new()),
            Kind::Real => Column::Real(Vec::new()),
            Kind::Double => Column::Double(Vec::new()),
        }
    }

    /// Adds a value; returns the bytes it holds. A value of another type than the
    /// column's is a catalog something else wrote.
    fn push(&mut self, value: Value, table: &str) -> Result<usize, StoreError> {
        let unexpected = |value: &Value| {
            StoreError::Corrupt(format!(
                "{table}: a {:?} where none was expected",
                value.data_type()
            ))
        };
        let bytes = match (self, value) {
            (Column::Text(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Text(values), Value::Text(text)) => {
                // A catalog written before NUL was kept as U+FFFD may hold one.
                let text = trove_model::owned_without_nul(text);
                let len = text.len();
                values.push(Some(text));
                len
            }
            (Column::Int(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Int(values), Value::Integer(n)) => {
                values.push(Some(n));
                8
            }
            (Column::Bool(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Bool(values), Value::Integer(n)) => {
                values.push(Some(n != 0));
                1
            }
            (Column::Bytes(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Bytes(values), Value::Blob(bytes)) => {
                let len = bytes.len();
                values.push(Some(bytes));
                len
            }
            (Column::Real(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Real(values), Value::Real(x)) => {
                values.push(Some(x as f32));
                4
            }
            (Column::Real(values), Value::Integer(n)) => {
                values.push(Some(n as f32));
                4
            }
            (Column::Double(values), Value::Null) => {
                values.push(None);
                0
            }
            (Column::Double(values), Value::Real(x)) => {
                values.push(Some(x));
                8
            }
            (Column::Double(values), Value::Integer(n)) => {
                values.push(Some(n as f64));
                8
            }
            (_, other) => return Err(unexpected(&other)),
        };
        Ok(bytes)
    }

    fn as_param(&self) -> &(dyn postgres::types::ToSql + Sync) {
        match self {
            Column::Text(values) => values,
            Column::Int(values) => values,
            Column::Bool(values) => values,
            Column::Bytes(values) => values,
            Column::Real(values) => values,
            Column::Double(values) => values,
        }
    }
}

/// Reads both catalogs through the same traits and compares them: the canonical dump,
/// then every record. Returns the lines and records compared.
fn compare(from: &SqliteCatalog, to: &PgCatalog) -> Result<(u64, u64), StoreError> {
    let dump_of = |catalog: &dyn crate::Catalog| -> Result<(blake3::Hash, u64), StoreError> {
        let mut hasher = blake3::Hasher::new();
        let mut lines = 0u64;
        canonical_dump(catalog, &mut |line| {
            hasher.update(line.as_bytes());
            hasher.update(b"\n");
            lines += 1;
            Ok(())
        })?;
        Ok((hasher.finalize(), lines))
    };
    let records_of = |catalog: &dyn RecordCatalog| -> Result<(blake3::Hash, u64), StoreError> {
        let mut hasher = blake3::Hasher::new();
        let mut count = 0u64;
        catalog.for_each_record(&Default::default(), 0, None, &mut |stored| {
            let line = format!(
                "{} {:?} {:?}\n",
                stored.person, stored.candidate_key, stored.record
            );
            hasher.update(line.as_bytes());
            count += 1;
            Ok(())
        })?;
        Ok((hasher.finalize(), count))
    };
    for (table, _) in TABLES {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let before: i64 = from.with_connection(|c| Ok(c.query_row(&sql, [], |row| row.get(0))?))?;
        let after: i64 = to.with_client(|c| Ok(c.query_one(&sql, &[])?.get(0)))?;
        if before != after {
            return Err(StoreError::NotMoved(format!(
                "{table} holds {before} rows in the store but {after} in {}; drop that database and report this",
                to.database()
            )));
        }
    }
    let (before, lines) = dump_of(from)?;
    let (after, _) = dump_of(to)?;
    if before != after {
        return Err(StoreError::NotMoved(format!(
            "the copy in {} does not read back as the store does (canonical dumps differ); drop that database and report this",
            to.database()
        )));
    }
    let (before, records) = records_of(from)?;
    let (after, _) = records_of(to)?;
    if before != after {
        return Err(StoreError::NotMoved(format!(
            "the person records in {} do not read back as the store's do; drop that database and report this",
            to.database()
        )));
    }
    Ok((lines, records))
}
