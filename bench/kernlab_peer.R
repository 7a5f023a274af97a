# The kernlab side of bench/kernlab-comparison.sh: fits kernlab on the CSV files that `kernels4j bench kernlab
# --export-dir DIR` wrote, with the same settings as the kernels4j side (RBF kernel exp(-sigma |x-y|^2), no scaling),
# and prints one tab-separated line per method: method, n, fit seconds, metric, value, extra.
# Usage: Rscript bench/kernlab_peer.R DIR [methods, comma-separated]
suppressMessages(library(kernlab))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
methods <- if (length(args) > 1) strsplit(args[2], ",")[[1]] else c("kpca", "specc", "kqr", "rvm", "gausspr", "ksvm")
rd <- function(f) { d <- as.matrix(read.csv(file.path(dir, f))); list(x = d[, -ncol(d), drop = FALSE], y = d[, ncol(d)]) }
reg <- rd("reg_train.csv"); regt <- rd("reg_test.csv")
cls <- rd("cls_train.csv"); clst <- rd("cls_test.csv")
blobs <- rd("blobs.csv")
n <- nrow(reg$x)
REG_SIGMA <- 0.2; CLS_SIGMA <- 0.1; BLOB_SIGMA <- 0.5
ari <- function(a, b) { # adjusted Rand index (Hubert & Arabie)
  t <- table(a, b); comb <- function(v) sum(v * (v - 1) / 2)
  s <- comb(t); sa <- comb(rowSums(t)); sb <- comb(colSums(t)); e <- sa * sb / comb(length(a))
  (s - e) / ((sa + sb) / 2 - e)
}
timed <- function(expr) { t <- system.time(v <- expr)[["elapsed"]]; list(v = v, s = t) }
out <- function(m, s, metric, value, extra = "-") cat(sprintf("%s\t%d\t%.4f\t%s\t%.6g\t%s\n", m, n, s, metric, value, extra))
cat("method\tn\tseconds\tmetric\tvalue\textra\n")
for (m in methods) {
  set.seed(1)
  if (m == "kpca") {
    r <- timed(kpca(reg$x, kernel = "rbfdot", kpar = list(sigma = REG_SIGMA), features = 5))
    out(m, r$s, "lambda1/n", eig(r$v)[1])
  } else if (m == "specc") {
    r <- timed(specc(blobs$x, centers = 3, kernel = "rbfdot", kpar = list(sigma = BLOB_SIGMA)))
    out(m, r$s, "ARI", ari(as.integer(r$v), blobs$y))
  } else if (m == "kqr") {
    tau <- 0.9
    r <- timed(kqr(reg$x, reg$y, tau = tau, C = 0.1, kernel = "rbfdot", kpar = list(sigma = REG_SIGMA), scaled = FALSE, fit = FALSE))
    res <- regt$y - predict(r$v, regt$x)
    out(m, r$s, "test_pinball", mean(ifelse(res >= 0, tau * res, (tau - 1) * res)))
  } else if (m == "rvm") {
    r <- timed(rvm(reg$x, reg$y, kernel = "rbfdot", kpar = list(sigma = REG_SIGMA), fit = FALSE))
    out(m, r$s, "test_rmse", sqrt(mean((predict(r$v, regt$x) - regt$y)^2)), length(RVindex(r$v)))
  } else if (m == "gausspr") {
    r <- timed(gausspr(reg$x, reg$y, type = "regression", kernel = "rbfdot", kpar = list(sigma = REG_SIGMA), var = 0.01,
                       scaled = FALSE, fit = FALSE))
    out(m, r$s, "test_rmse", sqrt(mean((predict(r$v, regt$x) - regt$y)^2)))
  } else if (m == "ksvm") {
    r <- timed(ksvm(cls$x, factor(cls$y), type = "C-svc", kernel = "rbfdot", kpar = list(sigma = CLS_SIGMA), C = 1,
                    tol = 0.001, cache = 512, scaled = FALSE, fit = FALSE))
    out(m, r$s, "test_accuracy", mean(as.character(predict(r$v, clst$x)) == as.character(clst$y)), nSV(r$v))
  } else if (m == "ksvm-nu") {
    r <- timed(ksvm(cls$x, factor(cls$y), type = "nu-svc", kernel = "rbfdot", kpar = list(sigma = CLS_SIGMA), nu = 0.2,
                    tol = 0.001, cache = 512, scaled = FALSE, fit = FALSE))
    out(m, r$s, "test_accuracy", mean(as.character(predict(r$v, clst$x)) == as.character(clst$y)), nSV(r$v))
  }
}
