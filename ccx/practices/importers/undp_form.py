"""The questions of the UNDP Accelerator Labs' forms, mapped onto the practice schema.

A UNDP record is a filled-in form: a list of (question, answer). Shown as it is, a practice reads like the form
("Title of the Solution", "Type of sub-measure • 1. (none)", "Other Notes"). Here each known question says where
its answer goes:

- the summary and the description (under the site's own headings, never the form's questions);
- results, obstacles, lessons, conditions for transfer and resources, the practice's own fields;
- themes, from the categories a form offers (type of solution, affected sector, type of measure);
- links, from the notes and the supporting links (the rest of a note stays as a note in the description);
- nowhere, for what repeats the title or answers a yes/no about the form itself.

An answer to a question that is not listed goes into the description as a paragraph, without its question;
one that only makes sense with its question (under 40 characters) is left out.
"""

import re
from dataclasses import dataclass, field

URL = re.compile(r"https?://[^\s\[\]()<>\"']+")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
CATEGORY_MARKER = re.compile(r"^\s*(?:[-*•]\s*)?(?:\d{1,2}[.)]\s*)?")
NOT_AN_ANSWER = re.compile(r"^\(?(none|n/?a|no|yes|-|\.)\)?\.?$", re.IGNORECASE)
SHORT_ANSWER = 40
LEADS_TO_LINK = re.compile(r"(?:\bsee|\bat|\bhere|\bvisit|:|-|–)\s*$", re.IGNORECASE)

# (question pattern, destination, the site's heading in the description). Patterns match the question's start.
DESTINATIONS: list[tuple[str, str, str]] = [
    (r"^title of the (?:solution|innovation)", "skip", ""),
    (r"^quality check", "skip", ""),
    (r"^do you have a prototype", "skip", ""),
    (r"^is this solution a prototype or product", "skip", ""),
    (r"^does the activity use a control group", "skip", ""),
    (r"^how is the intervention assigned", "skip", ""),
    (r"^what is the estimated sample size", "skip", ""),
    (r"^what is the unit of analysis", "skip", ""),
    (r"^please categorize the type", "skip", ""),
    (r"^type of (?:the )?solution", "themes", ""),
    (r"^affected sector", "themes", ""),
    (r"^type of (?:sub-)?measure", "themes", ""),
    (
        r"^(?:description of the solution|brief description|what is the purpose of the solution|description\b)",
        "description",
        "",
    ),
    (r"^what is the frontier challenge", "description", "The challenge"),
    (r"^what is your hypothesis", "description", "Hypothesis"),
    (r"^what is the specific learning intent", "description", "What the activity set out to learn"),
    (r"^describe which actions", "description", "What was done"),
    (r"^technical feasibility", "description", "How it works"),
    (r"^commercial viability", "description", "Business model"),
    (r"^please describe the data collection", "description", "Data collection"),
    (r"^which sector are you partnering|^please list the names of partners", "description", "Partners"),
    (
        r"^timescale of implementation|^what is the timeline|^from design to results, how long",
        "description",
        "Timescale",
    ),
    (r"^socio-economic effects|^anticipated social impact", "results", ""),
    (r"^was the original hypothesis|^what do you know now|^considering the outcomes", "results", ""),
    (r"^what were the main obstacles", "obstacles", ""),
    (r"^what advice would you give|^what surprised you|^do you have observations about the methodology", "lessons", ""),
    (r"^did this experiment require iterations", "lessons", ""),
    (r"^can this experiment be replicated|^is this experiment planned to scale", "transferability", ""),
    (r"^does this activity have a follow up", "transferability", ""),
    (r"^what are the estimated non-? ?monetary resources|^what were the actual monetary resources", "resources", ""),
    (r"^other notes", "notes", "Notes"),
    (r"^please (?:upload|add) any supporting links|^enlace a la red social", "links", ""),
]


@dataclass
class FormFields:
    """Where the answers of one record go."""

    description: list[str] = field(default_factory=list)
    results: list[str] = field(default_factory=list)
    obstacles: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    transferability: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # matched against the theme rules, not shown
    links: list[str] = field(default_factory=list)

    def text(self, name: str) -> str:
        parts: list[str] = getattr(self, name)
        return "\n\n".join(part for part in parts if part)


def destination(question: str) -> tuple[str, str]:
    for pattern, where, heading in DESTINATIONS:
        if re.search(pattern, question, re.IGNORECASE):
            return where, heading
    return "", ""


def category_values(answer: str) -> list[str]:
    """ "- 3. mitigation measures" → ["mitigation measures"]; "(none)" and list markers dropped."""
    values = [CATEGORY_MARKER.sub("", line).strip() for line in re.split(r"[\n,;]", answer)]
    return [value for value in values if value and not NOT_AN_ANSWER.match(value)]


def links_and_rest(answer: str) -> tuple[list[str], str]:
    """The web addresses of an answer, and what remains of it once they are taken out."""
    links = [url for _label, url in MARKDOWN_LINK.findall(answer)]
    rest = MARKDOWN_LINK.sub(lambda match: match.group(1) if not URL.fullmatch(match.group(1)) else "", answer)
    links += URL.findall(rest)
    rest = URL.sub("", rest)
    rest = re.sub(r"[ \t]+", " ", re.sub(r"(?m)^[\s\-–:,;.]+$", "", rest))
    # A sentence that only led to an address ("For more information, see") goes with it.
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", rest) if part.strip()]
    kept = [part for part in paragraphs if not LEADS_TO_LINK.search(part)]
    return [link.rstrip(".,;:") for link in links], "\n\n".join(kept)


def without_echo(question: str, answer: str) -> str:
    """The answer without a first line that repeats its question ("Technical Feasibility\nDesign is…")."""
    first, _, rest = answer.partition("\n")
    echoed = first.strip().rstrip(":").strip().lower()
    if len(echoed) >= 8 and question.lower().startswith(echoed):
        return rest.strip()
    return answer


TITLE_ECHO = re.compile(r"^\s*title of (?:the )?(?:innovation|solution)\b\s*:?\s*", re.IGNORECASE)
PROJECT_TITLE = re.compile(r"\bproject title\s*:\s*", re.IGNORECASE)


def title_without_form(title: str) -> str:
    """ "TITLE OF INNOVATION  Fay Firm Foundation Country: Zambia Project title: More love…" → "More love…"."""
    title = TITLE_ECHO.sub("", title)
    parts = PROJECT_TITLE.split(title, maxsplit=1)
    return parts[-1].strip() if len(parts) == 2 and parts[1].strip() else title.strip()


def map_sections(sections: list[tuple[str, str]], summary_answer: str, summary_complete: bool = False) -> FormFields:
    """Sort the answers of a record. The one used as the summary leads the description, unless the summary
    already holds all of it (`summary_complete`)."""
    form = FormFields()
    for question, full_answer in sections:
        answer = without_echo(question, full_answer)
        where, heading = destination(question)
        if where == "skip":
            continue
        if where == "themes":
            form.categories += category_values(answer)
            continue
        if where in ("links", "notes"):
            links, rest = links_and_rest(answer)
            form.links += links
            if rest and where == "notes":
                form.description.append(f"### {heading}\n\n{rest}")
            continue
        if where == "description" and heading == "Timescale":
            answer = "; ".join(category_values(answer))
        elif not where and (len(answer) < SHORT_ANSWER or NOT_AN_ANSWER.match(answer.strip())):
            continue
        if not answer or NOT_AN_ANSWER.match(answer.strip()):
            continue
        if where in ("", "description"):
            if answer == summary_answer and not heading:
                if not summary_complete:
                    form.description.insert(0, answer)
            else:
                form.description.append(f"### {heading}\n\n{answer}" if heading else answer)
        else:
            getattr(form, where).append(answer)
    form.links = list(dict.fromkeys(form.links))
    return form
