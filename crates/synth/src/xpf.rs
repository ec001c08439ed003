//! What makes a leak the shape of the Xinjiang Police Files rather than a demo: the
//! bureau's weekly lists of the people taken in the half year before (the same people week
//! after week, one workbook per township and week), a county-wide population export, and a
//! stream of work bulletins (Word, PDF and PowerPoint). With [`XPF_PEOPLE`] residents the
//! leak holds about 5,100 camera photos, 450 spreadsheets of about 260,000 person rows and
//! 100 documents, 1.2 GB: the proportions of the 2022 leak's Shufu share.

use rand::Rng;
use rand::seq::SliceRandom;

use crate::calendar::Date;
use crate::docx::docx;
use crate::error::SynthError;
use crate::ground_truth::RowKind;
use crate::leak::Leak;
use crate::lists::{DETAINEES, EXPORT};
use crate::pdf::{Script, pdf};
use crate::people::Resident;
use crate::pptx::pptx;
use crate::spreadsheets::{CsvEncoding, SheetSpec, csv, xlsx};
use crate::vocabulary::Vocabulary;

/// Residents of an XPF-shaped leak: about 9% of them are photographed.
pub const XPF_PEOPLE: usize = 55_000;

/// Weekly lists per township: with the seven townships that hold people, about 420
/// workbooks.
const WEEKS: u32 = 60;

/// A weekly list holds those taken in this many days before its date.
const INTAKE_WINDOW_DAYS: i64 = 182;

/// Work bulletins, beside the demo's own documents.
const BULLETINS: usize = 80;

const LISTS: &str = "疏附县公安局/01-人员名单";
const BULLETIN_FOLDER: &str = "疏附县公安局/09-工作简报";

/// The first weekly list's date.
const FIRST_WEEK: Date = Date {
    year: 2018,
    month: 1,
    day: 5,
};

/// Writes the weekly lists, the county export and the bulletins.
pub(crate) fn write(
    leak: &mut Leak,
    rng: &mut impl Rng,
    vocabulary: &Vocabulary,
    residents: &[Resident],
) -> Result<(), SynthError> {
    write_weekly_lists(leak, vocabulary, residents)?;
    let everyone: Vec<&Resident> = residents.iter().collect();
    leak.place(
        &format!("{LISTS}/汇总/全县人口信息导出.csv"),
        csv(RowKind::Register, CsvEncoding::Utf8Bom, EXPORT, &everyone),
    )?;
    let path = format!("{LISTS}/汇总/全县人口信息导出.xlsx");
    let spec = SheetSpec {
        name: "人口信息".into(),
        title: None,
        columns: EXPORT,
        residents: everyone,
        blank_row_midway: false,
    };
    leak.place(&path, xlsx(&path, RowKind::Register, &[spec])?)?;
    write_bulletins(leak, rng)
}

/// Each township's residents taken in the half year before a week's end, listed again every
/// week (as the bureau reported its intake).
fn write_weekly_lists(
    leak: &mut Leak,
    vocabulary: &Vocabulary,
    residents: &[Resident],
) -> Result<(), SynthError> {
    for township in &vocabulary.townships {
        let held: Vec<&Resident> = residents
            .iter()
            .filter(|r| r.township == township.name && r.detained())
            .collect();
        if held.is_empty() {
            continue;
        }
        for week in 0..WEEKS {
            let date = week_date(week);
            let held_by_then: Vec<&Resident> = held
                .iter()
                .filter(|r| {
                    r.detained_since.is_some_and(|since| {
                        (date.days() - INTAKE_WINDOW_DAYS..=date.days()).contains(&since.days())
                    })
                })
                .copied()
                .collect();
            if held_by_then.is_empty() {
                continue;
            }
            let path = format!(
                "{LISTS}/每周收押人员/{}/{}收押人员名单{}.xlsx",
                township.name,
                township.name,
                date.compact()
            );
            let spec = SheetSpec {
                name: "在押人员".into(),
                title: Some(format!(
                    "{}近半年收押人员名单（{}）",
                    township.name,
                    date.chinese()
                )),
                columns: DETAINEES,
                residents: held_by_then,
                blank_row_midway: false,
            };
            leak.place(&path, xlsx(&path, RowKind::Detainees, &[spec])?)?;
        }
    }
    Ok(())
}

fn week_date(week: u32) -> Date {
    Date::from_days(FIRST_WEEK.days() + 7 * i64::from(week))
}

/// Bulletins in turn as Word documents, PDFs and slides, each a dated title over lines
/// drawn from the bureau's speeches, notices and slides.
fn write_bulletins(leak: &mut Leak, rng: &mut impl Rng) -> Result<(), SynthError> {
    let mut pool: Vec<&'static str> = crate::documents::bulletin_lines();
    for n in 0..BULLETINS {
        let date = week_date(n as u32 / 2);
        let title = format!("工作简报（第{}期）{}", n + 1, date.chinese());
        pool.shuffle(rng);
        let most = pool.len().min(30);
        let take = rng.random_range(most.min(8)..=most);
        let mut lines = vec![title.as_str()];
        lines.extend(&pool[..take]);
        let created = format!(
            "{:04}-{:02}-{:02}T09:00:00Z",
            date.year, date.month, date.day
        );
        let stem = format!("{BULLETIN_FOLDER}/工作简报第{:03}期", n + 1);
        let (path, doc) = match n % 3 {
            0 => {
                let path = format!("{stem}.docx");
                let doc = docx(&path, "疏附县公安局", &created, &lines)?;
                (path, doc)
            }
            1 => {
                let path = format!("{stem}.pdf");
                let pages: Vec<Vec<&str>> = lines.chunks(10).map(<[&str]>::to_vec).collect();
                let pdf_date = format!(
                    "D:{:04}{:02}{:02}090000+08'00'",
                    date.year, date.month, date.day
                );
                let doc = pdf(&path, Script::Chinese, &title, &pdf_date, &pages)?;
                (path, doc)
            }
            _ => {
                let path = format!("{stem}.pptx");
                let slides: Vec<Vec<&str>> = lines.chunks(6).map(<[&str]>::to_vec).collect();
                let doc = pptx(&path, "疏附县公安局", &created, &slides)?;
                (path, doc)
            }
        };
        leak.place(&path, doc)?;
    }
    Ok(())
}
