"""Every layout's grammar builds as LALR(1) with no conflict Lark would resolve silently."""
import pytest
from lark import Lark

from trustc.compiler.layout import layouts
from trustc.compiler.lines import GRAMMAR_DIR, LineLexer


@pytest.mark.parametrize("layout_id", sorted(layouts()))
def test_grammar_is_strict_lalr(layout_id):
    cls = layouts()[layout_id]
    Lark.open(str(GRAMMAR_DIR / cls.grammar), parser="lalr", lexer=LineLexer, start=cls.start, strict=True,
              import_paths=[str(GRAMMAR_DIR)])


def test_parser_is_built_once_per_process():
    cls = layouts()["us-bank"]
    assert cls.parser() is cls.parser()
