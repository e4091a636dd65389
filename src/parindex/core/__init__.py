"""The pure domain of parindex: methodologies, scoring, surveys, units.

Nothing here imports Django, an ORM, the web layer, reports or the CLI; a test walks the imports.
"""
