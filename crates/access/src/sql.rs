//! One SQL text for both backends of the access database.
//!
//! The access database is a few small tables and point queries, so its statements are
//! written once, in the part of SQL that SQLite and PostgreSQL share: `?N` placeholders
//! (renumbered `$N` for PostgreSQL), `ON CONFLICT`, `CASE` instead of `MIN`/`LEAST`,
//! `"user"` quoted, integers for flags. A statement runs through [`Sql`], whose values
//! and rows ([`Value`], [`Row`]) are the same on both sides. Writing each query twice
//! would let the two backends drift apart; this way they cannot.

use std::error::Error;

use bytes::BytesMut;
use postgres::GenericClient;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};

use crate::AccessError;

/// A value bound to a statement or read from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    Null,
    Integer(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Value::Integer(value)
    }
}

impl From<bool> for Value {
    /// Flags are stored as 0 or 1 in both backends.
    fn from(value: bool) -> Self {
        Value::Integer(i64::from(value))
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::from(value.to_owned())
    }
}

impl From<String> for Value {
    /// PostgreSQL refuses NUL in text, where SQLite keeps it: a NUL in a name someone
    /// typed at the login form or in a detail is kept as U+FFFD on both, so the two
    /// backends store the same and neither fails on it. (No user name can hold one.)
    fn from(value: String) -> Self {
        Value::Text(trove_model::owned_without_nul(value))
    }
}

impl From<&String> for Value {
    fn from(value: &String) -> Self {
        Value::from(value.clone())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

impl From<&Option<String>> for Value {
    fn from(value: &Option<String>) -> Self {
        value.as_ref().map_or(Value::Null, Value::from)
    }
}

/// The values of a statement: `params![name, unix(now)]`.
macro_rules! params {
    ($($value:expr),* $(,)?) => {
        &[$($crate::sql::Value::from($value)),*] as &[$crate::sql::Value]
    };
}
pub(crate) use params;

/// A row as read: its values in column order.
#[derive(Debug)]
pub(crate) struct Row(Vec<Value>);

impl Row {
    /// The value at `index` as a `T`; a value of another kind means the database was
    /// changed behind trove's back.
    pub(crate) fn get<T: FromValue>(&self, index: usize) -> Result<T, AccessError> {
        self.0.get(index).and_then(T::from_value).ok_or_else(|| {
            // The kind only, never the value: a row may hold a secret.
            let kind = match self.0.get(index) {
                None => "nothing",
                Some(Value::Null) => "NULL",
                Some(Value::Integer(_)) => "an integer",
                Some(Value::Text(_)) => "text",
            };
            AccessError::Corrupt(format!(
                "column {index} holds {kind}, not a {}",
                std::any::type_name::<T>()
            ))
        })
    }
}

/// What a [`Value`] can be read as.
pub(crate) trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Integer(number) => Some(*number),
            _ => None,
        }
    }
}

impl FromValue for u64 {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).and_then(|number| u64::try_from(number).ok())
    }
}

impl FromValue for bool {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).map(|number| number != 0)
    }
}

impl FromValue for String {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Text(text) => Some(text.clone()),
            _ => None,
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            other => T::from_value(other).map(Some),
        }
    }
}

/// A connection or transaction of either backend.
pub(crate) trait Sql {
    /// Runs a statement; returns how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, AccessError>;

    /// Runs a query and hands its rows to `visit` one at a time, as they arrive (the
    /// audit trail can be long), until `visit` says it has had enough (false).
    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        visit: &mut dyn FnMut(Row) -> Result<bool, AccessError>,
    ) -> Result<(), AccessError>;
}

impl dyn Sql + '_ {
    /// Every row of a query, each made into a `T`.
    pub(crate) fn all<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        make: impl Fn(&Row) -> Result<T, AccessError>,
    ) -> Result<Vec<T>, AccessError> {
        let mut all = Vec::new();
        self.each(sql, params, &mut |row| {
            all.push(make(&row)?);
            Ok(true)
        })?;
        Ok(all)
    }

    /// The first row of a query, if there is one, made into a `T`.
    pub(crate) fn first<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        make: impl Fn(&Row) -> Result<T, AccessError>,
    ) -> Result<Option<T>, AccessError> {
        let mut first = None;
        self.each(sql, params, &mut |row| {
            first = Some(make(&row)?);
            Ok(false)
        })?;
        Ok(first)
    }

    /// The one value of a query that always has a row (`COUNT(*)`, `MAX(…)`).
    pub(crate) fn value<T: FromValue>(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<T, AccessError> {
        self.first(sql, params, |row| row.get(0))?
            .ok_or_else(|| AccessError::Corrupt(format!("no row from {sql}")))
    }

    /// Whether a query has any row.
    pub(crate) fn exists(&mut self, sql: &str, params: &[Value]) -> Result<bool, AccessError> {
        Ok(self.first(sql, params, |_| Ok(()))?.is_some())
    }
}

/// A SQLite connection (or a transaction, which derefs to one).
pub(crate) struct Sqlite<'c>(pub(crate) &'c rusqlite::Connection);

impl Sql for Sqlite<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, AccessError> {
        let mut statement = self.0.prepare_cached(sql)?;
        Ok(statement.execute(rusqlite::params_from_iter(params))?)
    }

    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        visit: &mut dyn FnMut(Row) -> Result<bool, AccessError>,
    ) -> Result<(), AccessError> {
        let mut statement = self.0.prepare_cached(sql)?;
        let columns = statement.column_count();
        let mut rows = statement.query(rusqlite::params_from_iter(params))?;
        while let Some(row) = rows.next()? {
            let values = (0..columns)
                .map(|index| from_sqlite(row.get_ref(index)?))
                .collect::<Result<_, AccessError>>()?;
            if !visit(Row(values))? {
                break;
            }
        }
        Ok(())
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Integer(number) => ValueRef::Integer(*number),
            Value::Text(text) => ValueRef::Text(text.as_bytes()),
        }))
    }
}

fn from_sqlite(value: ValueRef<'_>) -> Result<Value, AccessError> {
    match value {
        ValueRef::Null => Ok(Value::Null),
        ValueRef::Integer(number) => Ok(Value::Integer(number)),
        ValueRef::Text(bytes) => String::from_utf8(bytes.to_vec())
            .map(Value::Text)
            .map_err(|_| AccessError::Corrupt("text that is not UTF-8".to_owned())),
        other => Err(AccessError::Corrupt(format!(
            "a {} where text or an integer belongs",
            other.data_type()
        ))),
    }
}

/// A PostgreSQL client or transaction.
pub(crate) struct Postgres<'c, C>(pub(crate) &'c mut C);

impl<C: GenericClient> Sql for Postgres<'_, C> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<usize, AccessError> {
        let bound: Vec<&(dyn ToSql + Sync)> = params.iter().map(|value| value as _).collect();
        let changed = self.0.execute(numbered(sql).as_str(), &bound)?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }

    fn each(
        &mut self,
        sql: &str,
        params: &[Value],
        visit: &mut dyn FnMut(Row) -> Result<bool, AccessError>,
    ) -> Result<(), AccessError> {
        let mut rows = self.0.query_raw(numbered(sql).as_str(), params.iter())?;
        while let Some(row) = rows.next()? {
            let values = (0..row.len())
                .map(|index| from_postgres(&row, index))
                .collect::<Result<_, AccessError>>()?;
            if !visit(Row(values))? {
                break;
            }
        }
        Ok(())
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Text(text) => text.as_str().to_sql(ty, out),
            Value::Integer(number) => match *ty {
                Type::INT4 => i32::try_from(*number)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*number)?.to_sql(ty, out),
                Type::BOOL => (*number != 0).to_sql(ty, out),
                _ => number.to_sql(ty, out),
            },
        }
    }

    /// Any type: the statement decides, and `to_sql` converts (or fails, for text bound
    /// where a number belongs).
    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn from_postgres(row: &postgres::Row, index: usize) -> Result<Value, AccessError> {
    let ty = row.columns()[index].type_().clone();
    let value = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)?
            .map(|number| Value::Integer(number.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)?
            .map(|number| Value::Integer(number.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(Value::from),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
            row.try_get::<_, Option<String>>(index)?.map(Value::Text)
        }
        other => {
            return Err(AccessError::Corrupt(format!(
                "a column of type {other} where text or an integer belongs"
            )));
        }
    };
    Ok(value.unwrap_or(Value::Null))
}

/// `sql` with SQLite's placeholders as PostgreSQL's: `?3` becomes `$3`, and each bare
/// `?` the next number. (The access database's statements hold no `?` in literals, and
/// use one style or the other: SQLite numbers a bare `?` after a `?N` differently.)
pub(crate) fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let (mut bare, mut numbered) = (0, false);
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '?' {
            out.push(c);
            continue;
        }
        out.push('$');
        if chars.peek().is_some_and(char::is_ascii_digit) {
            numbered = true;
            while let Some(digit) = chars.next_if(char::is_ascii_digit) {
                out.push(digit);
            }
        } else {
            bare += 1;
            out.push_str(&bare.to_string());
        }
    }
    debug_assert!(
        bare == 0 || !numbered,
        "bare and numbered placeholders mixed in {sql}"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_for_postgresql() {
        assert_eq!(
            numbered("SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = ?12"),
            "SELECT a FROM t WHERE b = $2 AND c = $1 AND d = $12"
        );
        assert_eq!(
            numbered("WHERE a = ? AND b = ? LIMIT ? OFFSET ?"),
            "WHERE a = $1 AND b = $2 LIMIT $3 OFFSET $4"
        );
    }

    #[test]
    fn nul_characters_are_kept_as_replacement_characters() {
        assert_eq!(Value::from("a\0b"), Value::Text("a\u{FFFD}b".into()));
    }

    #[test]
    fn rows_read_back_as_the_kinds_they_hold() {
        let row = Row(vec![
            Value::Integer(1),
            Value::Null,
            Value::Text("vera".into()),
        ]);
        assert!(row.get::<bool>(0).unwrap());
        assert_eq!(row.get::<Option<String>>(1).unwrap(), None);
        assert_eq!(row.get::<String>(2).unwrap(), "vera");
        let wrong = row.get::<i64>(2).unwrap_err().to_string();
        assert!(wrong.contains("column 2 holds text"), "{wrong}");
        assert!(!wrong.contains("vera"), "never the value: {wrong}");
        assert!(matches!(row.get::<i64>(7), Err(AccessError::Corrupt(_))));
    }
}
