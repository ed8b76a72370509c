"""The compiler: reading input, line-level parsing, the AST, checks, diagnostics, the layout registry."""
