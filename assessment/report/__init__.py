"""The board report: what a round's board paper says, built once, laid out twice.

- :mod:`.content`: :func:`~.content.board_report` turns an analysed round (a
  :class:`~assessment.views.results.view.RoundView`, read through
  ``services.results``) into a typed :class:`~.content.BoardReport`: title
  block, radar, gaps, departments (summarised for large rounds), spread, change,
  action plan and notes.  Its words are the results pages' own: it takes them
  from the same presenters.
- :mod:`.notes`: the "how to read this" and method notes, with the round's
  thresholds.
- :mod:`.word`: the report as an editable Word document (python-docx), charts
  as PNG images and tables as Word tables.

The print view (``templates/results/print.html``) and the Word document only
lay the report out; neither works anything out again.
"""

from .content import BoardReport, board_report

__all__ = ["BoardReport", "board_report"]
