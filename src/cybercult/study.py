"""The study file: schema, defaults and validation.

A study file is TOML (read with the standard library). Every key has a default
(the packaged ``default.toml``); a study file overrides what it names. Unknown
sections or keys, and values of the wrong type or outside the allowed set, are
:class:`StudyFileError` naming the key and listing what is allowed: a typo is
never silently ignored.
"""
from __future__ import annotations

import copy
import difflib
import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .data.panel import SAMPLE_RULES
from .data.userdata import split_extra_spec
from .errors import StudyFileError
from .plot.save import FORMATS
from .plot.style import available_styles
from .stats._validate import COV_TYPES, PADJUST_METHODS
from .stats.correlation import METHODS
from .stats.ols import MISSING
from .stats.speccurve import ESTIMATORS

DEFAULT_STUDY = Path(str(files("cybercult") / "studies" / "default.toml"))

# allowed values come from the modules that own them, so the schema cannot drift from the code
_METHODS = tuple(METHODS)
_PADJ = tuple(PADJUST_METHODS)
_COV = tuple(COV_TYPES)
_BLOCK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")  # block names are the researcher's own

# section -> key -> (type, allowed values or None)
SCHEMA: dict[str, dict[str, tuple[type | tuple, tuple | None]]] = {
    "study": {"title": (str, None), "question": (str, None), "output": (str, None), "figures": (str, None)},
    "data": {"year": (int, None), "window": (int, None),
             "sample": (str, tuple(SAMPLE_RULES)),
             "variables": (list, None), "extra": (list, None), "country_map": ((str, dict), None),
             "exact_names": (bool, None)},
    "model": {"outcome": (str, None), "pillars": (list, None), "alternative_outcomes": (list, None),
              "block_order": (list, None), "control_block": (str, None), "focal_block": (str, None),
              "ordinal_outcome": (str, None), "cov_type": (str, _COV), "missing": (str, tuple(MISSING)),
              "n_imputations": (int, None), "correlation_methods": (list, _METHODS), "group_by": (list, None),
              "fractional_logit": (bool, None), "ordinal_logit": (bool, None), "blocks": (dict, None)},
    "inference": {"alpha": (float, None), "padjust": (str, _PADJ)},
    "verdict": {"use_robustness": (bool, None), "min_share": (float, None), "robustness_gate": (bool, None),
                "sesoi": (float, None), "sesoi_f2": (float, None)},
    "robustness": {"seed": (int, None), "n_boot": (int, None), "n_perm": (int, None),
                   "spec_outcomes": (list, None), "spec_controls": (list, None),
                   "spec_estimators": (list, tuple(ESTIMATORS)),
                   "spec_pillars": (bool, None), "spec_regions": (bool, None), "culture_alternatives": (dict, None)},
    "figures": {"style": (str, tuple(available_styles())), "formats": (list, tuple(FORMATS))},
    "tables": {"publication_coef": (str, ("estimate", "beta"))},
}


@dataclass(frozen=True)
class Study:
    """A validated study: ``config`` (nested dict), ``path`` (file or None) and ``text`` (file content).

    Read one with :func:`load_study`; sections are read like a dict.

    Parameters
    ----------
    config : dict
        Section -> key -> value, every key of :data:`SCHEMA` present (defaults filled in).
    path : Path or None
        The study file, or ``None`` for the packaged default study.
    text : str
        The file's text as read (kept for the run's record).

    Examples
    --------
    >>> import cybercult as cc
    >>> study = cc.load_study()
    >>> study["model"]["outcome"], study["inference"]["padjust"]
    ('gci2020.score', 'fdr_bh')
    >>> list(study.blocks)[0] in study["model"]["block_order"]
    True
    """

    config: dict
    path: Path | None
    text: str

    def __getitem__(self, section: str) -> dict:
        """The keys of one section (``study["model"]``)."""
        return self.config[section]

    @property
    def predictors(self) -> list[str]:
        """Every predictor of the model, block by block in ``block_order``."""
        blocks = self.config["model"]["blocks"]
        return [v for b in self.config["model"]["block_order"] if b in blocks for v in blocks[b]]

    @property
    def blocks(self) -> dict[str, list[str]]:
        """Block name -> its predictors, in ``block_order``."""
        blocks = self.config["model"]["blocks"]
        return {b: list(blocks[b]) for b in self.config["model"]["block_order"] if b in blocks}

    def with_overrides(self, **sections: dict) -> "Study":
        """A copy with some keys replaced, validated like a study file (e.g. ``figures={"style": "slides"}``).

        Parameters
        ----------
        **sections : dict
            Section name -> the keys to replace in it; other keys keep their values.

        Returns
        -------
        Study
            A new study; this one is left as it was.

        Raises
        ------
        StudyFileError
            For an unknown section or key, or a value of the wrong type or outside the allowed set.

        Examples
        --------
        >>> import cybercult as cc
        >>> cc.load_study().with_overrides(inference={"alpha": 0.01})["inference"]["alpha"]
        0.01
        """
        user = {sec: dict(body) for sec, body in sections.items()}
        where = _where(self.path)
        _check(user, where)
        cfg = _merge(self.config, user)
        _semantic(cfg, where, None)
        return Study(cfg, self.path, self.text)

    @property
    def question(self) -> str:
        """The study question, with ``{outcome}`` replaced by the outcome's label."""
        from .data.catalogue import label

        q = self.config["study"]["question"]
        if "{outcome}" not in q:
            return q
        y = self.config["model"]["outcome"]
        try:
            lab = label(y)
        except (KeyError, ValueError):
            lab = y
        return q.replace("{outcome}", lab)

    def variables(self) -> list[str]:
        """Every variable id the study uses (outcomes, predictors, groups, robustness), once each, in order.

        Examples
        --------
        >>> import cybercult as cc
        >>> study = cc.load_study()
        >>> study.variables()[0] == study["model"]["outcome"]
        True
        """
        m, r = self.config["model"], self.config["robustness"]
        out = [m["outcome"], *m["pillars"], *m["alternative_outcomes"], *self.predictors, *m["group_by"],
               *self.config["data"]["variables"], *r["spec_outcomes"]]
        for alts in r["culture_alternatives"].values():
            out += alts
        if m["ordinal_logit"]:
            out.append(m["ordinal_outcome"])
        return list(dict.fromkeys(out))


def _where(path) -> str:
    return str(path) if path else "default study"


def _suggest(key: str, valid) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check(user: dict, where: str) -> None:
    for section, body in user.items():
        if section not in SCHEMA:
            raise StudyFileError(f"{where}: unknown section [{section}]{_suggest(section, SCHEMA)} "
                                 f"valid sections: {', '.join(SCHEMA)}")
        if not isinstance(body, dict):
            raise StudyFileError(f"{where}: [{section}] must be a table of keys")
        for key, value in body.items():
            spec = SCHEMA[section]
            if key not in spec:
                raise StudyFileError(f"{where}: unknown key '{section}.{key}'{_suggest(key, spec)} "
                                     f"valid keys in [{section}]: {', '.join(spec)}")
            typ, allowed = spec[key]
            ok = isinstance(value, typ) and not (typ in (int, float) and isinstance(value, bool))
            if typ is float and isinstance(value, int) and not isinstance(value, bool):
                ok = True
            if not ok:
                want = " or ".join(t.__name__ for t in typ) if isinstance(typ, tuple) else typ.__name__
                raise StudyFileError(f"{where}: '{section}.{key}' must be {want}, got "
                                     f"{type(value).__name__} {value!r}")
            if allowed is not None:
                items = value if isinstance(value, list) else [value]
                bad = [v for v in items if v not in allowed]
                if bad:
                    raise StudyFileError(f"{where}: '{section}.{key}' has {bad[0]!r}{_suggest(str(bad[0]), allowed)} "
                                         f"allowed: {', '.join(map(str, allowed))}")


def _semantic(cfg: dict, where: str, base: Path | None, own_blocks=()) -> None:
    from .data.catalogue import variable_ids

    inf = cfg["inference"]
    if not 0 < inf["alpha"] < 1:
        raise StudyFileError(f"{where}: 'inference.alpha' must be between 0 and 1, got {inf['alpha']}")
    if not 0 <= cfg["verdict"]["min_share"] <= 1:
        raise StudyFileError(f"{where}: 'verdict.min_share' must be between 0 and 1")
    if cfg["verdict"]["robustness_gate"] and not cfg["verdict"]["use_robustness"]:
        raise StudyFileError(f"{where}: 'verdict.robustness_gate = true' needs 'verdict.use_robustness = true' (the "
                             "gate reads the specification curve's shares)")
    for key in ("sesoi", "sesoi_f2"):
        if not cfg["verdict"][key] > 0:
            raise StudyFileError(f"{where}: 'verdict.{key}' must be > 0, got {cfg['verdict'][key]}")
    for key in ("n_boot", "n_perm"):
        if cfg["robustness"][key] < 0:
            raise StudyFileError(f"{where}: 'robustness.{key}' must be >= 0")
    if cfg["model"]["n_imputations"] < 2:
        raise StudyFileError(f"{where}: 'model.n_imputations' must be at least 2")
    if cfg["data"]["window"] < 0:
        raise StudyFileError(f"{where}: 'data.window' must be >= 0")
    blocks = cfg["model"]["blocks"]
    for b, vars_ in blocks.items():
        if not _BLOCK_NAME.match(b):
            raise StudyFileError(f"{where}: block name 'model.blocks.{b}' must start with a letter and hold only "
                                 "letters, digits and underscores")
        if not isinstance(vars_, list) or not all(isinstance(v, str) for v in vars_):
            raise StudyFileError(f"{where}: 'model.blocks.{b}' must be a list of variable ids")
    order = cfg["model"]["block_order"]
    if not all(isinstance(b, str) for b in order):
        raise StudyFileError(f"{where}: 'model.block_order' must be a list of block names")
    missing = [b for b in order if b not in blocks]
    if missing:
        raise StudyFileError(f"{where}: 'model.block_order' names {missing} with no entry in [model.blocks]; "
                             f"blocks: {', '.join(blocks)}")
    dup = sorted({b for b in order if order.count(b) > 1})
    if dup:
        raise StudyFileError(f"{where}: 'model.block_order' names {dup} more than once")
    # a block the study file itself defines must be placed in the order (a forgotten block would vanish
    # silently); default blocks the order leaves out are simply not used
    unordered = [b for b in own_blocks if b not in order and blocks[b]]
    if unordered:
        raise StudyFileError(f"{where}: block(s) {unordered} of [model.blocks] are not in 'model.block_order' "
                             f"({order}); add them where they belong in the order")
    if not [v for b in order for v in blocks[b]]:
        raise StudyFileError(f"{where}: the model has no predictors: every block in 'model.block_order' is empty")
    for key in ("control_block", "focal_block"):
        b = cfg["model"][key]
        if b and b not in blocks:  # a block left out of the order is simply not used (no controls / all focal)
            raise StudyFileError(f"{where}: 'model.{key}' is {b!r}, not a block of [model.blocks]"
                                 f"{_suggest(b, blocks)} blocks: {', '.join(blocks)}")
    for c in cfg["robustness"]["spec_controls"]:
        if c not in blocks:
            raise StudyFileError(f"{where}: 'robustness.spec_controls' has {c!r}, not a block; "
                                 f"blocks: {', '.join(blocks)}")
    # extra files first: their variables join the catalogue only when read
    extra = []
    for i, f in enumerate(cfg["data"]["extra"]):
        if not isinstance(f, str):
            raise StudyFileError(f"{where}: 'data.extra[{i}]' must be a file path string")
        p, sheet = split_extra_spec(f)  # "book.xlsx#Sheet" names a sheet
        if not p.is_absolute() and base is not None:
            p = base / p
        if not p.is_file():
            raise StudyFileError(f"{where}: extra data file 'data.extra[{i}]' not found: {p}")
        extra.append(str(p) + (f"#{sheet}" if sheet else ""))
    cfg["data"]["extra"] = extra
    cmap = cfg["data"]["country_map"]
    if isinstance(cmap, str) and cmap:
        p = Path(cmap)
        if not p.is_absolute() and base is not None:
            p = base / p
        if not p.is_file():
            raise StudyFileError(f"{where}: 'data.country_map' file not found: {p} (a CSV with columns name, iso3, "
                                 "or a table [data.country_map] of name = \"ISO3\")")
        cfg["data"]["country_map"] = str(p)
    elif isinstance(cmap, dict):
        bad = [k for k, v in cmap.items() if not isinstance(v, str)]
        if bad:
            raise StudyFileError(f"{where}: 'data.country_map' maps {bad[0]!r} to {cmap[bad[0]]!r}; each name must "
                                 "map to an ISO3 code string")
    if extra:
        return  # user variable ids are checked when the panel reads the files
    valid = set(variable_ids())
    checks = [("model.outcome", [cfg["model"]["outcome"]]), ("model.pillars", cfg["model"]["pillars"]),
              ("model.ordinal_outcome", [cfg["model"]["ordinal_outcome"]] if cfg["model"]["ordinal_logit"] else []),
              ("model.alternative_outcomes", cfg["model"]["alternative_outcomes"]),
              ("model.group_by", cfg["model"]["group_by"]), ("data.variables", cfg["data"]["variables"]),
              ("robustness.spec_outcomes", cfg["robustness"]["spec_outcomes"])]
    checks += [(f"model.blocks.{b}", v) for b, v in blocks.items()]
    checks += [(f"robustness.culture_alternatives.{k}", v) for k, v in cfg["robustness"]["culture_alternatives"].items()]
    for key, ids in checks:
        for v in ids:
            if v not in valid:
                raise StudyFileError(f"{where}: '{key}' names unknown variable {v!r}{_suggest(v, valid)} "
                                     "(run `cybercult variables` for the list)")


def _merge(base: dict, user: dict) -> dict:
    out = copy.deepcopy(base)
    for section, body in user.items():
        for key, value in body.items():
            if section == "model" and key == "blocks":
                out[section][key] = {**out[section][key], **value}  # name only the blocks you change
            else:
                out[section][key] = value  # other tables (culture_alternatives) are replaced whole
    return out


def load_study(path: str | Path | None = None) -> Study:
    """Read and validate a study file (default: the packaged default study).

    Parameters
    ----------
    path : path, optional
        TOML study file. Keys it does not name take the default study's values.

    Returns
    -------
    Study
        The file's keys over the default study's, validated.

    Raises
    ------
    StudyFileError
        Naming the file and key, and listing the allowed keys or values.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import cybercult as cc
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.toml"
    >>> _ = f.write_text('[inference]\\npadjust = "holm"\\n')
    >>> study = cc.load_study(f)
    >>> study["inference"]["padjust"], study["inference"]["alpha"]
    ('holm', 0.05)
    >>> _ = f.write_text('[inference]\\npadjust = "BH"\\n')
    >>> cc.load_study(f)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cybercult.errors.StudyFileError: ...padjust...
    """
    with DEFAULT_STUDY.open("rb") as fh:
        default = tomllib.load(fh)
    if path is None:
        cfg, text, base = default, DEFAULT_STUDY.read_text(), None
        where, own_blocks = "default study", tuple(default["model"]["blocks"])
    else:
        p = Path(path)
        where = str(p)
        if not p.is_file():
            raise StudyFileError(f"study file not found: {p}")
        text = _read_study_text(p)
        try:
            user = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise StudyFileError(f"{p}: not valid TOML: {exc}") from None
        _check(user, where)
        cfg, base = _merge(default, user), p.parent
        own_blocks = tuple(user.get("model", {}).get("blocks", {}))
    _check(cfg, where)
    cfg = copy.deepcopy(cfg)
    _check_resampling(cfg, where)
    _semantic(cfg, where, base, own_blocks)
    _check_ids_with_extra(cfg, where)
    return Study(cfg, None if path is None else Path(path), text)


# -- input checks of load_study (issue 10): encoding, seed, resampling bounds, ids with extra files ------
#: Most bootstrap resamples or permutations a study may ask for.
MAX_RESAMPLES = 1_000_000


def _read_study_text(p: Path) -> str:
    """The file as text: UTF-8 with or without a byte-order mark; UTF-16 named as such."""
    raw = p.read_bytes()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(raw) >= 4 and (raw[1] == 0 or raw[0] == 0)):
        raise StudyFileError(f"{p}: the study file is UTF-16 encoded; save it as UTF-8 "
                             "(Notepad: Save as, Encoding 'UTF-8')")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudyFileError(f"{p}: not valid UTF-8 (byte {exc.start}: {raw[exc.start:exc.start + 1]!r}); "
                             "save the study file as UTF-8") from None


def _check_resampling(cfg: dict, where: str) -> None:
    r = cfg["robustness"]
    if r["seed"] < 0:
        raise StudyFileError(f"{where}: 'robustness.seed' must be >= 0 (a NumPy seed is a non-negative "
                             f"integer), got {r['seed']}")
    k = 1 + sum(len(v) for v in cfg["model"]["blocks"].values())
    for key in ("n_boot", "n_perm"):
        n = r[key]
        if n > MAX_RESAMPLES:
            need = n * k * 8
            raise StudyFileError(
                f"{where}: 'robustness.{key}' = {n:,} is more than the {MAX_RESAMPLES:,} allowed: keeping "
                f"{n:,} x {k} coefficients of 8 bytes would need about {need / 2**30:,.1f} GiB of memory "
                f"(the limit needs {MAX_RESAMPLES * k * 8 / 2**20:,.0f} MiB)")


def _check_ids_with_extra(cfg: dict, where: str) -> None:
    """With extra files, ids outside the ``user.`` namespace are still checked against the catalogue,
    and ``user.<stem>.`` ids must name one of the extra files (their columns are checked when read)."""
    extra = cfg["data"]["extra"]
    if not extra:
        return
    from .data.catalogue import variable_ids
    from .data.userdata import _slug, split_extra_spec

    valid = set(variable_ids())
    stems = {f"user.{_slug(split_extra_spec(f)[0].stem) or 'data'}." for f in extra}
    m, r = cfg["model"], cfg["robustness"]
    checks = [("model.outcome", [m["outcome"]]), ("model.pillars", m["pillars"]),
              ("model.alternative_outcomes", m["alternative_outcomes"]), ("model.group_by", m["group_by"]),
              ("data.variables", cfg["data"]["variables"]), ("robustness.spec_outcomes", r["spec_outcomes"])]
    checks += [(f"model.blocks.{b}", v) for b, v in m["blocks"].items()]
    checks += [(f"robustness.culture_alternatives.{k}", v) for k, v in r["culture_alternatives"].items()]
    for key, ids in checks:
        for v in ids:
            if v in valid or any(v.startswith(s) and len(v) > len(s) for s in stems):
                continue
            if v.startswith("user."):
                raise StudyFileError(f"{where}: '{key}' names {v!r}, but no extra file gives the prefix of it; "
                                     f"the extra files give {', '.join(sorted(s + '<column>' for s in stems))}")
            raise StudyFileError(f"{where}: '{key}' names unknown variable {v!r}{_suggest(v, valid)} "
                                 "(run `cybercult variables` for the list; variables of your extra files are "
                                 f"{', '.join(sorted(s + '<column>' for s in stems))})")


