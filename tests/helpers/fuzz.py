"""How many examples a property test tries: few and fixed in ``make test``, many and
random in ``make hardening``.

The profiles are registered in ``tests/conftest.py`` and chosen by
``HYPOTHESIS_PROFILE`` (``default`` unless set; ``make hardening`` sets
``hardening``). ``default`` is derandomized: every run tries the same examples, so
a green suite stays green and a red one is red for a reason that replays.
"""

from __future__ import annotations

from hypothesis import settings

DEFAULT = 100  # max_examples of the default profile (Hypothesis' own default)
FULL = 500  # ... of the hardening profile


def examples(full: int) -> int:
    """For a costly property test: ``full`` examples under the hardening profile, a
    fifth of them in ``make test`` (the share ``max_examples`` has of ``FULL``), at
    least 5. A plain ``@given`` test tries 100 examples there and 500 here."""
    return max(5, full * settings.default.max_examples // FULL)
