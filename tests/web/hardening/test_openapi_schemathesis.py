"""Schemathesis against the API on a bounded budget (issue 16 item 6): every GET, POST, PUT and
PATCH operation (DOUDI_SCHEMATHESIS_METHODS), a few generated requests each (DOUDI_SCHEMATHESIS_EXAMPLES),
as a logged-in county approver on a small data set; no answer may be a server error, and each
answer's status code, content type and body must be what the OpenAPI document says."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.django_db

METHODS = set(os.environ.get("DOUDI_SCHEMATHESIS_METHODS", "GET,POST,PUT,PATCH").upper().split(","))
EXAMPLES = int(os.environ.get("DOUDI_SCHEMATHESIS_EXAMPLES", "3"))  # per operation: a bounded budget


def test_every_get_operation_answers_as_the_document_says(client_for, huining_approver, huining_household,
                                                          calendar):
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from doudi.web.wsgi import application

    c = client_for(huining_approver)
    raw = c.get("/api/schema/", {"format": "json"}).json()
    schema = schemathesis.openapi.from_dict(raw)
    c.get("/registry/households/")  # sets the CSRF cookie: unsafe methods send it back as X-CSRFToken
    token = c.cookies["csrftoken"].value
    cookie = {"sessionid": c.cookies["sessionid"].value, "csrftoken": token}
    wanted = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    statuses: dict[int, int] = {}
    n = 0
    def probe(op):  # noqa: ANN001, ANN202
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy())
        def run(case):  # noqa: ANN001, ANN202
            nonlocal n
            n += 1
            try:
                response = case.call(app=application, cookies=cookie, headers={"X-CSRFToken": token})
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                case.validate_response(response, checks=wanted)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
                failures.append(f"{op.method.upper()} {op.path}: {' '.join(str(exc).split())[:300]}")

        run()

    # the WSGI application closes the database connection after each request; inside a test
    # transaction it must not (Django's test client disconnects the same handlers)
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        for result in schema.get_all_operations():
            op = result.ok()
            if op.method.upper() in METHODS:
                probe(op)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert n > 20
    print("schemathesis:", n, "requests, status codes", dict(sorted(statuses.items())))
    if "GET" in METHODS:  # not all refused: the requests reach the views and their answers are checked
        assert sum(v for k, v in statuses.items() if k < 300) > 10
    unique = sorted(set(failures))
    assert not unique, f"{len(unique)} mismatches:\n" + "\n".join(unique)
