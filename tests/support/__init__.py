"""Plain helpers for the tests, one module a subject (the fixtures are in tests/conftest.py).

- ``apps``: the settings every test app starts from, and presets for ``app_settings``;
- ``charts``: the demonstration round's spread of departments, scored without a database;
- ``ci``: a missing service skips outside CI and fails under ``CI=true``;
- ``databases``: a new migrated SQLite file, an emptied PostgreSQL database;
- ``files``: CSV made from rows, xlsx workbooks read back;
- ``imports``: answers put into a round through the importer;
- ``jobs``: a real job consumer process;
- ``mail``: local mail servers and a GOV.UK Notify stand-in;
- ``pdf``: reading a printed spreadsheet back from its PDF;
- ``people``: users, and a client as each kind of visitor (``signed_in_client``, ``sign_in``);
- ``reports``: large rounds and board reports for the report tests;
- ``rounds``: ``RoundFactory``, the one way tests make a round;
- ``security``: the security tests' small organisation (``build_world``);
- ``snapshots``: every row of every table, for "nothing changed" checks;
- ``survey``: the questionnaire as a respondent uses it.
"""
