//! The tantivy schema and the analyzers registered with it.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, FieldType, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer};

use crate::tokenizer::{HanBigramTokenizer, NameBridging, TroveTokenizer};

pub(crate) const TROVE_ANALYZER: &str = "trove";
/// Han bigrams bridged across name marks (see [`HanBigramTokenizer`]): the bigram field's
/// analyzer in indexes made now.
pub(crate) const HAN_BIGRAM_ANALYZER: &str = "han_bigram_marked_names";
/// Han bigrams bridged across bare line breaks too, as indexes made before line breaks
/// were told apart have them (outdated: they join the names of two rows).
pub(crate) const HAN_BIGRAM_LINE_BRIDGED_ANALYZER: &str = "han_bigram_names";
/// Han bigrams as indexes made before bridging have them; still registered, so such
/// an index reads its queries as it was written until `trove reindex` remakes it.
pub(crate) const HAN_BIGRAM_UNBRIDGED_ANALYZER: &str = "han_bigram";

/// The fields of an index document (one per part). Field names are what
/// users type in `field:value` queries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Blob id of the trove document (raw, for deletes and grouping).
    pub blob: Field,
    /// Position of the part within the document (0-based `seq`).
    pub part_seq: Field,
    pub part_kind: Field,
    pub part_index: Field,
    pub part_label: Field,
    /// The 1-based line of its part a chunk of a long part begins on (absent for the
    /// first chunk, and in an index made before parts were cut into chunks).
    pub part_line: Option<Field>,
    /// Part text: jieba + words, stemmed; stored for snippets.
    pub text: Field,
    /// Part text again, as Han bigrams.
    pub text_han: Field,
    /// `type:` — the FileKind code.
    pub kind: Field,
    /// `path:` — every path the document was seen at (stored, tokenized).
    pub path: Field,
    /// First folder of each path, for facets.
    pub folder: Field,
    pub title: Field,
    pub author: Field,
    /// `camera:` — EXIF make, model and serial.
    pub camera: Field,
    pub year: Field,
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    build_schema_with_bigrams(HAN_BIGRAM_ANALYZER)
}

/// The schema with `bigram_analyzer` on the bigram field (an older index's, in tests).
pub(crate) fn build_schema_with_bigrams(bigram_analyzer: &str) -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let words = |stored: bool, analyzer: &str| {
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        blob: builder.add_text_field("blob", STRING | STORED | FAST),
        part_seq: builder.add_u64_field("part_seq", STORED),
        part_kind: builder.add_text_field("part_kind", STRING | STORED),
        part_index: builder.add_u64_field("part_index", STORED),
        part_label: builder.add_text_field("part_label", STORED),
        part_line: Some(builder.add_u64_field("part_line", STORED)),
        text: builder.add_text_field("text", words(true, TROVE_ANALYZER)),
        text_han: builder.add_text_field("text_han", words(false, bigram_analyzer)),
        kind: builder.add_text_field("type", STRING | STORED | FAST),
        path: builder.add_text_field("path", words(true, TROVE_ANALYZER)),
        folder: builder.add_text_field("folder", STRING | FAST),
        title: builder.add_text_field("title", words(true, TROVE_ANALYZER)),
        author: builder.add_text_field("author", words(false, TROVE_ANALYZER)),
        camera: builder.add_text_field("camera", words(false, TROVE_ANALYZER)),
        year: builder.add_i64_field("year", INDEXED | STORED | FAST),
    };
    (builder.build(), fields)
}

/// Registers the analyzers the schema names. Must be called on every opened index.
pub(crate) fn register_analyzers(index: &Index) {
    let trove = TextAnalyzer::builder(TroveTokenizer)
        .filter(RemoveLongFilter::limit(100))
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::English))
        .build();
    index.tokenizers().register(TROVE_ANALYZER, trove);
    for (name, bridging) in [
        (HAN_BIGRAM_ANALYZER, NameBridging::NameMarks),
        (
            HAN_BIGRAM_LINE_BRIDGED_ANALYZER,
            NameBridging::NameMarksAndBareLineBreaks,
        ),
        (HAN_BIGRAM_UNBRIDGED_ANALYZER, NameBridging::Never),
    ] {
        let bigrams = TextAnalyzer::builder(HanBigramTokenizer { bridging }).build();
        index.tokenizers().register(name, bigrams);
    }
}

/// Whether the bigram field of `schema` bridges name marks, so that a phrase of Han
/// characters is found on it alone (an index made before bridging is not). An index that
/// also bridges bare line breaks crosses every gap today's does, so it qualifies too.
pub(crate) fn bigrams_bridge_names(schema: &Schema, text_han: Field) -> bool {
    match schema.get_field_entry(text_han).field_type() {
        FieldType::Str(options) => options.get_indexing_options().is_some_and(|indexing| {
            [HAN_BIGRAM_ANALYZER, HAN_BIGRAM_LINE_BRIDGED_ANALYZER].contains(&indexing.tokenizer())
        }),
        _ => false,
    }
}

impl Fields {
    /// Looks the fields up by name in an existing index's schema.
    pub(crate) fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            blob: get("blob")?,
            part_seq: get("part_seq")?,
            part_kind: get("part_kind")?,
            part_index: get("part_index")?,
            part_label: get("part_label")?,
            part_line: get("part_line").ok(),
            text: get("text")?,
            text_han: get("text_han")?,
            kind: get("type")?,
            path: get("path")?,
            folder: get("folder")?,
            title: get("title")?,
            author: get("author")?,
            camera: get("camera")?,
            year: get("year")?,
        })
    }
}
