"""Merge tidy long sources into one country panel, with an audit of who is in and why."""
from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from .._docstrings import fill_doc
from .._format import ResultMixin
from ..errors import NoValueInWindowWarning, UnknownVariableError
from .catalogue import catalogue as _catalogue_table
from .catalogue import get_variable, label, variable_ids
from .countries import country_name, pattern_matches
from .derived import DERIVED
from .loaders import LOADERS, load_source
from .userdata import read_indicator_file, split_extra_spec
from .variables import Variable

DEFAULT_OUTCOME = "gci2020.score"
HOFSTEDE4 = ["hofstede.pdi", "hofstede.idv", "hofstede.mas", "hofstede.uai"]
HOFSTEDE6 = HOFSTEDE4 + ["hofstede.lto", "hofstede.ivr"]
INSIGHTS4 = ["hofstede_insights.pdi", "hofstede_insights.idv", "hofstede_insights.mas", "hofstede_insights.uai"]
INSIGHTS6 = INSIGHTS4 + ["hofstede_insights.lto", "hofstede_insights.ivr"]
SCHWARTZ7 = ["schwartz.harmony", "schwartz.embeddedness", "schwartz.hierarchy", "schwartz.mastery",
             "schwartz.affective_autonomy", "schwartz.intellectual_autonomy", "schwartz.egalitarianism"]

#: Predictor blocks of the default study, in the order they enter the hierarchical model.
#: Culture: the six dimensions of the Hofstede Insights country comparison (the source most
#: researchers use today, and the only one that reaches the study's scale); the 2015 matrix
#: (``HOFSTEDE4``/``HOFSTEDE6``, sample ``hofstede4``) stays selectable.
DEFAULT_BLOCKS: dict[str, list[str]] = {
    "development": ["wdi.log_gdppc_ppp"],
    "politics": ["eiu.democracy"],
    "military": ["sipri.milex_gdp", "wdi_af.per1000"],
    "culture": list(INSIGHTS6),
}
DEFAULT_PREDICTORS = [v for block in DEFAULT_BLOCKS.values() for v in block]

#: Variables of the default panel: outcomes, predictors and companions used in figures.
DEFAULT_VARIABLES = [
    "gci2020.score", "gci2020.legal", "gci2020.technical", "gci2020.organizational",
    "gci2020.capacity", "gci2020.cooperation", "gci2017.score", "gci2018.score",
    "gci2024.score", "gci2024.legal", "gci2024.technical", "gci2024.organizational", "gci2024.capacity",
    "gci2024.cooperation", "gci2024.tier", "ncsi.score",
    *INSIGHTS6, "hofstede_insights.estimated", *HOFSTEDE6, "wvs.trad_secular", "wvs.surv_selfexp",
    "eiu.democracy", "eiu.regime", "fh.total", "fh.status", "vdem.polyarchy", "wgi.ge", "cpi.score",
    "sipri.milex_gdp", "wdi_af.per1000",
    "wdi.gdppc_ppp", "wdi.log_gdppc_ppp", "wdi.population", "wdi_net.internet", "undp.hdi",
    "egdi2022.egdi", "idi2017.idi",
]

@dataclass(frozen=True)
class SampleRule:
    """Which countries enter a panel, besides those lacking the outcome.

    ``how``: ``"all"`` (every variable of ``variables`` present) or ``"any"`` (at
    least one); ``equal``: ``(variable, value)`` pairs every included country must
    have (e.g. measured, not estimated, culture scores); ``description`` for people.
    """

    how: str
    variables: tuple[str, ...]
    equal: tuple[tuple[str, float], ...] = ()
    description: str = ""

    @property
    def required(self) -> list[str]:
        return list(dict.fromkeys([*self.variables, *(v for v, _ in self.equal)]))


_MEASURED = (("hofstede_insights.estimated", 0.0),)

#: Sample rules: a country enters the panel when it has the outcome and ...
SAMPLE_RULES: dict[str, SampleRule] = {
    "insights6": SampleRule("all", tuple(INSIGHTS6), description="all six Hofstede Insights dimensions"),
    "insights4": SampleRule("all", tuple(INSIGHTS4),
                            description="the four original Hofstede Insights dimensions (pdi, idv, mas, uai)"),
    "insights6_measured": SampleRule("all", tuple(INSIGHTS6), _MEASURED,
                                     description="all six Hofstede Insights dimensions, survey-based scores only "
                                                 "(countries the publisher marks as estimated, and Libya, dropped)"),
    "insights4_measured": SampleRule("all", tuple(INSIGHTS4), _MEASURED,
                                     description="the four original Hofstede Insights dimensions, survey-based "
                                                 "scores only"),
    "study81": SampleRule("all", (*INSIGHTS6, "gci2020.score", "ncsi.score", "ncsi.cei"),
                          description="all six Hofstede Insights dimensions and every index of the bundled cyber "
                                      "compilation (GCI 2020, NCSI, CEI): a reconstruction of the study's 81 "
                                      "countries, not the authors' own list"),
    "hofstede4": SampleRule("all", tuple(HOFSTEDE4),
                            description="the four original dimensions of the 2015 Hofstede matrix"),
    "hofstede6": SampleRule("all", tuple(HOFSTEDE6), description="all six dimensions of the 2015 Hofstede matrix"),
    "hofstede_any": SampleRule("any", tuple(HOFSTEDE6),
                               description="any dimension of the 2015 Hofstede matrix"),
    "schwartz7": SampleRule("all", tuple(SCHWARTZ7), description="all seven Schwartz cultural orientations"),
    "outcome": SampleRule("all", (), description="the outcome only"),
}
DEFAULT_SAMPLE = "insights6"
STUDY_N = 81  # countries in the Pisa / UC3M study this package follows
_MATCH_COLUMNS = ["source", "name", "iso3", "rule", "detail"]


def _rule_misses(row: pd.Series, rule: SampleRule) -> tuple[list[str], str]:
    """Variables of ``rule`` a country's ``row`` fails, and the reason in words ('' when it passes)."""
    present = [v for v in rule.variables if pd.notna(row[v])]
    if rule.how == "all":
        miss = [v for v in rule.variables if pd.isna(row[v])]
        parts = ["missing " + ", ".join(miss)] if miss else []
    else:
        miss = [] if present or not rule.variables else list(rule.variables)
        parts = ["no " + " / ".join(rule.variables) + " (needs any)"] if miss else []
    for v, want in rule.equal:
        if v in miss:
            continue
        if pd.isna(row[v]):
            if not miss:  # a country without the rule's scores has no flag either: say it once
                parts.append(f"missing {v}")
            miss.append(v)
        elif row[v] != want:
            miss.append(v)
            parts.append(f"{v} = {row[v]:g} (rule needs {want:g})")
    return miss, "; ".join(parts)


@dataclass(frozen=True, repr=False)
class Panel(ResultMixin):
    """A country panel and its audit.

    Displays through the result protocol (:class:`~cybercult._format.ResultMixin`):
    ``summary()`` is the audit in sentences (the tables are too wide for text);
    ``_repr_html_``, ``to_markdown`` and ``to_latex`` show the audit sentences and
    the first 10 countries; ``to_csv(folder)`` writes ``data.csv``, ``years.csv``
    (both with the ``iso3`` index), ``audit.csv``, ``excluded_rows.csv``,
    ``corrections.csv`` and ``name_matches.csv``.

    Attributes
    ----------
    data : DataFrame
        One row per included country (index ``iso3``), column ``country`` then one
        column per variable id.
    years : DataFrame
        Same shape as ``data`` (without ``country``): the year each value came from.
    audit : DataFrame
        One row per country seen in any loaded source: ``iso3, country, included,
        note, missing_required, n_present, pattern_matches`` (``note`` says why a country
        is not included; the last lists names that only a pattern matched to this
        country, with their file or source).
    excluded_rows : DataFrame
        Rows the loaders dropped on purpose (aggregates, sub-national samples):
        ``source, name, note`` (``note`` says why).
    corrections : DataFrame
        Corrections applied to raw values.
    notes : tuple of str
        Loader checks (e.g. the GCI 2024 tier-count check) and range warnings.
    name_matches : DataFrame
        ``source, name, iso3, rule, detail``: every country cell of the researcher's own
        files with the rule that matched it (code, name, alias, country map, pattern), and
        every name of a bundled source that only a pattern matched (with the expression).
    user_variables : mapping of str to Variable
        Catalogue entries of the researcher's own indicators (``user.<file>.<column>``),
        which travel with the panel rather than in a process-wide catalogue; also in
        ``data.attrs["variables"]`` when there are any. :meth:`variable`, :meth:`label`
        and :meth:`catalogue` look them up with the bundled ones.
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
    user_variables: Mapping[str, Variable] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of countries in the panel."""
        return len(self.data)

    @fill_doc
    def variable(self, var_id: str) -> Variable:
        """Catalogue entry of ``var_id``, bundled or from the researcher's own files.

        Parameters
        ----------
        {params.var_id}

        Returns
        -------
        Variable
            Label, unit, range, block and source of the variable.

        Raises
        ------
        UnknownVariableError
            Listing the valid ids, for an id that is neither bundled nor the panel's own.

        Examples
        --------
        >>> import cybercult as cc
        >>> cc.build_panel().variable("hofstede.idv").block
        'culture'
        """
        return get_variable(var_id, self.user_variables)

    @fill_doc
    def label(self, var_id: str, *, unit: bool = False) -> str:
        """Label of ``var_id`` (with its unit when ``unit``); the id itself for unknown columns.

        Parameters
        ----------
        {params.var_id}
        {params.unit}

        Returns
        -------
        str
            The label for people.

        Examples
        --------
        >>> import cybercult as cc
        >>> cc.build_panel().label("no.such.column")
        'no.such.column'
        """
        return label(var_id, unit=unit, user_variables=self.user_variables)

    def catalogue(self) -> pd.DataFrame:
        """The catalogue with this panel's own variables added (same columns as :func:`cybercult.catalogue`)."""
        return _catalogue_table(self.user_variables)

    @property
    def excluded(self) -> pd.DataFrame:
        """Countries seen but not included: the audit's rows, with why in ``note``."""
        return self.audit[~self.audit["included"]].reset_index(drop=True)

    _index_tables = ("data", "years", "data (first 10 countries)")

    def _tables(self) -> dict:
        return {"data": self.data, "years": self.years, "audit": self.audit, "excluded_rows": self.excluded_rows,
                "corrections": self.corrections, "name_matches": self.name_matches}

    def _display_tables(self) -> dict:
        return {"data (first 10 countries)": self.data.head(10)}

    def _notes(self) -> list[str]:
        return []  # the loader notes are in the header already

    def summary(self, digits: int = 3) -> str:
        """The panel in words: size, sample rule, excluded countries with reasons, corrections, notes.

        Parameters
        ----------
        digits : int
            Accepted for the result protocol (``summary(digits=...)`` on every result
            object); no number here is rounded.

        Returns
        -------
        str
            One line per fact, no dates.

        Examples
        --------
        >>> import cybercult as cc
        >>> print(cc.build_panel(sample="study81").summary().splitlines()[0])  # doctest: +ELLIPSIS
        cybercult panel: 81 countries x ... variables, reference year 2020 ...
        """
        return "\n".join(self._header())

    def _header(self) -> list[str]:
        ex = self.excluded
        lines = [
            f"cybercult panel: {self.n} countries x {len(self.variables)} variables, reference year {self.year} "
            f"(yearly values from {self.year - self.window}-{self.year}), sample rule '{self.sample}' "
            f"(required: {', '.join(self.required)})",
            f"countries seen in the loaded sources: {len(self.audit)}; included {self.n}; excluded {len(ex)}",
        ]
        if len(ex):
            counts = ex["note"].value_counts()
            for why, k in counts.items():
                lines.append(f"  excluded {k:3d}: {why}")
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
        return lines


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


@fill_doc
def build_panel(variables: Sequence[str] | None = None, year: int = 2020, *, window: int = 3,
                sample: str = DEFAULT_SAMPLE, outcome: str = DEFAULT_OUTCOME,
                require: Sequence[str] | None = None,
                extra: Sequence[str | PathLike | pd.DataFrame | Mapping] | None = None,
                country_map: str | PathLike | Mapping[str, str] | None = None,
                exact_names: bool = False) -> Panel:
    """Build the country panel for a reference year.

    Parameters
    ----------
    {params.variables}
    {params.year}
    {params.window}
    sample : str
        Which countries enter, a key of :data:`SAMPLE_RULES`: those with ``outcome``
        and all six Hofstede Insights dimensions (``"insights6"``, default), the
        four original ones (``"insights4"``), the same with survey-based scores only
        (``"insights6_measured"``, ``"insights4_measured"``), six dimensions plus
        GCI 2020, NCSI and CEI (``"study81"``, the study's 81 countries), the 2015
        matrix (``"hofstede4"``, ``"hofstede6"``, ``"hofstede_any"``), the seven
        Schwartz orientations (``"schwartz7"``), or the outcome only (``"outcome"``).
        :func:`sample_sizes` lists every rule with its count.
    outcome : str
        Outcome variable required for every included country.
    require : list of str, optional
        Further variables every included country must have.
    {params.extra}
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
    if sample not in SAMPLE_RULES:
        raise ValueError(f"unknown sample rule {sample!r}; valid: {', '.join(SAMPLE_RULES)}")
    if not isinstance(year, int) or isinstance(year, bool):
        raise TypeError(f"year must be an integer, got {year!r}")
    if not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a non-negative integer, got {window!r}")
    variables = list(DEFAULT_VARIABLES if variables is None else variables)
    if not variables:
        raise ValueError("variables is empty: name at least one variable id")
    user_long, user_matches, origin, user_vars = [], [], {}, {}
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
        user_vars.update(ud.attrs.get("variables", {}))
        variables += [v for v in ud["variable"].unique() if v not in variables]
    rule = SAMPLE_RULES[sample]
    rule_vars = rule.required
    required = [outcome, *(require or [])]
    for v in [*required, *rule_vars]:
        if v not in variables:
            variables.append(v)
    valid = set(variable_ids(user_vars))
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
        source_long = longs.get(v, allong.iloc[0:0])
        part = _pick(source_long, get_variable(v, user_vars).timing, year, window)
        if part.empty and not source_long.empty:  # a silent empty column would look like missing data
            have = sorted(int(y) for y in source_long["year"].dropna().unique())
            shown = f"{have[0]}-{have[-1]}" if len(have) > 3 else ", ".join(map(str, have))
            warnings.warn(f"{v}: no value within the window {year - window}-{year} (year = {year}, window = "
                          f"{window}); the data have the years {shown}. Choose a year in that range or widen "
                          "the window.", NoValueInWindowWarning, stacklevel=2)
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
        miss_rule, rule_reason = _rule_misses(row, rule)
        missing = miss_req + [v for v in miss_rule if v not in miss_req]
        parts = [f"no {v}" for v in miss_req] + ([rule_reason] if rule_reason else [])
        audit_rows.append({"iso3": iso, "country": country_name(iso), "included": not missing,
                           "note": "; ".join(parts), "missing_required": ", ".join(missing),
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
    if user_vars:  # labels of the researcher's own columns travel with the frame handed to stats
        data.attrs["variables"] = dict(user_vars)
    yrs = yrs.loc[inc]
    excl = pd.concat([sd.excluded for sd in loaded.values()], ignore_index=True)
    corr = pd.concat([sd.corrections for sd in loaded.values() if len(sd.corrections)], ignore_index=True) \
        if any(len(sd.corrections) for sd in loaded.values()) else pd.DataFrame()
    notes = tuple(n for sd in loaded.values() for n in sd.notes)
    return Panel(data=data, years=yrs, audit=audit, excluded_rows=excl, corrections=corr,
                 variables=tuple(variables), required=tuple(dict.fromkeys(required + rule_vars)), sample=sample,
                 year=year, window=window, notes=notes, name_matches=matches[_MATCH_COLUMNS],
                 user_variables=dict(user_vars))


def sample_sizes(year: int = 2020, outcome: str = DEFAULT_OUTCOME,
                 controls: Sequence[str] | None = None) -> pd.DataFrame:
    """How many countries each sample rule yields, against the study's 81.

    Parameters
    ----------
    year : int
        Reference year (for yearly controls).
    outcome : str
        Outcome variable id every country must have.
    controls : list of str, optional
        Variables counted in ``n_with_controls``; default the development,
        politics and military blocks of :data:`DEFAULT_BLOCKS`.

    Returns
    -------
    DataFrame
        One row per rule of :data:`SAMPLE_RULES`: ``sample``, ``rule`` (in
        words), ``n`` (countries with the outcome that pass the rule),
        ``n_with_controls`` (of those, countries with every control),
        ``study_n`` (81) and ``difference`` (``n - study_n``).

    Examples
    --------
    >>> import cybercult as cc
    >>> int(cc.sample_sizes().set_index("sample").loc["study81", "n"])
    81
    """
    if controls is None:
        controls = [v for b, vs in DEFAULT_BLOCKS.items() if b != "culture" for v in vs]
    controls = list(controls)
    rows = []
    for name, rule in SAMPLE_RULES.items():
        p = build_panel([outcome, *controls], year, sample=name, outcome=outcome)
        words = f"{outcome} and {rule.description}" if rule.variables else f"{outcome} only"
        n_ctrl = int(p.data[controls].notna().all(axis=1).sum()) if controls else p.n
        rows.append({"sample": name, "rule": words, "n": p.n, "n_with_controls": n_ctrl, "study_n": STUDY_N,
                     "difference": p.n - STUDY_N})
    return pd.DataFrame(rows)
