"""Plain helpers for the tests, one module a subject (the fixtures are in tests/conftest.py).

- ``charts``: the demonstration round's spread of departments, scored without a database;
- ``ci``: a missing service skips outside CI and fails under ``CI=true``;
- ``mail``: local mail servers and a GOV.UK Notify stand-in;
- ``pdf``: reading a printed spreadsheet back from its PDF;
- ``reports``: large rounds and board reports for the report tests.
"""
