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
    /// Rows of every table, equal on both sides.
    pub compared_rows: u64,
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
    let (compared_rows, compared_lines, compared_records) = verify_migrated(from, to)?;
    Ok(MigrationReport {
        tables,
        compared_rows,
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
                for (i, (column, (_, kind))) in chunk.columns.iter_mut().zip(columns).enumerate() {
                    let cell = Cell::from_sqlite(row.get::<_, Value>(i)?, *kind, table)?;
                    chunk.bytes += cell.size();
                    column.push(cell);
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

/// One value as PostgreSQL keeps it.
#[derive(Debug)]
enum Cell {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
    Bytes(Vec<u8>),
    Real(f32),
    Double(f64),
}

impl Cell {
    /// A SQLite value of a column of `kind`, as it is copied: a NUL in text as U+FFFD (a
    /// catalog written before that rule may hold one), 0/1 as a boolean. A value of
    /// another type than the column's is a catalog something else wrote.
    fn from_sqlite(value: Value, kind: Kind, table: &str) -> Result<Cell, StoreError> {
        Ok(match (kind, value) {
            (_, Value::Null) => Cell::Null,
            (Kind::Text, Value::Text(text)) => Cell::Text(trove_model::owned_without_nul(text)),
            (Kind::Int, Value::Integer(n)) => Cell::Int(n),
            (Kind::Bool, Value::Integer(n)) => Cell::Bool(n != 0),
            (Kind::Bytes, Value::Blob(bytes)) => Cell::Bytes(bytes),
            (Kind::Real, Value::Real(x)) => Cell::Real(x as f32),
            (Kind::Real, Value::Integer(n)) => Cell::Real(n as f32),
            (Kind::Double, Value::Real(x)) => Cell::Double(x),
            (Kind::Double, Value::Integer(n)) => Cell::Double(n as f64),
            (_, other) => {
                return Err(StoreError::Corrupt(format!(
                    "{table}: a {:?} where none was expected",
                    other.data_type()
                )));
            }
        })
    }

    /// Column `i` of a PostgreSQL row selected as `kind`'s type ([`array_type`]).
    fn from_postgres(row: &postgres::Row, i: usize, kind: Kind) -> Result<Cell, StoreError> {
        fn or_null<T>(value: Option<T>, cell: impl FnOnce(T) -> Cell) -> Cell {
            value.map_or(Cell::Null, cell)
        }
        Ok(match kind {
            Kind::Text => or_null(row.try_get(i)?, Cell::Text),
            Kind::Int => or_null(row.try_get(i)?, Cell::Int),
            Kind::Bool => or_null(row.try_get(i)?, Cell::Bool),
            Kind::Bytes => or_null(row.try_get(i)?, Cell::Bytes),
            Kind::Real => or_null(row.try_get(i)?, Cell::Real),
            Kind::Double => or_null(row.try_get(i)?, Cell::Double),
        })
    }

    /// The bytes it holds, for the size of a chunk.
    fn size(&self) -> usize {
        match self {
            Cell::Null => 0,
            Cell::Text(text) => text.len(),
            Cell::Bytes(bytes) => bytes.len(),
            Cell::Int(_) | Cell::Double(_) => 8,
            Cell::Real(_) => 4,
            Cell::Bool(_) => 1,
        }
    }

    /// Feeds it to a row's hash, tagged and length-prefixed so that no two rows of
    /// different values hash alike.
    fn hash_into(&self, hasher: &mut blake3::Hasher) {
        // Numbers go through a buffer on the stack: this runs for every cell of every row.
        let mut number = [0u8; 8];
        let (tag, bytes): (u8, &[u8]) = match self {
            Cell::Null => (0, &[]),
            Cell::Text(text) => (1, text.as_bytes()),
            Cell::Int(n) => (2, put(&mut number, &n.to_le_bytes())),
            Cell::Bool(b) => (3, put(&mut number, &[u8::from(*b)])),
            Cell::Bytes(bytes) => (4, bytes.as_slice()),
            Cell::Real(x) => (5, put(&mut number, &x.to_le_bytes())),
            Cell::Double(x) => (6, put(&mut number, &x.to_le_bytes())),
        };
        hasher.update(&[tag]);
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
}

/// `value` copied to the front of `buffer`, which it fits (at most 8 bytes).
fn put<'a>(buffer: &'a mut [u8; 8], value: &[u8]) -> &'a [u8] {
    buffer[..value.len()].copy_from_slice(value);
    &buffer[..value.len()]
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

    /// Adds a value made by [`Cell::from_sqlite`] for this column's kind.
    fn push(&mut self, cell: Cell) {
        match (self, cell) {
            (Column::Text(values), Cell::Null) => values.push(None),
            (Column::Text(values), Cell::Text(text)) => values.push(Some(text)),
            (Column::Int(values), Cell::Null) => values.push(None),
            (Column::Int(values), Cell::Int(n)) => values.push(Some(n)),
            (Column::Bool(values), Cell::Null) => values.push(None),
            (Column::Bool(values), Cell::Bool(b)) => values.push(Some(b)),
            (Column::Bytes(values), Cell::Null) => values.push(None),
            (Column::Bytes(values), Cell::Bytes(bytes)) => values.push(Some(bytes)),
            (Column::Real(values), Cell::Null) => values.push(None),
            (Column::Real(values), Cell::Real(x)) => values.push(Some(x)),
            (Column::Double(values), Cell::Null) => values.push(None),
            (Column::Double(values), Cell::Double(x)) => values.push(Some(x)),
            (_, cell) => unreachable!("Cell::from_sqlite made {cell:?} for another kind"),
        }
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

/// A table's rows as one digest that does not depend on their order (the two backends
/// list rows in orders of their own): the wrapping sum of every row's hash, and the
/// number of rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct TableDigest {
    sum: u128,
    rows: u64,
}

impl TableDigest {
    fn add(&mut self, cells: &[Cell]) {
        let mut hasher = blake3::Hasher::new();
        cells.iter().for_each(|cell| cell.hash_into(&mut hasher));
        let hash = hasher.finalize();
        let first: [u8; 16] = hash.as_bytes()[..16].try_into().expect("32 bytes");
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
        self.rows += 1;
    }
}

/// Every row of `table` in the store, as copied.
fn sqlite_digest(
    from: &SqliteCatalog,
    table: &str,
    columns: &[(&str, Kind)],
) -> Result<TableDigest, StoreError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    let select = format!("SELECT {} FROM {table}", names.join(", "));
    from.with_connection(|connection| {
        let mut digest = TableDigest::default();
        let mut statement = connection.prepare(&select)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let cells = columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| Cell::from_sqlite(row.get(i)?, *kind, table))
                .collect::<Result<Vec<_>, StoreError>>()?;
            digest.add(&cells);
        }
        Ok(digest)
    })
}

/// Every row of `table` in PostgreSQL, each column read as the type it was sent as.
fn postgres_digest(
    to: &PgCatalog,
    table: &str,
    columns: &[(&str, Kind)],
) -> Result<TableDigest, StoreError> {
    let casts: Vec<String> = columns
        .iter()
        .map(|(name, kind)| format!("{name}::{}", array_type(*kind)))
        .collect();
    let select = format!("SELECT {} FROM {table}", casts.join(", "));
    to.with_client(|client| {
        let mut digest = TableDigest::default();
        crate::postgres::walk(client, &select, &[], &mut |row| {
            let cells = columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| Cell::from_postgres(row, i, *kind))
                .collect::<Result<Vec<_>, StoreError>>()?;
            digest.add(&cells);
            Ok(())
        })?;
        Ok(digest)
    })
}

/// Compares a store with its move into PostgreSQL: the copied columns of every row of
/// every table and the publication secret, then what reading both through the same
/// traits makes of them (the canonical dump, every record). Returns the rows, lines and
/// records compared; [`StoreError::NotMoved`] names what differs.
pub fn verify_migrated(
    from: &SqliteCatalog,
    to: &PgCatalog,
) -> Result<(u64, u64, u64), StoreError> {
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
    let mut rows = 0;
    for (table, columns) in TABLES {
        let before = sqlite_digest(from, table, columns)?;
        let after = postgres_digest(to, table, columns)?;
        if before != after {
            return Err(StoreError::NotMoved(format!(
                "{table} in {} does not hold what the store holds ({} rows there, {} in the store); drop that database and report this",
                to.database(),
                after.rows,
                before.rows
            )));
        }
        rows += before.rows;
    }
    if from.publication_secret()? != to.publication_secret()? {
        return Err(StoreError::NotMoved(format!(
            "the publication secret in {} is not the store's; drop that database and report this",
            to.database()
        )));
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
    Ok((rows, lines, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(rows: &[Vec<Cell>]) -> TableDigest {
        let mut digest = TableDigest::default();
        rows.iter().for_each(|row| digest.add(row));
        digest
    }

    fn row(text: &str, n: i64) -> Vec<Cell> {
        vec![Cell::Text(text.to_owned()), Cell::Int(n)]
    }

    #[test]
    fn a_table_digest_ignores_order_but_not_content() {
        let listed = digest(&[row("甲", 1), row("乙", 2)]);
        assert_eq!(listed, digest(&[row("乙", 2), row("甲", 1)]));
        assert_ne!(listed, digest(&[row("甲", 1), row("甲", 1)]), "a row twice");
        assert_ne!(listed, digest(&[row("甲", 1), row("乙", 3)]));
        assert_ne!(
            digest(&[vec![Cell::Null]]),
            digest(&[vec![Cell::Text(String::new())]]),
            "NULL is not empty text"
        );
        assert_ne!(
            digest(&[vec![Cell::Text("ab".into()), Cell::Text("c".into())]]),
            digest(&[vec![Cell::Text("a".into()), Cell::Text("bc".into())]]),
            "values do not run into each other"
        );
    }

    #[test]
    fn sqlite_values_read_as_postgresql_keeps_them() {
        let cell = |value, kind| Cell::from_sqlite(value, kind, "t").unwrap();
        assert!(
            matches!(cell(Value::Text("a\0".into()), Kind::Text), Cell::Text(t) if t == "a\u{FFFD}")
        );
        assert!(matches!(
            cell(Value::Integer(1), Kind::Bool),
            Cell::Bool(true)
        ));
        assert!(matches!(cell(Value::Integer(2), Kind::Double), Cell::Double(x) if x == 2.0));
        assert!(Cell::from_sqlite(Value::Text("1".into()), Kind::Int, "t").is_err());
    }
}
