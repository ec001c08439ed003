//! Sheets as clerks lay them out, made by a generator of our own with many variants, read
//! back through `read_sheet` and checked against what was written: every field right on at
//! least 99% of person rows, and no other row (titles, dates, totals, repeated headers)
//! taken for a person.
//!
//! Variants: preambles of several lines; headers with spaces inside, in two languages, over
//! two rows, under any of the synonyms real forms use; columns in any order; a township
//! written once over its rows (a merged cell); subtotals and totals; the header repeated
//! at page breaks; two tables stacked on one sheet, or side by side (a long list run in
//! two blocks, with or without an empty column between); hidden rows; name separators `·`, `•`, `．`, `.`,
//! `▪`, a space or none; dates as ISO, slashes, dots, 年月日, digits only, two-digit years
//! and Excel serials; ID numbers with spaces, dashes, a leading apostrophe or in full-width
//! digits; sex as 男/女, 男性/女性, M/F or 1/2; ethnicity in full, short or in English.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use trove_model::{BlobId, Hidden, Sex, StatusCategory};
use trove_records::{Mapping, SheetInput, read_sheet};

/// A small deterministic generator (xorshift64*): the same sheets on every run.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const GIVEN: &[&str] = &[
    "阿依古丽",
    "艾买提",
    "热依拉",
    "买买提",
    "古丽娜尔",
    "阿不都",
    "努尔",
    "帕提古丽",
];
const FATHERS: &[&str] = &[
    "艾力",
    "吐尔逊",
    "奥迈尔",
    "司马义",
    "阿吉",
    "玉素甫",
    "买合木提",
];
const TOWNSHIPS: &[&str] = &["托克扎克镇", "乌帕尔镇", "塔什米力克乡", "吾库萨克镇"];
const STATUSES: &[(&str, StatusCategory)] = &[
    ("正常", StatusCategory::Normal),
    ("教育转化培训中心", StatusCategory::TrainingCentre),
    ("在押（看守所）", StatusCategory::DetentionCentre),
    ("判刑", StatusCategory::Prison),
    ("刑满释放", StatusCategory::Released),
    ("重点关注", StatusCategory::UnderWatch),
];

/// One person as the generator knows them.
#[derive(Clone)]
struct Person {
    given: &'static str,
    father: &'static str,
    id: String,
    birth: NaiveDate,
    sex: Sex,
    uyghur: bool,
    township: &'static str,
    status: (&'static str, StatusCategory),
}

fn check_digit(base: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

fn person(dice: &mut Dice, serial: usize) -> Person {
    let birth = NaiveDate::from_ymd_opt(
        1950 + dice.below(50) as i32,
        1 + dice.below(12) as u32,
        1 + dice.below(28) as u32,
    )
    .unwrap();
    let sex = if dice.chance(50) {
        Sex::Male
    } else {
        Sex::Female
    };
    let sequence = (serial % 500) * 2 + usize::from(sex == Sex::Male);
    let base = format!("653121{}{:03}", birth.format("%Y%m%d"), sequence % 1000);
    let id = format!("{base}{}", check_digit(&base));
    Person {
        given: GIVEN[dice.below(GIVEN.len())],
        father: FATHERS[dice.below(FATHERS.len())],
        id,
        birth,
        sex,
        uyghur: dice.chance(85),
        township: TOWNSHIPS[dice.below(TOWNSHIPS.len())],
        status: *dice.pick(STATUSES),
    }
}

/// The fields a sheet has, in some order, and how each is written.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Column {
    Number,
    Name,
    Sex,
    Ethnicity,
    Birth,
    Id,
    Township,
    Status,
    Remark,
}

fn header_text(dice: &mut Dice, column: Column) -> String {
    let synonyms: &[&str] = match column {
        Column::Number => &["序号", "编号", "序 号"],
        Column::Name => &["姓名", "姓  名", "姓名/Name", "人员姓名", "姓名 ئىسىم"],
        Column::Sex => &["性别", "性 别", "性别/Sex"],
        Column::Ethnicity => &["民族", "民 族"],
        Column::Birth => &["出生日期", "出生年月日", "出生", "出生日期/Date of birth"],
        Column::Id => &[
            "公民身份号码",
            "身份证号码",
            "身份证号",
            "身份号码",
            "身份证号码（18位）",
        ],
        Column::Township => &["乡镇", "所属乡镇", "乡镇（街道）", "乡（镇、场）"],
        Column::Status => &["人员类别", "状态", "处理情况", "现状"],
        Column::Remark => &["备注"],
    };
    (*dice.pick(synonyms)).to_owned()
}

/// Header text over two rows where a form does that: `身份证` above `号码`.
fn split_header(text: &str) -> (String, String) {
    for (top, bottom) in [("身份证", "号码"), ("出生", "日期"), ("人员", "类别")] {
        if text == format!("{top}{bottom}") {
            return (top.to_owned(), bottom.to_owned());
        }
    }
    (text.to_owned(), String::new())
}

fn cell(dice: &mut Dice, column: Column, p: &Person, number: usize) -> String {
    match column {
        Column::Number => number.to_string(),
        Column::Name => {
            let separator = *dice.pick(&["·", "·", "•", "．", ".", "▪", " ", ""]);
            format!("{}{separator}{}", p.given, p.father)
        }
        Column::Sex => {
            let (male, female) =
                *dice.pick(&[("男", "女"), ("男性", "女性"), ("M", "F"), ("1", "2")]);
            (if p.sex == Sex::Male { male } else { female }).to_owned()
        }
        Column::Ethnicity => {
            let names: &[&str] = if p.uyghur {
                &["维吾尔族", "维", "维族", "Uyghur"]
            } else {
                &["汉族", "汉", "Han"]
            };
            (*dice.pick(names)).to_owned()
        }
        Column::Birth => {
            let (y, m, d) = (p.birth.year(), p.birth.month(), p.birth.day());
            match dice.below(7) {
                0 => p.birth.format("%Y-%m-%d").to_string(),
                1 => format!("{y}/{m}/{d}"),
                2 => format!("{y}.{m:02}.{d:02}"),
                3 => format!("{y}年{m}月{d}日"),
                4 => format!("{y}{m:02}{d:02}"),
                5 => format!("{:02}.{m}.{d}", y % 100),
                _ => {
                    let serial =
                        (p.birth - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days();
                    serial.to_string()
                }
            }
        }
        Column::Id => match dice.below(6) {
            0 => format!("{} {} {}", &p.id[..6], &p.id[6..14], &p.id[14..]),
            1 => format!("{}-{}-{}", &p.id[..6], &p.id[6..14], &p.id[14..]),
            2 => format!("'{}", p.id),
            3 => {
                p.id.chars()
                    .map(|c| {
                        c.to_digit(10)
                            .map_or(c, |d| char::from_u32(0xFF10 + d).unwrap())
                    })
                    .collect()
            }
            _ => p.id.clone(),
        },
        Column::Township => p.township.to_owned(),
        Column::Status => p.status.0.to_owned(),
        Column::Remark => (*dice.pick(&["", "", "同案共3人", "已核实"])).to_owned(),
    }
}

/// Where a person stands in a sheet: the 1-based row and the first column of their table
/// (0 unless tables stand side by side).
type Place = (u32, u32);

/// What a generated sheet should yield: the expected person at each place.
struct Sheet {
    text: String,
    /// The person at each place, and the columns of their table.
    truth: HashMap<Place, (Person, Vec<Column>)>,
    /// How each person's name is written in the sheet (the separator varies).
    written_names: HashMap<Place, String>,
    /// Rows the workbook hides (1-based).
    hidden_rows: Vec<u32>,
}

/// A table's columns and how its header is written, shared by tables side by side.
struct Layout {
    columns: Vec<Column>,
    header_lines: Vec<Vec<String>>,
}

/// One table as rows of cells, before it is placed on a sheet; what it should yield is
/// keyed by its own line index.
struct Block {
    lines: Vec<Vec<String>>,
    truth: HashMap<usize, (Person, Vec<Column>)>,
    written_names: HashMap<usize, String>,
}

fn sheet(dice: &mut Dice, serial: &mut usize) -> Sheet {
    let mut lines: Vec<Vec<String>> = Vec::new();
    let mut truth = HashMap::new();
    let mut written_names = HashMap::new();
    let tables = if dice.chance(20) { 2 } else { 1 };
    for _ in 0..tables {
        preamble(dice, &mut lines);
        let layout = layout(dice);
        // A long list run in two blocks next to each other, to fit a printed page.
        let side_by_side = dice.chance(15);
        let mut blocks = vec![(0usize, block(dice, serial, &layout, side_by_side))];
        if side_by_side {
            let gap = usize::from(dice.chance(50));
            let right = block(dice, serial, &layout, true);
            blocks.push((layout.columns.len() + gap, right));
        }
        let top = lines.len();
        let height = blocks.iter().map(|(_, b)| b.lines.len()).max().unwrap_or(0);
        for offset in 0..height {
            let mut row: Vec<String> = Vec::new();
            for (column, block) in &blocks {
                row.resize(*column, String::new());
                row.extend(block.lines.get(offset).cloned().unwrap_or_default());
            }
            lines.push(row);
        }
        for (column, block) in blocks {
            let place = |offset: usize| ((top + offset) as u32 + 1, column as u32);
            truth.extend(block.truth.into_iter().map(|(o, t)| (place(o), t)));
            written_names.extend(block.written_names.into_iter().map(|(o, n)| (place(o), n)));
        }
        for _ in 0..dice.below(3) {
            lines.push(Vec::new());
        }
    }
    // A clerk hides some rows (people left out of a printout); they are still persons.
    let hidden_rows = truth
        .keys()
        .map(|(row, _)| *row)
        .filter(|_| dice.chance(8))
        .collect();
    Sheet {
        text: lines
            .iter()
            .map(|cells| cells.join("\t"))
            .collect::<Vec<_>>()
            .join("\n"),
        truth,
        written_names,
        hidden_rows,
    }
}

fn preamble(dice: &mut Dice, lines: &mut Vec<Vec<String>>) {
    let township = *dice.pick(TOWNSHIPS);
    let preambles = [
        format!("{township}人口登记表"),
        "填报单位：县公安局".to_owned(),
        "填报日期：2018年3月".to_owned(),
        "（内部资料 注意保密）".to_owned(),
    ];
    for line in preambles.iter().take(dice.below(5)) {
        lines.push(vec![line.clone()]);
    }
}

fn layout(dice: &mut Dice) -> Layout {
    let mut columns = vec![Column::Name, Column::Id];
    for extra in [
        Column::Sex,
        Column::Ethnicity,
        Column::Birth,
        Column::Township,
        Column::Status,
        Column::Remark,
    ] {
        if dice.chance(80) {
            columns.push(extra);
        }
    }
    for i in (1..columns.len()).rev() {
        columns.swap(i, dice.below(i + 1));
    }
    columns.insert(0, Column::Number);
    let titles: Vec<String> = columns.iter().map(|c| header_text(dice, *c)).collect();
    let header_lines = if dice.chance(25) {
        let (top, bottom): (Vec<String>, Vec<String>) =
            titles.iter().map(|t| split_header(t)).unzip();
        vec![top, bottom]
    } else {
        vec![titles]
    };
    Layout {
        columns,
        header_lines,
    }
}

/// A table under `layout`. One of two side by side has no subtotals, repeated headers or
/// total, as its rows must line up with its neighbour's.
fn block(dice: &mut Dice, serial: &mut usize, layout: &Layout, side_by_side: bool) -> Block {
    let columns = &layout.columns;
    let mut lines = layout.header_lines.clone();
    let mut truth = HashMap::new();
    let mut written_names = HashMap::new();
    let merged_township = dice.chance(40);
    let mut people: Vec<Person> = (0..5 + dice.below(20))
        .map(|_| {
            *serial += 1;
            person(dice, *serial)
        })
        .collect();
    if merged_township {
        people.sort_by_key(|p| p.township);
    }
    let mut previous_township = None;
    for (index, p) in people.iter().enumerate() {
        if !side_by_side
            && merged_township
            && previous_township.is_some_and(|t| t != p.township)
            && dice.chance(60)
        {
            lines.push(vec!["小计".to_owned(), format!("{index}人")]);
        }
        if !side_by_side && index > 0 && index % 12 == 0 && dice.chance(50) {
            lines.extend(layout.header_lines.iter().cloned());
        }
        let cells: Vec<String> = columns
            .iter()
            .map(|c| {
                if *c == Column::Township
                    && merged_township
                    && previous_township == Some(p.township)
                {
                    String::new()
                } else {
                    cell(dice, *c, p, index + 1)
                }
            })
            .collect();
        if let Some(at) = columns.iter().position(|c| *c == Column::Name) {
            written_names.insert(lines.len(), cells[at].clone());
        }
        truth.insert(lines.len(), (p.clone(), columns.clone()));
        lines.push(cells);
        previous_township = Some(p.township);
    }
    if !side_by_side && dice.chance(70) {
        lines.push(vec![
            (*dice.pick(&["合计", "合  计", "总计"])).to_owned(),
            format!("共{}人", people.len()),
        ]);
    }
    Block {
        lines,
        truth,
        written_names,
    }
}

/// The name as it should read after normalisation: parts joined by `·`, or as written
/// when the clerk wrote no separator at all.
fn expected_name(p: &Person, written: &str) -> String {
    if written == format!("{}{}", p.given, p.father) {
        written.to_owned()
    } else {
        format!("{}·{}", p.given, p.father)
    }
}

#[test]
fn every_field_is_read_right_on_at_least_99_percent_of_person_rows() {
    let mut dice = Dice(0x5EED_CAFE);
    let mut serial = 0usize;
    let blob = BlobId::from_digest([9; 32]);
    let paths = vec!["名单/人口登记表.xlsx".to_owned()];
    let mut rows = 0u32;
    let mut wrong: HashMap<&str, Vec<String>> = HashMap::new();
    let mut taken_wrongly = Vec::new();
    let mut hidden_mismatches = Vec::new();
    for _ in 0..300 {
        let generated = sheet(&mut dice, &mut serial);
        let hidden = Hidden {
            sheet: false,
            rows: Hidden::spans_of(generated.hidden_rows.clone()),
        };
        let read = read_sheet(
            &SheetInput {
                blob: &blob,
                part: 0,
                sheet: Some("Sheet1"),
                text: &generated.text,
                paths: &paths,
                hidden: &hidden,
                ocr_confidence: None,
            },
            &Mapping::default(),
        );
        let by_place: HashMap<Place, _> = read
            .records
            .iter()
            .map(|r| ((r.source.row, r.source.column), &r.fields))
            .collect();
        for record in &read.records {
            let place = (record.source.row, record.source.column);
            if !generated.truth.contains_key(&place) {
                taken_wrongly.push(format!("{place:?}: {:?}", record.fields.name));
            }
            let flagged = record.flags.iter().any(|f| f.code == "hidden_row");
            if flagged != generated.hidden_rows.contains(&record.source.row) {
                hidden_mismatches.push(format!("{place:?} flagged hidden: {flagged}"));
            }
        }
        for (place, (p, columns)) in &generated.truth {
            rows += 1;
            let Some(fields) = by_place.get(place) else {
                wrong
                    .entry("row")
                    .or_default()
                    .push(format!("{place:?} missing in:\n{}", generated.text));
                continue;
            };
            let written = &generated.written_names[place];
            let mut check = |field: &'static str, right: bool, detail: String| {
                if !right {
                    wrong.entry(field).or_default().push(detail);
                }
            };
            let name = expected_name(p, written);
            check(
                "name",
                fields.name.as_deref() == Some(name.as_str()),
                format!("{written} → {:?}", fields.name),
            );
            check(
                "id",
                fields.id_number.as_deref() == Some(p.id.as_str()) && fields.id_valid,
                format!("{} → {:?}", p.id, fields.id_number),
            );
            let has = |column: Column| columns.contains(&column);
            if has(Column::Sex) {
                check(
                    "sex",
                    fields.sex == Some(p.sex),
                    format!("{:?} → {:?}", p.sex, fields.sex),
                );
            }
            if has(Column::Birth) {
                check(
                    "birth",
                    fields.birth_date == Some(p.birth),
                    format!("{} → {:?}", p.birth, fields.birth_date),
                );
            }
            if has(Column::Ethnicity) {
                let expected = if p.uyghur { "维吾尔族" } else { "汉族" };
                check(
                    "ethnicity",
                    fields.ethnicity.as_deref() == Some(expected),
                    format!("{expected} → {:?}", fields.ethnicity),
                );
            }
            if has(Column::Township) {
                check(
                    "township",
                    fields.township.as_deref() == Some(p.township),
                    format!("{} → {:?}", p.township, fields.township),
                );
            }
            if has(Column::Status) {
                check(
                    "status",
                    fields.status == Some(p.status.1),
                    format!("{} → {:?}", p.status.0, fields.status),
                );
            }
        }
    }
    let mut report = Vec::new();
    for (field, misses) in &wrong {
        let share = misses.len() as f64 / f64::from(rows);
        report.push(format!(
            "{field}: {:.2}% wrong, e.g. {:?}",
            share * 100.0,
            &misses[..misses.len().min(3)]
        ));
    }
    eprintln!("{rows} person rows; {report:#?}");
    assert!(
        taken_wrongly.is_empty(),
        "rows taken for persons: {taken_wrongly:#?}"
    );
    assert!(
        hidden_mismatches.is_empty(),
        "hidden rows flagged wrongly: {hidden_mismatches:#?}"
    );
    assert!(
        wrong
            .values()
            .all(|misses| (misses.len() as f64) <= f64::from(rows) * 0.01),
        "{rows} person rows; {report:#?}"
    );
    assert!(rows > 3000, "enough rows to measure 99% ({rows})");
}
