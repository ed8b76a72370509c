"""Built-in layouts: every module here is imported by the registry and its Layout subclasses register themselves."""
