"""`taxops fix`: the findings with one right fix, written into the YAML files."""
