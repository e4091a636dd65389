# Raked weights of apistrat on two margins (school type; schoolwide target met), for
# tests/core/surveys/test_weights.py. Run from the repository root:
# Rscript tests/golden/survey/rake.R > tests/golden/survey/raked_weights.csv
suppressMessages(library(survey))
apistrat <- read.csv("tests/golden/survey/apistrat.csv")
strat <- svydesign(id = ~1, strata = ~stype, fpc = ~fpc, data = apistrat)
types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
targets <- data.frame(sch.wide = c("No", "Yes"), Freq = c(1300, 4894))
raked <- rake(strat, list(~stype, ~sch.wide), list(types, targets), control = list(maxit = 1000, epsilon = 1e-10))
m <- svymean(~api00, raked)
write.csv(data.frame(weight = sprintf("%.17g", weights(raked))), stdout(), row.names = FALSE)
