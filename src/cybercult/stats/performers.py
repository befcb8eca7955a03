"""Over- and under-performers: each country's observed commitment against the model's prediction."""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import OLSInfluence

from .._docstrings import fill_doc
from ._validate import check_alpha
from .results import ModelResult
from .verdict import outcome_direction

PERFORMER_COLUMNS = ["iso3", "country", "observed", "predicted", "pi_low", "pi_high", "residual", "std_residual",
                     "status"]
STATUSES = ("over-performer", "under-performer", "as expected")


@fill_doc
def performers(
    result: ModelResult,
    *,
    alpha: float = 0.05,
    threshold="pi",
    higher_is_better: bool | None = None,
) -> pd.DataFrame:
    """Countries doing better or worse than the model predicts.

    Parameters
    ----------
    result : ModelResult
        An OLS model from :func:`~cybercult.stats.regress` (listwise).
    alpha : float
        Prediction intervals at ``1 - alpha``.
    threshold : "pi" or float
        ``"pi"``: a country over- (under-) performs when its observed value
        lies above (below) its prediction interval. A number ``c``: when its
        standardized residual is above ``c`` (below ``-c``).
    {params.higher_is_better}
        For an outcome where higher is worse, "over-performer" still means more
        commitment than predicted.

    Returns
    -------
    DataFrame
        One row per country in the model, sorted by ``std_residual`` from the
        best to the worst performer, columns:

        - ``iso3``, ``country`` ("" when the data had no ``country`` column);
        - ``observed``, ``predicted`` (fitted value);
        - ``pi_low``, ``pi_high``: prediction interval for a country with
          these predictor values;
        - ``residual``: observed minus predicted;
        - ``std_residual``: internally studentized residual;
        - ``status``: ``"over-performer"``, ``"under-performer"`` or
          ``"as expected"``.

    See Also
    --------
    regress : the model whose predictions are compared.
    influence : Cook's distance and leverage of the same countries.

    Notes
    -----
    ``fit.get_prediction().summary_frame(obs=True)`` of statsmodels: the
    interval is ``predicted +/- t(1 - alpha/2, n - k - 1) * sqrt(x' V x + s^2)``
    with V the model's coefficient covariance (HC3 by default) and s^2 the
    residual variance; with ``cov_type="nonrobust"`` this is R's
    ``predict(fit, interval = "prediction")``. Standardized residuals as R's
    ``rstandard``. The interval is that of a new observation, so for an
    in-sample country it is slightly narrow (its own residual helped fit the
    line); with about 60 to 100 countries the difference is small.

    Examples
    --------
    >>> import cybercult as cc
    >>> panel = cc.build_panel(sample="study81").data
    >>> predictors = ["wdi.log_gdppc_ppp", "eiu.democracy", "hofstede_insights.uai"]
    >>> perf = cc.performers(cc.regress(panel, "gci2020.score", predictors))
    >>> perf["status"].value_counts().to_dict()
    {'as expected': 75, 'under-performer': 5}
    >>> perf.loc[perf.status != "as expected", ["iso3", "observed", "predicted", "status"]].round(1)
       iso3  observed  predicted           status
    75  BIH      29.4       70.6  under-performer
    76  IRQ      20.7       62.3  under-performer
    77  LBY      28.8       70.3  under-performer
    78  BOL      16.1       62.8  under-performer
    79  SLV      13.3       62.9  under-performer
    """
    if not isinstance(result, ModelResult):
        raise TypeError(f"result must be a ModelResult from regress(), got {type(result).__name__}")
    if result.estimator == "mice" or not isinstance(getattr(result.fit, "model", None), sm.OLS):
        raise ValueError(f"performers() needs an OLS model from regress(missing='listwise'); got {result.method!r}")
    alpha = check_alpha(alpha)
    if isinstance(threshold, str):
        if threshold != "pi":
            raise ValueError(f"threshold must be 'pi' or a positive number, got {threshold!r}")
    elif isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or threshold <= 0:
        raise ValueError(f"threshold must be 'pi' or a positive number, got {threshold!r}")
    fit = result.fit
    sf = fit.get_prediction().summary_frame(alpha=alpha)
    observed = np.asarray(fit.model.endog, dtype=float)
    predicted = sf["mean"].to_numpy()
    resid = observed - predicted
    std_res = OLSInfluence(fit).resid_studentized_internal
    used = result.data_used
    sign, _why = outcome_direction(result.outcome, higher_is_better)
    out = pd.DataFrame({
        "iso3": [str(i) for i in used.index],
        "country": used["country"].fillna("").astype(str).to_numpy() if "country" in used.columns
        else [""] * len(used),
        "observed": observed,
        "predicted": predicted,
        "pi_low": sf["obs_ci_lower"].to_numpy(),
        "pi_high": sf["obs_ci_upper"].to_numpy(),
        "residual": resid,
        "std_residual": np.asarray(std_res, dtype=float),
    })
    if threshold == "pi":
        above = out["observed"] > out["pi_high"]
        below = out["observed"] < out["pi_low"]
    else:
        above = out["std_residual"] > threshold
        below = out["std_residual"] < -threshold
    better, worse = (above, below) if sign > 0 else (below, above)
    out["status"] = np.select([better, worse], ["over-performer", "under-performer"], "as expected")
    out = out.sort_values("std_residual", ascending=sign < 0, kind="stable").reset_index(drop=True)
    out.attrs["rule"] = (
        f"over-performer: observed {'above' if sign > 0 else 'below'} the "
        + (f"{100 * (1 - alpha):g}% prediction interval" if threshold == "pi"
           else f"prediction by more than {threshold:g} standardized residuals")
        + f"; under-performer: the opposite; model {result.method} with {result.cov_type} covariance."
    )
    return out[PERFORMER_COLUMNS]
