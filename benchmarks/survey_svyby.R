# Times svyby(~s1+…+s33, ~province, design, svymean) for benchmarks/survey_vs_r.py.
# Usage: Rscript benchmarks/survey_svyby.R DATA.csv OUT.csv
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
design <- svydesign(id = ~commune + village + household, strata = ~province, fpc = ~fpc1 + fpc2 + fpc3,
                    data = d, nest = TRUE)
items <- grep("^s[0-9]+$", names(d), value = TRUE)
formula <- as.formula(paste("~", paste(items, collapse = "+")))
elapsed <- system.time(b <- svyby(formula, ~province, design, svymean))[["elapsed"]]
# b holds province, s1…s33 and se.s1…se.s33; written at full precision.
table <- as.data.frame(lapply(as.data.frame(b), function(column) if (is.numeric(column)) sprintf("%.17g", column) else column))
write.csv(table, args[2], row.names = FALSE)
cat(sprintf("%.6f\n", elapsed))
