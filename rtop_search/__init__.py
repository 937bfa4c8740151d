"""The composition root: the CLI and the served app, tying indexer, API, UI and eval together.

Nothing imports this package; ``[project.scripts]`` points at ``rtop_search.cli:app``.
"""
