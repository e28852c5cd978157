"""Templates, blueprints, language and error pages: the web side of the app."""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from .core.names import display_name
from .extensions import babel, csrf
from .http_errors import error_page, retry_after
from .queries import LARGEST_ID


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: at most :data:`LARGEST_ID`, else 404."""

    def __init__(self, url_map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


def select_locale() -> str:
    """Welsh or English: the respondent's choice, kept in the session.

    Outside a request (the command line) messages are in English.
    """
    if not has_request_context():
        return "en"
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in ("en", "cy") else "en"


def init_app(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader([
        PackageLoader("assessment"),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    from govuk_frontend_wtf.main import WTFormsHelpers

    WTFormsHelpers(app)

    from .views import main, setup

    app.register_blueprint(setup.bp)
    app.register_blueprint(main.bp)
    from .views import admin, health

    app.register_blueprint(admin.bp)
    app.register_blueprint(health.bp)
    from .views import rounds, rounds_mail, survey  # noqa: F401  (rounds_mail adds routes to rounds.bp)

    app.register_blueprint(rounds.bp)
    app.register_blueprint(survey.bp)
    from .views import api, api_docs, results

    app.register_blueprint(results.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_docs.bp)
    from .views import workshop

    app.register_blueprint(workshop.bp)
    from .views import jobs

    app.register_blueprint(jobs.bp)
    from .views import demo

    app.register_blueprint(demo.bp)
    from .views import benchmarks, service, switch

    app.register_blueprint(service.bp)
    app.register_blueprint(switch.bp)
    app.register_blueprint(benchmarks.bp)

    @app.context_processor
    def language_context() -> dict[str, str]:
        return {"current_language": select_locale()}

    def shown_name(english: str, welsh: str | None = None) -> str:
        """A department's, round's or organisation's name in the reader's language."""
        return display_name(english, welsh, select_locale())

    app.jinja_env.globals["shown_name"] = shown_name

    @app.before_request
    def remember_language() -> None:
        if request.args.get("lang") in ("en", "cy"):
            session["lang"] = request.args["lang"]

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        body, code = error_page(error.code or 500)
        return body, code, retry_after(error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("Unexpected error")
        return error_page(500)
