# Reference values for the cybercult stats layer, computed with R.
#
# Run from the repository root:
#     Rscript tests/reference/make_reference.R
#
# Needs R >= 4.2 with the recommended package MASS and the CRAN packages
# sandwich, lmtest, car, tseries, effectsize and mice (Debian: r-cran-sandwich,
# r-cran-lmtest, r-cran-car, r-cran-tseries, r-cran-effectsize, r-cran-mice).
#
# The script writes the datasets it uses (R's built-in `swiss`,
# `LifeCycleSavings`, `InsectSprays`, `airquality`, renamed to dotted ids like
# the panel's) to tests/reference/data_*.csv, so Python reads exactly the same
# numbers, and the reference results to tests/reference/ref_*.csv.  Numbers are
# written with 15 significant digits.  The script is deterministic (the one
# random step, mice, has a fixed seed; its imputed data sets are written out
# and Python pools its own fits on them).
#
# What is computed by an R function and what is a formula restated in R is
# said next to each block; the tests compare to 1e-6 relative unless they say
# otherwise.

suppressPackageStartupMessages({
  library(MASS)
  library(sandwich)
  library(lmtest)
  library(car)
  library(tseries)
  library(effectsize)
  library(mice)
})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
out <- function(df, name) {
  # write.table writes doubles with 15 significant digits
  write.csv(df, file.path(here, name), row.names = FALSE, na = "")
}
num <- function(x) as.numeric(x)

# ---------------------------------------------------------------- datasets
sw <- swiss
names(sw) <- c("sw.fertility", "sw.agriculture", "sw.examination", "sw.education",
               "sw.catholic", "sw.infant_mortality")
sw_data <- data.frame(iso3 = rownames(swiss), sw, check.names = FALSE)
# a copy with holes, for pairwise-complete correlations and listwise deletion
sw_na <- sw_data
sw_na[c(2, 9), "sw.agriculture"] <- NA
sw_na[c(5, 17, 30), "sw.education"] <- NA
sw_na[c(9, 40), "sw.catholic"] <- NA
# an ordinal outcome with 4 tiers (like the GCI 2024 tiers), cut from fertility
sw_data$sw.tier <- as.integer(cut(swiss$Fertility, c(-Inf, 64, 70, 78, Inf), labels = FALSE))
out(sw_data, "data_swiss.csv")
out(sw_na, "data_swiss_na.csv")

lcs <- LifeCycleSavings
names(lcs) <- c("lcs.sr", "lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi")
out(data.frame(iso3 = rownames(LifeCycleSavings), lcs, check.names = FALSE), "data_lifecycle.csv")

ins <- data.frame(iso3 = sprintf("R%02d", seq_len(nrow(InsectSprays))),
                  ins.count = InsectSprays$count, ins.spray = as.character(InsectSprays$spray),
                  check.names = FALSE)
out(ins, "data_insectsprays.csv")

# ---------------------------------------------------------------- correlations
# cor.test (R stats).  Spearman and Kendall with exact = FALSE: Spearman's p from
# the t approximation, Kendall's from the normal approximation with the tie
# correction of the variance.  CIs for Spearman (Bonett & Wright 2000) and
# Kendall (Fieller, Hartley & Pearson 1957) are formulas restated here (R has
# no built-in); Pearson's CI is cor.test's own.
vars <- names(sw)
cor_rows <- list()
for (m in c("pearson", "spearman", "kendall")) {
  for (i in 1:(length(vars) - 1)) for (j in (i + 1):length(vars)) {
    x <- sw_na[[vars[i]]]; y <- sw_na[[vars[j]]]
    cc <- complete.cases(x, y); n <- sum(cc)
    ct <- if (m == "pearson") cor.test(x[cc], y[cc], method = m)
          else suppressWarnings(cor.test(x[cc], y[cc], method = m, exact = FALSE))
    r <- unname(ct$estimate)
    if (m == "pearson") {
      lo <- ct$conf.int[1]; hi <- ct$conf.int[2]
    } else {
      se <- if (m == "spearman") sqrt((1 + r^2 / 2) / (n - 3)) else sqrt(0.437 / (n - 4))
      lo <- tanh(atanh(r) - qnorm(0.975) * se); hi <- tanh(atanh(r) + qnorm(0.975) * se)
    }
    cor_rows[[length(cor_rows) + 1]] <- data.frame(x = vars[i], y = vars[j], method = m, n = n,
      r = r, ci_low = lo, ci_high = hi, p_value = ct$p.value)
  }
}
cor_ref <- do.call(rbind, cor_rows)
cor_ref$p_bh <- ave(cor_ref$p_value, cor_ref$method, FUN = function(p) p.adjust(p, "BH"))
cor_ref$p_holm <- ave(cor_ref$p_value, cor_ref$method, FUN = function(p) p.adjust(p, "holm"))
cor_ref$p_bonferroni <- ave(cor_ref$p_value, cor_ref$method, FUN = function(p) p.adjust(p, "bonferroni"))
out(cor_ref, "ref_correlation.csv")

# partial correlations: r from the inverse correlation matrix of the complete
# cases (independent of residualisation); t = r sqrt((n-2-k)/(1-r^2)) on n-2-k
# df; CI by Fisher z with se 1/sqrt(n-3-k) (pearson) or Bonett-Wright
# sqrt((1+r^2/2)/(n-3-k)) (spearman, computed on ranks), as ppcor::pcor.test.
pcor_rows <- list()
pc_specs <- list(
  list(x = "sw.fertility", y = "sw.examination", z = c("sw.education")),
  list(x = "sw.fertility", y = "sw.agriculture", z = c("sw.education", "sw.catholic")),
  list(x = "sw.infant_mortality", y = "sw.catholic", z = c("sw.education", "sw.agriculture"))
)
for (m in c("pearson", "spearman")) for (s in pc_specs) {
  d <- sw_na[, c(s$x, s$y, s$z)]; d <- d[complete.cases(d), ]
  if (m == "spearman") d[] <- lapply(d, rank)
  n <- nrow(d); k <- length(s$z)
  P <- solve(cor(d)); r <- -P[1, 2] / sqrt(P[1, 1] * P[2, 2])
  df <- n - 2 - k; t <- r * sqrt(df / (1 - r^2)); p <- 2 * pt(-abs(t), df)
  se <- if (m == "pearson") 1 / sqrt(n - 3 - k) else sqrt((1 + r^2 / 2) / (n - 3 - k))
  pcor_rows[[length(pcor_rows) + 1]] <- data.frame(x = s$x, y = s$y, covar = paste(s$z, collapse = ","),
    method = m, n = n, r = r, ci_low = tanh(atanh(r) - qnorm(0.975) * se),
    ci_high = tanh(atanh(r) + qnorm(0.975) * se), p_value = p)
}
out(do.call(rbind, pcor_rows), "ref_partial_correlation.csv")

# ---------------------------------------------------------------- groups
# kruskal.test, aov, oneway.test (Welch); effect sizes from the effectsize
# package; post hoc per pair: wilcox.test(exact = FALSE, correct = TRUE) as in
# pairwise.wilcox.test, Welch t.test as in pairwise.t.test(pool.sd = FALSE),
# both Holm-adjusted with p.adjust; TukeyHSD.
kw <- kruskal.test(ins.count ~ ins.spray, data = ins)
fit_aov <- aov(ins.count ~ ins.spray, data = ins)
sa <- summary(fit_aov)[[1]]
wel <- oneway.test(ins.count ~ ins.spray, data = ins, var.equal = FALSE)
eps <- rank_epsilon_squared(ins.count ~ ins.spray, data = ins, verbose = FALSE)
eta <- eta_squared(fit_aov, partial = FALSE, verbose = FALSE)
ome <- omega_squared(fit_aov, partial = FALSE, verbose = FALSE)
omni <- data.frame(
  test = c("kruskal", "anova", "welch_anova"),
  statistic = c(unname(kw$statistic), sa[1, "F value"], unname(wel$statistic)),
  df = c(unname(kw$parameter), sa[1, "Df"], unname(wel$parameter[1])),
  df2 = c(NA, sa[2, "Df"], unname(wel$parameter[2])),
  p_value = c(kw$p.value, sa[1, "Pr(>F)"], wel$p.value),
  epsilon_squared = c(eps$rank_epsilon_squared, NA, NA),
  eta_squared = c(NA, eta$Eta2[1], NA),
  omega_squared = c(NA, ome$Omega2[1], NA)
)
out(omni, "ref_groups_omnibus.csv")

lev <- sort(unique(ins$ins.spray))
ph <- list()
for (a in 1:(length(lev) - 1)) for (b in (a + 1):length(lev)) {
  x1 <- ins$ins.count[ins$ins.spray == lev[a]]; x2 <- ins$ins.count[ins$ins.spray == lev[b]]
  w <- suppressWarnings(wilcox.test(x1, x2, exact = FALSE, correct = TRUE))
  rb <- rank_biserial(x1, x2, verbose = FALSE)
  ph[[length(ph) + 1]] <- data.frame(test = "mann_whitney", group1 = lev[a], group2 = lev[b],
    estimate = median(x1) - median(x2), statistic = unname(w$statistic), df = NA,
    p_value = w$p.value, ci_low = NA, ci_high = NA, effect_size = rb$r_rank_biserial)
  tt <- t.test(x1, x2, var.equal = FALSE)
  cd <- cohens_d(x1, x2, pooled_sd = TRUE, verbose = FALSE)
  ph[[length(ph) + 1]] <- data.frame(test = "welch_t", group1 = lev[a], group2 = lev[b],
    estimate = unname(tt$estimate[1] - tt$estimate[2]), statistic = unname(tt$statistic),
    df = unname(tt$parameter), p_value = tt$p.value, ci_low = tt$conf.int[1],
    ci_high = tt$conf.int[2], effect_size = cd$Cohens_d)
}
ph <- do.call(rbind, ph)
ph$p_adj <- ave(ph$p_value, ph$test, FUN = function(p) p.adjust(p, "holm"))
# cross-check of the loop with R's own pairwise functions
pw <- pairwise.wilcox.test(ins$ins.count, ins$ins.spray, p.adjust.method = "holm", exact = FALSE)
pt_ <- pairwise.t.test(ins$ins.count, ins$ins.spray, p.adjust.method = "holm", pool.sd = FALSE)
for (i in seq_len(nrow(ph))) {
  tab <- if (ph$test[i] == "mann_whitney") pw$p.value else pt_$p.value
  stopifnot(abs(tab[ph$group2[i], ph$group1[i]] - ph$p_adj[i]) < 1e-12)
}
tk <- TukeyHSD(fit_aov, conf.level = 0.95)$ins.spray
tk_rows <- do.call(rbind, lapply(rownames(tk), function(nm) {
  g <- strsplit(nm, "-")[[1]]  # "B-A" = mean(B) - mean(A)
  data.frame(test = "tukey", group1 = g[2], group2 = g[1], estimate = -tk[nm, "diff"],
             statistic = NA, df = NA, p_value = NA, ci_low = -tk[nm, "upr"], ci_high = -tk[nm, "lwr"],
             effect_size = NA, p_adj = tk[nm, "p adj"])
}))
out(rbind(ph, tk_rows), "ref_groups_posthoc.csv")
desc <- do.call(rbind, lapply(lev, function(g) {
  x <- ins$ins.count[ins$ins.spray == g]
  data.frame(group = g, n = length(x), mean = mean(x), sd = sd(x), median = median(x))
}))
out(desc, "ref_groups_describe.csv")

# ---------------------------------------------------------------- OLS
# lm; coeftest(fit, vcov = vcovHC(fit, type)) and coefci(...) (t-based, n-k-1
# df); standardized coefficients from lm on scale()d variables with the same
# vcov; car::vif; lmtest::bptest (Koenker's studentized version, the default),
# lmtest::resettest(power = 2:3, type = "fitted"), tseries::jarque.bera.test;
# kappa(exact = TRUE); cooks.distance; waldtest with vcovHC for the robust F.
fit <- lm(sr ~ pop15 + pop75 + dpi + ddpi, data = LifeCycleSavings)
sfit <- lm(scale(sr) ~ scale(pop15) + scale(pop75) + scale(dpi) + scale(ddpi), data = LifeCycleSavings)
terms_py <- c("const", "lcs.pop15", "lcs.pop75", "lcs.dpi", "lcs.ddpi")
coef_rows <- list()
for (ct in c("nonrobust", "HC0", "HC1", "HC2", "HC3")) {
  V <- if (ct == "nonrobust") vcov(fit) else vcovHC(fit, type = ct)
  Vs <- if (ct == "nonrobust") vcov(sfit) else vcovHC(sfit, type = ct)
  co <- coeftest(fit, vcov. = V); ci <- coefci(fit, vcov. = V)
  cos <- coeftest(sfit, vcov. = Vs); cis <- coefci(sfit, vcov. = Vs)
  coef_rows[[ct]] <- data.frame(cov_type = ct, term = terms_py, estimate = co[, 1], std_error = co[, 2],
    statistic = co[, 3], p_value = co[, 4], ci_low = ci[, 1], ci_high = ci[, 2],
    beta = c(NA, cos[-1, 1]), beta_ci_low = c(NA, cis[-1, 1]), beta_ci_high = c(NA, cis[-1, 2]),
    vif = c(NA, unname(vif(fit))))
}
ols_coef <- do.call(rbind, coef_rows)
ols_coef$p_bh <- ave(ifelse(ols_coef$term == "const", NA, ols_coef$p_value), ols_coef$cov_type,
                     FUN = function(p) { q <- p; q[!is.na(p)] <- p.adjust(p[!is.na(p)], "BH"); q })
out(ols_coef, "ref_ols_coef.csv")

s <- summary(fit); bp <- bptest(fit); rs <- resettest(fit, power = 2:3, type = "fitted")
jb <- jarque.bera.test(residuals(fit))
wt <- waldtest(fit, . ~ 1, vcov = function(x) vcovHC(x, type = "HC3"), test = "F")
X <- model.matrix(fit)
diag_ref <- data.frame(name = c(
  "n", "r2", "adj_r2", "f_statistic", "f_df1", "f_df2", "f_p_value", "robust_f_statistic",
  "robust_f_p_value", "loglik", "aic_r", "bic_r", "sigma", "bp_statistic", "bp_df", "bp_p_value",
  "jb_statistic", "jb_p_value", "reset_statistic", "reset_df1", "reset_df2", "reset_p_value",
  "condition_number", "condition_number_raw"),
  value = c(nobs(fit), s$r.squared, s$adj.r.squared, s$fstatistic[1], s$fstatistic[2], s$fstatistic[3],
    pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3], lower.tail = FALSE),
    wt$F[2], wt$`Pr(>F)`[2], as.numeric(logLik(fit)), AIC(fit), BIC(fit), s$sigma,
    bp$statistic, bp$parameter, bp$p.value, jb$statistic, jb$p.value,
    rs$statistic, rs$parameter[1], rs$parameter[2], rs$p.value,
    kappa(cbind(1, scale(X[, -1])), exact = TRUE), kappa(X, exact = TRUE)))
out(diag_ref, "ref_ols_diagnostics.csv")
cd <- cooks.distance(fit)
out(data.frame(iso3 = names(cd), cooks_distance = unname(cd))[order(-cd), ], "ref_ols_cooks.csv")

# RESET on R's `longley` (the NIST Longley data with some columns rescaled; the F-test
# does not depend on the scale of the columns), a badly conditioned design
lr <- resettest(lm(Employed ~ ., data = longley), power = 2:3, type = "fitted")
out(data.frame(statistic = unname(lr$statistic), df1 = unname(lr$parameter[1]), df2 = unname(lr$parameter[2]),
               p_value = lr$p.value), "ref_longley_reset.csv")

# prediction intervals: predict.lm(interval = "prediction") for the classical
# fit; with HC3 the same formula with the HC3 covariance of the coefficients
# (x' V x + sigma^2) restated here; rstandard for standardized residuals.
pr <- suppressWarnings(predict(fit, interval = "prediction", level = 0.95))
V3 <- vcovHC(fit, type = "HC3")
se_mean3 <- sqrt(rowSums((X %*% V3) * X))
tq <- qt(0.975, df.residual(fit))
se_obs3 <- sqrt(se_mean3^2 + s$sigma^2)
out(data.frame(iso3 = rownames(LifeCycleSavings), observed = LifeCycleSavings$sr, predicted = pr[, "fit"],
               pi_low = pr[, "lwr"], pi_high = pr[, "upr"],
               pi_low_hc3 = pr[, "fit"] - tq * se_obs3, pi_high_hc3 = pr[, "fit"] + tq * se_obs3,
               residual = residuals(fit), std_residual = rstandard(fit)), "ref_ols_prediction.csv")

# listwise deletion on the swiss copy with holes
fit_na <- lm(sw.fertility ~ sw.agriculture + sw.education + sw.catholic, data = sw_na)
cna <- coeftest(fit_na, vcov. = vcovHC(fit_na, type = "HC3"))
out(data.frame(term = c("const", "sw.agriculture", "sw.education", "sw.catholic"), estimate = cna[, 1],
               std_error = cna[, 2], p_value = cna[, 4], n = nobs(fit_na),
               dropped = paste(sort(sw_na$iso3[as.integer(fit_na$na.action)]), collapse = ";")),
    "ref_ols_listwise.csv")

# ---------------------------------------------------------------- hierarchical
# anova() of nested lm fits on the common (listwise over all blocks) sample:
# F-change and p; waldtest(..., vcov = vcovHC(type = "HC3"), test = "F") for the
# robust test of each added block.
hv <- c("sw.fertility", "sw.education", "sw.examination", "sw.catholic", "sw.agriculture",
        "sw.infant_mortality")
hd <- na.omit(sw_na[, hv])
h0 <- lm(sw.fertility ~ 1, data = hd)
h1 <- lm(sw.fertility ~ sw.education + sw.examination, data = hd)
h2 <- update(h1, . ~ . + sw.catholic)
h3 <- update(h2, . ~ . + sw.agriculture + sw.infant_mortality)
hs <- list(h0, h1, h2, h3)
# each step against the one before (the F-change of that step; anova() of all
# four models at once would use the last model's residual variance instead)
av <- do.call(rbind, lapply(2:4, function(i) as.data.frame(anova(hs[[i - 1]], hs[[i]]))[2, ]))
rob <- sapply(2:4, function(i) waldtest(hs[[i - 1]], hs[[i]], vcov = function(x) vcovHC(x, type = "HC3"),
                                        test = "F")[2, c("F", "Pr(>F)")])
out(data.frame(step = 1:3, n = nrow(hd), r2 = sapply(hs[-1], function(m) summary(m)$r.squared),
               adj_r2 = sapply(hs[-1], function(m) summary(m)$adj.r.squared),
               f_change = av$F, df1 = av$Df, df2 = av$Res.Df, p_value = av$`Pr(>F)`,
               f_change_robust = unlist(rob[1, ]), p_value_robust = unlist(rob[2, ])),
    "ref_hierarchical.csv")

# ---------------------------------------------------------------- fractional logit
# glm(quasibinomial) on catholic/100 (many provinces sit at the ceiling);
# sandwich::vcovHC(type = "HC0"/"HC1") and coeftest(df = Inf) (z-based).
# (tight convergence: R's default epsilon = 1e-8 leaves the sandwich off in the 5th digit)
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
ff <- glm(I(Catholic / 100) ~ Agriculture + Education + Infant.Mortality, family = quasibinomial,
          data = swiss, control = ctl)
ffs <- glm(I(Catholic / 100) ~ scale(Agriculture) + scale(Education) + scale(Infant.Mortality),
           family = quasibinomial, data = swiss, control = ctl)
fl_rows <- list()
for (ct in c("HC0", "HC1")) {
  V <- vcovHC(ff, type = ct); Vs <- vcovHC(ffs, type = ct)
  co <- coeftest(ff, vcov. = V, df = Inf); ci <- coefci(ff, vcov. = V, df = Inf)
  cos <- coeftest(ffs, vcov. = Vs, df = Inf); cis <- coefci(ffs, vcov. = Vs, df = Inf)
  fl_rows[[ct]] <- data.frame(cov_type = ct,
    term = c("const", "sw.agriculture", "sw.education", "sw.infant_mortality"),
    estimate = co[, 1], std_error = co[, 2], statistic = co[, 3], p_value = co[, 4],
    ci_low = ci[, 1], ci_high = ci[, 2], beta = c(NA, cos[-1, 1]), beta_ci_low = c(NA, cis[-1, 1]),
    beta_ci_high = c(NA, cis[-1, 2]), deviance = deviance(ff), null_deviance = ff$null.deviance)
}
out(do.call(rbind, fl_rows), "ref_fractional_logit.csv")

# ---------------------------------------------------------------- ordinal logit
# MASS::polr(method = "logistic", Hess = TRUE): coefficients, cut points and
# their standard errors from the Hessian.
swo <- data.frame(tier = factor(sw_data$sw.tier, ordered = TRUE), swiss)
# ndeps: finite-difference step of the Hessian (default 1e-3 leaves the SEs off in the 4th digit)
octl <- list(reltol = 1e-15, maxit = 1000, ndeps = rep(1e-6, 6))
po <- polr(tier ~ Agriculture + Education + Catholic, data = swo, Hess = TRUE, method = "logistic",
           control = octl)
pos <- polr(tier ~ scale(Agriculture) + scale(Education) + scale(Catholic), data = swo, Hess = TRUE,
            method = "logistic", control = octl)
se <- sqrt(diag(vcov(po))); ses <- sqrt(diag(vcov(pos)))
nb <- length(coef(po))
out(data.frame(term = c("sw.agriculture", "sw.education", "sw.catholic", paste0("cut ", names(po$zeta))),
               estimate = c(coef(po), po$zeta), std_error = se,
               beta = c(coef(pos), rep(NA, length(po$zeta))), beta_se = c(ses[1:nb], rep(NA, length(po$zeta))),
               loglik = as.numeric(logLik(po)), n = nrow(swo)),
    "ref_ordinal_logit.csv")

# ---------------------------------------------------------------- multiple imputation
# mice (pmm, m = 5, fixed seed) on airquality; the imputed data sets are written
# out; pool() on lm fits gives Rubin's rules with Barnard-Rubin df, and
# pool.r.squared the pooled R^2 (Harel 2009, Fisher z).
aq <- airquality[, c("Ozone", "Solar.R", "Wind", "Temp")]
imp <- mice(aq, m = 5, seed = 2024, printFlag = FALSE, method = "pmm")
long <- complete(imp, "long")
names(long)[names(long) == ".imp"] <- "imp"
names(long)[names(long) == ".id"] <- "row"
names(long)[match(c("Ozone", "Solar.R", "Wind", "Temp"), names(long))] <-
  c("aq.ozone", "aq.solar_r", "aq.wind", "aq.temp")
out(long, "data_airquality_imputed.csv")
aq_out <- aq; names(aq_out) <- c("aq.ozone", "aq.solar_r", "aq.wind", "aq.temp")
out(data.frame(iso3 = sprintf("D%03d", seq_len(nrow(aq))), aq_out, check.names = FALSE), "data_airquality.csv")
mf <- with(imp, lm(Ozone ~ Solar.R + Wind + Temp))
pl <- pool(mf)
sp <- summary(pl, conf.int = TRUE)
pr2 <- pool.r.squared(mf)
out(data.frame(term = c("const", "aq.solar_r", "aq.wind", "aq.temp"), estimate = sp$estimate,
               std_error = sp$std.error, statistic = sp$statistic, df = sp$df, p_value = sp$p.value,
               ci_low = sp$`2.5 %`, ci_high = sp$`97.5 %`, ubar = pl$pooled$ubar, b = pl$pooled$b,
               riv = pl$pooled$riv, lambda = pl$pooled$lambda, fmi = pl$pooled$fmi,
               dfcom = pl$pooled$dfcom, r2 = pr2[1, "est"]),
    "ref_mice_pool.csv")

cat("reference CSVs written to", here, "\n")
