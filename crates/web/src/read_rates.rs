//! Reads of personal data per user and hour over the last day, for the audit page: one
//! row of bars per user, drawn on one scale, so that someone copying in bulk stands out
//! against everyone's ordinary reading.

use chrono::{DateTime, Duration, Timelike, Utc};
use trove_access::HourlyActivity;

/// Hours shown, ending with the current one.
pub const HOURS: usize = 24;
/// Reads in one hour from which a user's row is marked: more than a person reading page
/// by page does (a page with its photos is a few reads), what a script copying does.
pub const BULK_READS_PER_HOUR: u64 = 300;

/// Bar width and the gap after it, and the chart's height, in SVG units.
const BAR_WIDTH: u32 = 6;
const BAR_GAP: u32 = 1;
const CHART_HEIGHT: u32 = 32;

/// One user's reads over the last [`HOURS`].
#[derive(Debug, Clone, PartialEq)]
pub struct UserRate {
    pub actor: String,
    pub total: u64,
    pub busiest_hour: u64,
    pub last_hour: u64,
    /// Some hour reached [`BULK_READS_PER_HOUR`].
    pub bulk: bool,
    pub bars: Vec<Bar>,
}

/// One hour's bar of a user's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub height: u32,
    /// The hour's start and its reads, for the bar's tooltip (`03:00 UTC: 12 reads`).
    pub start: DateTime<Utc>,
    pub reads: u64,
}

/// The chart's width, in SVG units.
pub const CHART_WIDTH: u32 = HOURS as u32 * (BAR_WIDTH + BAR_GAP);

/// The first moment counted: the start of the hour [`HOURS`] − 1 hours before `now`'s.
pub fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let hour = hour_start(now);
    hour - Duration::hours(HOURS as i64 - 1)
}

/// One row per user who read anything since [`window_start`], the busiest first.
pub fn user_rates(activity: &[HourlyActivity], now: DateTime<Utc>) -> Vec<UserRate> {
    let first = window_start(now);
    let slot_of = |hour: &str| {
        let start = DateTime::parse_from_rfc3339(&format!("{hour}:00:00Z")).ok()?;
        let slot = (start.with_timezone(&Utc) - first).num_hours();
        usize::try_from(slot).ok().filter(|&slot| slot < HOURS)
    };
    let mut counts: Vec<(String, [u64; HOURS])> = Vec::new();
    for row in activity {
        let Some(slot) = slot_of(&row.hour) else {
            continue;
        };
        let index = match counts.iter().position(|(actor, _)| *actor == row.actor) {
            Some(index) => index,
            None => {
                counts.push((row.actor.clone(), [0; HOURS]));
                counts.len() - 1
            }
        };
        counts[index].1[slot] += row.events;
    }
    // One scale for all, never finer than the bulk mark, so a few reads stay small bars.
    let scale = counts
        .iter()
        .flat_map(|(_, hours)| hours.iter().copied())
        .max()
        .unwrap_or(0)
        .max(BULK_READS_PER_HOUR);
    let mut rates: Vec<UserRate> = counts
        .into_iter()
        .map(|(actor, hours)| {
            let busiest_hour = hours.iter().copied().max().unwrap_or(0);
            UserRate {
                actor,
                total: hours.iter().sum(),
                busiest_hour,
                last_hour: hours[HOURS - 1],
                bulk: busiest_hour >= BULK_READS_PER_HOUR,
                bars: bars(&hours, scale, first),
            }
        })
        .collect();
    rates.sort_by(|a, b| {
        (b.busiest_hour, b.total, &a.actor).cmp(&(a.busiest_hour, a.total, &b.actor))
    });
    rates
}

fn bars(hours: &[u64; HOURS], scale: u64, first: DateTime<Utc>) -> Vec<Bar> {
    hours
        .iter()
        .enumerate()
        .map(|(slot, &count)| {
            // A bar for any read at all is at least one unit high, so it shows.
            let height = match count {
                0 => 0,
                count => ((count * u64::from(CHART_HEIGHT)).div_ceil(scale) as u32).max(1),
            };
            let start = first + Duration::hours(slot as i64);
            Bar {
                x: slot as u32 * (BAR_WIDTH + BAR_GAP),
                y: CHART_HEIGHT - height,
                height,
                start,
                reads: count,
            }
        })
        .collect()
}

fn hour_start(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_minute(0)
        .and_then(|at| at.with_second(0))
        .and_then(|at| at.with_nanosecond(0))
        .unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(actor: &str, hour: &str, events: u64) -> HourlyActivity {
        HourlyActivity {
            actor: actor.to_owned(),
            hour: hour.to_owned(),
            events,
        }
    }

    #[test]
    fn a_burst_of_reads_puts_its_user_first_and_marked() {
        let now = DateTime::parse_from_rfc3339("2026-12-04T10:25:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let rates = user_rates(
            &[
                activity("amina", "2026-12-04T08", 12),
                activity("amina", "2026-12-04T09", 30),
                activity("copier", "2026-12-04T10", 500),
                // Before the window: not counted.
                activity("copier", "2026-12-03T10", 9000),
            ],
            now,
        );
        assert_eq!(rates.len(), 2);
        let copier = &rates[0];
        assert_eq!(
            (copier.actor.as_str(), copier.total, copier.last_hour),
            ("copier", 500, 500)
        );
        assert!(copier.bulk);
        assert_eq!(copier.bars[HOURS - 1].height, CHART_HEIGHT);
        let last = &copier.bars[HOURS - 1];
        assert_eq!((last.start.hour(), last.reads), (10, 500));
        let amina = &rates[1];
        assert_eq!(
            (amina.total, amina.busiest_hour, amina.bulk),
            (42, 30, false)
        );
        // On the copier's scale amina's busiest hour is a low bar, but a bar.
        let tallest = amina.bars.iter().map(|bar| bar.height).max().unwrap();
        assert!((1..=3).contains(&tallest), "{tallest}");
        assert_eq!(window_start(now).to_rfc3339(), "2026-12-03T11:00:00+00:00");
    }
}
