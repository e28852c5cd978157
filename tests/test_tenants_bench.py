"""The tenants benchmark's data: every organisation owns its own round and departments."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from assessment.extensions import db
from assessment.models import Department, Organisation, Response, Round
from benchmarks.tenants_bench import add_organisation


def test_each_organisation_gets_its_round_and_only_its_departments(app: Flask) -> None:
    rounds = [add_organisation(app, number, departments=2) for number in (1, 2, 3)]
    with app.app_context():
        organisations = dict(db.session.execute(select(Organisation.name, Organisation.id)).all())
        for number, round_id in zip((1, 2, 3), rounds, strict=True):
            owner = organisations[f"Organisation {number:02d}"]
            assert db.session.get(Round, round_id).organisation_id == owner
            taking_part = set(db.session.scalars(
                select(Response.department_id).where(Response.round_id == round_id)))
            owned = set(db.session.scalars(select(Department.id).where(Department.organisation_id == owner)))
            assert len(taking_part) == 2 and owned == taking_part
