# Reference values for netlearn.analytics.mixed, computed by R's lme4 (never by our own code).
#
# Run from this folder: `Rscript make_references.R` (after `python make_references.py` wrote the
# CSVs; that driver runs this script itself). Reads models.json, fits each model with lmer on the
# stored CSV as an analyst would (read.csv, strings as factors with R's sorted levels,
# lmer's default optimiser and tolerances) and writes lme4.json. I() keeps one-element vectors
# as JSON lists.
suppressMessages({
  library(lme4)
  library(jsonlite)
})

models <- fromJSON("models.json", simplifyDataFrame = FALSE)
datasets <- list()
results <- list()

for (model in models) {
  if (is.null(datasets[[model$dataset]])) {
    datasets[[model$dataset]] <- read.csv(model$dataset, stringsAsFactors = TRUE)
  }
  data <- datasets[[model$dataset]]
  fit <- lmer(as.formula(model$formula), data = data, REML = model$reml)
  fixed <- fixef(fit)
  components <- as.data.frame(VarCorr(fit))
  variances <- setNames(as.list(components$vcov), components$grp)
  modes <- ranef(fit, condVar = TRUE)
  effects <- list()
  for (factor in names(modes)) {
    table <- modes[[factor]]
    effects[[factor]] <- list(
      ids = I(rownames(table)),
      estimate = I(unname(table[["(Intercept)"]])),
      se = I(unname(sqrt(attr(table, "postVar")[1, 1, ]))),
      n = I(unname(as.vector(table(getME(fit, "flist")[[factor]])[rownames(table)])))
    )
  }
  results[[model$name]] <- list(
    dataset = model$dataset,
    formula = model$formula,
    reml = model$reml,
    n_obs = nobs(fit),
    n_dropped = nrow(data) - nobs(fit),
    fixed_names = I(names(fixed)),
    fixed = I(unname(fixed)),
    fixed_se = I(unname(sqrt(diag(as.matrix(vcov(fit)))))),
    variances = variances,
    loglik = as.numeric(logLik(fit)),
    theta = I(unname(getME(fit, "theta"))),
    sigma = sigma(fit),
    effects = effects
  )
}

output <- list(
  made_by = paste("lme4", packageVersion("lme4"), "on", R.version.string),
  models = results
)
writeLines(toJSON(output, auto_unbox = TRUE, digits = NA, pretty = TRUE), "lme4.json")
cat("wrote lme4.json:", length(results), "models\n")
