//! The bureau's prose: speeches (.docx, one in English translation), training slides
//! (.pptx), reports and notices (.pdf, GBK .txt, .html). Texts live in `data/texts/`.

use trove_model::FileKind;

use crate::docx::docx;
use crate::error::SynthError;
use crate::ground_truth::SearchTruth;
use crate::leak::{Doc, Leak};
use crate::pdf::{Script, pdf};
use crate::pptx::pptx;

const SPEECH_ZH: &str = include_str!("../data/texts/speech_zh.txt");
const SPEECH_EN: &str = include_str!("../data/texts/speech_en.txt");
const SLIDES_ZH: &str = include_str!("../data/texts/slides_zh.txt");
const NOTICE_ZH: &str = include_str!("../data/texts/notice_zh.txt");
const REPORT_EN: &str = include_str!("../data/texts/report_en.txt");
const NOTICE_PDF_ZH: &str = include_str!("../data/texts/notice_pdf_zh.txt");

pub(crate) const SPEECH_ZH_PATH: &str =
    "疏附县公安局/02-讲话材料/在全县维护稳定工作会议上的讲话.docx";
pub(crate) const SPEECH_EN_PATH: &str =
    "疏附县公安局/02-讲话材料/译文/speech-county-stability-meeting-en.docx";
const SLIDES_PATH: &str = "疏附县公安局/03-培训课件/教育转化培训中心安全管理培训.pptx";
const NOTICE_PATH: &str = "疏附县公安局/05-通知/关于进一步做好应收尽收工作的通知.txt";
const REPORT_PATH: &str = "疏附县公安局/05-通知/monthly-report-training-centre.pdf";
const NOTICE_PDF_PATH: &str = "疏附县公安局/05-通知/关于报送在押人员信息的通知.pdf";
const HTML_PATH: &str = "疏附县公安局/05-通知/内网公告.html";
const README_PATH: &str = "README-合成数据.txt";

const AUTHOR: &str = "疏附县公安局";
const CREATED: &str = "2018-03-05T09:00:00Z";
const PDF_CREATED: &str = "D:20180305090000+08'00'";

/// Lines of a text table: comment lines dropped, blank lines kept (they separate blocks).
pub(crate) fn text_lines(text: &'static str) -> Vec<&'static str> {
    text.lines().filter(|line| !line.starts_with('#')).collect()
}

/// Blocks of non-blank lines (slides, pages), in order.
pub(crate) fn text_blocks(text: &'static str) -> Vec<Vec<&'static str>> {
    text_lines(text)
        .split(|line| line.trim().is_empty())
        .filter(|block| !block.is_empty())
        .map(<[&str]>::to_vec)
        .collect()
}

/// The speech's lines (title first), for the scanned pages.
pub(crate) fn speech_lines() -> Vec<&'static str> {
    text_lines(SPEECH_ZH)
}

/// The non-blank lines of every Chinese text, for the bulletins of an XPF-shaped leak.
pub(crate) fn bulletin_lines() -> Vec<&'static str> {
    [SPEECH_ZH, NOTICE_ZH, SLIDES_ZH, NOTICE_PDF_ZH]
        .into_iter()
        .flat_map(text_lines)
        .filter(|line| !line.trim().is_empty())
        .collect()
}

/// The Chinese speech: reused in archives and as an email attachment.
pub(crate) fn speech_zh() -> Result<Doc, SynthError> {
    docx(SPEECH_ZH_PATH, AUTHOR, CREATED, &text_lines(SPEECH_ZH))
}

/// The training slides: reused in the 7z archive.
pub(crate) fn slides() -> Result<Doc, SynthError> {
    pptx(SLIDES_PATH, AUTHOR, CREATED, &text_blocks(SLIDES_ZH))
}

/// The English report PDF: reused in the 7z archive.
pub(crate) fn report_en() -> Result<Doc, SynthError> {
    let pages = text_blocks(REPORT_EN);
    pdf(
        REPORT_PATH,
        Script::Latin,
        "Monthly report",
        PDF_CREATED,
        &pages,
    )
}

/// The GBK notice: reused in the tar.gz archive.
pub(crate) fn notice_gbk() -> Doc {
    let lines = text_lines(NOTICE_ZH);
    let text = lines.join("\r\n");
    let bytes = encoding_rs::GBK.encode(&text).0.into_owned();
    Doc::new(FileKind::Text, bytes).with_texts(lines.iter().copied().filter(|l| !l.is_empty()))
}

/// Writes the speeches, slides, notices and reports; returns the searches they answer.
pub(crate) fn write(leak: &mut Leak) -> Result<Vec<SearchTruth>, SynthError> {
    leak.place(SPEECH_ZH_PATH, speech_zh()?)?;
    let english = text_lines(SPEECH_EN);
    leak.place(
        SPEECH_EN_PATH,
        docx(SPEECH_EN_PATH, "Translation desk", CREATED, &english)?,
    )?;
    leak.place(SLIDES_PATH, slides()?)?;
    leak.place(NOTICE_PATH, notice_gbk())?;
    leak.place(REPORT_PATH, report_en()?)?;
    let notice_pages = text_blocks(NOTICE_PDF_ZH);
    let title = notice_pages
        .first()
        .and_then(|p| p.first())
        .copied()
        .unwrap_or_default();
    leak.place(
        NOTICE_PDF_PATH,
        pdf(
            NOTICE_PDF_PATH,
            Script::Chinese,
            title,
            PDF_CREATED,
            &notice_pages,
        )?,
    )?;
    leak.place(HTML_PATH, html_notice())?;
    leak.place(README_PATH, readme())?;

    let search = |query: &str, path: &str, snippet: &str| SearchTruth {
        query: query.to_owned(),
        path: path.to_owned(),
        snippet: snippet.to_owned(),
    };
    Ok(vec![
        search("教育", SPEECH_ZH_PATH, "教育转化培训中心"),
        search("应收尽收", NOTICE_PATH, "应收尽收"),
        search("\"shoot to kill\"", SPEECH_EN_PATH, "shoot to kill"),
        search("脱逃", SLIDES_PATH, "脱逃"),
        search("关押地点", NOTICE_PDF_PATH, "关押地点"),
        search("watchtowers", REPORT_PATH, "watchtowers"),
        search("内网公告", HTML_PATH, "内网公告"),
    ])
}

/// An intranet notice page, with a script tag that must never run when shown.
fn html_notice() -> Doc {
    let lines = [
        "内网公告",
        "各单位于每周五前报送在押人员名单。",
        "照片统一以公民身份号码命名。",
    ];
    let html = format!(
        concat!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{0}</title>",
            "<script>alert('leaked pages must never run scripts')</script></head>\n",
            "<body><h1>{0}</h1><p>{1}</p><p>{2}</p></body></html>\n"
        ),
        lines[0], lines[1], lines[2]
    );
    Doc::new(FileKind::Html, html.into_bytes()).with_texts(lines)
}

/// A note at the top of the leak saying what it is.
fn readme() -> Doc {
    let lines = [
        "This folder is SYNTHETIC demo data made by trove (trove synth).",
        "本文件夹为 trove 生成的合成演示数据：人名、身份证号、照片和文件均为虚构。",
    ];
    Doc::new(FileKind::Text, lines.join("\n").into_bytes()).with_texts(lines)
}
