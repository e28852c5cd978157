"""The results pages of leads and trainers, built beside their routes.

- :mod:`.routes`: the URLs (dashboard, print view, department, compare, plan,
  targets, challenges, chart files); each reads a round through
  ``services.results`` and hands templates plain view objects.
- :mod:`.view`: :class:`~.view.RoundView`, a round's analysis in the reader's language.
- Presenters, one per part of a page: :mod:`.dashboard` (heatmap, response
  tracker), :mod:`.gaps` (flags as the pages list them, from
  :func:`assessment.flags.explain_flags`), :mod:`.figures` (chart descriptions,
  summaries and data tables), :mod:`.history` (change between rounds),
  :mod:`.department` (a department's answers), :mod:`.plan` (the action plan).
- :mod:`.forms`: the compare, targets and challenge forms.
"""

from .routes import bp

__all__ = ["bp"]
