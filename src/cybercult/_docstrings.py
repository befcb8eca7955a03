"""Parameter descriptions written once and inserted into many docstrings.

The idea is seaborn's ``seaborn._docstrings.DocstringComponents``: a parameter
that means the same thing in ten functions (``alpha``, ``rng``, ``ax``, ...) is
described once here, and each docstring names the paragraph with a placeholder
on a line of its own::

    @fill_doc
    def correlate(data, x, *, alpha=0.05):
        '''Pearson correlations.

        Parameters
        ----------
        {params.data}
        x : str
            Variable id.
        {params.alpha}
        '''

:func:`fill_doc` replaces each ``{params.NAME}`` with the paragraph ``NAME`` of
:data:`params`, indented like the placeholder. Only placeholders of the form
``{group.name}`` are replaced, so other braces in a docstring (dict literals in
examples) are left alone; an unknown name raises ``KeyError`` at import, so a
typo cannot ship an empty parameter.

Written by hand rather than imported from seaborn: seaborn's module is private
(``_docstrings``) and not a dependency of this package.
"""
from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import TypeVar

__all__ = ["DocstringComponents", "params", "returns", "figure", "fill_doc", "DOCS"]

F = TypeVar("F")


class DocstringComponents:
    """Named docstring paragraphs, read as attributes.

    Parameters
    ----------
    components : mapping of str to str
        Paragraph per name, each starting with its numpydoc heading line
        (``"alpha : float"``) followed by the indented description. Leading and
        trailing blank lines and the common indentation are removed.

    Examples
    --------
    >>> from cybercult._docstrings import DocstringComponents
    >>> d = DocstringComponents({"n": '''
    ...     n : int
    ...         Number of countries.
    ...     '''})
    >>> print(d.n)
    n : int
        Number of countries.
    >>> sorted(d)
    ['n']
    """

    def __init__(self, components: Mapping[str, str]):
        self._components = {k: textwrap.dedent(v).strip("\n").rstrip() for k, v in components.items()}

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["_components"][name]
        except KeyError:
            raise AttributeError(f"no shared docstring paragraph {name!r}; "
                                 f"known: {', '.join(sorted(self.__dict__.get('_components', {})))}") from None

    def __iter__(self):
        return iter(self._components)

    def __contains__(self, name: str) -> bool:
        return name in self._components

    def __or__(self, other: DocstringComponents) -> DocstringComponents:
        """Both sets of paragraphs; ``other`` wins where a name is in both."""
        return DocstringComponents({**self._components, **other._components})

    @classmethod
    def from_nested_components(cls, **groups: DocstringComponents) -> dict[str, DocstringComponents]:
        """Groups of components keyed by name, for :func:`fill_doc` (``{group.name}``)."""
        return dict(groups)


params = DocstringComponents(dict(
    data="""
    data : DataFrame
        One row per country (index ISO3, optional ``country`` column), variables
        in columns named by variable id, such as ``cc.build_panel().data``.
    """,
    outcome="""
    outcome : str
        Outcome variable id, e.g. ``"gci2020.score"``; it is written in the
        ``outcome`` column of every model table.
    """,
    predictors="""
    predictors : str or list of str
        Predictor variable ids (columns of ``data``); each becomes a ``term``
        row of the result.
    """,
    alpha="""
    alpha : float
        Significance level; confidence intervals are at ``1 - alpha``
        (``0.05`` gives 95% intervals).
    """,
    padjust="""
    padjust : {"fdr_bh", "holm", "bonferroni", "none"}
        Correction of the p-values for multiple testing, written to ``p_adj``:
        Benjamini-Hochberg false discovery rate, Holm, Bonferroni, or none.
    """,
    rng="""
    rng : numpy.random.Generator or int, optional
        Source of randomness: a generator, or a seed for
        :func:`numpy.random.default_rng`. The same seed gives the same numbers.
    """,
    cov_type="""
    cov_type : {"HC3", "HC2", "HC1", "HC0", "nonrobust"}
        Covariance of the coefficients: heteroskedasticity-consistent sandwich
        estimators (``HC3`` is the most cautious in small samples) or the
        classical ``nonrobust`` one.
    """,
    ax="""
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure in the active :func:`cybercult.plot.style`
        otherwise.
    """,
    year="""
    year : int
        Reference year: yearly sources give the value of this year or the
        nearest earlier one within ``window`` years.
    """,
    window="""
    window : int
        How many years before ``year`` a yearly value may come from when the
        reference year itself is missing (``0``: that year only).
    """,
    sample="""
    sample : str
        Sample rule, a key of :data:`cybercult.data.SAMPLE_RULES` (which countries
        enter the panel); :func:`cybercult.sample_sizes` lists every rule with its
        count.
    """,
    extra="""
    extra : list of path, DataFrame or mapping, optional
        Your own indicator files (see :func:`cybercult.read_indicator_file`);
        their variables (``user.<file stem>.<column>``) are added to the panel. A
        path ``"book.xlsx#Sheet"`` names an Excel sheet; a mapping gives
        :func:`cybercult.read_indicator_file` keywords with the file under ``"path"``.
    """,
    variables="""
    variables : list of str, optional
        Variable ids (see :func:`cybercult.catalogue`); default
        :data:`cybercult.DEFAULT_VARIABLES`.
    """,
    study="""
    study : Study
        A study read by :func:`cybercult.load_study` (or a path to its TOML file
        where a function says so): variables, outcomes, sample and options of one
        analysis.
    """,
    folder="""
    folder : str or path
        Output folder; created when missing.
    """,
    user_variables="""
    user_variables : mapping of str to Variable, optional
        Catalogue entries of the researcher's own indicators
        (``user.<file>.<column>``), as in :attr:`cybercult.Panel.user_variables`;
        looked up alongside the bundled catalogue.
    """,
    var_id="""
    var_id : str
        Variable id ``source.variable`` (``"gci2020.score"``, ``"hofstede.idv"``)
        or ``user.<file>.<column>`` for your own indicators.
    """,
    source_id="""
    source_id : str
        Source id, a key of ``sources.toml`` (``"gci2020"``, ``"wgi"``); see
        :func:`cybercult.list_sources`.
    """,
    unit="""
    unit : bool
        Append the variable's unit in brackets when it has one.
    """,
    outcome_id="""
    outcome : str
        Outcome variable id, a numeric column of ``data`` (e.g. ``"gci2020.score"``).
    """,
    categorical="""
    categorical : list of str, optional
        Predictors to dummy-code: one 0/1 term ``id[level]`` per level but the
        first, which is the reference. Other predictors must be numeric; the
        numeric codes of a categorical variable (``eiu.regime``) are used as
        scores unless the variable is listed here.
    """,
    standardize="""
    standardize : bool
        Also fit the model with every predictor z-scored (and, for OLS, the
        outcome too), giving the ``beta``, ``beta_ci_low`` and ``beta_ci_high``
        columns: standard deviations of the outcome per standard deviation of the
        predictor for OLS, log-odds per standard deviation for the logit models.
        NaN when False.
    """,
    standardize_resampled="""
    standardize : bool
        Standardized coefficients: the outcome and the predictors are z-scored
        again within each resampled (or reduced) sample, so the table has no
        ``const`` row.
    """,
    blocks="""
    blocks : dict of str to list of str
        Blocks of predictors, block name -> predictor ids, e.g.
        ``{"development": [...], "politics": [...], "military": [...],
        "culture": [...]}`` (``Study.blocks``, or
        :func:`~cybercult.stats.blocks_from_catalogue` from the catalogue).
    """,
    n_resample="""
    n : int
        Number of countries in the listwise sample; rows are numbered 0 .. n-1 in
        the order of the data after listwise deletion.
    """,
    n_boot="""
    n_boot : int
        Number of bootstrap resamples (pairs drawn with replacement).
    """,
    n_perm="""
    n_perm : int
        Number of permutations (Freedman-Lane: the residuals of the model
        without the tested term or block are permuted across countries).
    """,
    chunk_size="""
    chunk_size : int
        How many resamples, permutations or specifications are solved together:
        it bounds the memory used, and the results do not depend on it.
    """,
    sesoi="""
    sesoi : float
        Smallest effect size of interest, in units of ``beta`` (standard
        deviations of the outcome per standard deviation of the factor for OLS,
        log-odds per SD for the logit models): a factor whose two one-sided tests
        show ``|beta| < sesoi`` is negligible.
    """,
    higher_is_better="""
    higher_is_better : bool, optional
        Whether a higher outcome means more commitment; default: read from the
        catalogue's ``higher_is`` (see :func:`~cybercult.stats.outcome_direction`;
        an outcome it does not know counts as higher is better).
    """,
    min_share="""
    min_share : float
        Share of specifications (0 to 1) a term's call needs: ``call`` is
        ``positive`` or ``negative`` when at least this share of the
        specifications without region terms or clustering is significant with
        that sign, and ``survives_region`` when the share holds among the
        specifications that model regions.
    """,
    digits="""
    digits : int
        Decimals shown in the tables; a p-value below ``10**-digits`` shows as
        ``<0.001`` (for ``digits=3``).
    """,
    spec_outcomes="""
    outcomes : list of str
        Outcome variable ids of one construct (e.g. GCI 2020, 2018, 2017, 2024
        and NCSI); each is one dimension of the curve. Give the pillars a
        curve of their own.
    """,
    alternatives="""
    alternatives : dict of str to list of str, optional
        Groups of interchangeable focal measures, e.g.
        ``{"individualism": ["hofstede.idv", "wvs.surv_selfexp"]}`` or a culture
        source (``{"power distance": ["hofstede.pdi", "<other source>.pdi"]}``);
        every specification uses one measure of each group (all combinations). A
        focal factor that belongs to a group is replaced, in its place, by the
        group's measure.
    """,
    estimators="""
    estimators : sequence of {"ols", "ols_std", "fractional_logit"}
        ``ols`` on the variables as they are; ``ols_std`` on z-scores computed
        within the specification's sample (same t and p, coefficients in SD
        units); ``fractional_logit`` on ``(outcome - low) / (high - low)``
        (Papke & Wooldridge 1996; HC1 sandwich, z tests, as
        :func:`~cybercult.stats.fractional_logit`).
    """,
    use_t="""
    use_t : bool
        OLS p-values from the t distribution with ``n - k`` degrees of freedom
        (``g - 1`` with clustered errors, g clusters), as Stata and R's
        ``coeftest`` do; False uses the normal. The fractional logit always
        uses the normal.
    """,
    regions="""
    regions : Series, optional
        Region of each country (index as ``data``;
        :func:`~cybercult.stats.regions` builds it from country_converter). Adds
        the dimension ``region``: no region terms, or region fixed effects (one
        dummy per region but the first).
    """,
    clusters="""
    clusters : Series, optional
        Cluster of each country (e.g. UN subregions). Adds the dimension ``se``:
        ``cov_type`` or standard errors clustered by region (statsmodels'
        ``cov_type="cluster"`` with its small-sample factor). A country with no
        cluster is a cluster of its own.
    """,
    scales="""
    scales : dict, optional
        Outcome -> maximum (or (minimum, maximum)) for the fractional logit;
        default: the catalogue's range.
    """,
))

returns = DocstringComponents(dict(
    ax="""
    Axes
        The axes drawn on.
    """,
    fig="""
    Figure
        The figure drawn, its panels in ``fig.axes``.
    """,
))

#: Options shared by the figure functions of :mod:`cybercult.plot` (``{figure.adjust_iterations}``).
figure = DocstringComponents(dict(
    title="""
    title : str, optional
        Axes title; none by default.
    """,
    label="""
    label : str or None
        Column of ``data`` with the names written next to the points (``"iso3"``
        for the codes); ``None`` for no labels.
    """,
    adjust_iterations="""
    adjust_iterations : int
        Fixed number of adjustText iterations that move the labels apart (never
        a time limit, so the same inputs give the same figure).
    """,
    ci="""
    ci : float, optional
        Deprecated: the band's level (``ci = 1 - alpha``); use ``alpha``.
    """,
    vmin_vmax="""
    vmin, vmax : float, optional
        Limits of the colour scale; default the range of the values.
    """,
    figsize="""
    figsize : (float, float), optional
        Width and height in inches; default the style's width and a height that
        fits the rows (a 16:9 style keeps its size).
    """,
    top="""
    top : int
        At most this many over-performers and this many under-performers.
    """,
))

#: Groups for :func:`fill_doc`: ``{params.alpha}``, ``{returns.ax}``, ``{figure.title}``.
DOCS = DocstringComponents.from_nested_components(params=params, returns=returns, figure=figure)

_PLACEHOLDER = re.compile(r"^(?P<indent>[ \t]*)\{(?P<group>\w+)\.(?P<name>\w+)\}[ \t]*$", re.MULTILINE)


def fill_doc(obj: F = None, /, **groups: DocstringComponents) -> F | Callable[[F], F]:
    """Insert the shared paragraphs into ``obj.__doc__`` (a decorator).

    Parameters
    ----------
    obj : function or class
        What to document; its docstring holds placeholders ``{params.NAME}`` on
        lines of their own.
    **groups : DocstringComponents
        Further groups of paragraphs (``{mine.NAME}``) besides :data:`DOCS`;
        used as ``@fill_doc(mine=...)``.

    Returns
    -------
    function or class
        ``obj`` itself with its docstring filled in.

    Raises
    ------
    KeyError
        For a placeholder naming an unknown group or paragraph.

    Examples
    --------
    >>> from cybercult._docstrings import fill_doc
    >>> @fill_doc
    ... def f(alpha=0.05):
    ...     '''Parameters
    ...     ----------
    ...     {params.alpha}
    ...     '''
    >>> print(f.__doc__.splitlines()[2].strip())
    alpha : float
    """
    table = {**DOCS, **groups}

    def apply(target: F) -> F:
        doc = target.__doc__
        if not doc:
            return target

        def repl(m: re.Match) -> str:
            group, name = m["group"], m["name"]
            if group not in table or name not in table[group]:
                raise KeyError(f"{getattr(target, '__qualname__', target)}: unknown docstring placeholder "
                               f"{{{group}.{name}}}")
            return textwrap.indent(getattr(table[group], name), m["indent"])

        target.__doc__ = _PLACEHOLDER.sub(repl, doc)
        return target

    return apply if obj is None else apply(obj)
