"""trustc: a compiler for asset-backed-securities trustee reports.

    >>> import trustc
    >>> ast = trustc.compile_file("corpus/filings/absc-2003-he2_8k_2003-12-15.txt")
    >>> text = trustc.emit(ast, "json")
"""
from .compiler.ast import Compilation
from .compiler.driver import CompileError, compile_file, compile_text
from .emitters import emit

__version__ = "0.1.0"
__all__ = ["Compilation", "CompileError", "compile_file", "compile_text", "emit", "__version__"]
