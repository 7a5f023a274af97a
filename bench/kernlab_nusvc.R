# nu-SVC with R's kernlab on the rows kernels4j exported (train.libsvm, test.libsvm): same nu, RBF gamma
# (kernlab's rbfdot sigma is exp(-sigma*|x-y|^2), so sigma = gamma), tolerance and cache; features are used
# as given (scaled = FALSE: kernels4j's export is already the data it trained on).
# Usage: Rscript bench/kernlab_nusvc.R DIR GAMMA NU TOL CACHE_MB  -> prints seconds, test_accuracy, support_vectors
suppressPackageStartupMessages(library(kernlab))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; gamma <- as.numeric(args[2]); nu <- as.numeric(args[3]); tol <- as.numeric(args[4])
cache <- as.numeric(args[5])
read_libsvm <- function(path) {
  lines <- readLines(path)
  parts <- strsplit(lines, " ", fixed = TRUE)
  y <- vapply(parts, function(p) as.numeric(p[1]), 0)
  d <- max(vapply(parts, function(p) if (length(p) > 1) max(as.integer(sub(":.*", "", p[-1]))) else 0L, 0L))
  x <- matrix(0, length(lines), d)
  for (i in seq_along(parts)) {
    p <- parts[[i]][-1]
    if (length(p) > 0) {
      x[i, as.integer(sub(":.*", "", p))] <- as.numeric(sub(".*:", "", p))
    }
  }
  list(x = x, y = y)
}
tr <- read_libsvm(file.path(dir, "train.libsvm"))
te <- read_libsvm(file.path(dir, "test.libsvm"))
if (ncol(te$x) < ncol(tr$x)) te$x <- cbind(te$x, matrix(0, nrow(te$x), ncol(tr$x) - ncol(te$x)))
t <- system.time(m <- ksvm(tr$x, factor(tr$y), type = "nu-svc", kernel = "rbfdot", kpar = list(sigma = gamma),
                           nu = nu, tol = tol, cache = cache, scaled = FALSE, shrinking = TRUE))["elapsed"]
pred <- predict(m, te$x[, seq_len(ncol(tr$x)), drop = FALSE])
acc <- mean(as.character(pred) == as.character(te$y))
cat(sprintf("seconds %.4f\ntest_accuracy %.6f\nsupport_vectors %d\nkernlab %s\n", t, acc, nSV(m),
            as.character(packageVersion("kernlab"))))
