from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest


@pytest.fixture(params=["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def process_timezone(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test with the process's local time at UTC+14, then at UTC-11 (rule 6)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    try:
        yield request.param
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
