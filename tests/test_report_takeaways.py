"""Takeaway sentences: computed from the numbers (checked against scipy and pandas directly)."""
import numpy as np
import pandas as pd
from scipy import stats

from cybercult.report.takeaways import (hierarchy_reading, map_reading, performers_reading, scatter_reading)


def test_map_reading_names_extremes_and_median():
    d = pd.DataFrame({"country": ["Aland", "Bland", "Cland"], "gci2020.score": [20.0, 95.5, 60.0]},
                     index=["AAA", "BBB", "CCC"])
    s = map_reading(d["gci2020.score"], data=d)
    assert "from 20.0 (Aland) to 95.5 (Bland)" in s and "median is 60.0" in s and "Across 3 countries" in s


def test_scatter_reading_matches_scipy():
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"hofstede.pdi": rng.uniform(10, 100, 30)})
    d["gci2020.score"] = 90 - 0.3 * d["hofstede.pdi"] + rng.normal(0, 10, 30)
    r, p = stats.pearsonr(d["hofstede.pdi"], d["gci2020.score"])
    s = scatter_reading(d, "hofstede.pdi", "gci2020.score")
    assert f"r = {r:.2f}".replace("-", "\u2212") in s and "lower" in s and "n = 30" in s


def test_performers_and_hierarchy_readings_follow_the_numbers():
    perf = pd.DataFrame({"country": ["A", "B", "C"], "status": ["as expected", "under-performer", "as expected"],
                         "residual": [1.0, -30.0, 2.0]})
    assert performers_reading(perf, alpha=0.1) == ("Of 3 countries, 1 score below their 90% prediction interval (B); "
                                                   "the others score as the model expects.")
    assert performers_reading(perf.assign(status="as expected")).startswith("All 3 countries")
    steps = pd.DataFrame({"step": [1, 2], "block": ["development", "culture"], "r2": [0.26, 0.46],
                          "delta_r2": [0.26, 0.11], "p_value": [1e-4, 0.04], "p_value_robust": [1e-3, 0.11]})
    s = hierarchy_reading(steps)
    assert "adds \u0394R\u00b2 = 0.11" in s and "robust p = .11" in s and "disagree" in s
    assert "disagree" not in hierarchy_reading(steps.assign(p_value_robust=[1e-3, 0.2], p_value=[1e-4, 0.3]))
