"""The governed documents' models: plain Pydantic data, no I/O."""
