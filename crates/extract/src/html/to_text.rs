//! A tolerant HTML tokenizer that keeps only what a reader sees.

use std::borrow::Cow;

/// Elements whose content is not text for a reader (or, for `title`, is
/// metadata), read raw up to their end tag.
const RAW_TEXT: [&str; 7] = [
    "script", "style", "title", "noscript", "template", "xmp", "iframe",
];

/// Elements that start a new line of text.
const BLOCKS: [&str; 42] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tr",
    "ul",
];

/// What a page says: its visible text, one block a line, white space
/// collapsed as a browser would (except inside `<pre>`), and its metadata.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct PageText {
    pub(crate) text: String,
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
}

/// Renders HTML as plain text. Never fails: unclosed tags, stray `<` and
/// unknown entities are kept as the text they look like.
pub(crate) fn to_text(html: &str) -> PageText {
    let mut sink = TextSink::default();
    let mut page = PageText::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        sink.push_text(&decode_entities(&rest[..lt]));
        rest = &rest[lt..];
        rest = if let Some(after) = rest.strip_prefix("<!--") {
            after.split_once("-->").map_or("", |(_, after)| after)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest.split_once('>').map_or("", |(_, after)| after)
        } else if let Some(tag) = Tag::parse(rest) {
            let after = &rest[tag.len..];
            handle_tag(&tag, after, &mut sink, &mut page)
        } else {
            sink.push_text("<");
            &rest[1..]
        };
    }
    sink.push_text(&decode_entities(rest));
    page.text = sink.finish();
    page
}

/// Acts on one tag and returns the input left after it (past the content of
/// raw-text elements).
fn handle_tag<'a>(
    tag: &Tag<'a>,
    after: &'a str,
    sink: &mut TextSink,
    page: &mut PageText,
) -> &'a str {
    let name = tag.name.to_ascii_lowercase();
    if tag.closing {
        if name == "pre" {
            sink.pre_depth = sink.pre_depth.saturating_sub(1);
        }
        if BLOCKS.contains(&name.as_str()) {
            sink.break_line();
        } else if matches!(name.as_str(), "td" | "th") {
            sink.pending_space = true;
        }
        return after;
    }
    if RAW_TEXT.contains(&name.as_str()) {
        let (content, rest) = split_raw_text(after, &name);
        if name == "title" && page.title.is_none() {
            page.title = non_empty(collapse_whitespace(&decode_entities(content)));
        }
        return rest;
    }
    match name.as_str() {
        "meta" => read_meta(tag, page),
        "pre" => sink.pre_depth += 1,
        "td" | "th" => sink.pending_space = true,
        _ => {}
    }
    if BLOCKS.contains(&name.as_str()) {
        sink.break_line();
    }
    after
}

fn read_meta(tag: &Tag<'_>, page: &mut PageText) {
    let Some(name) = tag.attribute("name") else {
        return;
    };
    if name.eq_ignore_ascii_case("description") && page.description.is_none() {
        page.description = tag
            .attribute("content")
            .and_then(|content| non_empty(collapse_whitespace(&decode_entities(content))));
    }
}

/// Splits raw text at its end tag (`</script`, any case); an unclosed
/// element runs to the end of the input, as in browsers.
fn split_raw_text<'a>(input: &'a str, name: &str) -> (&'a str, &'a str) {
    let bytes = input.as_bytes();
    let end = bytes.windows(name.len() + 2).position(|window| {
        window.starts_with(b"</") && window[2..].eq_ignore_ascii_case(name.as_bytes())
    });
    match end {
        Some(end) => {
            let close = &input[end..];
            let after = close.split_once('>').map_or("", |(_, after)| after);
            (&input[..end], after)
        }
        None => (input, ""),
    }
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    html_escape::decode_html_entities(text)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

/// One start or end tag, as written.
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    /// The text between the name and `>`.
    attributes: &'a str,
    /// Bytes of input the tag spans, `<` and `>` included.
    len: usize,
}

impl<'a> Tag<'a> {
    /// Parses the tag at the start of `input` (which starts with `<`), or
    /// `None` if the `<` does not open a tag (`a < b`).
    fn parse(input: &'a str) -> Option<Tag<'a>> {
        let body = &input[1..];
        let (closing, body) = match body.strip_prefix('/') {
            Some(body) => (true, body),
            None => (false, body),
        };
        if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let name_len = body
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(body.len());
        let (name, after_name) = body.split_at(name_len);
        let attributes_len = end_of_tag(after_name);
        let closing_len = usize::from(after_name[attributes_len..].starts_with('>'));
        let len = input.len() - after_name.len() + attributes_len + closing_len;
        Some(Tag {
            name,
            closing,
            attributes: &after_name[..attributes_len],
            len,
        })
    }

    /// The value of attribute `wanted` (case-insensitive name), unquoted.
    fn attribute(&self, wanted: &str) -> Option<&'a str> {
        let mut rest = self.attributes;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let (name, after) = rest.split_at(name_len);
            let after = after.trim_start();
            let (value, after) = match after.strip_prefix('=') {
                Some(value) => split_value(value.trim_start()),
                None => ("", after),
            };
            if name.eq_ignore_ascii_case(wanted) {
                return Some(value);
            }
            rest = after;
        }
    }
}

/// Where a tag's attributes end: at the first `>` outside quotes.
fn end_of_tag(input: &str) -> usize {
    let mut quote = None;
    for (i, c) in input.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i,
            _ => {}
        }
    }
    input.len()
}

/// Splits an attribute value (quoted or bare) from what follows it.
fn split_value(input: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = input.strip_prefix(quote) {
            return inner.split_once(quote).unwrap_or((inner, ""));
        }
    }
    let end = input
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(input.len());
    input.split_at(end)
}

/// Accumulates visible text, collapsing white space outside `<pre>`.
#[derive(Default)]
struct TextSink {
    out: String,
    pending_space: bool,
    pending_break: bool,
    pre_depth: usize,
}

impl TextSink {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if self.pre_depth > 0 {
                self.flush_pending();
                self.out.push(if c == '\r' { '\n' } else { c });
            } else if c.is_whitespace() {
                self.pending_space = true;
            } else {
                self.flush_pending();
                self.out.push(c);
            }
        }
    }

    fn flush_pending(&mut self) {
        let at_line_start = self.out.is_empty() || self.out.ends_with('\n');
        if self.pending_break && !at_line_start {
            self.out.push('\n');
        } else if self.pending_space && !at_line_start {
            self.out.push(' ');
        }
        self.pending_break = false;
        self.pending_space = false;
    }

    fn break_line(&mut self) {
        self.pending_break = true;
    }

    /// The text with trailing white space cut from each line and blank lines
    /// at the ends removed.
    fn finish(self) -> String {
        let lines: Vec<&str> = self.out.lines().map(str::trim_end).collect();
        lines.join("\n").trim_matches('\n').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_markup_are_dropped_and_blocks_become_lines() {
        let page = to_text(
            "<html><head><title>名单 &amp; 说明</title><style>p{color:red}</style>\
             <script>var a = '<p>no</p>';</script></head>\
             <body><h1>标题</h1><p>第一段 <b>加粗</b>\n  文字</p><p>x &lt; y &#x4E2D;&nbsp;z</p></body></html>",
        );
        assert_eq!(page.text, "标题\n第一段 加粗 文字\nx < y 中 z");
        assert_eq!(page.title.as_deref(), Some("名单 & 说明"));
    }

    #[test]
    fn broken_markup_is_kept_as_text() {
        assert_eq!(to_text("a < b and c<3 <p unclosed").text, "a < b and c<3");
        assert_eq!(to_text("<SCRIPT>never closed").text, "");
        assert_eq!(to_text("<!-- note -->after<!-- open").text, "after");
    }

    #[test]
    fn attributes_with_quoted_angle_brackets_do_not_end_the_tag() {
        let page = to_text("<meta name=Description content='a > b'><div title=\"x>y\">text</div>");
        assert_eq!(page.description.as_deref(), Some("a > b"));
        assert_eq!(page.text, "text");
    }

    #[test]
    fn preformatted_text_keeps_its_line_breaks() {
        assert_eq!(to_text("<pre>a\n  b</pre><p>c   d</p>").text, "a\n  b\nc d");
    }

    #[test]
    fn table_cells_are_separated() {
        assert_eq!(
            to_text("<table><tr><td>姓名</td><td>古丽</td></tr><tr><td>1</td></tr></table>").text,
            "姓名 古丽\n1"
        );
    }
}
