"""Property-based run over the OpenAPI schema: no generated request may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from search_api.app import create_app

EXAMPLES_PER_OPERATION = 30


@pytest.mark.model
def test_no_generated_request_causes_a_server_error(seed_service):
    app = create_app(seed_service.settings, service=seed_service, with_ui=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(checks=[not_a_server_error])

        check()
