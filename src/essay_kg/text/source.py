"""Read a source text exactly and lay it out: body paragraphs, sections, paratext.

The text is the file's bytes decoded as UTF-8 with nothing normalised (no
newline translation, no BOM stripping, no quote folding), so every offset
is a code-point index into it and ``text[begin:end] == anchor`` holds on the
raw file.  Which lines are paratext (footnotes, bylines, paywall notices) is
decided by the patterns in `extract/paratext.jsonl`, not by this module.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from essay_kg.errors import BadInput
from essay_kg.model import Block, Metadata, ParatextRule, SourceText, Span, slug

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_METADATA_KEYS = {
    "title": "title", "author": "author", "author_role_at_publication": "author_role",
    "translator": "translator", "periodical": "periodical", "volume": "volume",
    "issue": "issue", "issue_label": "issue_label", "pages": "pages",
    "publication_date": "date", "language": "language",
}
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


MAX_SOURCE_BYTES = 1_048_576  # 1 MiB: forty times an essay of the genre; a build's memory grows with the text


def read_bytes(path: Path) -> bytes:
    """Read a source file, turning every way it can be missing into a BadInput."""
    if not path.exists():
        raise BadInput(f"{path}: no such file", "check the path, or run 'essay-kg build' with no argument for the shipped essay")
    if path.is_dir():
        raise BadInput(f"{path}: is a directory, not a text file", "pass the .txt file inside it")
    if not path.is_file():  # a FIFO, a device, a socket (a symlink counts as what it points to)
        raise BadInput(f"{path}: is not a regular file", "pass a UTF-8 text file with the essay's text")
    def too_big(size: str) -> BadInput:
        return BadInput(f"{path}: {size} MiB is more than essay-kg reads from one text (1 MiB)",
                        "split it into parts (chapters, sections) and build each as its own document")

    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise too_big(f"{path.stat().st_size / 1_048_576:.1f}")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # bounded: a file that grows as it is read stops here
    except OSError as err:
        raise BadInput(f"{path}: cannot be read ({err.strerror})", "check the file's permissions") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise too_big("over 1.0")
    if not data.strip():
        raise BadInput(f"{path}: the file is empty", "pass a UTF-8 text file with the essay's text")
    return data


def decode(path: Path, data: bytes) -> str:
    """Decode UTF-8 exactly, naming the first bad byte's offset on failure."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadInput(
            f"{path}: not UTF-8 (byte {err.start} is 0x{data[err.start]:02x})",
            "convert it first, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.txt > out.txt",
        ) from None


def _real_date(text: str) -> bool:
    """Whether an ISO year, year-month or date exists (not 1994-02-30, not 1994-13)."""
    parts = [int(p) for p in text.split("-")]
    try:
        datetime.date(*parts, *[1] * (3 - len(parts)))
    except ValueError:
        return False
    return True


NUMBERED = {"volume", "issue", "pages"}  # a text or a whole number; every other field is a text


def _check_types(where: Path | None, values: dict[str, Any]) -> None:
    """Each metadata value (by its JSON key, or by its flag) a non-blank text; volume, issue and pages may be
    whole numbers."""
    for key, value in values.items():
        if value is None:
            continue
        said = f"{where}: '{key}'" if where is not None else f"{key}"
        numbered = key.lstrip("-") in NUMBERED and isinstance(value, int) and not isinstance(value, bool)
        if not numbered and not isinstance(value, str):
            kind = {dict: "an object", list: "a list", bool: "true or false"}.get(type(value), "a number")
            raise BadInput(f"{said} is {kind}, not a text", "write it as a JSON string")
        if isinstance(value, str) and not value.strip():
            raise BadInput(f"{said} is blank", "give it a value or leave it out")


def read_metadata(path: Path, overrides: dict[str, Any]) -> Metadata:
    """Read the optional sibling ``.json`` metadata, then apply command-line overrides."""
    meta_path = path.with_suffix(".json")
    values: dict[str, Any] = {}
    file_name = sha = None
    if meta_path.is_file():
        raw = meta_path.read_bytes()
        try:
            record = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise BadInput(f"{meta_path}: not valid JSON ({err})", "fix the metadata file or remove it") from None
        except RecursionError:  # Python's JSON reader recurses once per level: a 100k-deep array
            raise BadInput(f"{meta_path}: nested too deeply to be metadata",
                           "metadata is one JSON object of texts and numbers; fix the file or remove it") from None
        if not isinstance(record, dict):
            raise BadInput(f"{meta_path}: expected a JSON object", "fix the metadata file or remove it")
        values = {field: record[key] for key, field in _METADATA_KEYS.items() if record.get(key) is not None}
        values["doc_id"] = record.get("id")
        file_name, sha = meta_path.name, hashlib.sha256(raw).hexdigest()
        values["text"] = raw.decode("utf-8")
        values["spans"] = tuple(_value_spans(values["text"], record))
        _check_types(meta_path, {key: record.get(key) for key in (*_METADATA_KEYS, "id")})
    overridden = {k for k, v in overrides.items() if v is not None}
    _check_types(None, {f"--{k}": v for k, v in overrides.items() if v is not None})
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["spans"] = tuple((f, sp) for f, sp in values.get("spans", ()) if f not in overridden)
    date = values.get("date")
    if date is not None and not _DATE.match(str(date)):
        raise BadInput(f"publication date '{date}' is not YYYY, YYYY-MM or YYYY-MM-DD", "give the date in ISO form, e.g. 1994-05")
    if date is not None and not _real_date(str(date)):
        raise BadInput(f"publication date '{date}' is no day of the calendar", "check the month and the day")
    doc_id = values.pop("doc_id", None) or _doc_id(path, values.get("author"), date)
    if not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", doc_id):
        raise BadInput(f"document id '{doc_id}' is not a lowercase slug", "use letters, digits and hyphens")
    return Metadata(doc_id=doc_id, file=file_name, sha256=sha, **values)


def _value_spans(text: str, record: dict[str, Any]) -> list[tuple[str, Span]]:
    """Where each top-level scalar value is written in the metadata file's text."""
    found = []
    for key, field in _METADATA_KEYS.items():
        value = record.get(key)
        if not isinstance(value, str | int) or isinstance(value, bool):
            continue
        written = re.escape(value) if isinstance(value, str) else str(value)
        quote = '"' if isinstance(value, str) else ""
        match = re.search(rf'"{re.escape(key)}"\s*:\s*{quote}({written}){quote}', text)
        if match:
            found.append((field, Span(match.start(1), match.end(1), match.group(1), "metadata")))
    return found


def _doc_id(path: Path, author: str | None, date: str | None) -> str:
    if author and date:
        return f"{slug(author.split()[-1])}-{str(date)[:4]}"
    return slug(path.stem)


def lines(text: str) -> list[Span]:
    """Every line of `text` without its line break, as spans."""
    result = []
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        content = match.group().rstrip("\r\n")
        result.append(Span(match.start(), match.start() + len(content), content))
    return result


def _normalised(line: str) -> str:
    """A line as a running header or footer recurs: page numbers and dates changing, spacing aside."""
    return " ".join(re.sub(r"\d+", "#", line).split())


def _repeated(text: str, rules: tuple[ParatextRule, ...]) -> dict[str, ParatextRule]:
    """Short lines that recur often enough to be running headers or footers, with the rule that says so."""
    counts: dict[str, int] = {}
    for line in lines(text):
        key = _normalised(line.anchor)
        if key:
            counts[key] = counts.get(key, 0) + 1
    found: dict[str, ParatextRule] = {}
    for rule in rules:
        if rule.repeats:
            for key, count in counts.items():
                if count >= rule.repeats and len(key) <= rule.max_length and rule.regex.search(key):
                    found.setdefault(key, rule)
    return found


def _classify(line: Span, rules: tuple[ParatextRule, ...], trailer: str | None,
              repeated: dict[str, ParatextRule] | None = None) -> tuple[list[Block], str | None]:
    """The paratext blocks of a line (empty for a body line) and the trailer state.

    A line matched by patterns that produce facts gives one block per match
    (a byline and a translator credit can share a line); a line matched only
    by fact-less patterns, or inside a trailer, is one block of that kind.  A
    running header or footer (a short line that recurs) is paratext wherever it is.
    """
    header = (repeated or {}).get(_normalised(line.anchor))
    if header is not None:
        return [Block(_strip(line), header.kind, rule_id=header.id, annotate=False)], trailer
    matches = [(rule, m) for rule in rules if rule.scope == "line" and not rule.repeats
               for m in [rule.regex.search(line.anchor)] if m]
    starts = next((r.kind for r, _ in matches if r.starts_trailer), None)
    productive = [(r, m) for r, m in matches if r.produces]
    if productive:
        blocks = []
        for rule, m in productive:
            fields = _fields(m, line.begin)
            begin, end = line.begin + m.start(), line.begin + m.end()
            blocks.append(Block(_strip(Span(begin, end, line.anchor[begin - line.begin:m.end()])), rule.kind, rule_id=rule.id,
                                fields=fields, annotate=rule.annotate, produces=rule.produces))
        return blocks, starts or trailer
    if matches:
        rule = matches[0][0]
        return [Block(_strip(line), rule.kind, rule_id=rule.id, annotate=rule.annotate)], starts or trailer
    if trailer is not None:
        return [Block(_strip(line), trailer, annotate=False)], trailer
    return [], None


def _fields(match: re.Match[str], offset: int) -> tuple[tuple[str, Span], ...]:
    """The named groups a pattern matched, as spans of the text (`offset`: where the searched string begins)."""
    return tuple((name, Span(offset + match.start(name), offset + match.end(name), match.group(name)))
                 for name in sorted(match.re.groupindex) if match.group(name))


_BULLETS = " \t\f\v\u00a0•‣◦▪·*"


def _strip(line: Span) -> Span:
    """The line without leading and trailing white space (and leading bullets)."""
    left = len(line.anchor) - len(line.anchor.lstrip(_BULLETS))
    stripped = line.anchor.lstrip(_BULLETS).rstrip()
    return Span(line.begin + left, line.begin + left + len(stripped), stripped)


PARAGRAPH_LINE = 150  # characters: longer lines are paragraphs of their own, shorter ones a hard wrap


def _one_paragraph_per_line(run: list[Span]) -> bool:
    lengths = sorted(len(line.anchor) for line in run)
    return len(run) > 1 and lengths[len(lengths) // 2] > PARAGRAPH_LINE


def layout(text: str, rules: tuple[ParatextRule, ...]) -> tuple[tuple[Span, ...], tuple[Block, ...], tuple[Block, ...]]:
    """Split `text` into sections, blocks (paragraphs and paratext) and inline markers."""
    blocks: list[Block] = []
    run: list[Span] = []
    blank_lines = 0
    section = 0
    trailer: str | None = None
    paragraph_seen = False
    repeated = _repeated(text, rules)

    def close_run() -> None:
        nonlocal paragraph_seen
        if run:
            # one paragraph per line (long lines, no blank lines between) is as common as hard-wrapped
            # paragraphs (short lines): long lines are each a paragraph, short ones make one together
            groups = [[line] for line in run] if _one_paragraph_per_line(run) else [list(run)]
            for group in groups:
                begin, end = group[0].begin, group[-1].end
                blocks.append(Block(Span(begin, end, text[begin:end]), "paragraph", section=section))
            run.clear()
            paragraph_seen = True

    every = lines(text)
    first = next((i for i, line in enumerate(every) if line.anchor.strip()), None)
    for index, line in enumerate(every):
        if not line.anchor.strip():
            close_run()
            blank_lines += 1
            continue
        if index == first and (title := _first_line(every, index, rules)):
            blocks.append(title)
            continue
        found, trailer = _classify(line, rules, trailer, repeated)
        if found:
            close_run()
            blocks.extend(found)
        else:
            if not run and paragraph_seen and blank_lines >= 2:
                section += 1
            run.append(_strip(line))
        blank_lines = 0
    close_run()
    markers = tuple(_markers(blocks, rules))
    sections = _sections(text, blocks)
    return sections, tuple(blocks), markers


def _first_line(every: list[Span], index: int, rules: tuple[ParatextRule, ...]) -> Block | None:
    """The text's first line as the block of a "first" rule (a title), when a blank line follows it."""
    line = every[index]
    if index + 1 >= len(every) or every[index + 1].anchor.strip():
        return None
    for rule in rules:
        if rule.scope == "first" and (m := rule.regex.search(line.anchor)):
            fields = _fields(m, line.begin)
            return Block(_strip(line), rule.kind, rule_id=rule.id, fields=fields, annotate=rule.annotate,
                         produces=rule.produces)
    return None


def _sections(text: str, blocks: list[Block]) -> tuple[Span, ...]:
    spans: dict[int, tuple[int, int]] = {}
    for block in blocks:
        if block.kind == "paragraph" and block.section is not None:
            begin, end = spans.get(block.section, (block.span.begin, block.span.end))
            spans[block.section] = (min(begin, block.span.begin), max(end, block.span.end))
    return tuple(Span(b, e, text[b:e]) for _, (b, e) in sorted(spans.items()))


def _markers(blocks: list[Block], rules: tuple[ParatextRule, ...]) -> list[Block]:
    found = []
    for block in blocks:
        if block.kind != "paragraph":
            continue
        for rule in rules:
            if rule.scope != "inline":
                continue
            for m in rule.regex.finditer(block.span.anchor):
                offset = block.span.begin
                fields = _fields(m, offset)
                found.append(Block(Span(offset + m.start(), offset + m.end(), m.group()), rule.kind,
                                   rule_id=rule.id, fields=fields, annotate=False, produces=rule.produces))
    return found


_QUOTE = re.compile(r"\"[^\"]*\"|“[^”]*”")  # inside one block: a quotation may be hard-wrapped


def quotations(block: Block) -> list[Span]:
    """Spans of text in double quotation marks inside a block (straight or curly marks)."""
    base = block.span.begin
    return [Span(base + m.start(), base + m.end(), m.group()) for m in _QUOTE.finditer(block.span.anchor)]


def read_source(path: Path, rules: tuple[ParatextRule, ...], overrides: dict[str, Any] | None = None) -> SourceText:
    """Read `path` with its metadata and lay it out."""
    data = read_bytes(path)
    text = decode(path, data)
    if not text.strip():  # only white space of any script: NBSP, EM SPACE, ideographic space
        raise BadInput(f"{path}: the file holds only white space", "pass a UTF-8 text file with the essay's text")
    metadata = read_metadata(path, overrides or {})
    sections, blocks, markers = layout(text, rules)
    return SourceText(
        file_name=path.name, text=text, sha256=hashlib.sha256(data).hexdigest(),
        metadata=metadata, sections=sections, blocks=blocks, markers=markers,
    )


def flat(text: str) -> str:
    """The text with every line break as a space: the same length, so offsets hold, and a name or a date
    hard-wrapped across lines ("Soviet\nUnion", "14\nJuly 2015") is one phrase for the pipeline and the patterns."""
    return text.replace("\r", " ").replace("\n", " ")
