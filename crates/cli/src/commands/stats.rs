//! `trove stats`: counts and detention rates over persons, always with their definition.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use trove_records::normalize::ethnicity::standard_ethnicity;
use trove_records::stats::{
    Dimension, PersonFacts, Population, StatsOptions, compute, to_csv, to_svg, to_text,
};
use trove_store::RecordCatalog;

use crate::output::json_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    Svg,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// What the rows are: township, village, age, sex, status or ethnicity.
    #[arg(long, default_value = "township")]
    pub by: Dimension,
    /// Count only adults (18 or older on the reference date).
    #[arg(long)]
    pub adults: bool,
    /// The age that makes an adult, with --adults.
    #[arg(long, default_value_t = 18)]
    pub adult_age: u32,
    /// Count only this ethnic group (维吾尔族, 维, Uyghur …).
    #[arg(long)]
    pub ethnicity: Option<String>,
    /// The date on which ages are reckoned (YYYY-MM-DD); default: the latest detention date
    /// in the records, else today.
    #[arg(long)]
    pub at: Option<NaiveDate>,
    /// Detention-related records a person needs to count as held.
    #[arg(long, default_value_t = 1)]
    pub min_records: u32,
    /// Width of the age bands of --by age, in years.
    #[arg(long, default_value_t = 5)]
    pub age_band: u32,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub shared: super::SharedCatalogArg,
}

pub fn run(store: &Path, args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let opened = super::OpenCatalog::open(store, &args.shared)?;
    let (facts, latest_detention) = person_facts(opened.catalog())?;
    if facts.is_empty() {
        bail!(
            "{} holds no person records: ingest a leak with person lists first, or run `trove records --build`",
            store.display()
        );
    }
    let at = args
        .at
        .or(latest_detention)
        .unwrap_or_else(crate::output::today);
    let mut options = StatsOptions::new(args.by, at);
    options.adults = args.adults;
    options.adult_age = args.adult_age;
    options.min_records = args.min_records;
    options.age_band = args.age_band.max(1);
    options.ethnicity = match &args.ethnicity {
        None => None,
        Some(name) => Some(
            standard_ethnicity(name)
                .with_context(|| {
                    format!("`{name}` is not one of the 56 recognised ethnic groups (try 维吾尔族 or Uyghur)")
                })?
                .to_owned(),
        ),
    };
    let table = compute(&facts, &options);
    let text = match args.format {
        Format::Table => to_text(&table),
        Format::Csv => to_csv(&table),
        Format::Svg => to_svg(&table).context("drawing the chart")?,
        Format::Json => {
            if args.out.is_none() {
                json_line(&table)?;
                return Ok(ExitCode::SUCCESS);
            }
            serde_json::to_string(&table)? + "\n"
        }
    };
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Every person's facts, and the latest detention date any record gives.
pub fn person_facts(
    catalog: &dyn RecordCatalog,
) -> anyhow::Result<(Vec<PersonFacts>, Option<NaiveDate>)> {
    let mut population = Population::default();
    catalog.for_each_person_for_statistics(&mut |_, records| {
        population.add(&records);
        Ok(())
    })?;
    Ok((population.persons, population.latest_detention))
}
