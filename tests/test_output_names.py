"""Output file names: nothing in an input's name or its envelope can steer where output goes.

(Escaping inside XML/HTML/CSV output is the emitters' concern and tested there.)
"""
from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustc.cli import main
from trustc.compiler.output import safe_stem

from .conftest import FILINGS

SAFE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def assert_safe(stem: str) -> None:
    assert SAFE.fullmatch(stem), stem
    assert ".." not in stem and len(stem) <= 200
    assert stem.split(".")[0].lower() not in RESERVED
    # Joined to a folder, it stays in that folder.
    joined = os.path.normpath(os.path.join("/out", stem + ".json"))
    assert os.path.dirname(joined) == "/out"


@pytest.mark.parametrize("name, expected", [
    ("corpus/filings/absc-2003-he2_8k_2003-12-15.txt", "absc-2003-he2_8k_2003-12-15"),
    ("../../etc/passwd", "passwd"),
    ("..", "input"),
    ("../..", "input"),
    ("/", "input"),
    ("", "input"),
    ("C:\\Windows\\System32\\con.txt", "_con"),
    ("dir\\..\\..\\x.txt", "x"),
    ("CON", "_CON"),
    ("nul.json", "_nul.json"),
    ("lpt1", "_lpt1"),
    ("COM9.txt", "_COM9"),
    (".hidden", "hidden"),
    ("a b\x00c\nd.txt", "a_b_c_d"),
    ("évènement.txt", "v_nement"),
    ("x" * 1000, "x" * 200),
    ("0..0", "0_0"),
    ("con..con", "con_con"),
    ("filing.txt.gz", "filing"),
])
def test_safe_stem_examples(name, expected):
    assert safe_stem(name) == expected
    assert_safe(safe_stem(name))


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_safe_stem_any_text(name):
    assert_safe(safe_stem(name))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["..", ".", "/", "\\", "con", "NUL", "a", "", "~", ":", "$", "\x00", " "]), max_size=12))
def test_safe_stem_path_pieces(pieces):
    assert_safe(safe_stem("".join(pieces)))


def test_hostile_envelope_names_write_inside_the_output_folder(tmp_path):
    # An EDGAR envelope whose document names try to escape; the output name comes from the
    # input file name only, made safe, and every output lands in the folder asked for.
    text = (FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt").read_text(encoding="utf-8")
    lines = text.split("\n")[:400]
    lines = [line.replace("<FILENAME>0001.txt", "<FILENAME>../../../etc/cron.d/x")
                 .replace("<FILENAME>0002.txt", "<FILENAME>CON")
                 .replace("<CONFORMED-NAME>RESIDENTIAL", "<CONFORMED-NAME>../../RESIDENTIAL") for line in lines]
    source = tmp_path / "in" / "..%2F..%2Fescape CON.txt"
    source.parent.mkdir()
    source.write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["compile", "-q", str(source), "-o", str(out)]) in (0, 1)
    written = [os.path.join(root, f) for root, _dirs, files in os.walk(tmp_path) for f in files]
    produced = sorted(p for p in written if not p.startswith(str(source.parent)))
    assert produced == [str(out / "2F__2Fescape_CON.json"), str(out / "manifest.jsonl")]


def test_two_inputs_with_one_name_do_not_overwrite(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "con.txt").write_text("FORM 8-K\n", encoding="utf-8")
    out = tmp_path / "out"
    main(["compile", "-q", str(tmp_path / "a" / "con.txt"), str(tmp_path / "b" / "con.txt"), "-o", str(out)])
    assert sorted(os.listdir(out)) == ["_con-2.json", "_con.json", "manifest.jsonl"]
