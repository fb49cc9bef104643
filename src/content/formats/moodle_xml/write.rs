//! Our questions to a Moodle XML `<quiz>`: a category per domain
//! (`$course$/top/<domain code>`), texts as `format="markdown"`, the id in
//! `<name>` and `<idnumber>`, and what Moodle has no field for in tags and
//! one comment per question (see the module above).

use std::fmt::Write as _;

use quick_xml::escape::partial_escape;

use super::{CASE_TAG_PREFIX, DIFFICULTY_TAG_PREFIX, Extra, SCENARIO_TAG};
use crate::content::formats::Written;
use crate::exam::{Body, CaseStudy, Choice, Question};

pub fn write(questions: &[Question], cases: &[CaseStudy]) -> Written {
    let mut out = Out { text: String::new(), losses: Vec::new(), id: String::new() };
    out.text.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let mut domains: Vec<&str> = Vec::new();
    for q in questions {
        if !domains.contains(&q.domain.as_str()) {
            domains.push(&q.domain);
        }
    }
    let mut cases_written: Vec<&str> = Vec::new();
    for domain in domains {
        out.category(domain);
        for q in questions.iter().filter(|q| q.domain == domain) {
            if let Some(case) = q.case.as_deref().and_then(|id| cases.iter().find(|c| c.id == id))
                && !cases_written.contains(&case.id.as_str())
            {
                out.case(case);
                cases_written.push(&case.id);
            }
            out.question(q);
        }
    }
    // A case study no question names still goes out, after the rest.
    for case in cases.iter().filter(|c| !cases_written.contains(&c.id.as_str())) {
        out.case(case);
    }
    out.text.push_str("</quiz>\n");
    Written { text: out.text, losses: out.losses }
}

struct Out {
    text: String,
    losses: Vec<(String, String)>,
    /// The question or case being written, for losses.
    id: String,
}

impl Out {
    /// `text` escaped for XML; characters XML 1.0 cannot hold at all
    /// (control characters) are dropped, and the loss named.
    fn escaped(&mut self, text: &str) -> String {
        let legal =
            |c: char| matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}');
        if text.chars().all(legal) {
            return partial_escape(text).into_owned();
        }
        let loss = (self.id.clone(), "control characters XML cannot hold were dropped from a text".to_string());
        if !self.losses.contains(&loss) {
            self.losses.push(loss);
        }
        partial_escape(text.chars().filter(|&c| legal(c)).collect::<String>()).into_owned()
    }

    /// `<element format="markdown"><text>…</text></element>`.
    fn formatted(&mut self, indent: &str, element: &str, text: &str) {
        let text = self.escaped(text);
        let _ = writeln!(
            self.text,
            "{indent}<{element} format=\"markdown\">\n{indent}  <text>{text}</text>\n{indent}</{element}>"
        );
    }

    fn plain(&mut self, indent: &str, element: &str, text: &str) {
        let text = self.escaped(text);
        let _ = writeln!(self.text, "{indent}<{element}>\n{indent}  <text>{text}</text>\n{indent}</{element}>");
    }

    fn category(&mut self, domain: &str) {
        self.id = String::new();
        self.text.push_str("\n  <question type=\"category\">\n");
        self.plain("    ", "category", &format!("$course$/top/{domain}"));
        self.text.push_str("  </question>\n");
    }

    fn start(&mut self, kind: &str, id: &str, name: &str, stem: &str, explanation: &str) {
        self.id = id.to_string();
        let _ = writeln!(self.text, "\n  <question type=\"{kind}\">");
        self.plain("    ", "name", name);
        self.formatted("    ", "questiontext", stem);
        self.formatted("    ", "generalfeedback", explanation);
        let id = self.escaped(id);
        let _ = writeln!(self.text, "    <idnumber>{id}</idnumber>");
    }

    fn tags(&mut self, tags: &[String]) {
        self.text.push_str("    <tags>\n");
        for tag in tags {
            let tag = self.escaped(tag);
            let _ = writeln!(self.text, "      <tag><text>{tag}</text></tag>");
        }
        self.text.push_str("    </tags>\n  </question>\n");
    }

    /// A case study as a description question, which Moodle shows as text
    /// and our reader turns back into a case study by its tag.
    fn case(&mut self, case: &CaseStudy) {
        self.start("description", &case.id, &case.title, &case.scenario, "");
        self.text.push_str("    <defaultgrade>0</defaultgrade>\n");
        self.tags(&[SCENARIO_TAG.to_string()]);
    }

    fn question(&mut self, q: &Question) {
        let kind = match q.body {
            Body::Single { .. } | Body::Multiple { .. } => "multichoice",
            Body::Ordering { .. } => "ordering",
            Body::Matching { .. } => "matching",
        };
        self.start(kind, &q.id, &q.id, &q.stem, &q.explanation);
        self.text.push_str("    <defaultgrade>1</defaultgrade>\n");
        let mut extra = Extra { references: q.references.clone(), rationales: Vec::new() };
        match &q.body {
            Body::Single { options, key } => {
                self.text.push_str("    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n");
                for (i, option) in options.iter().enumerate() {
                    self.answer(if i == *key { "100" } else { "0" }, option);
                }
            }
            Body::Multiple { options, key } => {
                // Each correct answer earns its share; a wrong one cancels
                // all, the nearest Moodle comes to all-or-nothing.
                let share = fraction(100.0 / key.len().max(1) as f64);
                self.text.push_str("    <single>false</single>\n    <shuffleanswers>true</shuffleanswers>\n");
                for (i, option) in options.iter().enumerate() {
                    self.answer(if key.contains(&i) { &share } else { "-100" }, option);
                }
            }
            Body::Ordering { steps } => {
                self.text.push_str(
                    "    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n    <gradingtype>ALL_OR_NOTHING</gradingtype>\n",
                );
                for (i, step) in steps.iter().enumerate() {
                    self.answer(&(i + 1).to_string(), step);
                }
            }
            Body::Matching { pairs, extra_answers } => {
                self.text.push_str("    <shuffleanswers>true</shuffleanswers>\n");
                let subquestions = pairs
                    .iter()
                    .map(|p| (p.prompt.as_str(), p.answer.as_str(), p.rationale.as_str()))
                    .chain(extra_answers.iter().map(|e| ("", e.text.as_str(), e.rationale.as_str())));
                for (prompt, answer, rationale) in subquestions {
                    let (prompt, answer) = (self.escaped(prompt), self.escaped(answer));
                    let _ = writeln!(
                        self.text,
                        "    <subquestion format=\"markdown\">\n      <text>{prompt}</text>\n      <answer>\n        <text>{answer}</text>\n      </answer>\n    </subquestion>"
                    );
                    extra.rationales.push(rationale.to_string());
                }
                if extra.rationales.iter().all(|r| r.is_empty()) {
                    extra.rationales.clear();
                }
            }
        }
        if !extra.is_empty() {
            let _ = writeln!(self.text, "    <!-- {} -->", extra.to_comment());
        }
        let mut tags = q.tags.clone();
        tags.push(format!("{DIFFICULTY_TAG_PREFIX}{}", q.difficulty.as_str()));
        if let Some(case) = &q.case {
            tags.push(format!("{CASE_TAG_PREFIX}{case}"));
        }
        self.tags(&tags);
    }

    fn answer(&mut self, fraction: &str, choice: &Choice) {
        let _ = writeln!(self.text, "    <answer fraction=\"{fraction}\" format=\"markdown\">");
        let text = self.escaped(&choice.text);
        let _ = writeln!(self.text, "      <text>{text}</text>");
        self.formatted("      ", "feedback", &choice.rationale);
        self.text.push_str("    </answer>\n");
    }
}

/// A percentage as Moodle writes it: whole numbers bare, else 5 decimals
/// (33.33333, 12.5).
pub(super) fn fraction(percent: f64) -> String {
    let text = format!("{percent:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
