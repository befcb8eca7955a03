"""Variables computed from bundled ones, country by country, in the same year."""
from __future__ import annotations

import numpy as np

from .variables import Variable

# id -> (Variable, [input ids], function of the input Series in that order)
DERIVED = {
    "wdi.log_gdppc_ppp": (
        Variable("wdi.log_gdppc_ppp", "Log GDP per capita, PPP", "ln current intl $", 5, 12.5,
                 "richer", "yearly", "development",
                 "Natural log of wdi.gdppc_ppp (NY.GDP.PCAP.PP.CD)."),
        ["wdi.gdppc_ppp"],
        lambda g: np.log(g.where(g > 0)),
    ),
    "wdi_af.per1000": (
        Variable("wdi_af.per1000", "Armed forces per 1,000 people", "per 1,000", 0, 60,
                 "more personnel", "yearly", "military",
                 "wdi_af.personnel / wdi.population x 1000, both for the same year."),
        ["wdi_af.personnel", "wdi.population"],
        lambda af, pop: af / pop.where(pop > 0) * 1000.0,
    ),
}
