"""Emitters are found through the entry-point group `trustc.emitters`, third-party ones included."""
from __future__ import annotations

import textwrap

import pytest

import trustc
from trustc.cli import main
from trustc.emitters import emitters

from .helpers import compiled, install_distribution

PLUGIN = textwrap.dedent('''
    """A third-party emitter: one line per statement with its fact count."""
    from trustc.emitters import Emitter


    class CountEmitter(Emitter):
        name = "fact-count"
        description = "facts per statement (a third-party emitter)"
        extension = ".count.txt"

        def emit(self, compilation):
            return "".join(f"{s.series or s.pool or '-'} {len(s.facts)}\\n" for s in compilation.statements)
''')


def install_plugin(directory, monkeypatch):
    install_distribution(directory, monkeypatch, "trustc_fact_count", PLUGIN, "trustc.emitters",
                         "fact-count = trustc_fact_count:CountEmitter")


def test_builtin_emitters_are_registered():
    assert {"json", "xml", "csv", "statement", "html"} <= set(emitters())


def test_emitters_command_lists_one_line_each(capsys):
    assert main(["emitters"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert {"json", "xml", "csv", "statement", "html"} <= set(names) and len(names) == len(set(names))


def test_third_party_emitter_through_a_real_entry_point(tmp_path, monkeypatch, capsys, reference_path):
    assert "fact-count" not in emitters()
    install_plugin(tmp_path, monkeypatch)
    assert "fact-count" in emitters()
    assert main(["emitters"]) == 0
    assert "facts per statement (a third-party emitter)" in capsys.readouterr().out
    assert main(["compile", "--to", "fact-count", reference_path]) == 0
    assert capsys.readouterr().out == "2003-HE2 386\n"
    assert trustc.emit(compiled(reference_path), "fact-count") == "2003-HE2 386\n"


def test_broken_plugin_does_not_take_the_others_down(tmp_path, monkeypatch):
    info = tmp_path / "trustc_broken-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: trustc-broken\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[trustc.emitters]\nbroken = no_such_module:Nothing\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.warns(RuntimeWarning, match="emitter plugin 'no_such_module:Nothing' failed to load"):
        found = emitters()
    assert "broken" not in found and "xml" in found
