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

/// Characters that deny what follows them: 未在押 (not held), 非学员, 不在培训.
const NEGATIONS: &[char] = &['未', '非', '不', '没', '无', '否'];

/// A status written in free text (a remark such as `2017年送教育转化培训中心`): the first
/// keyword of the table found in it and not denied by the character before it, with the
/// keyword. Exact values are not used: in free text only keywords mean anything.
pub fn status_in_text(text: &str) -> Option<(StatusCategory, &'static str)> {
    let value: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    TABLE.keywords.iter().find_map(|(keyword, category)| {
        let affirmed = value.match_indices(keyword.as_str()).any(|(at, _)| {
            !value[..at]
                .chars()
                .next_back()
                .is_some_and(|before| NEGATIONS.contains(&before))
        });
        affirmed.then_some((*category, keyword.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_from_remarks_unless_denied() {
        use StatusCategory::*;
        assert_eq!(
            status_in_text("2017年4月送教育转化培训中心").map(|(c, _)| c),
            Some(TrainingCentre)
        );
        assert_eq!(
            status_in_text("已刑事打击，判刑5年").map(|(c, _)| c),
            Some(Prison)
        );
        assert_eq!(status_in_text("未在押，在家务农"), None);
        assert_eq!(status_in_text("取保候审").map(|(c, _)| c), Some(UnderWatch));
        assert_eq!(status_in_text("外出务工"), None);
    }

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
