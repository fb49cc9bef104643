//! The XML layer of the Moodle XML reader: the `<quiz>` document split into
//! one small tree per `<question>`, with byte offsets for line numbers.
//!
//! Safe against hostile files by refusing, never expanding: a `<!DOCTYPE`
//! (which is where entity declarations and external references live) or a
//! reference to any entity but XML's five is refused whole, so nothing is
//! ever fetched or expanded (no XXE, no billion laughs). Trees are flat
//! arenas walked with loops, so deep nesting cannot overflow the stack.

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::{Reader, events::BytesStart};

use crate::content::formats::Problem;

/// Turns byte offsets into 1-based lines and columns.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }

    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    /// An error at `offset`, with its line and column (in characters).
    pub fn error(&self, offset: usize, message: impl Into<String>) -> Problem {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Problem::error(line, message).at_column(column)
    }
}

pub enum Child {
    Element(usize),
    /// Text, CDATA and character references, joined.
    Text(String),
    Comment(String),
}

pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    /// Byte offset of the `<` of the start tag.
    pub at: usize,
    pub children: Vec<Child>,
}

/// One `<question>` element and everything in it; element 0 is the question.
pub struct Tree {
    pub elements: Vec<Element>,
}

impl Tree {
    pub fn root(&self) -> &Element {
        &self.elements[0]
    }

    pub fn attribute<'t>(&'t self, element: usize, name: &str) -> Option<&'t str> {
        self.elements[element].attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The child elements of `element` called `name`, in file order.
    pub fn children<'t>(&'t self, element: usize, name: &'t str) -> impl Iterator<Item = usize> + 't {
        self.elements[element].children.iter().filter_map(move |c| match c {
            Child::Element(i) if self.elements[*i].name == name => Some(*i),
            _ => None,
        })
    }

    pub fn child(&self, element: usize, name: &str) -> Option<usize> {
        self.children(element, name).next()
    }

    /// The text directly inside `element` (not inside its children).
    pub fn text(&self, element: usize) -> String {
        self.elements[element]
            .children
            .iter()
            .filter_map(|c| match c {
                Child::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The text of `<name><text>…</text></name>`-style elements: the
    /// `<text>` child of `element`'s child `name`, trimmed.
    pub fn text_of(&self, element: usize, name: &str) -> Option<String> {
        let inner = self.child(element, name)?;
        let text = self.child(inner, "text")?;
        Some(self.text(text).trim().to_string())
    }

    pub fn comments(&self, element: usize) -> impl Iterator<Item = &str> {
        self.elements[element].children.iter().filter_map(|c| match c {
            Child::Comment(t) => Some(t.as_str()),
            _ => None,
        })
    }

    fn push_text(&mut self, element: usize, text: &str) {
        let children = &mut self.elements[element].children;
        match children.last_mut() {
            Some(Child::Text(t)) => t.push_str(text),
            _ => children.push(Child::Text(text.to_string())),
        }
    }
}

/// The questions of a `<quiz>` document, and the syntax error that stopped
/// reading, if one did (questions before it are kept).
pub struct Document {
    pub questions: Vec<Tree>,
    pub broken: Option<Problem>,
}

const NOT_MOODLE: &str = "not a Moodle XML file: expected an XML document whose root element is <quiz>";

/// Splits a Moodle XML document into question trees. `Err` is a file
/// refused whole: hostile XML, or not a `<quiz>` document at all.
pub fn parse(text: &str, lines: &Lines) -> Result<Document, Problem> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = true;
    let mut questions = Vec::new();
    let mut broken = None;
    let mut seen_root = false;
    // Every open element (name, offset), for end-of-file messages.
    let mut open: Vec<(String, usize)> = Vec::new();
    // The question being read and its open elements (indices into it).
    let mut tree: Option<Tree> = None;
    let mut stack: Vec<usize> = Vec::new();
    let not_moodle = || Problem::error(1, NOT_MOODLE);
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) if !seen_root => {
                return Err(Problem::error(1, format!("{NOT_MOODLE} ({e})")));
            }
            Err(e) => {
                broken = Some(lines.error(reader.error_position() as usize, format!("the XML is malformed: {e}")));
                break;
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(lines.error(
                    at,
                    "the file has a document type declaration (<!DOCTYPE>): DTDs, entity declarations and external references are refused",
                ));
            }
            Event::GeneralRef(reference) => {
                let name = String::from_utf8_lossy(&reference).into_owned();
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&name) {
                        Some(s) => s.to_string(),
                        None => {
                            return Err(lines.error(
                                at,
                                format!("the file refers to the entity `&{name};`, which XML does not define: entities are refused"),
                            ));
                        }
                    },
                    Err(_) => return Err(lines.error(at, format!("`&{name};` is not a valid character reference"))),
                };
                if !seen_root {
                    return Err(not_moodle());
                }
                if let (Some(tree), Some(&current)) = (tree.as_mut(), stack.last()) {
                    tree.push_text(current, &resolved);
                }
            }
            Event::Start(start) => {
                let element = element(&start, at).map_err(|name| {
                    lines.error(at, format!("an attribute refers to the entity `&{name};`: entities are refused"))
                })?;
                if !seen_root {
                    if element.name != "quiz" {
                        return Err(Problem::error(1, format!("{NOT_MOODLE}, not <{}>", element.name)));
                    }
                    seen_root = true;
                    open.push((element.name, at));
                    continue;
                }
                if open.is_empty() {
                    broken = Some(lines.error(at, "there is more after the closing </quiz>"));
                    break;
                }
                open.push((element.name.clone(), at));
                if let Some(tree) = tree.as_mut() {
                    let index = tree.elements.len();
                    let parent = *stack.last().expect("a tree being read has its question open");
                    tree.elements[parent].children.push(Child::Element(index));
                    tree.elements.push(element);
                    stack.push(index);
                } else if open.len() == 2 && element.name == "question" {
                    tree = Some(Tree { elements: vec![element] });
                    stack.push(0);
                }
            }
            Event::End(_) => {
                open.pop();
                if tree.is_some() {
                    stack.pop();
                    if stack.is_empty() {
                        questions.extend(tree.take());
                    }
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content().unwrap_or_default();
                if !seen_root && !text.trim().is_empty() {
                    return Err(not_moodle());
                }
                if let (Some(tree), Some(&current)) = (tree.as_mut(), stack.last()) {
                    tree.push_text(current, &text);
                }
            }
            Event::CData(t) => {
                if !seen_root {
                    return Err(not_moodle());
                }
                if let (Some(tree), Some(&current)) = (tree.as_mut(), stack.last()) {
                    tree.push_text(current, &t.xml10_content().unwrap_or_default());
                }
            }
            Event::Comment(t) => {
                if let (Some(tree), Some(&current)) = (tree.as_mut(), stack.last()) {
                    let text = t.decode().unwrap_or_default().into_owned();
                    tree.elements[current].children.push(Child::Comment(text));
                }
            }
            Event::Decl(_) | Event::PI(_) | Event::Empty(_) => {}
            Event::Eof => {
                if !seen_root {
                    return Err(not_moodle());
                }
                if let Some((name, at)) = open.last() {
                    let line = lines.line(*at);
                    broken =
                        Some(lines.error(text.len(), format!("the file ends before <{name}> (line {line}) is closed")));
                }
                break;
            }
        }
    }
    Ok(Document { questions, broken })
}

/// An element from its start tag; `Err` names an entity an attribute
/// refers to (attributes with other faults are left out).
fn element(start: &BytesStart, at: usize) -> Result<Element, String> {
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes().flatten() {
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        match attribute.normalized_value(XmlVersion::Implicit1_0) {
            Ok(value) => attributes.push((key, value.into_owned())),
            Err(_) => {
                let raw = String::from_utf8_lossy(&attribute.value).into_owned();
                let entity =
                    raw.split_once('&').and_then(|(_, r)| r.split_once(';')).map_or(raw.clone(), |(e, _)| e.into());
                return Err(entity);
            }
        }
    }
    Ok(Element { name, attributes, at, children: Vec::new() })
}
