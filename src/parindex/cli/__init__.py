"""The ``parindex`` command: one module per sub-command."""
