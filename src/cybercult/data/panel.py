"""Merge tidy long sources into one country panel, with an audit of who is in and why."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from ..errors import UnknownVariableError
from .catalogue import get_variable, variable_ids
from .countries import country_name
from .derived import DERIVED
from .loaders import LOADERS, load_source

DEFAULT_OUTCOME = "gci2020.score"
HOFSTEDE4 = ["hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
HOFSTEDE6 = HOFSTEDE4 + ["hofstede.lto", "hofstede.ivr"]

#: Predictor blocks of the default study, in the order they enter the hierarchical model.
DEFAULT_BLOCKS: dict[str, list[str]] = {
    "development": ["wdi.log_gdppc_ppp"],
    "politics": ["eiu.democracy"],
    "military": ["sipri.milex_gdp", "wdi_af.per1000"],
    "culture": list(HOFSTEDE4),
}
DEFAULT_PREDICTORS = [v for block in DEFAULT_BLOCKS.values() for v in block]

#: Variables of the default panel: outcomes, predictors and companions used in figures.
DEFAULT_VARIABLES = [
    "gci2020.score", "gci2020.legal", "gci2020.technical", "gci2020.organizational",
    "gci2020.capacity", "gci2020.cooperation", "gci2017.score", "gci2018.score",
    "gci2024.score", "gci2024.tier", "ncsi.score",
    *HOFSTEDE6, "wvs.trad_secular", "wvs.surv_selfexp",
    "eiu.democracy", "eiu.regime", "fh.total", "fh.status", "vdem.polyarchy", "wgi.ge", "cpi.score",
    "sipri.milex_gdp", "wdi_af.per1000",
    "wdi.gdppc_ppp", "wdi.log_gdppc_ppp", "wdi.population", "wdi_net.internet", "undp.hdi",
]

#: Sample rules: a country enters the panel when it has the outcome and ...
SAMPLE_RULES: dict[str, tuple[str, list[str]]] = {
    "hofstede4": ("all", HOFSTEDE4),
    "hofstede6": ("all", HOFSTEDE6),
    "hofstede_any": ("any", HOFSTEDE6),
    "outcome": ("all", []),
}
DEFAULT_SAMPLE = "hofstede4"
STUDY_N = 81  # countries in the Pisa / UC3M study this package follows
_MATCH_COLUMNS = ["source", "name", "iso3", "rule", "detail"]


@dataclass(frozen=True)
class Panel:
    """A country panel and its audit.

    Attributes
    ----------
    data : DataFrame
        One row per included country (index ``iso3``), column ``country`` then one
        column per variable id.
    years : DataFrame
        Same shape as ``data`` (without ``country``): the year each value came from.
    audit : DataFrame
        One row per country seen in any loaded source: ``iso3, country, included,
        reason, missing_required, n_present, pattern_matches`` (the last lists names that
        only a pattern matched to this country, with their file or source).
    excluded_rows : DataFrame
        Rows the loaders dropped on purpose (aggregates, sub-national samples):
        ``source, name, reason``.
    corrections : DataFrame
        Corrections applied to raw values.
    notes : tuple of str
        Loader checks (e.g. the GCI 2024 tier-count check) and range warnings.
    name_matches : DataFrame
        ``source, name, iso3, rule, detail``: every country cell of the researcher's own
        files with the rule that matched it (code, name, alias, country map, pattern), and
        every name of a bundled source that only a pattern matched (with the expression).
    """

    data: pd.DataFrame
    years: pd.DataFrame
    audit: pd.DataFrame
    excluded_rows: pd.DataFrame
    corrections: pd.DataFrame
    variables: tuple[str, ...]
    required: tuple[str, ...]
    sample: str
    year: int
    window: int
    notes: tuple[str, ...] = field(default_factory=tuple)
    name_matches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_MATCH_COLUMNS))

    @property
    def n(self) -> int:
        return len(self.data)

    @property
    def excluded(self) -> pd.DataFrame:
        """Countries seen but not included, with the reason."""
        return self.audit[~self.audit["included"]].reset_index(drop=True)

    def summary(self) -> str:
        ex = self.excluded
        lines = [
            f"cybercult panel: {self.n} countries x {len(self.variables)} variables, reference year {self.year} "
            f"(yearly values from {self.year - self.window}-{self.year}), sample rule '{self.sample}' "
            f"(required: {', '.join(self.required)})",
            f"countries seen in the loaded sources: {len(self.audit)}; included {self.n}; excluded {len(ex)}",
        ]
        if len(ex):
            counts = ex["reason"].value_counts()
            for reason, k in counts.items():
                lines.append(f"  excluded {k:3d}: {reason}")
        lines.append(f"non-country rows dropped by loaders: {len(self.excluded_rows)} "
                     f"(aggregates and sub-national samples; see .excluded_rows)")
        lines.append(f"corrections applied: {len(self.corrections)}")
        pat = self.name_matches[self.name_matches["rule"] == "pattern"] if len(self.name_matches) else []
        if len(pat):
            lines.append(f"country names matched only by a pattern, not exactly: {len(pat)} "
                         f"({', '.join(repr(n) + '->' + str(i) for n, i in zip(pat['name'][:5], pat['iso3'][:5]))}"
                         f"{' ...' if len(pat) > 5 else ''}; see .name_matches)")
        for note in self.notes:
            lines.append(f"note: {note}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = self.summary().replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>")
        return f"<p>{head}</p>" + self.data.head(10).to_html()


def _sources_for(variables: Iterable[str]) -> list[str]:
    out = []
    for v in variables:
        deps = DERIVED[v][1] if v in DERIVED else [v]
        for d in deps:
            s = d.split(".", 1)[0]
            if s in LOADERS and s not in out:
                out.append(s)
    return out


def _pick(long: pd.DataFrame, timing: str, year: int, window: int) -> pd.DataFrame:
    """One value per country: the rule of the variable's timing (see Variable)."""
    if timing == "yearly":
        long = long[(long["year"] <= year) & (long["year"] >= year - window)]
    if long.empty:
        return long
    return long.sort_values(["iso3", "year"]).groupby("iso3", sort=True).tail(1)


def _derived_long(var_id: str, longs: dict[str, pd.DataFrame]) -> pd.DataFrame:
    _var, deps, fn = DERIVED[var_id]
    wide = None
    for d in deps:
        part = longs[d].set_index(["iso3", "year"])["value"].rename(d)
        wide = part.to_frame() if wide is None else wide.join(part, how="inner")
    vals = fn(*[wide[d] for d in deps]).dropna()
    out = vals.rename("value").reset_index()
    out["variable"] = var_id
    return out


def build_panel(variables: Sequence[str] | None = None, year: int = 2020, *, window: int = 3,
                sample: str = DEFAULT_SAMPLE, outcome: str = DEFAULT_OUTCOME,
                require: Sequence[str] | None = None,
                extra: Sequence[str | PathLike | pd.DataFrame | Mapping] | None = None,
                country_map: str | PathLike | Mapping[str, str] | None = None,
                exact_names: bool = False) -> Panel:
    """Build the country panel for a reference year.

    Parameters
    ----------
    variables : list of str, optional
        Variable ids (see :func:`cybercult.catalogue`); default :data:`DEFAULT_VARIABLES`.
    year : int
        Reference year for yearly sources.
    window : int
        A yearly value is taken from ``year`` or, when missing, from the nearest
        earlier year no more than ``window`` years before it.
    sample : {"hofstede4", "hofstede6", "hofstede_any", "outcome"}
        Which countries enter: those with ``outcome`` and all four original
        Hofstede dimensions (default), all six, any of the six, or the outcome only.
    outcome : str
        Outcome variable required for every included country.
    require : list of str, optional
        Further variables every included country must have.
    extra : list of path, DataFrame or mapping, optional
        Your own indicator files (see :func:`read_indicator_file`); their
        variables (``user.<file stem>.<column>``) are added to the panel. A path
        ``"book.xlsx#Sheet"`` names an Excel sheet; a mapping gives
        :func:`read_indicator_file` keywords with the file under ``"path"``.
    country_map : CSV path or mapping, optional
        Your own name -> ISO3 table for the country names of the extra files.
    exact_names : bool
        Refuse country names of the extra files that only a pattern matches.

    Returns
    -------
    Panel
        ``.data`` (one row per country, ISO3 index), ``.years``, ``.audit``,
        ``.excluded_rows``, ``.corrections``, ``.notes``.

    Notes
    -----
    Static sources (one edition: GCI, Hofstede, GLOBE, NCSI) are used as
    published whatever the reference year; survey sources with waves (WVS) use
    each country's latest wave; yearly sources use the rule above. The year each
    value came from is kept in ``.years``.

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel()
    >>> panel.data.loc["EST", "gci2020.score"]
    np.float64(99.48)
    """
    from .countries import pattern_matches
    from .userdata import read_indicator_file, split_extra_spec

    if sample not in SAMPLE_RULES:
        raise ValueError(f"unknown sample rule {sample!r}; valid: {', '.join(SAMPLE_RULES)}")
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError(f"year must be an integer, got {year!r}")
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    variables = list(DEFAULT_VARIABLES if variables is None else variables)
    if not variables:
        raise ValueError("variables is empty: name at least one variable id")
    user_long, user_matches, origin = [], [], {}
    for i, item in enumerate(extra or []):
        if isinstance(item, pd.DataFrame):
            kwargs = {"source": item, "name": f"user.frame{i + 1}" if len(extra) > 1 else None}
        elif isinstance(item, Mapping):
            kwargs = dict(item)
            if "path" not in kwargs:
                raise ValueError(f"extra[{i}] is a mapping without 'path': {sorted(kwargs)}")
            kwargs["source"] = kwargs.pop("path")
        else:
            path, sheet = split_extra_spec(item)
            kwargs = {"source": path, "sheet": sheet}
        kwargs.setdefault("country_map", country_map)
        kwargs.setdefault("exact", exact_names)
        ud = read_indicator_file(kwargs.pop("source"), **kwargs)
        where = str(item) if not isinstance(item, pd.DataFrame) else f"extra[{i}] (DataFrame)"
        for v in ud["variable"].unique():
            if v in origin:  # two files with the same stem: never one merged column
                raise ValueError(f"extra files {origin[v]} and {where} both give the variable {v!r}; rename "
                                 "one file or give it its own prefix (name=...)")
            origin[v] = where
        user_long.append(ud)
        user_matches.append(ud.attrs.get("name_matches"))
        variables += [v for v in ud["variable"].unique() if v not in variables]
    how, rule_vars = SAMPLE_RULES[sample]
    required = [outcome, *(require or [])]
    for v in [*required, *rule_vars]:
        if v not in variables:
            variables.append(v)
    valid = set(variable_ids())
    for v in variables:
        if v not in valid:
            raise UnknownVariableError(v, valid)

    loaded = {s: load_source(s) for s in _sources_for(variables)}
    allong = pd.concat([sd.data for sd in loaded.values()] + user_long, ignore_index=True)
    longs = {v: g for v, g in allong.groupby("variable", sort=False)}
    for v in variables:
        if v in DERIVED:
            longs[v] = _derived_long(v, longs)

    values, years = {}, {}
    for v in variables:
        part = _pick(longs.get(v, allong.iloc[0:0]), get_variable(v).timing, year, window)
        values[v] = part.set_index("iso3")["value"]
        years[v] = part.set_index("iso3")["year"]
    wide = pd.DataFrame(values)
    yrs = pd.DataFrame(years).astype("Int64")

    seen = sorted(set(allong["iso3"]))
    wide = wide.reindex(seen)
    yrs = yrs.reindex(seen)
    wide.index.name = yrs.index.name = "iso3"

    audit_rows = []
    for iso in seen:
        row = wide.loc[iso]
        miss_req = [v for v in required if pd.isna(row[v])]
        rule_present = [v for v in rule_vars if pd.notna(row[v])]
        if how == "all":
            miss_rule = [v for v in rule_vars if pd.isna(row[v])]
        else:
            miss_rule = [] if rule_present or not rule_vars else list(rule_vars)
        missing = miss_req + miss_rule
        parts = [f"no {v}" for v in miss_req]
        if miss_rule:
            parts.append("no " + " / ".join(rule_vars) + " (needs any)" if how == "any"
                         else "missing " + ", ".join(miss_rule))
        reason = "; ".join(parts)
        audit_rows.append({"iso3": iso, "country": country_name(iso), "included": not missing,
                           "reason": reason, "missing_required": ", ".join(missing),
                           "n_present": int(row.notna().sum())})
    audit = pd.DataFrame(audit_rows)
    frames = [pattern_matches(loaded)] + [m for m in user_matches if m is not None and len(m)]
    matches = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    # names matched only by a pattern are listed in the audit row of the country they were given
    pat = matches[matches["rule"] == "pattern"]
    by_iso = pat.groupby("iso3").apply(
        lambda g: "; ".join(f"{s}: {n!r} by pattern" for s, n in zip(g["source"], g["name"])), include_groups=False) \
        if len(pat) else pd.Series(dtype=str)
    audit["pattern_matches"] = [by_iso.get(i, "") for i in audit["iso3"]]
    inc = audit.loc[audit["included"], "iso3"]
    data = wide.loc[inc].copy()
    data.insert(0, "country", [country_name(i) for i in data.index])
    yrs = yrs.loc[inc]
    excl = pd.concat([sd.excluded for sd in loaded.values()], ignore_index=True)
    corr = pd.concat([sd.corrections for sd in loaded.values() if len(sd.corrections)], ignore_index=True) \
        if any(len(sd.corrections) for sd in loaded.values()) else pd.DataFrame()
    notes = tuple(n for sd in loaded.values() for n in sd.notes)
    return Panel(data=data, years=yrs, audit=audit, excluded_rows=excl, corrections=corr,
                 variables=tuple(variables), required=tuple(required + rule_vars), sample=sample,
                 year=year, window=window, notes=notes, name_matches=matches[_MATCH_COLUMNS])


def sample_sizes(year: int = 2020, outcome: str = DEFAULT_OUTCOME) -> pd.DataFrame:
    """How many countries each sample rule yields, against the study's 81.

    Returns
    -------
    DataFrame
        ``sample, rule, n, study_n, difference``.
    """
    rows = []
    for name, (how, vars_) in SAMPLE_RULES.items():
        p = build_panel([outcome], year, sample=name, outcome=outcome)
        rule = f"{outcome} and {how} of {', '.join(vars_)}" if vars_ else f"{outcome} only"
        rows.append({"sample": name, "rule": rule, "n": p.n, "study_n": STUDY_N, "difference": p.n - STUDY_N})
    return pd.DataFrame(rows)
