# Exports the api datasets of R's survey package (California Academic Performance Index,
# shipped with the package) to CSV, for tests that must also run without R.
# Run from the repository root: Rscript tests/golden/survey/export_api.R
suppressMessages(library(survey))
data(api)
keep <- c("stype", "dnum", "snum", "cname", "api00", "api99", "enroll", "api.stu", "sch.wide", "awards", "yr.rnd", "ell", "meals", "pw")
out <- "tests/golden/survey"
write.csv(apistrat[, c(keep, "fpc")], file.path(out, "apistrat.csv"), row.names = FALSE)
write.csv(apiclus1[, c(keep, "fpc")], file.path(out, "apiclus1.csv"), row.names = FALSE)
write.csv(apiclus2[, c(keep, "fpc1", "fpc2")], file.path(out, "apiclus2.csv"), row.names = FALSE)
