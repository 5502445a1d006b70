"""How a failed expectation's unexpected values read in the refresh summary."""

from __future__ import annotations

import numpy as np

from gewh.refresh.validate import shown


def test_unexpected_values_read_as_plain_values():
    assert shown([np.True_]) == "True"
    assert shown([np.int64(3), np.float64(0.5)]) == "3; 0.5"
    assert shown(["r [delivery_rate_mismatch] period: expected 78.75%, found 78%", "r [x] y"]) == (
        "r [delivery_rate_mismatch] period: expected 78.75%, found 78%; r [x] y"
    )
    assert shown(np.int64(7)) == "7"
