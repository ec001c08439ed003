//! A table as an SVG chart, drawn with plotters into a string: a histogram for ages,
//! horizontal bars of rates for everything else (horizontal, because village names are
//! long and many, and read best one per line). The definition and the notes are printed
//! under the chart, so that an image cut from a report still says what it counts.
//!
//! Leaked names reach the SVG only as text content or attribute values, which plotters'
//! SVG backend escapes (`<`, `>`, `&`, `"`, `'`); characters XML forbids even escaped
//! (control characters) are replaced before that by [`one_line`].

use std::fmt::Display;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::definition::Measure;
use super::options::Dimension;
use super::printable::{display_width, one_line, truncate, wrap};
use super::table::{Row, StatsTable};
use super::text::percent;

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    /// plotters failed while drawing into the SVG string.
    #[error("cannot draw the chart “{title}”: {detail}")]
    Draw {
        /// The title of the table being drawn, as its definition words it.
        title: String,
        /// plotters' own error message.
        detail: String,
    },
}

const FONT: &str = "sans-serif";
const WIDTH: u32 = 960;
/// Pixels per column of [`display_width`] at the label size; Han characters are two.
const COLUMN_PX: u32 = 7;
/// Pixels per column of the footer's text, which is smaller than it is set (plotters'
/// SVG font sizes are its sizes ÷ 1.24).
const FOOTER_COLUMN_PX: u32 = 6;
/// Group names longer than this (in columns) are cut with `…` on the chart.
const LABEL_COLUMNS: usize = 28;
const BAR_ROW_PX: u32 = 26;
const BAND_PX: u32 = 56;
const FOOTER_LINE_PX: u32 = 18;
/// Room right of the plot for the value of the longest bar (`100.0% (259 of 259)`).
const VALUE_LABEL_PX: u32 = 160;
/// Room above the tallest bar of a histogram, for the legend.
const HEADROOM: f64 = 1.3;

const HELD: RGBColor = RGBColor(31, 90, 160);
const LISTED: RGBColor = RGBColor(190, 210, 232);
const OVERALL: RGBColor = RGBColor(200, 40, 40);

/// The chart of `table` as an SVG document: an age histogram (held persons per band over
/// a lighter bar of listed persons) for tables by age, a bar chart of the rate per group
/// for the others, with the title above and the definition below.
pub fn to_svg(table: &StatsTable) -> Result<String, ChartError> {
    let footer = footer_lines(table);
    let labels: Vec<String> = table.rows.iter().map(chart_label).collect();
    let rows = row_count(&labels);
    let (plot_width, plot_height) = match table.definition.by {
        Dimension::Age => (
            WIDTH.max(BAND_PX.saturating_mul(rows).saturating_add(120)),
            480,
        ),
        _ => (WIDTH, BAR_ROW_PX.saturating_mul(rows).saturating_add(140)),
    };
    let footer_height = FOOTER_LINE_PX
        .saturating_mul(row_count(&footer))
        .saturating_add(16);
    let size = (plot_width, plot_height.saturating_add(footer_height));

    let mut svg = String::new();
    draw(&mut svg, size, plot_height, table, &labels, &footer).map_err(|detail| {
        ChartError::Draw {
            title: table.definition.title(),
            detail,
        }
    })?;
    Ok(svg)
}

/// How many lines (or rows) a chart makes room for: at least one.
fn row_count(lines: &[String]) -> u32 {
    u32::try_from(lines.len()).unwrap_or(u32::MAX).max(1)
}

fn chart_label(row: &Row) -> String {
    truncate(&one_line(&row.group), LABEL_COLUMNS).into_owned()
}

/// The definition and notes, wrapped to the chart's width (the title is the caption),
/// after what the red line of a rate chart is: a legend inside the plot would hide bars.
fn footer_lines(table: &StatsTable) -> Vec<String> {
    let columns = ((WIDTH - 24) / FOOTER_COLUMN_PX) as usize;
    let mut lines: Vec<String> = Vec::new();
    if let Some(overall) = overall_line(table) {
        lines.push(overall);
    }
    for line in table.heading_lines().iter().skip(1) {
        lines.extend(wrap(&one_line(line), columns));
    }
    lines
}

fn overall_line(table: &StatsTable) -> Option<String> {
    let by_group =
        table.definition.by != Dimension::Age && table.definition.measure == Measure::DetentionRate;
    let total = &table.total;
    (by_group && total.rate.is_some()).then(|| {
        format!(
            "Red line: the rate over all rows, {} ({} held of {} listed).",
            percent(total.rate),
            total.held,
            total.listed
        )
    })
}

fn draw(
    svg: &mut String,
    size: (u32, u32),
    plot_height: u32,
    table: &StatsTable,
    labels: &[String],
    footer: &[String],
) -> Result<(), String> {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE).map_err(describe)?;
    let (plot, notes) = root.split_vertically(plot_height);
    match table.definition.by {
        Dimension::Age => draw_histogram(&plot, table, labels)?,
        _ => draw_rates(&plot, table, labels)?,
    }
    draw_footer(&notes, footer)?;
    root.present().map_err(describe)
}

fn describe(error: impl Display) -> String {
    error.to_string()
}

/// The last index of a segmented axis of `count` slots. Plotters maps a one-value range
/// to the middle of the axis, so an axis has at least two slots.
fn last_slot(count: usize) -> u32 {
    u32::try_from(count.saturating_sub(1))
        .unwrap_or(u32::MAX)
        .max(1)
}

fn slot(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn draw_rates(
    area: &DrawingArea<SVGBackend, Shift>,
    table: &StatsTable,
    labels: &[String],
) -> Result<(), String> {
    let percents: Vec<Option<f64>> = table
        .rows
        .iter()
        .map(|row| row.rate.map(|rate| rate * 100.0))
        .collect();
    let highest = percents.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
    let x_max = highest.clamp(1.0, 100.0);
    let widest = labels.iter().map(|label| display_width(label)).max();
    let label_area = widest.unwrap_or(0) as u32 * COLUMN_PX + 48;
    let last = last_slot(labels.len());
    // Plotters counts the y axis upwards; the first row belongs at the top.
    let top_down = |index: u32| last - index;

    let mut chart = ChartBuilder::on(area)
        .caption(table.definition.title(), (FONT, 22))
        .margin_top(10)
        .margin_left(10)
        .margin_right(VALUE_LABEL_PX)
        .x_label_area_size(44)
        .y_label_area_size(label_area)
        .build_cartesian_2d(0.0..x_max, (0..last).into_segmented())
        .map_err(describe)?;
    let value_axis = match table.definition.measure {
        Measure::DetentionRate => "rate (%): held ÷ listed",
        Measure::ShareOfListed => "share of listed persons (%)",
    };
    let name_of = |value: &SegmentValue<u32>| match value {
        SegmentValue::CenterOf(index) => labels
            .get(top_down(*index) as usize)
            .cloned()
            .unwrap_or_default(),
        _ => String::new(),
    };
    let decimals = if x_max < 5.0 { 1 } else { 0 };
    let percent_tick = |value: &f64| format!("{value:.decimals$}");
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .y_labels(labels.len() + 2)
        .y_label_formatter(&name_of)
        .x_label_formatter(&percent_tick)
        .y_desc(table.definition.by.noun())
        .x_desc(value_axis)
        .label_style((FONT, 13))
        .draw()
        .map_err(describe)?;

    let bars = percents.iter().enumerate().filter_map(|(index, value)| {
        let value = (*value)?;
        let y = top_down(slot(index));
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(y)),
                (value, SegmentValue::Exact(y.saturating_add(1))),
            ],
            HELD.filled(),
        );
        bar.set_margin(3, 3, 0, 0);
        Some(bar)
    });
    chart.draw_series(bars).map_err(describe)?;

    let value_style =
        TextStyle::from((FONT, 12).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    let values =
        table
            .rows
            .iter()
            .zip(&percents)
            .enumerate()
            .filter_map(|(index, (row, value))| {
                let value = (*value)?;
                let at = (value, SegmentValue::CenterOf(top_down(slot(index))));
                let text = format!(
                    "{} ({} of {})",
                    percent(row.rate),
                    numerator(row, table),
                    denominator(row, table)
                );
                Some(EmptyElement::at(at) + Text::new(text, (4, 0), value_style.clone()))
            });
    chart.draw_series(values).map_err(describe)?;

    if table.definition.measure == Measure::DetentionRate
        && let Some(overall) = table.total.rate
    {
        let overall = overall * 100.0;
        chart
            .draw_series(LineSeries::new(
                [
                    (overall, SegmentValue::Exact(0)),
                    (overall, SegmentValue::Last),
                ],
                OVERALL.stroke_width(2),
            ))
            .map_err(describe)?;
    }
    Ok(())
}

/// What a row's rate counts: held persons, or for a share the persons listed.
fn numerator(row: &Row, table: &StatsTable) -> u64 {
    match table.definition.measure {
        Measure::DetentionRate => row.held,
        Measure::ShareOfListed => row.listed,
    }
}

fn denominator(row: &Row, table: &StatsTable) -> u64 {
    match table.definition.measure {
        Measure::DetentionRate => row.listed,
        Measure::ShareOfListed => table.total.listed,
    }
}

fn draw_histogram(
    area: &DrawingArea<SVGBackend, Shift>,
    table: &StatsTable,
    labels: &[String],
) -> Result<(), String> {
    let most = table.rows.iter().map(|row| row.listed).max().unwrap_or(0) as f64;
    let y_max = (most * HEADROOM).max(1.0);
    let last = last_slot(labels.len());

    let mut chart = ChartBuilder::on(area)
        .caption(table.definition.title(), (FONT, 22))
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d((0..last).into_segmented(), 0.0..y_max)
        .map_err(describe)?;
    let band_of = |value: &SegmentValue<u32>| match value {
        SegmentValue::CenterOf(index) => labels.get(*index as usize).cloned().unwrap_or_default(),
        _ => String::new(),
    };
    let whole = |value: &f64| format!("{value:.0}");
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(labels.len() + 2)
        .x_label_formatter(&band_of)
        .y_label_formatter(&whole)
        .x_desc(format!(
            "age in completed years on {}",
            reference_date(table)
        ))
        .y_desc("persons")
        .label_style((FONT, 13))
        .draw()
        .map_err(describe)?;

    let bars = |count: fn(&Row) -> u64, inset: u32, color: RGBColor| {
        table.rows.iter().enumerate().map(move |(index, row)| {
            let x = slot(index);
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(x), 0.0),
                    (SegmentValue::Exact(x.saturating_add(1)), count(row) as f64),
                ],
                color.filled(),
            );
            bar.set_margin(0, 0, inset, inset);
            bar
        })
    };
    chart
        .draw_series(bars(|row| row.listed, 4, LISTED))
        .map_err(describe)?
        .label("listed")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], LISTED.filled()));
    chart
        .draw_series(bars(|row| row.held, 12, HELD))
        .map_err(describe)?
        .label("held")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], HELD.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()
        .map_err(describe)
}

fn reference_date(table: &StatsTable) -> String {
    table
        .definition
        .reference_date
        .map(|at| at.to_string())
        .unwrap_or_default()
}

fn draw_footer(area: &DrawingArea<SVGBackend, Shift>, lines: &[String]) -> Result<(), String> {
    let style = TextStyle::from((FONT, 14).into_font()).color(&BLACK);
    for (index, line) in lines.iter().enumerate() {
        let y = 8 + FOOTER_LINE_PX as i32 * index as i32;
        area.draw_text(line, &style, (12, y)).map_err(describe)?;
    }
    Ok(())
}
