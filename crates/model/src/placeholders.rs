//! Messages with `{name}` placeholders, filled: the one way the workbench's catalog and the
//! authenticity report's statements put values into their words.

/// `template` with each `{name}` that `value_of` knows replaced by its value; a `{` that
/// opens no known placeholder is kept as written.
pub fn fill_placeholders(template: &str, value_of: &dyn Fn(&str) -> Option<String>) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after
            .find('}')
            .and_then(|close| Some((value_of(&after[..close])?, close)));
        match known {
            Some((value, close)) => {
                filled.push_str(&value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_placeholders_are_filled_and_the_rest_kept() {
        let value_of = |name: &str| (name == "n").then(|| "3".to_owned());
        assert_eq!(fill_placeholders("{n} rows", &value_of), "3 rows");
        assert_eq!(fill_placeholders("{m} and {n}", &value_of), "{m} and 3");
        assert_eq!(
            fill_placeholders("open { and {n}", &value_of),
            "open { and 3"
        );
        assert_eq!(fill_placeholders("{n", &value_of), "{n");
    }
}
