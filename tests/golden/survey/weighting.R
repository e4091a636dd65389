# Reference for tests/server/surveys/test_weighting.py: the server's SIPAS item results with
# design weights 1/pi from the draw, a non-response adjustment, and R's svydesign on the
# drawn-then-partly-answered sample (fpc from the numbers drawn; the rows that did not answer
# are dropped with subset(), which keeps the drawn sample sizes).
# Run from the repository root:
#   Rscript tests/golden/survey/weighting.R tests/golden/survey/weighting_sample.csv \
#     > tests/golden/survey/weighting_reference.csv
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c(stratum = "character", province = "character"))
items <- grep("^q9_", names(d), value = TRUE)
for (q in items) d[[paste0("s_", q)]] <- as.numeric(d[[q]] >= 4)  # satisfied: 4 or 5
d$w <- 1 / d$pi
village <- interaction(d$stratum, d$commune, d$village, drop = TRUE)
out <- data.frame()
for (mode in c("cluster", "stratum", "none")) {
  if (mode == "none") {
    d$wadj <- ifelse(d$responded == 1, d$w, 0)
  } else {
    # Textbook weighting-class adjustment: respondents carry their class's total weight.
    cls <- if (mode == "cluster") village else factor(d$stratum)
    total <- ave(d$w, cls, FUN = sum)
    answered <- ave(d$w * d$responded, cls, FUN = sum)
    d$wadj <- ifelse(d$responded == 1, d$w * total / answered, 0)
  }
  des <- svydesign(ids = ~commune + village + household, strata = ~stratum,
                   fpc = ~N1 + N2 + N3, weights = ~wadj, data = d, nest = TRUE)
  sub <- subset(des, responded == 1)
  formula <- as.formula(paste("~", paste(paste0("s_", items), collapse = "+")))
  b <- svyby(formula, ~province, sub, svymean)
  for (q in items) {
    out <- rbind(out, data.frame(mode = mode, province = b$province, item = q,
                                 estimate = sprintf("%.17g", b[[paste0("s_", q)]]),
                                 se = sprintf("%.17g", b[[paste0("se.s_", q)]])))
  }
}
write.csv(out, stdout(), row.names = FALSE)
