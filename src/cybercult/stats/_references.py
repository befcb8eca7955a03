"""The literature the stats docstrings cite, each reference written once.

A docstring's ``References`` section names entries as ``{refs.NAME}``, one placeholder on a
line of its own, filled in by ``@fill_doc(refs=REFS)`` (:func:`cybercult._docstrings.fill_doc`),
the way shared parameter paragraphs are. Entries are sorted by their name (first author, year).
"""
from __future__ import annotations

from .._docstrings import DocstringComponents

__all__ = ["REFS"]

REFS = DocstringComponents(dict(
    anderson_robinson_2001="""
    Anderson, M. J. & Robinson, J. (2001). Permutation tests for linear
    models. Australian & New Zealand Journal of Statistics 43, 75-88.
    """,
    barnard_rubin_1999="""
    Barnard, J. & Rubin, D. B. (1999). Small-sample degrees of freedom with
    multiple imputation. Biometrika 86, 948-955.
    """,
    belsley_1980="""
    Belsley, D. A., Kuh, E. & Welsch, R. E. (1980). Regression Diagnostics:
    Identifying Influential Data and Sources of Collinearity. New York: Wiley.
    """,
    benjamini_hochberg_1995="""
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate:
    a practical and powerful approach to multiple testing. Journal of the Royal
    Statistical Society, Series B 57, 289-300.
    """,
    benjamini_yekutieli_2005="""
    Benjamini, Y. & Yekutieli, D. (2005). False discovery rate-adjusted
    multiple confidence intervals for selected parameters. Journal of the
    American Statistical Association 100, 71-81.
    """,
    bonett_wright_2000="""
    Bonett, D. G. & Wright, T. A. (2000). Sample size requirements for
    estimating Pearson, Kendall and Spearman correlations. Psychometrika 65,
    23-28.
    """,
    cameron_miller_2015="""
    Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to
    cluster-robust inference. Journal of Human Resources 50, 317-372.
    """,
    campbell_lakens_2021="""
    Campbell, H. & Lakens, D. (2021). Can we disregard the whole model?
    Omnibus non-inferiority testing for R2 in multi-variable linear
    regression and eta2 in ANOVA. British Journal of Mathematical and
    Statistical Psychology 74, 64-89.
    """,
    cohen_1988="""
    Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences,
    2nd ed. Hillsdale, NJ: Erlbaum.
    """,
    cohen_2003="""
    Cohen, J., Cohen, P., West, S. G. & Aiken, L. S. (2003). Applied Multiple
    Regression/Correlation Analysis for the Behavioral Sciences, 3rd ed.
    Mahwah, NJ: Erlbaum.
    """,
    cook_1977="""
    Cook, R. D. (1977). Detection of influential observation in linear
    regression. Technometrics 19, 15-18.
    """,
    efron_1987="""
    Efron, B. (1987). Better bootstrap confidence intervals. Journal of the
    American Statistical Association 82, 171-185.
    """,
    efron_tibshirani_1993="""
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap.
    New York: Chapman & Hall.
    """,
    fieller_1957="""
    Fieller, E. C., Hartley, H. O. & Pearson, E. S. (1957). Tests for rank
    correlation coefficients I. Biometrika 44, 470-481.
    """,
    freedman_lane_1983="""
    Freedman, D. & Lane, D. (1983). A nonstochastic interpretation of reported
    significance levels. Journal of Business & Economic Statistics 1, 292-298.
    """,
    holm_1979="""
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scandinavian Journal of Statistics 6, 65-70.
    """,
    jarque_bera_1980="""
    Jarque, C. M. & Bera, A. K. (1980). Efficient tests for normality,
    homoscedasticity and serial independence of regression residuals.
    Economics Letters 6, 255-259.
    """,
    koenker_1981="""
    Koenker, R. (1981). A note on studentizing a test for heteroscedasticity.
    Journal of Econometrics 17, 107-112.
    """,
    kruskal_wallis_1952="""
    Kruskal, W. H. & Wallis, W. A. (1952). Use of ranks in one-criterion
    variance analysis. Journal of the American Statistical Association 47,
    583-621.
    """,
    lakens_2017="""
    Lakens, D. (2017). Equivalence tests: a practical primer for t tests,
    correlations, and meta-analyses. Social Psychological and Personality
    Science 8, 355-362.
    """,
    lakens_2018="""
    Lakens, D., Scheel, A. M. & Isager, P. M. (2018). Equivalence testing for
    psychological research: a tutorial. Advances in Methods and Practices in
    Psychological Science 1, 259-269.
    """,
    long_ervin_2000="""
    Long, J. S. & Ervin, L. H. (2000). Using heteroscedasticity consistent
    standard errors in the linear regression model. The American Statistician
    54, 217-224.
    """,
    mackinnon_white_1985="""
    MacKinnon, J. G. & White, H. (1985). Some heteroskedasticity-consistent
    covariance matrix estimators with improved finite sample properties.
    Journal of Econometrics 29, 305-325.
    """,
    mccullagh_1980="""
    McCullagh, P. (1980). Regression models for ordinal data. Journal of the
    Royal Statistical Society, Series B 42, 109-142.
    """,
    naroll_1961="""
    Naroll, R. (1961). Two solutions to Galton's problem. Philosophy of
    Science 28, 15-39.
    """,
    papke_wooldridge_1996="""
    Papke, L. E. & Wooldridge, J. M. (1996). Econometric methods for
    fractional response variables with an application to 401(k) plan
    participation rates. Journal of Applied Econometrics 11, 619-632.
    """,
    ramsey_1969="""
    Ramsey, J. B. (1969). Tests for specification errors in classical linear
    least-squares regression analysis. Journal of the Royal Statistical
    Society, Series B 31, 350-371.
    """,
    rubin_1987="""
    Rubin, D. B. (1987). Multiple Imputation for Nonresponse in Surveys. New
    York: Wiley.
    """,
    schuirmann_1987="""
    Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure
    and the power approach for assessing the equivalence of average
    bioavailability. Journal of Pharmacokinetics and Biopharmaceutics 15,
    657-680.
    """,
    simonsohn_2020="""
    Simonsohn, U., Simmons, J. P. & Nelson, L. D. (2020). Specification curve
    analysis. Nature Human Behaviour 4, 1208-1214.
    """,
    tomczak_2014="""
    Tomczak, M. & Tomczak, E. (2014). The need to report effect size estimates
    revisited. Trends in Sport Sciences 21, 19-25.
    """,
    van_buuren_2011="""
    van Buuren, S. & Groothuis-Oudshoorn, K. (2011). mice: Multivariate
    imputation by chained equations in R. Journal of Statistical Software
    45(3), 1-67.
    """,
    van_buuren_2018="""
    van Buuren, S. (2018). Flexible Imputation of Missing Data, 2nd ed. Boca
    Raton: CRC Press.
    """,
    welch_1951="""
    Welch, B. L. (1951). On the comparison of several mean values: an
    alternative approach. Biometrika 38, 330-336.
    """,
    winkler_2014="""
    Winkler, A. M., Ridgway, G. R., Webster, M. A., Smith, S. M. & Nichols,
    T. E. (2014). Permutation inference for the general linear model.
    NeuroImage 92, 381-397.
    """,
))
