"""How classes, polarities and speech acts look: shapes, colours, line styles, and their legend."""

from __future__ import annotations

import html

FONT = "Helvetica"
# class (local name) -> (shape, fill colour); the first class of an entity found here wins, most specific first
CLASS_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("ellipse", "#fde0c5"),
    "State": ("box", "#c6dbef"),
    "PoliticalParty": ("component", "#dadaeb"),
    "InternationalOrganisation": ("hexagon", "#c7e9c0"),
    "GovernmentBody": ("component", "#e5f5e0"),
    "Media": ("note", "#f0f0f0"),
    "ThinkTank": ("note", "#fff7bc"),
    "Institution": ("component", "#e5f5e0"),
    "Group": ("octagon", "#fcc5c0"),
    "Office": ("cds", "#efedf5"),
    "Place": ("house", "#d9f0d3"),
    "Agreement": ("diamond", "#fee391"),
    "Conflict": ("diamond", "#fcbba1"),
    "Election": ("diamond", "#fee391"),
    "Operation": ("diamond", "#fdd0a2"),
    "Meeting": ("diamond", "#fee391"),
    "Event": ("diamond", "#fee391"),
    "Programme": ("tab", "#f7f7f7"),
    "Topic": ("tab", "#ffffff"),
    "Document": ("note", "#ffffff"),
}
ORDER = list(CLASS_STYLE)
POLARITY_COLOUR = {"Support": "#1a9850", "Oppose": "#d73027", "Neutral": "#737373"}
# speech act (local name without "Act") -> (line style, arrow head)
ACT_STYLE: dict[str, tuple[str, str]] = {
    "Assertive": ("solid", "normal"),
    "Proposal": ("bold", "diamond"),
    "Conditional": ("dashed", "empty"),
    "Warning": ("bold", "tee"),
    "Expectation": ("dotted", "vee"),
    "Concession": ("dashed", "inv"),
    "RhetoricalQuestion": ("dotted", "odot"),
}


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def class_of(classes: set[str]) -> str:
    """The class an entity is drawn as: the most specific of its classes that has a style."""
    names = {local_name(c) for c in classes}
    return next((name for name in ORDER if name in names), "Topic")


def node_style(cls: str) -> dict[str, str]:
    shape, fill = CLASS_STYLE.get(cls, ("ellipse", "#ffffff"))
    return {"shape": shape, "style": "filled", "fillcolor": fill, "fontname": FONT, "fontsize": "11"}


def act_style(act: str) -> tuple[str, str]:
    return ACT_STYLE.get(local_name(act).removesuffix("Act"), ("solid", "normal"))


def wrap(text: str, width: int = 22) -> str:
    """A label broken into lines of about `width` characters (Graphviz escapes: \\n)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "\\n".join(lines) or text


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def table(rows: list[list[str]], header: list[str] | None = None, title: str | None = None) -> str:
    """A Graphviz HTML-like table (for legends and footnotes), every cell escaped."""
    cells = []
    if title:
        cells.append(f'<TR><TD COLSPAN="{max(len(r) for r in rows) if rows else 1}" ALIGN="LEFT"><B>'
                     f"{html.escape(title)}</B></TD></TR>")
    if header:
        cells.append("<TR>" + "".join(f'<TD ALIGN="LEFT"><B>{html.escape(h)}</B></TD>' for h in header) + "</TR>")
    for row in rows:
        cells.append("<TR>" + "".join(f'<TD ALIGN="LEFT">{cell}</TD>' for cell in row) + "</TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(cells)}</TABLE>>'
