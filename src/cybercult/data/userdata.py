"""Bring your own data: validate, harmonise and merge a researcher's indicator file."""
from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import pandas as pd

from ..errors import UserDataError
from .catalogue import Variable, register_variable
from .countries import country_name, harmonise, iso3_names

_COUNTRY_COLUMNS = ("iso3", "country", "country_name", "country name", "nation", "name", "iso", "code")
_NA = ["", "NaN", "nan", "..", "n/a", "N/A", "#N/A", "#NULL!"]
_MAX_SHOWN = 25


def _slug(text: str) -> str:
    s = re.sub(r"[^0-9a-zA-Z]+", "_", str(text)).strip("_").lower()
    return s or "x"


def _read_table(path: Path, sep: str, sheet) -> pd.DataFrame:
    if not path.exists():
        raise FileNotFoundError(f"extra data file not found: {path}")
    if path.stat().st_size == 0:
        raise UserDataError(f"{path}: the file is empty; expected a header row with a country column and "
                            "one or more numeric columns")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(path, sheet_name=sheet or 0, engine="calamine", dtype=str, keep_default_na=False, na_values=_NA)
        elif suffix in (".csv", ".txt", ".tsv"):
            df = pd.read_csv(path, sep="\t" if suffix == ".tsv" else sep, dtype=str, keep_default_na=False,
                             na_values=_NA, encoding="utf-8-sig", skipinitialspace=True)
        else:
            raise UserDataError(f"{path}: unsupported file type {suffix!r}; expected .csv, .tsv, .xlsx or .xls")
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
        head = str(df.columns[0])
        other = next((s for s in (";", "\t", "|", ",") if s != sep and s in head), None)
        hint = f"; the header looks {other!r}-separated, pass sep={other!r}" if other else ""
        raise UserDataError(f"{path}: only one column ({head!r}) was found with separator {sep!r}{hint}. "
                            "Expected a country column and one or more numeric columns")
    if df.empty:
        raise UserDataError(f"{path}: the file has a header but no data rows")
    return df


def read_indicator_file(source: str | PathLike | pd.DataFrame, *, name: str | None = None,
                        country_column: str | None = None, year: int | None = None,
                        ranges: Mapping[str, tuple[float | None, float | None]] | None = None,
                        sep: str = ",", sheet: str | int | None = None,
                        overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Read, validate and harmonise a researcher's own indicator file.

    Parameters
    ----------
    source : path or DataFrame
        CSV/TSV/XLSX file (UTF-8) or a DataFrame: one row per country, a country
        column holding names or ISO3 codes, one or more numeric columns.
    name : str, optional
        Prefix of the variable ids (default: the file name), e.g. ``"mydata"`` gives
        ``mydata.<column>``.
    country_column : str, optional
        Column with country names or ISO3 codes; by default the first column named
        one of ``iso3, country, country_name, name, code`` (any case).
    year : int, optional
        Year the values describe (recorded in the panel's ``.years``); default: none (0).
    ranges : mapping, optional
        Column -> ``(low, high)``; values outside are errors.
    sep : str
        CSV separator.
    overrides : mapping, optional
        Name -> ISO3 for names country_converter cannot match.

    Returns
    -------
    DataFrame
        Long table ``iso3, country, year, variable, value``; the variables are added
        to the catalogue (block ``user``).

    Raises
    ------
    UserDataError
        Listing every failure at once (file, row, column, value, expectation).
    UnmatchedCountryError
        Listing every country name that matches no country or several.
    """
    import pandera.pandas as pa

    if isinstance(source, pd.DataFrame):
        df, where, stem = source.astype(str).where(source.notna(), None), "<DataFrame>", name or "user"
    else:
        path = Path(source)
        df, where, stem = _read_table(path, sep, sheet), str(path), name or path.stem
    prefix = _slug(stem)
    df.columns = [str(c).strip() for c in df.columns]
    if country_column is None:
        lower = {c.lower(): c for c in df.columns}
        country_column = next((lower[c] for c in _COUNTRY_COLUMNS if c in lower), None)
        if country_column is None:
            raise UserDataError(f"{where}: no country column; expected one named {', '.join(_COUNTRY_COLUMNS[:5])} "
                                f"(or pass country_column=...); columns found: {', '.join(df.columns)}")
    elif country_column not in df.columns:
        raise UserDataError(f"{where}: country column {country_column!r} not found; columns: {', '.join(df.columns)}")
    value_cols = [c for c in df.columns if c != country_column]
    ranges = dict(ranges or {})
    unknown = set(ranges) - set(value_cols)
    if unknown:
        raise UserDataError(f"{where}: ranges given for unknown column(s) {sorted(unknown)}; columns: {value_cols}")

    # Every failure at once: pandera (lazy) for types, uniqueness and ranges.
    failures: list[str] = []
    schema = pa.DataFrameSchema(
        {country_column: pa.Column(str, nullable=False, unique=True,
                                   checks=pa.Check.str_length(min_value=1)),
         **{c: pa.Column(float, coerce=True, nullable=True) for c in value_cols}},
        strict=False,
    )
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures += _describe(exc.failure_cases, where, df)
    numeric = df[value_cols].apply(pd.to_numeric, errors="coerce")
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
        shown = failures[:_MAX_SHOWN] + ([f"... and {len(failures) - _MAX_SHOWN} more"]
                                         if len(failures) > _MAX_SHOWN else [])
        raise UserDataError(f"{where}: {len(failures)} problem(s):\n  " + "\n  ".join(shown))

    names = df[country_column].astype(str).str.strip()
    # a cell may hold an ISO3 code or a name: valid codes map to themselves, names go through coco
    known = iso3_names()
    code_map = {n: n for n in names if len(n) == 3 and n.isupper() and n in known}
    matched, _ = harmonise(names, source=where, overrides={**code_map, **dict(overrides or {})})
    iso = names.map(matched)
    dup = iso[iso.duplicated(keep=False)]
    if len(dup):
        rows = ", ".join(f"row {i + 2} {names[i]!r}->{dup[i]}" for i in dup.index)
        raise UserDataError(f"{where}: several rows name the same country: {rows}")

    out = []
    for c in value_cols:
        vid = f"{prefix}.{_slug(c)}"
        lo, hi = ranges.get(c, (None, None))
        register_variable(Variable(vid, str(c), "", lo, hi, "higher values", "static", "user",
                                   f"user data from {where}, column {c!r}"))
        part = pd.DataFrame({"iso3": iso.values, "year": year or 0, "variable": vid, "value": numeric[c].values})
        out.append(part.dropna(subset=["value"]))
    long = pd.concat(out, ignore_index=True)
    long.insert(1, "country", long["iso3"].map(country_name))
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
