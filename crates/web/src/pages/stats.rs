//! Statistics: the tables of `trove stats`, each with its definition, as a page, a chart
//! (SVG, served on its own address and shown through `<img>`, so no markup from data ever
//! sits inside a page), CSV and JSON. The options are those of the command.

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use trove_access::AuditAction;
use trove_records::normalize::ethnicity::standard_ethnicity;
use trove_records::stats::{Dimension, StatsOptions, StatsTable, compute, to_csv, to_svg};

use super::chrome::{Chrome, render};
use super::stats_words;
use crate::auth::CurrentUser;
use crate::error::{ApiError, WebError};
use crate::i18n::Phrase;
use crate::open_case::OpenCase;
use crate::read_audit::Disclosure;
use crate::safe_json::SafeJson;
use crate::state::AppState;

/// The options, as a form or a URL sends them: every field text, empty meaning "default"
/// (and left out of the chart's and the CSV's addresses).
/// The statistics' routes: the page, its chart and CSV, and the table as JSON.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{case}/stats", get(show))
        .route("/cases/{case}/stats.svg", get(chart))
        .route("/cases/{case}/stats.csv", get(csv))
        .route("/api/cases/{case}/stats", get(api_show))
}

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct StatsQuery {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    by: String,
    /// `1`, `on`, `true` or `yes` counts adults only.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    adults: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    adult_age: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    ethnicity: String,
    /// The reference date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    min_records: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    age_band: String,
}

/// One row as the page prints it.
struct RowView {
    group: String,
    listed: u64,
    held: u64,
    rate: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    chrome: Chrome,
    case: String,
    query: StatsQuery,
    adults: bool,
    dimensions: [Dimension; 6],
    /// Title, definition and notes, one sentence a line.
    heading: Vec<String>,
    rows: Vec<RowView>,
    total: RowView,
    chart_link: String,
    csv_link: String,
}

/// `GET /cases/{case}/stats?by=…`.
pub async fn show(
    user: CurrentUser,
    case: OpenCase,
    Query(query): Query<StatsQuery>,
) -> Result<(Disclosure, Html<String>), WebError> {
    let table = table_for(&case, &query).await?;
    let options = serde_urlencoded::to_string(&query).unwrap_or_default();
    let read = stats_disclosure(
        AuditAction::ViewStatistics,
        &case.name,
        table_name(&table),
        &query,
        &table,
    );
    let name = case.name;
    let page = render(&StatsPage {
        chrome: Chrome::titled(&user, user.language.msg("title.stats").arg("case", &name)),
        chart_link: format!("/cases/{name}/stats.svg?{options}"),
        csv_link: format!("/cases/{name}/stats.csv?{options}"),
        case: name,
        adults: is_yes(&query.adults),
        dimensions: Dimension::ALL,
        heading: stats_words::heading_lines(user.language, &table),
        rows: table.rows.iter().map(row_view).collect(),
        total: RowView {
            group: user.language.t("stats.total").to_owned(),
            ..row_view(&table.total)
        },
        query,
    })?;
    Ok((read, page))
}

/// The audit record of a table of figures: the options it was asked with and its size.
fn stats_disclosure(
    action: AuditAction,
    case: &str,
    target: String,
    query: &StatsQuery,
    table: &StatsTable,
) -> Disclosure {
    let options = serde_urlencoded::to_string(query).unwrap_or_default();
    Disclosure::new(action, case)
        .target(target)
        .detail(format!("{options}: {} groups", table.rows.len()))
}

/// What a statistics page or API answer is called in the trail.
fn table_name(table: &StatsTable) -> String {
    format!("stats by {}", table.definition.by)
}

/// `GET /cases/{case}/stats.svg?…`: the chart.
pub async fn chart(case: OpenCase, Query(query): Query<StatsQuery>) -> Result<Response, WebError> {
    let table = table_for(&case, &query).await?;
    let svg = to_svg(&table)
        .map_err(|error| WebError::CaseUnavailable(format!("drawing the chart: {error}")))?;
    let read = stats_disclosure(
        AuditAction::ViewStatistics,
        &case.name,
        format!("chart of {}", table_name(&table)),
        &query,
        &table,
    );
    Ok((
        read,
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

/// `GET /cases/{case}/stats.csv?…`: the table with its definition, for spreadsheets;
/// audited as an export: it leaves the workbench.
pub async fn csv(case: OpenCase, Query(query): Query<StatsQuery>) -> Result<Response, WebError> {
    let table = table_for(&case, &query).await?;
    let file_name = format!("stats-by-{}.csv", table.definition.by);
    let read = stats_disclosure(
        AuditAction::Export,
        &case.name,
        file_name.clone(),
        &query,
        &table,
    );
    Ok((
        read,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        to_csv(&table),
    )
        .into_response())
}

/// `GET /api/cases/{case}/stats?…`: the table as `trove stats --format json` prints it.
pub async fn api_show(
    case: OpenCase,
    Query(query): Query<StatsQuery>,
) -> Result<(Disclosure, SafeJson<StatsTable>), ApiError> {
    let table = table_for(&case, &query).await?;
    let read = stats_disclosure(
        AuditAction::ViewStatistics,
        &case.name,
        table_name(&table),
        &query,
        &table,
    );
    Ok((read, SafeJson(table)))
}

async fn table_for(case: &OpenCase, query: &StatsQuery) -> Result<StatsTable, WebError> {
    let chosen = ChosenOptions::read(query)?;
    case.run(move |data| {
        let population = data.population()?;
        if population.persons.is_empty() {
            return Err(WebError::Refused(Phrase::new("error.stats_no_records")));
        }
        // As the command does: ages on the date the lists describe, not today.
        let at = chosen
            .at
            .or(population.latest_detention)
            .unwrap_or_else(|| Utc::now().date_naive());
        Ok(compute(&population.persons, &chosen.into_options(at)))
    })
    .await
}

/// The options read and checked, all but the reference date, which may come from the data.
struct ChosenOptions {
    by: Dimension,
    adults: bool,
    adult_age: u32,
    ethnicity: Option<String>,
    at: Option<NaiveDate>,
    min_records: u32,
    age_band: u32,
}

impl ChosenOptions {
    fn read(query: &StatsQuery) -> Result<Self, WebError> {
        let bad = |message: String| WebError::BadRequest(message);
        let by = match query.by.trim() {
            "" => Dimension::Township,
            text => text
                .parse()
                .map_err(|e: trove_records::stats::ParseDimensionError| bad(e.to_string()))?,
        };
        let number = |text: &str, name: &str, default: u32| -> Result<u32, WebError> {
            match text.trim() {
                "" => Ok(default),
                text => text.parse().map_err(|_| {
                    WebError::Refused(
                        Phrase::new("error.whole_number")
                            .arg("name", name)
                            .arg("text", text),
                    )
                }),
            }
        };
        let ethnicity = match query.ethnicity.trim() {
            "" => None,
            name => Some(
                standard_ethnicity(name)
                    .ok_or_else(|| {
                        WebError::Refused(Phrase::new("error.ethnicity").arg("name", name))
                    })?
                    .to_owned(),
            ),
        };
        let at = match query.at.trim() {
            "" => None,
            text => Some(text.parse().map_err(|_| {
                WebError::Refused(Phrase::new("error.reference_date").arg("text", text))
            })?),
        };
        Ok(ChosenOptions {
            by,
            adults: is_yes(&query.adults),
            adult_age: number(&query.adult_age, "adult_age", StatsOptions::ADULT_AGE)?,
            ethnicity,
            at,
            min_records: number(&query.min_records, "min_records", StatsOptions::MIN_RECORDS)?,
            age_band: number(&query.age_band, "age_band", StatsOptions::AGE_BAND)?.max(1),
        })
    }

    fn into_options(self, at: NaiveDate) -> StatsOptions {
        let mut options = StatsOptions::new(self.by, at);
        options.adults = self.adults;
        options.adult_age = self.adult_age;
        options.ethnicity = self.ethnicity;
        options.min_records = self.min_records;
        options.age_band = self.age_band;
        options
    }
}

fn is_yes(text: &str) -> bool {
    matches!(text.trim(), "1" | "on" | "true" | "yes")
}

fn row_view(row: &trove_records::stats::Row) -> RowView {
    RowView {
        group: row.group.clone(),
        listed: row.listed,
        held: row.held,
        rate: row
            .rate
            .map(|rate| format!("{:.1}%", rate * 100.0))
            .unwrap_or_else(|| "–".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_mean_the_commands_defaults() {
        let chosen = ChosenOptions::read(&StatsQuery::default()).unwrap();
        assert_eq!(chosen.by, Dimension::Township);
        assert!(!chosen.adults);
        assert_eq!(chosen.min_records, StatsOptions::MIN_RECORDS);
    }

    #[test]
    fn a_bad_option_says_what_to_write() {
        let query = StatsQuery {
            min_records: "two".into(),
            ..StatsQuery::default()
        };
        let Err(error) = ChosenOptions::read(&query) else {
            panic!("`two` was accepted");
        };
        assert_eq!(
            error.to_string(),
            "min_records must be a whole number, not `two`"
        );
    }
}
