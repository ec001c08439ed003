//! Address parts: county, township and village read from an address such as
//! `新疆疏附县托克扎克镇阿亚格村3组12号`, by the suffixes Chinese place names end with.

/// The places an address names, from the county down.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressParts {
    /// The county-level name with its ending (`疏附县`, `喀什市`, `天山区`).
    pub county: Option<String>,
    /// The township-level name with its ending (`托克扎克镇`, `…乡`, `…街道`).
    pub township: Option<String>,
    /// The village or neighbourhood name with its ending (`阿亚格村`, `…社区`).
    pub village: Option<String>,
}

/// Levels of the administrative hierarchy and the endings of their names, longest first.
const PROVINCE: &[&str] = &["维吾尔自治区", "自治区", "省"];
const PREFECTURE: &[&str] = &["自治州", "地区", "盟"];
const COUNTY: &[&str] = &["自治县", "县", "市", "区", "旗"];
const TOWNSHIP: &[&str] = &["街道办事处", "街道", "镇", "乡"];
const VILLAGE: &[&str] = &["居委会", "社区", "村"];

/// Province names written without their ending.
const SHORT_PROVINCES: &[&str] = &["新疆", "西藏", "内蒙古", "宁夏", "广西"];

/// A place name is at least two characters with its ending, and rarely more than ten.
const MAX_NAME_CHARS: usize = 10;

/// Reads the county, township and village an address names. Parts it cannot find stay
/// `None`; house numbers and groups (3组12号) are ignored.
pub fn parse_address(address: &str) -> AddressParts {
    let mut rest: &str = address.trim();
    for short in SHORT_PROVINCES {
        if let Some(after) = rest.strip_prefix(short) {
            rest = after.strip_prefix("维吾尔自治区").unwrap_or(after);
            break;
        }
    }
    take_part(&mut rest, PROVINCE);
    take_part(&mut rest, PREFECTURE);
    AddressParts {
        county: take_part(&mut rest, COUNTY),
        township: take_part(&mut rest, TOWNSHIP),
        village: take_part(&mut rest, VILLAGE),
    }
}

/// Takes the leading place name ending in one of `endings`, if `rest` starts with one.
fn take_part(rest: &mut &str, endings: &[&str]) -> Option<String> {
    let (end, _) = rest
        .char_indices()
        .take(MAX_NAME_CHARS)
        .skip(1)
        .find_map(|(i, _)| {
            let tail = &rest[i..];
            endings
                .iter()
                .find(|e| tail.starts_with(*e))
                .map(|e| (i + e.len(), *e))
        })?;
    let name = &rest[..end];
    if name.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    *rest = &rest[end..];
    Some(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(county: &str, township: &str, village: &str) -> AddressParts {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        AddressParts {
            county: some(county),
            township: some(township),
            village: some(village),
        }
    }

    #[test]
    fn county_township_and_village_of_a_register_address() {
        assert_eq!(
            parse_address("新疆疏附县托克扎克镇阿亚格村3组12号"),
            parts("疏附县", "托克扎克镇", "阿亚格村")
        );
        assert_eq!(
            parse_address("新疆维吾尔自治区喀什地区疏附县站敏乡库都克村"),
            parts("疏附县", "站敏乡", "库都克村")
        );
        assert_eq!(
            parse_address("伊犁哈萨克自治州特克斯县喀拉达拉镇"),
            parts("特克斯县", "喀拉达拉镇", "")
        );
    }

    #[test]
    fn addresses_without_places_yield_nothing() {
        assert_eq!(parse_address("3组12号"), AddressParts::default());
        assert_eq!(parse_address(""), AddressParts::default());
    }
}
