//! One cell value as text: what a person reading the sheet would search
//! for, and the exact digits of identity numbers.

use calamine::{CellErrorType, Data, DataRef, ExcelDateTime};

/// A cell value from either of calamine's cell types.
pub(super) enum Value<'a> {
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(&'a ExcelDateTime),
    /// A date, time or duration already in ISO 8601 (OpenDocument).
    Iso(&'a str),
    Error(&'a CellErrorType),
    Empty,
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(data: &'a Data) -> Self {
        match data {
            Data::String(s) => Value::Text(s),
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(d),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Iso(s),
            Data::Error(e) => Value::Error(e),
            Data::Empty => Value::Empty,
        }
    }
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(data: &'a DataRef<'a>) -> Self {
        match data {
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::Date(d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s),
            DataRef::Error(e) => Value::Error(e),
            DataRef::Empty => Value::Empty,
        }
    }
}

/// Appends the cell's text to `out`. Tabs and line breaks inside a cell
/// become spaces, so that line N of a sheet's text stays row N.
pub(super) fn render(value: Value<'_>, out: &mut String) {
    match value {
        Value::Text(s) | Value::Iso(s) => {
            out.extend(s.chars().map(|c| {
                if matches!(c, '\t' | '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            }));
        }
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&number(f)),
        Value::Bool(b) => out.push_str(if b { "TRUE" } else { "FALSE" }),
        Value::Date(d) => out.push_str(&date(d)),
        Value::Error(e) => out.push_str(&e.to_string()),
        Value::Empty => {}
    }
}

/// Whole numbers print without a fraction, with every digit the float
/// holds (an 18-digit ID typed as a number keeps the digits Excel kept).
/// Fractions are rounded to the 15 significant digits Excel shows, which
/// hides binary noise such as 0.30000000000000004.
fn number(f: f64) -> String {
    if !f.is_finite() || f.fract() == 0.0 {
        return f.to_string();
    }
    let shown: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    shown.to_string()
}

/// Dates as `YYYY-MM-DD`, with ` HH:MM:SS` when there is a time of day;
/// times of day alone as `HH:MM:SS`; durations as total hours `[h]:MM:SS`.
fn date(d: &ExcelDateTime) -> String {
    if d.is_duration() {
        let seconds = (d.as_f64() * 86_400.0).round() as i64;
        let sign = if seconds < 0 { "-" } else { "" };
        let s = seconds.abs();
        return format!("{sign}{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60);
    }
    let (year, month, day, hour, minute, second, _) = d.to_ymd_hms_milli();
    let time = format!("{hour:02}:{minute:02}:{second:02}");
    if (0.0..1.0).contains(&d.as_f64()) {
        return time;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    if (hour, minute, second) == (0, 0, 0) {
        date
    } else {
        format!("{date} {time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    fn text(value: Value<'_>) -> String {
        let mut out = String::new();
        render(value, &mut out);
        out
    }

    #[test]
    fn whole_floats_have_no_fraction_and_keep_all_digits() {
        assert_eq!(text(Value::Float(42.0)), "42");
        assert_eq!(
            text(Value::Float(653_101_199_001_011_200.0)),
            "653101199001011200"
        );
        assert_eq!(text(Value::Float(0.1 + 0.2)), "0.3");
        assert_eq!(text(Value::Float(-2.5)), "-2.5");
    }

    #[test]
    fn text_digits_stay_exactly_as_stored() {
        assert_eq!(
            text(Value::Text("653101199001011234")),
            "653101199001011234"
        );
        assert_eq!(text(Value::Text("教育\t转化\n中心")), "教育 转化 中心");
    }

    #[test]
    fn dates_render_iso() {
        let day = ExcelDateTime::new(43_160.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date(&day), "2018-03-01");
        let moment = ExcelDateTime::new(43_160.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(date(&moment), "2018-03-01 12:00:00");
        let time = ExcelDateTime::new(0.75, ExcelDateTimeType::DateTime, false);
        assert_eq!(date(&time), "18:00:00");
        let span = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(date(&span), "36:00:00");
    }
}
