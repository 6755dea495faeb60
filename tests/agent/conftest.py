"""Agent tests never call a model: `FunctionModel` scripts every answer, and real requests are refused."""

from __future__ import annotations

import pydantic_ai.models
import pytest


@pytest.fixture(autouse=True)
def no_model_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", False)
