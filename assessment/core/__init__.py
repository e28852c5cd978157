"""The pure domain of Joined-Up: question bank types, scoring and consistency.

Standard library only: no Flask, no SQLAlchemy (``tests/test_architecture.py``
enforces it).  Adapters around it turn database rows, YAML files and form posts
into these types and the results back into pages, JSON and workbooks.
"""
