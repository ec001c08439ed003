//! The index end to end: documents in, queries out, in Chinese and English.

use trove_index::{HitOrder, IndexDocument, SearchFilter, SearchIndex, SearchOptions};
use trove_model::{BlobId, Exif, FileKind, ImageFacts, Metadata, Part, PartKind};

fn blob(n: u8) -> BlobId {
    BlobId::from_digest([n; 32])
}

fn part(kind: PartKind, index: u32, text: &str) -> Part {
    Part {
        kind,
        index,
        label: None,
        text: text.to_owned(),
        hidden: Default::default(),
    }
}

struct Fixture {
    _dir: tempfile::TempDir,
    index: SearchIndex,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer(50_000_000).unwrap();

    let speech_meta = Metadata {
        title: Some("在全县维稳工作会议上的讲话".into()),
        author: Some("县委政法委".into()),
        created: Some("2017-06-01T09:00:00".into()),
        ..Metadata::default()
    };
    let speech_parts = [part(
        PartKind::Body,
        1,
        "各乡镇要把教育转化培训中心的工作放在首位，做到应收尽收。",
    )];
    let english_parts = [
        part(PartKind::Page, 1, "Internal speech, translated."),
        part(
            PartKind::Page,
            2,
            "Guards are ordered to shoot to kill anyone who tries to escape.",
        ),
    ];
    let photo_meta = Metadata {
        image: Some(ImageFacts {
            width: 120,
            height: 160,
            exif: Exif {
                make: Some("Canon".into()),
                model: Some("Canon EOS 5D Mark III".into()),
                date_time_original: Some("2018:03:01 09:15:00".into()),
                ..Exif::default()
            },
            perceptual_hash: None,
            tones: None,
        }),
        ..Metadata::default()
    };
    let empty = Metadata::default();
    let speech_paths = ["疏附县公安局/02-讲话材料/讲话.docx".to_owned()];
    let english_paths = ["疏附县公安局/02-讲话材料/speech-en.pdf".to_owned()];
    let photo_paths = [
        "疏附县公安局/04-照片/653121199001011234.jpg".to_owned(),
        "备份/653121199001011234.jpg".to_owned(),
    ];
    let city_paths = ["notes.txt".to_owned()];
    let city_parts = [part(PartKind::Body, 1, "他去过乌鲁木齐市。")];
    let documents = [
        IndexDocument {
            blob: &blob(1),
            kind: FileKind::Docx,
            paths: &speech_paths,
            metadata: &speech_meta,
            parts: &speech_parts,
        },
        IndexDocument {
            blob: &blob(2),
            kind: FileKind::Pdf,
            paths: &english_paths,
            metadata: &empty,
            parts: &english_parts,
        },
        IndexDocument {
            blob: &blob(3),
            kind: FileKind::Jpeg,
            paths: &photo_paths,
            metadata: &photo_meta,
            parts: &[],
        },
        IndexDocument {
            blob: &blob(4),
            kind: FileKind::Text,
            paths: &city_paths,
            metadata: &empty,
            parts: &city_parts,
        },
    ];
    for document in &documents {
        writer.replace(document).unwrap();
    }
    // Replacing again must not duplicate anything.
    writer.replace(&documents[0]).unwrap();
    writer.commit().unwrap();
    index.refresh().unwrap();
    Fixture { _dir: dir, index }
}

fn all(index: &SearchIndex, query: &str) -> trove_index::SearchResults {
    let options = SearchOptions {
        limit: None,
        ..SearchOptions::default()
    };
    index.search(query, &options).unwrap()
}

#[test]
fn a_chinese_word_finds_the_longer_compound_with_a_highlight() {
    let fixture = fixture();
    let results = all(&fixture.index, "教育");
    assert_eq!(results.total, 1, "{results:?}");
    let hit = &results.hits[0];
    assert_eq!(hit.blob, blob(1));
    assert_eq!(hit.paths, ["疏附县公安局/02-讲话材料/讲话.docx"]);
    assert_eq!(hit.part_kind, Some(PartKind::Body));
    assert!(
        hit.snippet.marked("[", "]").contains("[教育]"),
        "{:?}",
        hit.snippet
    );
}

#[test]
fn a_han_word_inside_a_longer_jieba_word_is_found_through_bigrams() {
    let fixture = fixture();
    let results = all(&fixture.index, "鲁木");
    assert_eq!(results.hits.len(), 1);
    assert_eq!(
        results.hits[0].snippet.marked("[", "]"),
        "他去过乌[鲁木]齐市。"
    );
}

#[test]
fn an_english_phrase_is_found_on_its_page() {
    let fixture = fixture();
    let results = all(&fixture.index, "\"shoot to kill\"");
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    assert_eq!(
        (hit.part_kind, hit.part_index),
        (Some(PartKind::Page), Some(2))
    );
    assert!(
        hit.snippet.marked("[", "]").contains("[shoot] [to] [kill]"),
        "{:?}",
        hit.snippet
    );
    // Stemming: "escaping" finds "escape".
    assert_eq!(all(&fixture.index, "escaping").total, 1);
    // The words in another order are not the phrase.
    assert_eq!(all(&fixture.index, "\"kill to shoot\"").total, 0);
}

#[test]
fn fields_and_boolean_operators_narrow_results() {
    let fixture = fixture();
    assert_eq!(all(&fixture.index, "type:jpeg").hits[0].blob, blob(3));
    assert_eq!(all(&fixture.index, "camera:canon").hits[0].blob, blob(3));
    assert_eq!(all(&fixture.index, "year:2018").hits[0].blob, blob(3));
    assert_eq!(all(&fixture.index, "author:政法委").hits[0].blob, blob(1));
    assert_eq!(
        all(&fixture.index, "path:讲话材料").total,
        3,
        "two speech parts + one"
    );
    assert_eq!(
        all(&fixture.index, "path:讲话材料 AND NOT type:pdf").total,
        1
    );
    assert_eq!(all(&fixture.index, "教育 OR shoot").total, 2);
    assert_eq!(all(&fixture.index, "esca*").total, 1);
    assert_eq!(all(&fixture.index, "Esca*").total, 1);
    assert_eq!(all(&fixture.index, "path:speech*").total, 2);
}

#[test]
fn facets_count_documents_not_parts() {
    let fixture = fixture();
    let facets = all(&fixture.index, "path:讲话材料").facets.unwrap();
    assert_eq!(facets.documents, 2);
    assert_eq!(facets.by_type.get("pdf"), Some(&1));
    assert_eq!(facets.by_type.get("docx"), Some(&1));
    assert_eq!(facets.by_folder.get("疏附县公安局"), Some(&2));
    assert_eq!(facets.by_year.get(&2017), Some(&1));
}

#[test]
fn every_hit_streams_without_a_cap() {
    let fixture = fixture();
    let mut seen = Vec::new();
    let total = fixture
        .index
        .for_each_hit("path:讲话材料", 80, |hit| {
            seen.push(hit.blob);
            Ok(())
        })
        .unwrap();
    assert_eq!(total, 3);
    assert_eq!(seen.len(), 3);
}

#[test]
fn a_malformed_query_is_a_clear_error() {
    let fixture = fixture();
    let error = fixture
        .index
        .search("nosuchfield:x", &SearchOptions::default())
        .unwrap_err();
    assert!(error.to_string().contains("nosuchfield:x"), "{error}");
}

#[test]
fn a_regular_expression_is_refused_however_quotes_around_it_are_escaped() {
    let fixture = fixture();
    for query in [
        "text:/.*a.*b.*/",
        r#""\"" text:/.*a.*b.*/ "\"""#,
        r#"'"' text:/.*a.*/ '"'"#,
    ] {
        let error = fixture
            .index
            .search(query, &SearchOptions::default())
            .unwrap_err();
        assert!(
            error.to_string().contains("regular expressions"),
            "{query}: {error}"
        );
    }
    // Prefixes, which become patterns here, are still allowed.
    assert!(
        fixture
            .index
            .search("Escap*", &SearchOptions::default())
            .is_ok()
    );
}

#[test]
fn a_page_far_past_the_end_or_huge_is_empty_not_a_crash() {
    let fixture = fixture();
    for (limit, offset) in [(usize::MAX, 0), (10, usize::MAX), (usize::MAX, usize::MAX)] {
        let options = SearchOptions {
            limit: Some(limit),
            offset,
            ..SearchOptions::default()
        };
        let found = fixture.index.search("教育", &options).unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.hits.len(), usize::from(offset == 0));
    }
}

#[test]
fn newest_first_orders_by_year_and_puts_undated_hits_last() {
    let fixture = fixture();
    let options = SearchOptions {
        limit: None,
        order: HitOrder::Newest,
        ..SearchOptions::default()
    };
    let results = fixture
        .index
        .search("type:docx OR type:pdf OR type:jpeg", &options)
        .unwrap();
    let order: Vec<(BlobId, Option<i64>)> = results
        .hits
        .iter()
        .map(|hit| (hit.blob.clone(), hit.year))
        .collect();
    assert_eq!(
        order,
        [
            (blob(3), Some(2018)),
            (blob(1), Some(2017)),
            (blob(2), None),
            (blob(2), None),
        ]
    );
}

#[test]
fn a_filter_narrows_hits_and_facets_to_one_type_folder_or_year() {
    let fixture = fixture();
    let search = |filter: SearchFilter| {
        let options = SearchOptions {
            limit: None,
            filter,
            ..SearchOptions::default()
        };
        let results = fixture
            .index
            .search("type:docx OR type:pdf OR type:jpeg", &options)
            .unwrap();
        let mut blobs: Vec<BlobId> = results.hits.into_iter().map(|hit| hit.blob).collect();
        blobs.dedup();
        (blobs, results.facets.unwrap().documents)
    };
    let by_type = SearchFilter {
        kind: Some("pdf".into()),
        ..SearchFilter::default()
    };
    assert_eq!(search(by_type), (vec![blob(2)], 1));
    let by_folder = SearchFilter {
        folder: Some("备份".into()),
        ..SearchFilter::default()
    };
    assert_eq!(search(by_folder), (vec![blob(3)], 1));
    let by_year = SearchFilter {
        year: Some(2017),
        ..SearchFilter::default()
    };
    assert_eq!(search(by_year), (vec![blob(1)], 1));
    let by_set = SearchFilter {
        blobs: Some(vec![blob(2).to_string(), blob(3).to_string()]),
        ..SearchFilter::default()
    };
    assert_eq!(search(by_set).1, 2, "only the documents named");
    let none = SearchFilter {
        blobs: Some(Vec::new()),
        ..SearchFilter::default()
    };
    assert_eq!(search(none).1, 0, "an empty set matches nothing");
}

#[test]
fn a_live_reader_sees_a_commit_made_after_it_opened() {
    let dir = tempfile::tempdir().unwrap();
    let live = SearchIndex::open_live(dir.path()).unwrap();
    assert_eq!(all(&live, "应收尽收").total, 0);

    let ingest = SearchIndex::open(dir.path()).unwrap();
    let mut writer = ingest.writer(50_000_000).unwrap();
    let parts = [part(PartKind::Body, 1, "做到应收尽收。")];
    let paths = ["通知.txt".to_owned()];
    writer
        .replace(&IndexDocument {
            blob: &blob(9),
            kind: FileKind::Text,
            paths: &paths,
            metadata: &Metadata::default(),
            parts: &parts,
        })
        .unwrap();
    writer.commit().unwrap();

    // tantivy polls the meta file about every half second: wait for it, within reason.
    let seen = (0..200).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        all(&live, "应收尽收").total == 1
    });
    assert!(seen, "the live reader never saw the new commit");
}

#[test]
fn a_hit_deep_in_a_long_register_names_its_row_and_its_sheet_once_per_match() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer(50_000_000).unwrap();
    // 20,000 rows (about 700 KB): indexed as chunks of whole rows.
    let mut rows = String::from("序号\t姓名\t身份证号\n");
    for row in 2..=20_000 {
        let name = match row {
            12_345 => "阿卜杜热合曼·托合提".to_owned(),
            _ => format!("人员{row}"),
        };
        rows.push_str(&format!(
            "{row}\t{name}\t65312119900101{:04}\n",
            row % 10_000
        ));
    }
    let parts = [Part {
        label: Some("名单".into()),
        ..part(PartKind::Sheet, 1, &rows)
    }];
    let paths = ["register.csv".to_owned()];
    writer
        .replace(&IndexDocument {
            blob: &blob(9),
            kind: FileKind::Csv,
            paths: &paths,
            metadata: &Metadata::default(),
            parts: &parts,
        })
        .unwrap();
    writer.commit().unwrap();
    index.refresh().unwrap();

    let found = all(&index, "托合提");
    assert_eq!(found.total, 1, "one chunk holds the row");
    let hit = &found.hits[0];
    assert_eq!(hit.part_label.as_deref(), Some("名单"));
    assert_eq!(
        hit.snippet.line,
        Some(12_345),
        "the row in the sheet, not in its chunk"
    );
    assert!(hit.snippet.text.contains("托合提"));

    // The first rows are in the first chunk; the facets still count one document.
    let first = all(&index, "人员2");
    assert_eq!(first.hits[0].snippet.line, Some(2));
    let every_row = all(&index, "序号 OR 人员");
    assert!(
        every_row.total > 1,
        "the register is several index documents"
    );
    let facets = index
        .search(
            "人员",
            &SearchOptions {
                facets: true,
                ..SearchOptions::default()
            },
        )
        .unwrap()
        .facets
        .unwrap();
    assert_eq!(facets.by_type.get("csv"), Some(&1));
}

/// An index holding one document per text, `blob(1)` onwards.
fn index_of(texts: &[&str]) -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer(50_000_000).unwrap();
    let paths = ["list.txt".to_owned()];
    for (n, text) in (1..).zip(texts) {
        writer
            .replace(&IndexDocument {
                blob: &blob(n),
                kind: FileKind::Text,
                paths: &paths,
                metadata: &Metadata::default(),
                parts: &[part(PartKind::Body, 1, text)],
            })
            .unwrap();
    }
    writer.commit().unwrap();
    index.refresh().unwrap();
    (dir, index)
}

#[test]
fn a_name_is_found_however_its_parts_are_joined_and_not_across_cells_or_rows() {
    let (dir, index) = index_of(&[
        "名单：阿不都·吐尔逊，男",
        "阿不都吐尔逊",
        "阿不都 吐尔逊",
        "阿不都•吐尔逊",
        "序号\t阿不都\t吐尔逊",
        "阿不都拉·吐尔逊",
        // Two rows of a one-column sheet: two people, not one name.
        "姓名\n阿不都\n吐尔逊",
    ]);
    assert!(!index.is_outdated());
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert!(
        !reopened.is_outdated(),
        "the schema reads back as it was written"
    );
    for query in [
        "\"阿不都·吐尔逊\"",
        "\"阿不都吐尔逊\"",
        "\"阿不都 吐尔逊\"",
        "\"阿不都 · 吐尔逊\"",
    ] {
        let found = all(&index, query);
        let mut blobs: Vec<BlobId> = found.hits.iter().map(|hit| hit.blob.clone()).collect();
        blobs.sort();
        assert_eq!(blobs, [blob(1), blob(2), blob(3), blob(4)], "{query}");
        assert_eq!(found.total, 4, "{query}");
    }
    let marked = all(&index, "\"阿不都吐尔逊\"");
    let first = marked.hits.iter().find(|hit| hit.blob == blob(1)).unwrap();
    assert!(
        first.snippet.marked("[", "]").contains("[阿不都]·[吐尔逊]"),
        "{}",
        first.snippet.marked("[", "]")
    );
}
