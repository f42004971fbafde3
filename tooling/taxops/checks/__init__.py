"""Checks that run inside one governed file, beyond what the models' shapes say."""
