"""`essay-kg draw`: the three pictures of the shipped graph, their content, limits, errors, and the HTML in a browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from essay_kg.cli import app
from essay_kg.query.engine import OxigraphGraph

from conftest import REPO, require_servers

SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


def draw(tmp_path: Path, kind: str, name: str, *args: str) -> tuple[Path, str]:
    out = tmp_path / name
    result = runner.invoke(app, ["draw", kind, "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out, result.stderr


def elements(svg: Path, kind: str) -> dict[str, ET.Element]:
    """The SVG's node or edge groups by id (the XML must parse)."""
    root = ET.parse(svg).getroot()
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("class") == kind}


def texts(group: ET.Element) -> str:
    return " ".join(t.text or "" for t in group.iter(f"{SVG}text"))


def count(sparql: str) -> int:
    return int(next(iter(OxigraphGraph().query(sparql)))[0].value)


POSITIONS = ("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ekg:Position ; ekg:holder/rdfs:label ?h ; "
             "ekg:target/rdfs:label ?t ; ekg:stance/ekg:polarity ?pol ; ekg:speechAct ?a ; ekg:evidence/nif:anchorOf ?q %s }")


def test_positions_draws_every_position_with_its_evidence(tmp_path: Path) -> None:
    svg, note = draw(tmp_path, "positions", "positions.svg", "--max-nodes", "500")
    edges = elements(svg, "edge")
    assert len(edges) == count(POSITIONS % "") and len(edges) > 90
    nodes = elements(svg, "node")
    holders = {texts(g) for i, g in nodes.items() if i.startswith("h-")}
    assert {"Russia", "Andrei Kozyrev"} <= holders
    assert "Left out" not in note
    root_text = " ".join(t.text or "" for t in ET.parse(svg).getroot().iter(f"{SVG}text"))
    # a footnote carries the exact words of a position
    assert "Russia opts for a pragmatic approach." in root_text
    colours = {g.find(f".//{SVG}path").get("stroke") for g in edges.values()}
    assert {"#1a9850", "#d73027"} <= colours  # support and oppose


def test_positions_of_one_holder(tmp_path: Path) -> None:
    svg, _ = draw(tmp_path, "positions", "russia.svg", "--holder", "russia")
    edges = elements(svg, "edge")
    assert len(edges) == count(POSITIONS % "FILTER (?h = 'Russia')")
    assert all(texts(g) for g in edges.values())  # each labelled with its stance
    sources = {g.find(f"{SVG}title").text.split("->")[0] for g in edges.values()}
    assert sources == {"h-russia"}
    target, _ = draw(tmp_path, "positions", "csce.svg", "--target", "CSCE")
    assert all(g.find(f"{SVG}title").text.endswith("->t-csce") for g in elements(target, "edge").values())


def test_a_limit_keeps_the_picture_readable_and_says_what_was_left_out(tmp_path: Path) -> None:
    svg, note = draw(tmp_path, "positions", "small.svg", "--max-nodes", "20")
    nodes = [i for i in elements(svg, "node") if i.startswith(("h-", "t-"))]
    assert len(nodes) <= 20
    assert re.search(r"note: Left out \(--max-nodes 20\): \d+ targets with \d+ positions", note)
    assert "Left out (--max-nodes 20)" in " ".join(t.text or "" for t in ET.parse(svg).getroot().iter(f"{SVG}text"))


def test_relations_around_an_entity(tmp_path: Path) -> None:
    svg, _ = draw(tmp_path, "relations", "russia.svg", "--focus", "russia", "--depth", "1")
    nodes = elements(svg, "node")
    labels = {texts(g) for i, g in nodes.items() if i.startswith("n-")}
    assert "Russia" in labels and "Commonwealth of Independent States" in labels
    assert "legend" in nodes and "State" in texts(nodes["legend"])
    edges = elements(svg, "edge")
    assert any(texts(g).startswith("has member") for g in edges.values())  # memberOf drawn once, as its inverse
    ends = [g.find(f"{SVG}title").text.split("->") for g in edges.values()]
    linked = {a for a, b in ends if b == "n-russia"} | {b for a, b in ends if a == "n-russia"}
    assert linked == {i for i in nodes if i.startswith("n-")} - {"n-russia"}  # depth 1: each one a neighbour of Russia
    russia = nodes["n-russia"]
    assert russia.find(f".//{SVG}polygon") is not None and russia.find(f".//{SVG}ellipse") is None  # a state is a box
    people = [g for g in nodes.values() if "Boris Yeltsin" in texts(g)]
    assert people and people[0].find(f".//{SVG}ellipse") is not None  # a person an ellipse
    wider, _ = draw(tmp_path, "relations", "wider.svg", "--focus", "russia", "--depth", "2", "--max-nodes", "500")
    assert len(elements(wider, "node")) > len(nodes)


def test_timeline_shows_spans_by_precision(tmp_path: Path) -> None:
    svg, _ = draw(tmp_path, "timeline", "timeline.svg")
    nodes = elements(svg, "node")
    bars = {i: g for i, g in nodes.items() if i.startswith("event-")}
    assert len(bars) == count("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e ekg:datePrecision ?p ; rdfs:label ?l }") > 5

    def width(group: ET.Element) -> float:
        xs = [float(x) for x in re.findall(r"(-?[\d.]+),", group.find(f".//{SVG}polygon").get("points"))]
        return max(xs) - min(xs)

    month = width(bars["event-august-1991-coup"])
    decade = width(bars["event-struggle-against-totalitarianism-1970s"])
    century = width(bars["event-education-of-alexander-ii"])
    assert month < decade < century  # a month is drawn narrower than a decade, a decade than 34 years
    labels = " ".join(texts(g) for i, g in nodes.items() if i.startswith("label-"))
    assert "1993 Russian legislative election" in labels and "1993-12 (month)" in labels
    assert "with Andrei Kozyrev" in labels  # participants listed
    assert "1800–1833 (century)" in labels and "after 1945" in labels


def test_the_same_graph_gives_the_same_picture(tmp_path: Path) -> None:
    for kind, suffix in (("positions", "svg"), ("relations", "html"), ("timeline", "svg"), ("positions", "dot")):
        first, _ = draw(tmp_path, kind, f"a.{suffix}")
        second, _ = draw(tmp_path, kind, f"b.{suffix}")
        assert first.read_bytes() == second.read_bytes(), kind


def test_png_is_a_picture(tmp_path: Path) -> None:
    from PIL import Image

    png, _ = draw(tmp_path, "timeline", "timeline.png")
    with Image.open(png) as image:
        assert image.format == "PNG" and image.width > 800 and len(image.getcolors(1 << 20) or []) > 5


def test_bad_requests_are_bad_input(tmp_path: Path) -> None:
    cases = [(["positions", "-o", str(tmp_path / "x.jpg")], "unknown picture format '.jpg'"),
             (["relations", "--focus", "atlantis", "-o", str(tmp_path / "x.svg")], "no entity 'atlantis'"),
             (["positions", "--holder", "nobody", "-o", str(tmp_path / "x.svg")], "no positions for holder 'nobody'"),
             (["timeline", "-o", str(tmp_path / "x.svg"), "--graph", str(tmp_path / "none.trig")], "no such graph file")]
    for args, message in cases:
        result = runner.invoke(app, ["draw", *args])
        assert result.exit_code == 2 and message in result.stderr and "hint:" in result.stderr, result.output
    assert not list(tmp_path.iterdir())  # nothing written


def test_without_graphviz_the_exit_is_3_with_the_install_hint(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    done = subprocess.run([sys.executable, "-m", "essay_kg", "draw", "timeline", "-o", str(tmp_path / "t.svg")],
                          env={**os.environ, "PATH": str(empty)}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and "Graphviz is not installed" in done.stderr and "apt-get install graphviz" in done.stderr
    assert not (tmp_path / "t.svg").exists()


def test_the_html_page_is_self_contained(tmp_path: Path) -> None:
    page, _ = draw(tmp_path, "positions", "positions.html", "--holder", "russia")
    text = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", text)  # nothing fetched from anywhere
    assert "Russia opts for a pragmatic approach." in text


def test_the_committed_pictures_are_those_the_script_draws(tmp_path: Path) -> None:
    """docs/ holds the pictures the README shows; docs/pictures.sh redraws them (compared element by element)."""
    script = (REPO / "docs" / "pictures.sh").read_text(encoding="utf-8")
    for line in re.findall(r"^essay-kg draw .*$", script, re.M):
        args = line.split()[2:]
        out = Path(args[args.index("-o") + 1])
        fresh = tmp_path / out.name
        args[args.index("-o") + 1] = str(fresh)
        assert runner.invoke(app, ["draw", *args]).exit_code == 0
        committed = REPO / out
        assert committed.is_file(), f"{committed} is missing: run docs/pictures.sh"
        if out.suffix == ".svg":
            for kind in ("node", "edge"):
                here = {i: texts(g) for i, g in elements(fresh, kind).items()}
                assert here == {i: texts(g) for i, g in elements(committed, kind).items()}, f"{out}: run docs/pictures.sh"
        elif out.suffix == ".html":
            strip = re.compile(r"<svg.*?</svg>", re.S)  # the layout inside may differ by Graphviz version
            assert strip.sub("", fresh.read_text(encoding="utf-8")) == strip.sub("", committed.read_text(encoding="utf-8"))


# --- the HTML page in a real browser ---------------------------------------------------------------------------

def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        message = "needs Chromium (Debian package chromium; .ci/run installs it) and the playwright package"
        if require_servers():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["positions", "relations", "timeline"])
def test_the_html_page_works_offline_in_a_real_browser(kind: str, tmp_path: Path) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    executable = chromium()
    page_file, _ = draw(tmp_path, kind, f"{kind}.html")
    expected = {"positions": ("h-", "t-"), "relations": ("n-",), "timeline": ("event-",)}[kind]
    svg_nodes = [i for i in elements_from_html(page_file) if i.startswith(expected)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        try:
            context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda message: problems.append(message.text) if message.type in {"error", "warning"}
                    else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            page.wait_for_load_state("load")
            shown = page.evaluate("(prefixes) => Array.from(document.querySelectorAll('#figure svg g.node'))"
                                  ".filter(g => prefixes.some(p => g.id.startsWith(p))).length", list(expected))
            assert shown == len(svg_nodes) > 5
            # resting the pointer on a drawn element shows what it stands for, with its words
            target = {"positions": "#position-1 text", "relations": "#relation-1 text", "timeline": "#event-august-1991-coup"}
            page.locator(target[kind]).first.hover()
            detail = page.locator("#detail")
            assert detail.is_visible() and detail.locator("blockquote").inner_text().strip()
            shot = tmp_path / f"{kind}.png"
            page.screenshot(path=str(shot), full_page=False)
            assert problems == [] and requests == [page_file.as_uri()]
        finally:
            browser.close()
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(1 << 24) or []
        assert len(colours) > 20  # not blank: lines, fills and text in many shades
        assert max(n for n, _ in colours) < 0.97 * image.width * image.height  # and not almost all one colour


def elements_from_html(page: Path) -> list[str]:
    import html

    text = page.read_text(encoding="utf-8")
    return [html.unescape(i) for i in re.findall(r'<g id="([^"]+)" class="node"', text)]
