from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from alliances.tests.conftest import alliances  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield
