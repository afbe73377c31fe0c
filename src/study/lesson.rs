//! Lessons: the Markdown files of `assets/lessons/`, embedded in the binary.
//!
//! A lesson starts with front matter between `---` lines (`topic:`, `title:`,
//! `sample:`), then Markdown. Two sections are read: `## Steps` (a numbered list; each
//! step may link entities with `[[kind:name]]`) and `## Interview questions`
//! (`**Q:** …` followed by `**A:** …`, the model answer).

use include_dir::{include_dir, Dir};
use serde::Serialize;
use thiserror::Error;

use super::link::{links_in, EntityLink};
use super::topic::Topic;

static LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets/lessons");

/// A lesson that does not follow the format.
#[derive(Debug, Error, PartialEq, Eq)]
#[error("lesson {file}: {message}")]
pub struct LessonError {
    /// The file.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

/// One step of a lesson's walk through its sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step's Markdown text (links as written).
    pub text: String,
    /// The entities it links, in order.
    pub links: Vec<EntityLink>,
}

/// An interview question with its model answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterviewQuestion {
    /// The question.
    pub question: String,
    /// The model answer, shown after the learner has tried.
    pub answer: String,
}

/// A parsed lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lesson {
    /// Its topic.
    pub topic: Topic,
    /// Its title.
    pub title: String,
    /// The sample account it walks through.
    pub sample: String,
    /// The Markdown after the front matter.
    pub body: String,
    /// The steps.
    pub steps: Vec<Step>,
    /// The interview questions.
    pub interview: Vec<InterviewQuestion>,
    /// Every entity the lesson links, in order (steps and prose).
    pub links: Vec<EntityLink>,
}

/// Every lesson, in [`Topic::ALL`] order.
pub fn lessons() -> Result<Vec<Lesson>, LessonError> {
    let mut out = Vec::new();
    for f in LESSONS.files() {
        let file = f.path().display().to_string();
        if !file.ends_with(".md") {
            continue;
        }
        let text = f.contents_utf8().ok_or_else(|| LessonError {
            file: file.clone(),
            message: "not UTF-8".into(),
        })?;
        out.push(Lesson::parse(&file, text)?);
    }
    out.sort_by_key(|l| Topic::ALL.iter().position(|t| *t == l.topic));
    Ok(out)
}

/// The lesson of `topic`.
pub fn lesson(topic: Topic) -> Result<Option<Lesson>, LessonError> {
    Ok(lessons()?.into_iter().find(|l| l.topic == topic))
}

/// Sections of a lesson body, by `## ` heading.
fn section<'a>(body: &'a str, heading: &str) -> Option<&'a str> {
    let start = body.find(&format!("\n## {heading}\n"))? + heading.len() + 5;
    let rest = &body[start..];
    Some(rest.find("\n## ").map_or(rest, |end| &rest[..end]))
}

impl Lesson {
    /// Parses one lesson file.
    pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
        let err = |message: String| LessonError {
            file: file.to_string(),
            message,
        };
        let rest = text
            .strip_prefix("---\n")
            .ok_or_else(|| err("expected front matter starting with `---`".into()))?;
        let end = rest
            .find("\n---\n")
            .ok_or_else(|| err("front matter is not closed by `---`".into()))?;
        let (mut topic, mut title, mut sample) = (None, None, None);
        for line in rest[..end].lines() {
            let Some((k, v)) = line.split_once(':') else {
                return Err(err(format!(
                    "front matter line `{line}` is not `key: value`"
                )));
            };
            let v = v.trim().to_string();
            match k.trim() {
                "topic" => {
                    topic = Some(
                        Topic::from_slug(&v).ok_or_else(|| err(format!("unknown topic `{v}`")))?,
                    )
                }
                "title" => title = Some(v),
                "sample" => sample = Some(v),
                other => return Err(err(format!("unknown front matter key `{other}`"))),
            }
        }
        let body = format!("\n{}", &rest[end + 5..]);
        let links = links_in(&body).map_err(err)?;
        let steps = section(&body, "Steps")
            .ok_or_else(|| err("no `## Steps` section".into()))
            .map(parse_steps)?;
        let interview = section(&body, "Interview questions")
            .ok_or_else(|| err("no `## Interview questions` section".into()))
            .map(parse_interview)?
            .map_err(err)?;
        if steps.is_empty() || interview.is_empty() {
            return Err(err("a lesson needs steps and interview questions".into()));
        }
        Ok(Lesson {
            topic: topic.ok_or_else(|| err("no `topic:`".into()))?,
            title: title.ok_or_else(|| err("no `title:`".into()))?,
            sample: sample.ok_or_else(|| err("no `sample:`".into()))?,
            body: body.trim_start_matches('\n').to_string(),
            steps,
            interview,
            links,
        })
    }
}

/// Numbered list items (`1. …`), continuation lines joined.
fn parse_steps(section: &str) -> Vec<Step> {
    let mut texts: Vec<String> = Vec::new();
    for line in section.lines() {
        let t = line.trim();
        let numbered = t
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        match numbered {
            Some((_, rest)) => texts.push(rest.to_string()),
            None if !t.is_empty() && line.starts_with(' ') => {
                if let Some(last) = texts.last_mut() {
                    last.push('\n');
                    last.push_str(line.trim_end());
                }
            }
            None => {}
        }
    }
    texts
        .into_iter()
        .map(|text| Step {
            links: links_in(&text).unwrap_or_default(),
            text,
        })
        .collect()
}

/// `**Q:**` / `**A:**` pairs.
fn parse_interview(section: &str) -> Result<Vec<InterviewQuestion>, String> {
    let mut out: Vec<InterviewQuestion> = Vec::new();
    let mut current: Option<(String, Option<String>)> = None;
    for line in section.lines() {
        let t = line.trim();
        if let Some(q) = t.strip_prefix("**Q:**") {
            if let Some((q0, a)) = current.take() {
                out.push(finish(q0, a)?);
            }
            current = Some((q.trim().to_string(), None));
        } else if let Some(a) = t.strip_prefix("**A:**") {
            match current.as_mut() {
                Some((_, ans @ None)) => *ans = Some(a.trim().to_string()),
                _ => return Err(format!("answer without a question: `{t}`")),
            }
        } else if !t.is_empty() {
            match current.as_mut() {
                Some((_, Some(a))) => {
                    a.push(' ');
                    a.push_str(t);
                }
                Some((q, None)) => {
                    q.push(' ');
                    q.push_str(t);
                }
                None => {}
            }
        }
    }
    if let Some((q, a)) = current {
        out.push(finish(q, a)?);
    }
    Ok(out)
}

fn finish(question: String, answer: Option<String>) -> Result<InterviewQuestion, String> {
    match answer {
        Some(answer) if !answer.is_empty() => Ok(InterviewQuestion { question, answer }),
        _ => Err(format!("question without a model answer: `{question}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntopic: passrole\ntitle: T\nsample: vulnerable\n---\n# T\n\nSee [[user:ec2-launcher]].\n\n## Steps\n\n1. Open [[role:dvia-ec2-admin-role]].\n   It is admin.\n2. Run `iamscope can`.\n\n## Interview questions\n\n**Q:** Why?\n**A:** Because\nit is.\n\n**Q:** How?\n**A:** So.\n";

    #[test]
    fn parses_front_matter_steps_and_interview() {
        let l = Lesson::parse("t.md", GOOD).unwrap();
        assert_eq!(l.topic, Topic::Passrole);
        assert_eq!(l.sample, "vulnerable");
        assert_eq!(l.steps.len(), 2);
        assert_eq!(l.steps[0].links[0].name, "dvia-ec2-admin-role");
        assert!(l.steps[0].text.ends_with("It is admin."));
        assert_eq!(l.interview.len(), 2);
        assert_eq!(l.interview[0].answer, "Because it is.");
        assert_eq!(l.links.len(), 2);
    }

    #[test]
    fn rejects_malformed_lessons() {
        for bad in [
            GOOD.replace("topic: passrole", "topic: nope"),
            GOOD.replace("---\ntopic", "topic"),
            GOOD.replace("## Steps", "## Stairs"),
            GOOD.replace("**A:** So.", ""),
            GOOD.replace("[[user:ec2-launcher]]", "[[usr:ec2-launcher]]"),
            GOOD.replace("title: T\n", ""),
        ] {
            assert!(Lesson::parse("t.md", &bad).is_err(), "{bad}");
        }
    }
}
