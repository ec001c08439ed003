//! Status values (人员类别, 状态 …) to canonical categories through `data/status.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use trove_model::StatusCategory;

struct StatusTable {
    exact: HashMap<String, StatusCategory>,
    /// In file order: the first keyword a value contains decides.
    keywords: Vec<(String, StatusCategory)>,
}

static TABLE: LazyLock<StatusTable> = LazyLock::new(|| {
    let mut table = StatusTable {
        exact: HashMap::new(),
        keywords: Vec::new(),
    };
    for cols in crate::table_lines(include_str!("../../data/status.tsv")) {
        let (Some(kind), Some(text), Some(code)) = (cols.first(), cols.get(1), cols.get(2)) else {
            continue;
        };
        let Some(category) = StatusCategory::from_code(code) else {
            continue;
        };
        match *kind {
            "exact" => {
                table.exact.insert(text.to_lowercase(), category);
            }
            _ => table.keywords.push((text.to_lowercase(), category)),
        }
    }
    table
});

/// The category a status value means, or `None` when the table does not know it.
pub fn status_category(raw: &str) -> Option<StatusCategory> {
    let value: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if value.is_empty() {
        return None;
    }
    if let Some(category) = TABLE.exact.get(&value) {
        return Some(*category);
    }
    TABLE
        .keywords
        .iter()
        .find(|(keyword, _)| value.contains(keyword.as_str()))
        .map(|(_, category)| *category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_published_categories_map() {
        use StatusCategory::*;
        for (raw, expected) in [
            ("教育转化培训中心", TrainingCentre),
            ("在押（看守所）", DetentionCentre),
            ("判刑（监狱）", Prison),
            ("刑满释放", Released),
            ("正常", Normal),
            ("重点关注", UnderWatch),
            ("管控", UnderWatch),
            ("职业技能教育培训", TrainingCentre),
            ("在押", Detained),
            ("Released", Released),
        ] {
            assert_eq!(status_category(raw), Some(expected), "{raw}");
        }
        assert_eq!(status_category("不详"), None);
        assert_eq!(status_category(""), None);
    }
}
