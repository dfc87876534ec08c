from alliances.tests.conftest import alliances  # noqa: F401  (fixture)
from pairing.tests.conftest import organs, programme  # noqa: F401  (fixtures)
