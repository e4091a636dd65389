# Reference figures for replicate-weight standard errors (tests/core/surveys/test_replicates.py):
# as.svrepdesign(design, type = "JKn" | "JK1") followed by svymean / svyby.
# Run from the repository root: Rscript tests/golden/survey/replicates.R > tests/golden/survey/replicates.csv
suppressMessages(library(survey))
options(warn = -1)  # as.svrepdesign warns that fpcs after the first stage are dropped
dir <- "tests/golden/survey"
apistrat <- read.csv(file.path(dir, "apistrat.csv"))
apiclus1 <- read.csv(file.path(dir, "apiclus1.csv"))
ms <- read.csv(file.path(dir, "multistage.csv"))

out <- data.frame()
add <- function(case, domain, estimate, se) {
  out <<- rbind(out, data.frame(case = case, domain = as.character(domain),
                                estimate = as.numeric(estimate), se = as.numeric(se)))
}
one <- function(case, stat) add(case, "all", coef(stat)[1], SE(stat)[1])
by_mean <- function(case, formula, by, design) {
  b <- svyby(formula, by, design, svymean, na.rm = TRUE)
  add(case, b[[1]], coef(b), SE(b))
}

strat <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = apistrat), type = "JKn")
one("jkn_strat_mean_api00", svymean(~api00, strat))
by_mean("jkn_strat_by_awards_api00", ~api00, ~awards, strat)

strat_nofpc <- as.svrepdesign(svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat), type = "JKn")
one("jkn_strat_nofpc_mean_api00", svymean(~api00, strat_nofpc))

clus1 <- as.svrepdesign(svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1), type = "JK1")
one("jk1_clus1_mean_api00", svymean(~api00, clus1))
by_mean("jk1_clus1_by_stype_api00", ~api00, ~stype, clus1)

multi <- as.svrepdesign(svydesign(id = ~commune + village + household, strata = ~region,
                                  fpc = ~fpc1 + fpc2 + fpc3, data = ms), type = "JKn")
one("jkn_ms_mean_income", svymean(~income, multi))
by_mean("jkn_ms_by_province_income", ~income, ~province, multi)
one("jkn_ms_mean_satisfied", svymean(~I(as.numeric(q9 >= 4)), multi, na.rm = TRUE))
by_mean("jkn_ms_by_province_satisfied", ~I(as.numeric(q9 >= 4)), ~province, multi)

write.csv(format(out, digits = 17), stdout(), row.names = FALSE, quote = TRUE)
