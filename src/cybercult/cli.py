"""Command line: thin; parses arguments, calls the public API, turns errors into messages."""
from __future__ import annotations

import argparse
import sys
import warnings
import textwrap
from pathlib import Path

EXIT_USAGE = 2


def _cmd_sources(args) -> int:
    from .data.registry import list_sources

    t = list_sources()
    if args.full:
        print(t.to_string(index=False))
    else:
        for r in t.itertuples():
            print(f"{r.source:9s} {r.title}\n          {r.edition}; terms: {r.terms}")
    return 0


def _cmd_variables(args) -> int:
    from .data.catalogue import catalogue
    from .errors import UnknownVariableError

    t = catalogue()
    if args.source:
        if args.source not in set(t["source"]):
            raise UnknownVariableError(args.source, t["source"], what="source")
        t = t[t["source"] == args.source]
    print(t[["variable", "label", "unit", "block", "timing"]].to_string(index=False))
    return 0


def _cmd_panel(args) -> int:
    from .data.panel import build_panel

    variables = None
    if args.variables:
        variables = [v.strip() for item in args.variables for v in item.split(",") if v.strip()]
    from .data.userdata import check_output_paths

    check_output_paths(args.out, inputs=[*(args.extra or []), *([args.country_map] if args.country_map else [])],
                       audit=args.audit)
    panel = build_panel(variables, args.year, window=args.window, sample=args.sample,
                        extra=args.extra or None, country_map=args.country_map, exact_names=args.exact_names)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    panel.data.to_csv(out, float_format="%.10g")
    print(panel.summary())
    print(f"wrote {out}")
    if args.audit:
        Path(args.audit).parent.mkdir(parents=True, exist_ok=True)
        panel.audit.to_csv(args.audit, index=False)
        print(f"wrote {args.audit}")
    return 0


def _cmd_run(args) -> int:
    from .run import run_study

    formats = None
    if args.formats:
        formats = [f.strip() for item in args.formats for f in item.split(",") if f.strip()]
    run_study(args.study, out=args.out, force=args.force, style=args.style, formats=formats,
              json_summary=args.json)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cybercult",
        description="Culture, politics, military and development against national cybersecurity commitment.")
    from . import __version__
    p.add_argument("--version", action="version", version=f"cybercult {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("sources", help="list the bundled data sources", description="List the source registry.")
    s.add_argument("--full", action="store_true", help="show every registry field")
    s.set_defaults(func=_cmd_sources)

    v = sub.add_parser("variables", help="list the variable catalogue", description="List the variable catalogue.")
    v.add_argument("--source", help="only this source id")
    v.set_defaults(func=_cmd_variables)

    pa = sub.add_parser("panel", help="build the country panel and its audit",
                        description="Build the country panel for a reference year and write it as CSV.")
    pa.add_argument("--year", type=int, default=2020, help="reference year (default 2020)")
    pa.add_argument("--window", type=int, default=3, help="years back a yearly value may come from (default 3)")
    pa.add_argument("--variables", nargs="+", metavar="ID", help="variable ids (comma or space separated)")
    from .data.panel import SAMPLE_RULES

    pa.add_argument("--sample", default="insights6", choices=tuple(SAMPLE_RULES),
                    help="sample rule (default insights6; `cc.sample_sizes()` lists what each gives)")
    pa.add_argument("--extra", nargs="+", metavar="FILE", help="your own indicator files (CSV/XLSX)")
    pa.add_argument("--country-map", metavar="FILE",
                    help="your own name -> ISO3 table for the extra files (CSV with columns name, iso3)")
    pa.add_argument("--exact-names", action="store_true",
                    help="country names must match exactly (no pattern matching)")
    pa.add_argument("--out", required=True, help="panel CSV to write")
    pa.add_argument("--audit", help="audit CSV to write (every country seen, included or not, and why)")
    pa.set_defaults(func=_cmd_panel)

    r = sub.add_parser("run", help="run a whole study (tables, figures, report)",
                       description="Run the pipeline of a study file; without one, the default study.")
    r.add_argument("study", nargs="?", help="study file (TOML); default: the packaged default study")
    r.add_argument("--out", help="output folder (default: the study's output setting). It must be new, empty, "
                                 "or an earlier cybercult output holding nothing else")
    r.add_argument("--force", action="store_true",
                   help="accept an existing folder cybercult did not write: it is renamed aside to NAME.old-N, "
                        "never deleted (the current, home and input folders are refused even so)")
    r.add_argument("--style", choices=("paper", "slides"), help="figure style (default: the study's)")
    r.add_argument("--formats", nargs="+", metavar="FMT", help="figure formats: svg pdf png (default: the study's)")
    r.add_argument("--quiet", action="store_true", help="no progress messages")
    r.add_argument("--json", action="store_true", help="print a machine-readable summary on stdout")
    r.set_defaults(func=_cmd_run)
    return p


def _log_to_stderr(quiet: bool) -> None:
    """Progress of the library (logger ``cybercult``) on stderr, unless --quiet."""
    import logging

    logger = logging.getLogger("cybercult")
    for h in list(logger.handlers):
        if getattr(h, "_cybercult_cli", False):
            logger.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[cybercult] %(message)s"))
    handler._cybercult_cli = True
    logger.addHandler(handler)
    logger.setLevel(logging.ERROR if quiet else logging.INFO)
    logger.propagate = False

    def show(message, category, filename, lineno, file=None, line=None):  # warnings as one log line each
        logger.warning("%s: %s", category.__name__, message)

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _log_to_stderr(getattr(args, "quiet", False))
    try:
        return args.func(args)
    except KeyboardInterrupt as exc:
        print(f"cybercult {args.command}: interrupted ({exc or 'Ctrl-C'}); earlier output left as it was",
              file=sys.stderr)
        return 130
    except (ValueError, TypeError, KeyError, FileNotFoundError, OSError) as exc:
        msg = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        first, *rest = msg.splitlines() or [""]
        print(f"cybercult {args.command}: error: " + "\n".join([textwrap.fill(first, 100), *rest]),
              file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
