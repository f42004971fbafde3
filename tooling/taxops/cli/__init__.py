"""The command line: a thin edge. Each command is one function in ``commands/``
that calls the core and returns an exit code."""
