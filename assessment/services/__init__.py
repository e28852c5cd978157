"""Services: the one place pages, the JSON API and the CLI call to do things.

Each service reads and writes through ``assessment.queries`` and leaves all
scoring to ``assessment.core``.
"""
