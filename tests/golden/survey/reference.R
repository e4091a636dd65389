# Reference figures from R's survey package for tests/core/surveys/test_reference_r.py.
# Run from the repository root: Rscript tests/golden/survey/reference.R > tests/golden/survey/reference.csv
# The test runs this script itself when R is installed and compares with reference.csv too.
suppressMessages(library(survey))
dir <- "tests/golden/survey"
apistrat <- read.csv(file.path(dir, "apistrat.csv"))
apiclus1 <- read.csv(file.path(dir, "apiclus1.csv"))
apiclus2 <- read.csv(file.path(dir, "apiclus2.csv"))
ms <- read.csv(file.path(dir, "multistage.csv"))

out <- data.frame()
add <- function(case, domain, estimate, se, low = NA, high = NA) {
  out <<- rbind(out, data.frame(case = case, domain = as.character(domain), estimate = as.numeric(estimate),
                                se = as.numeric(se), ci_low = as.numeric(low), ci_high = as.numeric(high)))
}
one <- function(case, stat) {
  ci <- confint(stat)
  add(case, "all", coef(stat)[1], SE(stat)[1], ci[1, 1], ci[1, 2])
}
by_mean <- function(case, formula, by, design) {
  b <- svyby(formula, by, design, svymean, na.rm = TRUE)
  ci <- confint(b)
  add(case, b[[1]], coef(b), SE(b), ci[, 1], ci[, 2])
}
prop <- function(case, formula, design, method) {
  p <- svyciprop(formula, design, method = method)
  ci <- confint(p)
  add(case, "all", coef(p), SE(p), ci[1], ci[2])
}
by_prop <- function(case, formula, by, design, method) {
  b <- svyby(formula, by, design, svyciprop, vartype = c("se", "ci"), method = method)
  add(case, b[[1]], coef(b), SE(b), b$ci_l, b$ci_u)
}

strat <- svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = apistrat)
one("strat_mean_api00", svymean(~api00, strat))
by_mean("strat_by_awards_api00", ~api00, ~awards, strat)
one("strat_total_enroll", svytotal(~enroll, strat))
r <- svyratio(~api.stu, ~enroll, strat); add("strat_ratio_api.stu_enroll", "all", coef(r), SE(r))
prop("strat_prop_schwide_logit", ~I(sch.wide == "Yes"), strat, "logit")
prop("strat_prop_schwide_beta", ~I(sch.wide == "Yes"), strat, "beta")
by_prop("strat_by_stype_schwide_beta", ~I(sch.wide == "Yes"), ~stype, strat, "beta")

clus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
one("clus1_mean_api00", svymean(~api00, clus1))
by_mean("clus1_by_stype_api00", ~api00, ~stype, clus1)
one("clus1_total_enroll", svytotal(~enroll, clus1))
r <- svyratio(~api.stu, ~enroll, clus1); add("clus1_ratio_api.stu_enroll", "all", coef(r), SE(r))
by_prop("clus1_by_stype_awards_logit", ~I(awards == "Yes"), ~stype, clus1, "logit")

clus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
one("clus2_mean_api00", svymean(~api00, clus2))
one("clus2_mean_enroll_na", svymean(~enroll, clus2, na.rm = TRUE))
by_mean("clus2_by_stype_api00", ~api00, ~stype, clus2)
prop("clus2_prop_yrrnd_logit", ~I(yr.rnd == "Yes"), clus2, "logit")
r <- svyratio(~api.stu, ~enroll, clus2, na.rm = TRUE); add("clus2_ratio_api.stu_enroll", "all", coef(r), SE(r))

multi <- svydesign(id = ~commune + village + household, strata = ~region, fpc = ~fpc1 + fpc2 + fpc3, data = ms)
one("ms_mean_income", svymean(~income, multi))
by_mean("ms_by_province_income", ~income, ~province, multi)
one("ms_total_members", svytotal(~members, multi))
r <- svyratio(~income, ~members, multi); add("ms_ratio_income_members", "all", coef(r), SE(r))
valid <- subset(multi, !is.na(q9))
by_prop("ms_by_province_satisfied_logit", ~I(q9 >= 4), ~province, valid, "logit")
by_prop("ms_by_province_satisfied_beta", ~I(q9 >= 4), ~province, valid, "beta")
one("ms_mean_q9_is_4", svymean(~as.numeric(q9 == 4), valid))

# A SIPAS-like group score: the mean of two items' satisfied shares, by province, through
# svyby with covariance and svycontrast (the linear combination's linearised SE).
valid2 <- subset(multi, !is.na(q9))
b <- svyby(~I(as.numeric(q9 >= 4)) + I(as.numeric(q9 == 5)), ~province, valid2, svymean, covmat = TRUE)
provinces <- as.character(b[[1]])
for (i in seq_along(provinces)) {
  weights <- rep(0, 2 * length(provinces))
  weights[c(i, i + length(provinces))] <- 0.5
  contrast <- svycontrast(b, weights)
  add("ms_by_province_group_mean_of_two_items", provinces[i], coef(contrast), SE(contrast))
}

# Zero weights: R's degrees of freedom leave out rows of weight 0 (a whole PSU here), which
# moves the t quantile of the logit and Korn-Graubard intervals.
zclus1 <- apiclus1
zclus1$pw0 <- ifelse(zclus1$dnum == zclus1$dnum[1], 0, zclus1$pw)
zc1 <- svydesign(id = ~dnum, weights = ~pw0, fpc = ~fpc, data = zclus1)
prop("clus1_zero_psu_awards_logit", ~I(awards == "Yes"), zc1, "logit")
prop("clus1_zero_psu_awards_beta", ~I(awards == "Yes"), zc1, "beta")
zstrat <- apistrat
zstrat$pw0 <- ifelse(seq_len(nrow(zstrat)) %in% c(1:6, 101:106), 0, zstrat$pw)
zs <- svydesign(id = ~1, strata = ~stype, weights = ~pw0, fpc = ~fpc, data = zstrat)
prop("strat_zero_rows_schwide_beta", ~I(sch.wide == "Yes"), zs, "beta")
by_prop("strat_zero_rows_by_stype_schwide_logit", ~I(sch.wide == "Yes"), ~stype, zs, "logit")

# na.rm = TRUE: Korn-Graubard uses the design's rows and degrees of freedom, missing values
# included.
prop_na <- function(case, formula, design, method) {
  p <- svyciprop(formula, design, method = method, na.rm = TRUE)
  ci <- confint(p)
  add(case, "all", coef(p), SE(p), ci[1], ci[2])
}
prop_na("clus2_enroll_over_400_na_beta", ~I(enroll > 400), clus2, "beta")
b <- svyby(~I(enroll > 400), ~stype, clus2, svyciprop, vartype = c("se", "ci"), method = "beta", na.rm = TRUE)
add("clus2_by_stype_enroll_over_400_na_beta", b[[1]], coef(b), SE(b), b$ci_l, b$ci_u)

# A stratum with one PSU, lonely.psu = "average": the mean variance of the other strata.
lonely <- apistrat[apistrat$stype != "M" | seq_len(nrow(apistrat)) == which(apistrat$stype == "M")[1], ]
options(survey.lonely.psu = "average")
ls <- svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = lonely)
one("lonely_average_mean_api00", svymean(~api00, ls))
by_mean("lonely_average_by_awards_api00", ~api00, ~awards, ls)
options(survey.lonely.psu = "fail")

# A domain left empty or NA: svyby leaves those rows out of every domain.
nstrat <- apistrat
nstrat$awards[c(3, 50, 120, 180)] <- NA
ns <- svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = nstrat)
by_mean("strat_by_awards_with_na_api00", ~api00, ~awards, ns)

# Design effects (svymean deff = TRUE): the estimate column holds the deff, se is NA.
d <- svymean(~api00, clus1, deff = TRUE); add("clus1_mean_api00_deff", "all", deff(d), NA)
b <- svyby(~api00, ~stype, clus2, svymean, deff = TRUE)
add("clus2_by_stype_api00_deff", b[[1]], deff(b), NA)
b <- svyby(~enroll, ~stype, clus2, svymean, deff = TRUE, na.rm = TRUE)
add("clus2_by_stype_enroll_na_deff", b[[1]], deff(b), NA)

write.csv(format(out, digits = 17), stdout(), row.names = FALSE, quote = TRUE)
