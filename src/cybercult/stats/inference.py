"""The inference settings a study hands to every analysis: one value, so no step can forget them."""
from __future__ import annotations

from dataclasses import dataclass

from .._docstrings import fill_doc
from ._validate import PADJUST_METHODS, PADJUST_NAMES, check_alpha, check_choice


@fill_doc
@dataclass(frozen=True)
class Inference:
    """Significance level and multiple-testing correction of a study.

    Parameters
    ----------
    {params.alpha}
    {params.padjust}
        Applied across each family of tests of the study.

    Examples
    --------
    >>> inf = Inference(alpha=0.1, padjust="holm")
    >>> inf.level, inf.correction
    ('90 %', 'Holm')
    >>> inf.kwargs()
    {'alpha': 0.1, 'padjust': 'holm'}
    """

    alpha: float = 0.05
    padjust: str = "fdr_bh"

    def __post_init__(self):
        object.__setattr__(self, "alpha", check_alpha(self.alpha))
        check_choice(self.padjust, PADJUST_METHODS, "padjust")

    @property
    def level(self) -> str:
        """The interval level as people write it, e.g. ``"95 %"``."""
        return f"{100 * (1 - self.alpha):.10g} %"

    @property
    def correction(self) -> str:
        """The correction's name, e.g. ``"Benjamini-Hochberg"``."""
        return PADJUST_NAMES[self.padjust]

    def kwargs(self) -> dict:
        """``alpha`` and ``padjust`` as keyword arguments for the analysis functions."""
        return {"alpha": self.alpha, "padjust": self.padjust}

    def describe(self) -> str:
        """One phrase for captions and report sentences."""
        corr = "no multiple-testing correction" if self.padjust == "none" else f"{self.correction}-adjusted p"
        return f"{self.level} CI, {corr}, alpha = {self.alpha:g}"
