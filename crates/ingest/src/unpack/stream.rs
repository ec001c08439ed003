//! Single-stream compressors (gzip, bzip2, xz): the content is either a tar
//! (`.tar.gz` …) or one file, named after the archive without its suffix.

use std::io::{BufRead, BufReader, Read};

use trove_model::{Failure, FileKind};

use super::guard::member_read_failure;
use super::{ExpansionGuard, MemberVisitor, tar};

/// Offset and value of the POSIX tar magic in the first header block.
const TAR_MAGIC_OFFSET: usize = 257;
const TAR_MAGIC: &[u8] = b"ustar";

pub(super) fn unpack<R: Read>(
    kind: FileKind,
    name: &str,
    reader: R,
    guard: &ExpansionGuard,
    visitor: &mut dyn MemberVisitor,
) -> Result<(), Failure> {
    let decoder: Box<dyn Read + '_> = match kind {
        FileKind::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
        FileKind::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(reader)),
        _ => Box::new(liblzma::read::XzDecoder::new_multi_decoder(reader)),
    };
    // Peek at the decompressed start to tell a tarball from a single file.
    // Either way the shared guard counts what members expand to: the tar
    // reader guards each entry, the single file is guarded here.
    let mut decoded = BufReader::with_capacity(64 * 1024, decoder);
    let looks_like_tar = match decoded.fill_buf() {
        Ok(head) => {
            head.get(TAR_MAGIC_OFFSET..TAR_MAGIC_OFFSET + TAR_MAGIC.len()) == Some(TAR_MAGIC)
        }
        Err(error) => return Err(member_read_failure(&error, name)),
    };
    if looks_like_tar {
        return tar::unpack(decoded, guard, visitor);
    }
    let inner_name = strip_compression_suffix(name);
    // A gzip header may carry a time, but writers fill it unevenly (0, or the time of
    // compression); no time is claimed for a bare stream's content.
    visitor.member(&inner_name, None, &mut guard.guard(&mut decoded, None))
}

fn strip_compression_suffix(name: &str) -> String {
    let base = name.rsplit('/').next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    for (suffix, replacement) in [(".tgz", ".tar"), (".gz", ""), (".bz2", ""), (".xz", "")] {
        if lower.ends_with(suffix) && base.len() > suffix.len() {
            return format!("{}{replacement}", &base[..base.len() - suffix.len()]);
        }
    }
    format!("{base}.content")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inner_name_drops_the_compression_suffix() {
        assert_eq!(strip_compression_suffix("dir/通知.txt.gz"), "通知.txt");
        assert_eq!(strip_compression_suffix("a.TGZ"), "a.tar");
        assert_eq!(strip_compression_suffix("blob"), "blob.content");
    }
}
