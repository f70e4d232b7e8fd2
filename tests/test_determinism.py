"""Two builds are byte-identical, and the committed graphs equal a fresh build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import Dataset
from rdflib.compare import graph_diff, to_isomorphic

from conftest import REPO

FILES = ("kozyrev-1994.trig", "kozyrev-1994.nq", "kozyrev-1994.ttl")


def build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "essay_kg", "build", "--out", str(out)], check=True, env=env,
                   capture_output=True, timeout=300)


def test_two_builds_with_different_hash_seeds_are_byte_identical(tmp_path: Path, built: Path) -> None:
    build_in_subprocess(tmp_path / "a", "1")
    build_in_subprocess(tmp_path / "b", "4242")
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
        assert (tmp_path / "a" / name).read_bytes() == (built / name).read_bytes(), name


def test_committed_graphs_equal_a_fresh_build(built: Path) -> None:
    for name in FILES:
        committed, fresh = REPO / "graphs" / name, built / name
        if committed.read_bytes() != fresh.read_bytes():
            old, new = Dataset(), Dataset()
            old.parse(committed), new.parse(fresh)
            _, only_old, only_new = graph_diff(to_isomorphic(old), to_isomorphic(new))
            lines = [f"- {t}" for t in sorted(only_old)[:10]] + [f"+ {t}" for t in sorted(only_new)[:10]]
            raise AssertionError(f"{name} differs from a fresh build; run 'essay-kg build' and commit graphs/\n"
                                 + "\n".join(lines))


def test_trig_nquads_and_turtle_hold_the_same_triples(built: Path) -> None:
    trig, nquads = Dataset(), Dataset()
    trig.parse(built / FILES[0], format="trig")
    nquads.parse(built / FILES[1], format="nquads")
    assert len(trig) == len(nquads) and len(trig) > 10_000
    from rdflib import Graph

    union = Graph().parse(built / FILES[2], format="turtle")
    assert len(union) == len({(s, p, o) for s, p, o, _ in trig.quads((None, None, None, None))})


def test_the_linear_longturtle_writes_rdflibs_text(built: Path) -> None:
    from rdflib import Graph, Literal, Namespace, URIRef

    from essay_kg.rdf.turtle import longturtle

    dataset = Dataset()
    dataset.parse(built / "kozyrev-1994.trig")
    graphs = sorted(dataset.graphs(), key=lambda g: str(g.identifier))
    assert sum(len(g) for g in graphs) > 20_000
    for graph in graphs:
        assert longturtle(graph) == graph.serialize(format="longturtle"), graph.identifier
    # a predicate in no bound namespace: rdflib binds ns1 for it, and an object in that namespace then takes it
    odd = Graph()
    odd.bind("ex", Namespace("http://example.org/"))
    odd.add((URIRef("http://example.org/a"), URIRef("http://other.example/vocab/p"), URIRef("http://other.example/vocab/o")))
    odd.add((URIRef("http://example.org/position/7-a-b"), URIRef("http://example.org/q"), Literal("x")))
    assert longturtle(odd) == odd.serialize(format="longturtle")
    assert "ns1:o" in longturtle(odd)
