"""The only layer that reads and writes the database.

Small typed functions, one module per subject.  Reads use ``db.session``;
writes take the ``session`` of a ``db.transaction()`` opened by the caller (a
service), so several writes commit or roll back together.  Results are read
as aggregated tuples, never as one ORM object per answer.
"""

#: The largest id or page number anything may ask for: a PostgreSQL ``integer``.
#: A bigger one is "not found", never an overflow error from the database.
LARGEST_ID = 2**31 - 1
