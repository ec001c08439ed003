//! Files trove must survive: a truncated Word document, a zip that breaks after its first
//! header, an empty file, and files whose extension lies about their content.

use trove_model::{FailureReason, FileKind};

use crate::error::SynthError;
use crate::leak::{Doc, Leak};
use crate::pdf::{Script, pdf};

/// Writes the broken and misnamed files. `docx` is a valid document to truncate, `zip` a
/// valid zip to corrupt, `xlsx` a valid workbook to misname.
pub(crate) fn write(leak: &mut Leak, docx: &Doc, zip: &Doc, xlsx: Doc) -> Result<(), SynthError> {
    let mut truncated = Doc::new(FileKind::Docx, docx.bytes[..docx.bytes.len() / 2].to_vec());
    truncated.failure = Some(FailureReason::Corrupt);
    leak.place("疏附县公安局/02-讲话材料/讲话稿（未完成）.docx", truncated)?;

    leak.place("疏附县公安局/07-压缩包/损坏的备份.zip", corrupt_zip(zip))?;

    leak.place(
        "疏附县公安局/05-通知/空文件.pdf",
        Doc::new(FileKind::Empty, Vec::new()),
    )?;

    leak.place("疏附县公安局/01-人员名单/名单备份.doc", xlsx)?;

    let scan_path = "疏附县公安局/04-照片/扫描件.jpg";
    let lines = vec!["Scanned notice", "Photo archive index, March 2018"];
    let scan = pdf(
        scan_path,
        Script::Latin,
        "Scan",
        "D:20180306090000+08'00'",
        &[lines],
    )?;
    leak.place(scan_path, scan)
}

/// The first local header (and its file name) of `zip`, then bytes that are not zip data.
fn corrupt_zip(zip: &Doc) -> Doc {
    const LOCAL_HEADER: usize = 30;
    let name_len = zip
        .bytes
        .get(26..28)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let keep = (LOCAL_HEADER + name_len + 16).min(zip.bytes.len());
    let mut bytes = zip.bytes[..keep].to_vec();
    bytes.extend((0..2048u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    let mut doc = Doc::new(FileKind::Zip, bytes);
    doc.failure = Some(FailureReason::Corrupt);
    doc
}
