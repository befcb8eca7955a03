"""Bring your own data: validate, harmonise and merge a researcher's indicator file.

The rules (the README's "Bring your own data" states them for users):

- **Namespace**: a file's variables are ``user.<file stem>.<column>`` (or ``<name>.<column>``
  when the researcher sets ``name``, which may not be a bundled source id), so a file called
  ``hofstede.csv`` never merges into the bundled ``hofstede`` variables.
- **Columns**: two columns with the same header, or two headers that give the same variable
  id (``Score`` and ``score``), are an error naming both.
- **Numbers**: a cell is a plain decimal number (``12``, ``-3.5``, ``1e-3``) with optional ASCII
  spaces around it, or one of the missing markers :data:`NA_MARKERS`; anything else (``1_000``,
  ``1,5``, full-width digits, a trailing non-breaking space, ``inf``, a number too large for a
  float) is an error naming the row and column. What passes is exactly what reaches the panel.
- **Countries**: see :mod:`cybercult.data.countries`; ``exact=True`` refuses pattern matches,
  ``country_map`` maps names (including former states) explicitly.
- **Excel**: a workbook with several sheets needs ``sheet=``; formula cells without a cached
  value are an error naming the cells; damaged, encrypted and oversized workbooks are refused
  before they are read (:data:`MAX_FILE_BYTES`, :data:`MAX_UNCOMPRESSED_BYTES`,
  :data:`MAX_ROWS`, :data:`MAX_COLUMNS`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import UserDataError
# the spreadsheet reader and the size bounds (re-exported: the README and the docs name them here)
from ._excel import (MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, MAX_UNCOMPRESSED_BYTES, NA_MARKERS,  # noqa: F401
                     _read_excel, _size_check)
from .countries import country_name, harmonise_names, read_country_map
from .loaders import LOADERS
from .variables import USER_BLOCK, Variable

_COUNTRY_COLUMNS = ("iso3", "country", "country_name", "country name", "nation", "name", "iso", "code")
_NA = list(NA_MARKERS)
_MAX_SHOWN = 25

#: Longest text read as a number (a float has 17 significant digits).
MAX_NUMBER_CHARS = 40

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def _slug(text: str) -> str:
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-zA-Z]+", "_", s).strip("_").lower()


def parse_number(text) -> tuple[float, str | None]:
    """``(value, None)`` for a plain decimal number or a missing marker (NaN), else ``(nan, why)``.

    Parameters
    ----------
    text : str, float or None
        One cell as read from the file.

    Examples
    --------
    >>> from cybercult.data.userdata import parse_number
    >>> parse_number(" 12.5 ")
    (12.5, None)
    >>> parse_number("1_000")[1] is not None
    True

    Written by hand because pandas and pandera accept different sets: ``float()`` takes
    ``1_000``, full-width digits and ``inf`` that ``pd.to_numeric`` then turns into NaN or
    infinity. Here what is accepted is exactly what is converted.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan, None
    s = str(text).strip(" \t\r\n")
    if s in NA_MARKERS:
        return math.nan, None
    if len(s) > MAX_NUMBER_CHARS:
        return math.nan, f"{len(s)} characters long, more than a number can be ({MAX_NUMBER_CHARS})"
    if not _NUMBER.fullmatch(s):
        odd = next((c for c in s if ord(c) > 127), None)
        if odd is not None:
            what = f"contains {unicodedata.name(odd, 'an unnamed character')} (U+{ord(odd):04X})"
        elif s.lower().lstrip("+-") in ("inf", "infinity"):
            what = "infinite; a country's value is never infinite"
        elif "_" in s or "," in s:
            what = "contains '_' or ','; write plain digits with '.' as the decimal mark"
        else:
            what = "expected a number"
        return math.nan, what
    value = float(s)
    if not math.isfinite(value):
        return math.nan, "too large for a floating-point number (it would become infinite)"
    if value == 0 and re.search(r"[1-9]", re.split(r"[eE]", s)[0]):
        return math.nan, "too small for a floating-point number (it would become 0)"
    return value, None


def _read_table(path: Path, sep: str, sheet) -> pd.DataFrame:
    """The file as strings, header row included as row 0 (header=None keeps duplicate headers visible)."""
    if not path.exists():
        raise FileNotFoundError(f"extra data file not found: {path}")
    _size_check(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_excel(path, sheet)
    if suffix not in (".csv", ".txt", ".tsv"):
        raise UserDataError(f"{path}: unsupported file type {suffix!r}; expected .csv, .tsv, .xlsx or .xls")
    with path.open("rb") as fh:
        head = fh.read(4)
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) == 4 and (head[1] == 0 or head[0] == 0)):
        raise UserDataError(f"{path}: the file is UTF-16 encoded; save it as UTF-8 (Excel: 'CSV UTF-8')")
    try:
        df = pd.read_csv(path, sep="\t" if suffix == ".tsv" else sep, header=None, dtype=str,
                         keep_default_na=False, na_values=_NA, encoding="utf-8-sig", skipinitialspace=True)
    except UnicodeDecodeError as exc:
        raise UserDataError(f"{path}: not valid UTF-8 (byte {exc.start}: {exc.object[exc.start:exc.start + 1]!r}); "
                            "save the file as UTF-8 (Excel: 'CSV UTF-8') and try again") from None
    except pd.errors.EmptyDataError:
        raise UserDataError(f"{path}: the file has no header row; expected a country column and numeric columns") \
            from None
    except pd.errors.ParserError as exc:
        raise UserDataError(f"{path}: cannot be parsed as a table ({str(exc).strip()}); check the separator "
                            f"(expected {sep!r})") from None
    if df.shape[1] == 1:
        head = str(df.iloc[0, 0])
        other = next((s for s in (";", "\t", "|", ",") if s != sep and s in head), None)
        hint = f"; the header looks {other!r}-separated, pass sep={other!r}" if other else ""
        raise UserDataError(f"{path}: only one column ({head!r}) was found with separator {sep!r}{hint}. "
                            "Expected a country column and one or more numeric columns")
    return df


def _header(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Row 0 as the header: every column named, no name twice."""
    if df.shape[0] > MAX_ROWS + 1 or df.shape[1] > MAX_COLUMNS:
        raise UserDataError(f"{where}: {df.shape[0] - 1:,} rows x {df.shape[1]:,} columns, more than the "
                            f"{MAX_ROWS:,} x {MAX_COLUMNS:,} an indicator table may have")
    names = [("" if pd.isna(c) else str(c)).strip() for c in df.iloc[0]]
    empty = [i + 1 for i, c in enumerate(names) if not c]
    if empty:
        raise UserDataError(f"{where}: column(s) {empty} have no header; name every column or delete it")
    seen: dict[str, int] = {}
    for i, c in enumerate(names):
        if c in seen:
            raise UserDataError(f"{where}: columns {seen[c] + 1} and {i + 1} have the same header {c!r}; "
                                "rename one (values would otherwise be lost)")
        seen[c] = i
    out = df.iloc[1:].reset_index(drop=True)
    out.columns = names
    if out.empty:
        raise UserDataError(f"{where}: the file has a header but no data rows")
    return out


def _bundled_ids() -> set[str]:
    try:
        from .registry import list_sources

        reg = set(list_sources()["source"])
    except Exception:  # registry unreadable: the loader list still protects the bundled ids
        reg = set()
    return set(LOADERS) | reg | {"user"}


def read_indicator_file(source: str | PathLike | pd.DataFrame, *, name: str | None = None,
                        country_column: str | None = None, year: int | None = None,
                        ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
                        sep: str = ",", sheet: str | int | None = None,
                        overrides: Mapping[str, str] | None = None,
                        country_map: str | PathLike | Mapping[str, str] | None = None,
                        exact: bool = False) -> pd.DataFrame:
    """Read, validate and harmonise a researcher's own indicator file.

    Parameters
    ----------
    source : path or DataFrame
        CSV/TSV/XLSX file (UTF-8) or a DataFrame: one row per country, a country
        column holding names or ISO3/ISO2 codes, one or more numeric columns.
    name : str, optional
        Prefix of the variable ids. By default ``user.<file stem>``, e.g. ``my.csv`` gives
        ``user.my.<column>``; a prefix you set may not be a bundled source id.
    country_column : str, optional
        Column with country names or codes; by default the first column named
        one of ``iso3, country, country_name, name, code`` (any case).
    year : int, optional
        Year the values describe (recorded in the panel's ``.years``); default: none (0).
    ranges : mapping, optional
        Column -> ``(low, high)``; values outside are errors.
    sep : str
        CSV separator.
    sheet : str or int, optional
        Excel sheet; required when the workbook has several.
    overrides, country_map : mapping or CSV path, optional
        Name -> ISO3 chosen by the researcher (a CSV with columns ``name, iso3``);
        maps also former states and regions that are otherwise refused.
    exact : bool
        Refuse names that only a pattern (regular expression) matches.

    Returns
    -------
    DataFrame
        Long table ``iso3, country, year, variable, value``. ``.attrs["variables"]``
        maps each variable id to its :class:`~cybercult.data.variables.Variable` (block
        ``user``, label = the column header): :func:`~cybercult.data.panel.build_panel`
        keeps them in ``Panel.user_variables``; no process-wide catalogue is changed.
        ``.attrs["name_matches"]`` holds ``source, name, iso3, rule, detail`` for every
        country cell.

    Raises
    ------
    UserDataError
        Listing every failure at once (file, row, column, value, expectation).
    UnmatchedCountryError
        Listing every country name that matches no country, several, or is refused.

    See Also
    --------
    cybercult.build_panel : adds the file's variables to the panel with ``extra=``.

    Examples
    --------
    A DataFrame works like a file (a CSV is read the same way):

    >>> import pandas as pd
    >>> import cybercult as cc
    >>> mine = pd.DataFrame({"country": ["Estonia", "Viet Nam"], "cert_staff": [42, 7]})
    >>> long = cc.read_indicator_file(mine, name="survey", year=2021)
    >>> long[["iso3", "variable", "value"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'iso3': 'EST', 'variable': 'survey.cert_staff', 'value': 42.0},
     {'iso3': 'VNM', 'variable': 'survey.cert_staff', 'value': 7.0}]
    >>> panel = cc.build_panel(["gci2020.score"], extra=[mine])
    >>> float(panel.data.loc["EST", "user.data.cert_staff"])
    42.0
    """
    import pandera.pandas as pa

    if isinstance(source, pd.DataFrame):
        where, stem = "<DataFrame>", name or "data"
        if source.columns.duplicated().any():
            dup = sorted({str(c) for c in source.columns[source.columns.duplicated()]})
            raise UserDataError(f"{where}: the same column name appears twice: {dup}")
        body = source.astype(object).where(source.notna(), None)
        df = pd.concat([pd.DataFrame([list(source.columns)], columns=source.columns), body], ignore_index=True)
        df = df.map(lambda v: v if v is None or isinstance(v, str) else repr(float(v)) if isinstance(v, float)
                    else str(v))
        df.columns = range(df.shape[1])
    else:
        path = Path(source)
        where, stem = str(path), name or path.stem
        df = _read_table(path, sep, sheet)
    df = _header(df, where)
    if name is not None:
        parts = [_slug(x) for x in str(name).split(".")]
        if not all(parts) or parts == ["user"] or parts[0] in _bundled_ids() - {"user"}:
            raise UserDataError(f"{where}: name={name!r} cannot be a variable prefix: it is empty, 'user' alone, "
                                f"or starts with a bundled source id ({', '.join(sorted(_bundled_ids()))})")
        prefix = ".".join(parts)
    else:
        prefix = f"user.{_slug(stem) or 'data'}"
    if country_column is None:
        lower = {c.lower(): c for c in df.columns}
        country_column = next((lower[c] for c in _COUNTRY_COLUMNS if c in lower), None)
        if country_column is None:
            raise UserDataError(f"{where}: no country column; expected one named {', '.join(_COUNTRY_COLUMNS[:5])} "
                                f"(or pass country_column=...); columns found: {', '.join(df.columns)}")
    elif country_column not in df.columns:
        raise UserDataError(f"{where}: country column {country_column!r} not found; columns: {', '.join(df.columns)}")
    value_cols = [c for c in df.columns if c != country_column]
    ids: dict[str, str] = {}
    for pos, c in enumerate(df.columns):
        if c == country_column:
            continue
        vid = f"{prefix}.{_slug(c) or f'column{pos + 1}'}"
        if vid in ids:
            raise UserDataError(f"{where}: columns {ids[vid]!r} and {c!r} both give the variable id {vid!r}; "
                                "rename one of them")
        ids[vid] = c
    vid_of = {c: v for v, c in ids.items()}
    ranges = dict(ranges or {})
    unknown = set(ranges) - set(value_cols)
    if unknown:
        raise UserDataError(f"{where}: ranges given for unknown column(s) {sorted(unknown)}; columns: {value_cols}")

    failures: list[str] = []
    # the country column with pandera (lazy: every failure at once)
    schema = pa.DataFrameSchema(
        {country_column: pa.Column(str, nullable=False, unique=True, checks=pa.Check.str_length(min_value=1))},
        strict=False)
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures += _describe(exc.failure_cases, where, df)
    # numbers by hand (see parse_number): accept exactly what is converted
    numeric = pd.DataFrame(index=df.index)
    for c in value_cols:
        vals = []
        for i, cell in df[c].items():
            v, why = parse_number(cell)
            if why:
                shown = cell if len(str(cell)) <= 60 else str(cell)[:40] + f"... ({len(str(cell))} characters)"
                failures.append(f"row {i + 2}, column {c!r}: value {shown!r} ({why})")
            vals.append(v)
        numeric[c] = pd.Series(vals, index=df.index, dtype=float)
    if ranges:
        rschema = pa.DataFrameSchema(
            {c: pa.Column(float, nullable=True, checks=pa.Check.in_range(
                -float("inf") if lo is None else lo, float("inf") if hi is None else hi))
             for c, (lo, hi) in ranges.items()})
        try:
            rschema.validate(numeric[list(ranges)], lazy=True)
        except pa.errors.SchemaErrors as exc:
            failures += _describe(exc.failure_cases, where, df, ranges)
    if failures:
        failures.sort(key=lambda f: int(m.group(1)) if (m := re.match(r"row (\d+)", f)) else 0)
        shown = failures[:_MAX_SHOWN] + ([f"... and {len(failures) - _MAX_SHOWN} more"]
                                         if len(failures) > _MAX_SHOWN else [])
        raise UserDataError(f"{where}: {len(failures)} problem(s):\n  " + "\n  ".join(shown))

    names = df[country_column].astype(str).str.strip()
    cmap = {}
    if country_map is not None:
        cmap.update(read_country_map(country_map))
    if overrides:
        cmap.update(read_country_map(dict(overrides)))
    hint = ("Map each name to an ISO3 code in a country map, a CSV with columns name, iso3 (Python: "
            "country_map=...; study file: data.country_map; command line: --country-map FILE), or remove the row.")
    matched, _excl, how = harmonise_names(names, source=where, exact=exact, country_map=cmap, hint=hint)
    iso = names.map(matched)

    out, variables = [], {}
    for c in value_cols:
        vid = vid_of[c]
        lo, hi = ranges.get(c, (None, None))
        variables[vid] = Variable(vid, str(c), "", lo, hi, "higher values", "static", USER_BLOCK,
                                  f"user data from {where}, column {c!r}")
        part = pd.DataFrame({"iso3": iso.values, "year": year or 0, "variable": vid, "value": numeric[c].values})
        out.append(part.dropna(subset=["value"]))
    long = pd.concat(out, ignore_index=True)
    long.insert(1, "country", long["iso3"].map(country_name))
    long.attrs["variables"] = variables
    long.attrs["name_matches"] = pd.DataFrame(
        [{"source": where, "name": m.name, "iso3": m.iso3, "rule": m.rule, "detail": m.detail}
         for m in how.values()], columns=["source", "name", "iso3", "rule", "detail"])
    return long


def _describe(fc: pd.DataFrame, where: str, df: pd.DataFrame, ranges=None) -> list[str]:
    out = []
    for r in fc.itertuples():
        idx = r.index
        if r.check == "dtype('float64')" or (isinstance(r.failure_case, str) and "TypeError" in r.failure_case):
            continue  # the coerce_dtype row already reports this cell
        row = f"row {int(idx) + 2}" if idx is not None and pd.notna(idx) else "column"
        check = str(r.check)
        if check.startswith("coerce_dtype"):
            what = "expected a number"
        elif check == "field_uniqueness":
            what = "country appears more than once"
        elif check.startswith("in_range"):
            lo, hi = ranges[r.column]
            what = f"outside the declared range [{lo}, {hi}]"
        elif check == "not_nullable":
            what = "country is empty"
        else:
            what = f"fails {check}"
        out.append(f"{row}, column {r.column!r}: value {r.failure_case!r} ({what})")
    return out


def split_extra_spec(spec: str | PathLike) -> tuple[Path, str | None]:
    """``"book.xlsx#Sheet 2"`` -> ``(Path("book.xlsx"), "Sheet 2")``; a plain path -> ``(path, None)``.

    The ``#SHEET`` suffix is read only when the whole text is not itself an existing file.

    Parameters
    ----------
    spec : str or path
        A file path, optionally followed by ``#`` and an Excel sheet name.

    Examples
    --------
    >>> from cybercult.data.userdata import split_extra_spec
    >>> path, sheet = split_extra_spec("book.xlsx#Sheet 2")
    >>> path.name, sheet
    ('book.xlsx', 'Sheet 2')
    """
    text = str(spec)
    if "#" in text and not Path(text).exists():
        file, _, sheet = text.rpartition("#")
        return Path(file), sheet or None
    return Path(text), None


def check_output_paths(out: str | PathLike, *, inputs: Iterable[str | PathLike] = (),
                       audit: str | PathLike | None = None) -> None:
    """Refuse an output path that is one of the inputs, or an audit path equal to the output.

    Parameters
    ----------
    out : path
        File the command is about to write.
    inputs : paths
        Files the command reads (extra data files, country map, study file); ``FILE#SHEET``
        specs are reduced to the file.
    audit : path, optional
        Second output file.

    Raises
    ------
    ValueError
        Naming both paths.
    """
    def same(a: Path, b: Path) -> bool:
        try:
            if a.exists() and b.exists():
                return a.samefile(b)
        except OSError:
            pass
        return a.resolve() == b.resolve()

    o = Path(out)
    for item in inputs:
        if item is None or isinstance(item, pd.DataFrame):
            continue
        p, _sheet = split_extra_spec(item)
        if same(o, p):
            raise ValueError(f"--out {o} is also an input file ({item}); writing the panel would overwrite it. "
                             "Choose another output path")
    if audit is not None:
        a = Path(audit)
        if same(o, a):
            raise ValueError(f"--audit {a} is the same file as --out {o}; one would overwrite the other")
        for item in inputs:
            if item is None or isinstance(item, pd.DataFrame):
                continue
            p, _sheet = split_extra_spec(item)
            if same(a, p):
                raise ValueError(f"--audit {a} is also an input file ({item}); choose another path")
