//! Member names: decoding (GBK names are common in Chinese zips) and the
//! checks that recognise crafted paths.

use trove_model::{Failure, FailureReason, Stage};

use super::MemberVisitor;

/// Decodes a raw member name: UTF-8 when valid, otherwise GB18030 (a
/// superset of GBK, which Chinese Windows zip tools write without saying so).
pub(crate) fn decode_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(name) => name.to_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    }
}

/// Normalises a member path to `a/b/c` and refuses absolute paths and `..`
/// components. `Ok(None)` for names that denote no file (`./`, empty).
pub(crate) fn check_member_path(name: &str) -> Result<Option<String>, Failure> {
    let unified = name.replace('\\', "/");
    let is_absolute = unified.starts_with('/')
        || unified.as_bytes().get(1) == Some(&b':')
        || unified.starts_with("//");
    let mut components = Vec::new();
    for component in unified.split('/') {
        match component {
            "" | "." => continue,
            ".." => return Err(traversal(name)),
            other => components.push(other),
        }
    }
    if is_absolute {
        return Err(traversal(name));
    }
    if components.is_empty() {
        return Ok(None);
    }
    Ok(Some(components.join("/")))
}

/// The normalised path of a member to read, or `None` for a name that
/// denotes no file or that was refused (the visitor is told why).
///
/// A NUL in a name (UTF-8 allows it; no file system does) is kept as U+FFFD, in the path
/// and in any failure: the shared catalog (PostgreSQL) refuses NUL in text.
pub(crate) fn accept_member_path(name: &str, visitor: &mut dyn MemberVisitor) -> Option<String> {
    let name = trove_model::without_nul(name);
    match check_member_path(&name) {
        Ok(path) => path,
        Err(failure) => {
            visitor.refused(&name, failure);
            None
        }
    }
}

fn traversal(name: &str) -> Failure {
    Failure::new(
        Stage::Unpack,
        FailureReason::PathTraversal,
        format!(
            "member name {name:?} points outside the archive (absolute or '..'); it was not extracted. \
             Crafted names like this can be evidence of tampering"
        ),
    )
}

/// The failure recorded for a link member: never followed, whatever its target.
pub(crate) fn link_refused(name: &str, target: Option<&str>) -> Failure {
    let target = target.map_or(String::new(), |t| format!(" to {t:?}"));
    Failure::new(
        Stage::Unpack,
        FailureReason::LinkOutsideTree,
        format!("member {name:?} is a link{target}; links in archives are not followed"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_a_member_name_is_kept_as_a_replacement_character() {
        struct Refusals(Vec<String>);
        impl MemberVisitor for Refusals {
            fn member(
                &mut self,
                _: &str,
                _: Option<chrono::NaiveDateTime>,
                _: &mut dyn std::io::Read,
            ) -> Result<(), Failure> {
                Ok(())
            }
            fn refused(&mut self, path: &str, _: Failure) {
                self.0.push(path.to_owned());
            }
        }
        let mut visitor = Refusals(Vec::new());
        assert_eq!(
            accept_member_path("名单\0.xlsx", &mut visitor).as_deref(),
            Some("名单\u{FFFD}.xlsx")
        );
        assert_eq!(accept_member_path("../\0x", &mut visitor), None);
        assert_eq!(visitor.0, ["../\u{FFFD}x"]);
    }

    #[test]
    fn ordinary_paths_are_normalised() {
        assert_eq!(
            check_member_path("./a\\b//c.txt").unwrap().as_deref(),
            Some("a/b/c.txt")
        );
        assert_eq!(check_member_path("dir/").unwrap().as_deref(), Some("dir"));
        assert_eq!(check_member_path("./").unwrap(), None);
    }

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        for name in [
            "../evil.txt",
            "a/../../evil",
            "/etc/passwd",
            "C:\\Windows\\x",
            "\\\\server\\share",
        ] {
            let failure = check_member_path(name).unwrap_err();
            assert_eq!(failure.reason, FailureReason::PathTraversal, "{name}");
        }
    }

    #[test]
    fn gbk_names_are_decoded() {
        let (raw, _, _) = encoding_rs::GBK.encode("人员名单.xlsx");
        assert_eq!(decode_name(&raw), "人员名单.xlsx");
    }
}
