/* The Universal Scalability Law, fitted to (load, throughput) points.
 *
 *     X(N) = lambda N / (1 + sigma (N - 1) + kappa N (N - 1))
 *
 * lambda is the throughput of one user (or one unit of load), sigma the
 * contention share (serialised work), kappa the coherency cost (crosstalk
 * that makes throughput fall past a peak).  The fit is an unweighted
 * nonlinear least-squares fit with GSL's trust-region solver
 * (gsl_multifit_nlinear); the 95 % intervals use the parameter covariance
 * scaled by the residual variance and Student's t on n - 3 degrees of
 * freedom.  Coefficients are reported as fitted, negative ones included:
 * nothing is forced positive.
 *
 * The library sets no GSL error handler: tools call
 * gsl_set_error_handler_off() once in main. */
#ifndef LTK_USL_H
#define LTK_USL_H

#include <stdbool.h>
#include <stddef.h>

#include "ltk/base/error.h"

/* Fewest points a fit accepts: three parameters and one degree of freedom. */
#define LTK_USL_MIN_POINTS 4

enum { LTK_USL_SIGMA, LTK_USL_KAPPA, LTK_USL_LAMBDA, LTK_USL_NPARAM };

struct ltk_usl_fit {
    size_t n;                      /* points used */
    double p[LTK_USL_NPARAM];      /* sigma, kappa, lambda */
    double se[LTK_USL_NPARAM];     /* standard errors (NAN when dof == 0) */
    double ci_lo[LTK_USL_NPARAM];  /* 95 % confidence intervals */
    double ci_hi[LTK_USL_NPARAM];
    double cov[LTK_USL_NPARAM][LTK_USL_NPARAM]; /* scaled covariance */
    double t95;                    /* Student t quantile 0.975 on dof */
    int dof;                       /* n - 3 */
    double ssr;                    /* sum of squared residuals */
    double r2;                     /* 1 - ssr / total sum of squares */
    size_t iterations;
    bool converged;                /* the solver met its tolerances */
    double peak_users;             /* N* = sqrt((1 - sigma) / kappa); NAN when
                                    * kappa <= 0 or sigma >= 1 (no peak) */
    double max_rps;                /* X(N*), NAN without a peak */
    double peak_ci[2];             /* 95 % interval of N* (delta method) */
    double max_rps_ci[2];          /* 95 % interval of X(N*) */
};

/* Fits the law to n points (load[i] > 0, throughput[i] >= 0, all finite).
 * Returns LTK_OK (check fit->converged), LTK_EINVAL (fewer than
 * LTK_USL_MIN_POINTS points, fewer than three distinct loads, a bad value)
 * or LTK_ENOMEM, with err saying why. */
int ltk_usl_fit(const double *load, const double *throughput, size_t n, struct ltk_usl_fit *fit,
                struct ltk_error *err);

/* X(N) for parameters p (sigma, kappa, lambda). */
double ltk_usl_eval(const double p[LTK_USL_NPARAM], double load);

/* A scalar function of the parameters, for ltk_usl_interval. */
typedef double (*ltk_usl_fn)(const double p[LTK_USL_NPARAM], void *ctx);

/* 95 % interval of f(p) by the delta method (numerical gradient and the fit's
 * covariance, Student t on the fit's dof).  Writes NAN, NAN when f or its
 * gradient is not finite or the fit has no degrees of freedom.  Returns f(p). */
double ltk_usl_interval(const struct ltk_usl_fit *fit, ltk_usl_fn f, void *ctx, double ci[2]);

#endif
