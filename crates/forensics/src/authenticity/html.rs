//! The report as one self-contained HTML file: no script, no style sheet or image from
//! elsewhere, every text from the leak escaped; each camera's photos per day drawn as an
//! SVG bar chart inside it. Drawn by hand: a chart of rectangles needs no library.

use std::fmt::Write;

use quick_xml::escape::escape;

use super::{CameraTimeline, Evidence, Report, Strength};

/// Chart size in SVG units.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 120.0;
const MARGIN: f64 = 24.0;

/// The report as HTML.
pub fn to_html(report: &Report) -> String {
    let mut out = String::new();
    let summary = &report.summary;
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Authenticity report</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}\
         .strong{{color:#a00}}.anomaly{{color:#a60}}.fact{{color:#444}}\
         svg{{border:1px solid #ccc}}</style></head><body>\
         <h1>Authenticity report</h1>\
         <p>{} strong anomalies, {} anomalies to check, {} facts. Computed from the store \
         with digest <code>{}</code>.</p>",
        summary.strong,
        summary.anomalies,
        summary.facts,
        escape(report.store_digest.as_str())
    );
    let mut section = None;
    for finding in &report.findings {
        if section != Some(finding.section) {
            if section.is_some() {
                out.push_str("</ul>");
            }
            section = Some(finding.section);
            let _ = write!(out, "<h2>{}</h2><ul>", finding.section.title());
        }
        let class = match finding.strength {
            Strength::Fact => "fact",
            Strength::Anomaly => "anomaly",
            Strength::Strong => "strong",
        };
        let _ = write!(
            out,
            "<li><strong class=\"{class}\">{}</strong>: {}",
            finding.strength.label(),
            escape(finding.statement.as_str())
        );
        if !finding.evidence.is_empty() {
            out.push_str("<ul>");
            for evidence in &finding.evidence {
                let (blob, place) = match evidence {
                    Evidence::Row { blob, place, .. } => (blob, place),
                    Evidence::Document { blob, path } => (blob, path),
                };
                let _ = write!(
                    out,
                    "<li><code>{}</code> {}</li>",
                    escape(&blob[..12.min(blob.len())]),
                    escape(place.as_str())
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
    if section.is_some() {
        out.push_str("</ul>");
    }
    if !report.cameras.is_empty() {
        out.push_str("<h2>Camera timelines</h2>");
        for timeline in &report.cameras {
            let _ = write!(out, "<h3>{}</h3>", escape(timeline.camera.as_str()));
            out.push_str(&timeline_svg(timeline));
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// Photos per day as bars over the camera's whole span, the first and last day written
/// under the axis and the busiest day's count beside it.
pub fn timeline_svg(timeline: &CameraTimeline) -> String {
    let (Some((first, _)), Some((last, _))) = (timeline.days.first(), timeline.days.last()) else {
        return String::new();
    };
    let span = (*last - *first).num_days().max(1) as f64;
    let most = timeline
        .days
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let plot_width = WIDTH - 2.0 * MARGIN;
    let plot_height = HEIGHT - 2.0 * MARGIN;
    let bar = (plot_width / (span + 1.0)).clamp(1.0, 12.0);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\">\
         <title>{} photos per day</title>",
        escape(timeline.camera.as_str())
    );
    for (day, count) in &timeline.days {
        let x = MARGIN + (*day - *first).num_days() as f64 / span * (plot_width - bar);
        let height = f64::from(*count) / most * plot_height;
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\" fill=\"#357\"><title>{day}: {count}</title></rect>",
            MARGIN + plot_height - height
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{MARGIN}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#000\"/>\
         <text x=\"{MARGIN}\" y=\"{ty}\" font-size=\"11\">{first}</text>\
         <text x=\"{x2}\" y=\"{ty}\" font-size=\"11\" text-anchor=\"end\">{last}</text>\
         <text x=\"{MARGIN}\" y=\"{top}\" font-size=\"11\">{most} a day at most</text></svg>",
        y = MARGIN + plot_height,
        x2 = WIDTH - MARGIN,
        ty = HEIGHT - 6.0,
        top = MARGIN - 8.0,
        most = most as u32,
    );
    svg
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::authenticity::{Finding, Section, Summary};

    #[test]
    fn leaked_text_is_escaped_and_every_camera_has_a_chart() {
        let day = |d| NaiveDate::from_ymd_opt(2018, 3, d).unwrap();
        let report = Report {
            store_digest: "ab".into(),
            from: None,
            until: None,
            summary: Summary::default(),
            findings: vec![Finding {
                id: "0123".into(),
                section: Section::Documents,
                code: "document_author".into(),
                strength: Strength::Fact,
                statement: "author <script>alert(1)</script>: 1 document".into(),
                words: crate::authenticity::Words::new("authenticity.finding.document_author")
                    .arg("value", "<script>alert(1)</script>")
                    .value(
                        "documents",
                        crate::authenticity::Words::new("authenticity.count.document"),
                    ),
                evidence: vec![Evidence::Document {
                    blob: "0123456789abcdef".into(),
                    path: "a&b.docx".into(),
                }],
            }],
            cameras: vec![CameraTimeline {
                camera: "Canon <EOS>".into(),
                days: vec![(day(1), 3), (day(5), 1)],
            }],
        };
        let html = to_html(&report);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;") && html.contains("a&amp;b.docx"));
        assert_eq!(html.matches("<svg").count(), 1);
        assert_eq!(html.matches("<rect").count(), 2);
        assert!(html.contains("Canon &lt;EOS&gt;"));
    }
}
