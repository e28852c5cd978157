"""govuk-frontend-wtf widgets whose hidden error prefix follows the page's language.

The stock widgets overwrite ``errorMessage`` after the template's params, so the
visually hidden "Error:" could not be translated ("Gwall:" in Welsh).  Every form
in the app uses these instead of the stock ones.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovTextInput,
)

from .core.answers import MAX_NOTE_LENGTH

#: Plural categories the character count may ask for (Welsh uses all six).
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")


class LocalisedErrors:
    """Sets the error message's hidden prefix in the page's language."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)  # type: ignore[misc]
        if "errorMessage" in params:
            params["errorMessage"]["visuallyHiddenText"] = _("Error")
        return params


class TextInput(LocalisedErrors, GovTextInput):
    pass


class PasswordInput(LocalisedErrors, GovPasswordInput):
    pass


class Checkbox(LocalisedErrors, GovCheckboxInput):
    pass


class Radios(LocalisedErrors, GovRadioInput):
    pass


class Select(LocalisedErrors, GovSelect):
    pass


class Checkboxes(LocalisedErrors, GovCheckboxesInput):
    pass


class FileInput(LocalisedErrors, GovFileInput):
    pass


class CharacterCount(LocalisedErrors, GovCharacterCount):
    """A textarea with a character count whose messages are translated."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("maxlength", MAX_NOTE_LENGTH)
        params["textareaDescriptionText"] = _("You can enter up to %{count} characters")
        params["charactersUnderLimitText"] = _plural_messages(
            _("You have %{count} character remaining"), _("You have %{count} characters remaining"))
        params["charactersAtLimitText"] = _("You have 0 characters remaining")
        params["charactersOverLimitText"] = _plural_messages(
            _("You have %{count} character too many"), _("You have %{count} characters too many"))
        return params


def _plural_messages(one: str, other: str) -> dict[str, str]:
    """Every plural form the browser may ask for (Welsh has six)."""
    return {form: one if form == "one" else other for form in PLURAL_FORMS}

