"""How much of a costly hostile case runs: few fixed fuzz examples (and smaller
inputs) in ``make test``, many random ones (and the full size) in ``make hardening``.

The profiles are registered in ``tests/conftest.py`` and chosen by
``HYPOTHESIS_PROFILE`` (``default`` unless set; ``make hardening`` sets
``hardening``). ``default`` is derandomized: every run tries the same examples, so
a green suite stays green and a red one is red for a reason that replays.
"""

from __future__ import annotations

from hypothesis import settings

DEFAULT = 100  # max_examples of the default profile (Hypothesis' own default)
FULL = 500  # ... of the hardening profile


def scaled(full: int) -> int:
    """``full`` under the hardening profile, a fifth of it in ``make test`` (the share
    ``max_examples`` has of ``FULL``), at least 5: ``@settings(max_examples=scaled(150))``
    for a costly property test, ``scaled(100_000)`` entries for a huge feed. A plain
    ``@given`` test tries 100 examples in ``make test`` and 500 in ``make hardening``."""
    return max(5, full * settings.default.max_examples // FULL)
