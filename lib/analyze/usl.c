/* Universal Scalability Law fit with GSL's nonlinear least squares. */
#include "ltk/analyze/usl.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <string.h>

struct points {
    const double *n;
    const double *x;
    size_t count;
};

double ltk_usl_eval(const double p[LTK_USL_NPARAM], double load)
{
    double d = 1 + p[LTK_USL_SIGMA] * (load - 1) + p[LTK_USL_KAPPA] * load * (load - 1);
    return p[LTK_USL_LAMBDA] * load / d;
}

static void params_of(const gsl_vector *v, double p[LTK_USL_NPARAM])
{
    for (size_t j = 0; j < LTK_USL_NPARAM; j++)
        p[j] = gsl_vector_get(v, j);
}

/* residuals r_i = X(N_i) - x_i */
static int usl_f(const gsl_vector *v, void *data, gsl_vector *r)
{
    const struct points *pts = data;
    double p[LTK_USL_NPARAM];
    params_of(v, p);
    for (size_t i = 0; i < pts->count; i++)
        gsl_vector_set(r, i, ltk_usl_eval(p, pts->n[i]) - pts->x[i]);
    return GSL_SUCCESS;
}

static int usl_df(const gsl_vector *v, void *data, gsl_matrix *jac)
{
    const struct points *pts = data;
    double p[LTK_USL_NPARAM];
    params_of(v, p);
    for (size_t i = 0; i < pts->count; i++) {
        double n = pts->n[i];
        double d = 1 + p[LTK_USL_SIGMA] * (n - 1) + p[LTK_USL_KAPPA] * n * (n - 1);
        double top = p[LTK_USL_LAMBDA] * n / (d * d);
        gsl_matrix_set(jac, i, LTK_USL_SIGMA, -top * (n - 1));
        gsl_matrix_set(jac, i, LTK_USL_KAPPA, -top * n * (n - 1));
        gsl_matrix_set(jac, i, LTK_USL_LAMBDA, n / d);
    }
    return GSL_SUCCESS;
}

/* A starting point: lambda from the lowest load, then sigma and kappa from
 * the linear form lambda N / X - 1 = sigma (N - 1) + kappa N (N - 1). */
static void linear_start(const struct points *pts, double p[LTK_USL_NPARAM])
{
    size_t lo = 0;
    for (size_t i = 1; i < pts->count; i++)
        if (pts->n[i] < pts->n[lo])
            lo = i;
    double lambda = pts->x[lo] > 0 ? pts->x[lo] / pts->n[lo] : 1;
    double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
    for (size_t i = 0; i < pts->count; i++) {
        if (!(pts->x[i] > 0))
            continue;
        double n = pts->n[i], u = n - 1, w = n * (n - 1), y = lambda * n / pts->x[i] - 1;
        a11 += u * u;
        a12 += u * w;
        a22 += w * w;
        b1 += u * y;
        b2 += w * y;
    }
    double det = a11 * a22 - a12 * a12;
    p[LTK_USL_LAMBDA] = lambda;
    if (fabs(det) > 1e-300 * (a11 * a22 + 1)) {
        p[LTK_USL_SIGMA] = (b1 * a22 - b2 * a12) / det;
        p[LTK_USL_KAPPA] = (a11 * b2 - a12 * b1) / det;
    } else {
        p[LTK_USL_SIGMA] = 0.1;
        p[LTK_USL_KAPPA] = 0;
    }
}

/* One trust-region run from start; fills p, ssr, iterations, converged and
 * the unscaled covariance (J^T J)^-1. */
static int solve(const struct points *pts, const double start[LTK_USL_NPARAM], double p[LTK_USL_NPARAM],
                 double *ssr, size_t *iter, bool *converged, gsl_matrix *covar)
{
    gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_fdf fdf;
    memset(&fdf, 0, sizeof fdf);
    fdf.f = usl_f;
    fdf.df = usl_df;
    fdf.fvv = NULL;
    fdf.n = pts->count;
    fdf.p = LTK_USL_NPARAM;
    fdf.params = (void *)pts;
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, pts->count, LTK_USL_NPARAM);
    if (!w)
        return LTK_ENOMEM;
    gsl_vector_const_view x0 = gsl_vector_const_view_array(start, LTK_USL_NPARAM);
    int status = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
    int info = 0;
    if (status == GSL_SUCCESS)
        status = gsl_multifit_nlinear_driver(1000, 1e-12, 1e-12, 0.0, NULL, NULL, &info, w);
    params_of(gsl_multifit_nlinear_position(w), p);
    double chi = gsl_blas_dnrm2(gsl_multifit_nlinear_residual(w));
    *ssr = chi * chi;
    *iter = gsl_multifit_nlinear_niter(w);
    *converged = status == GSL_SUCCESS;
    gsl_matrix_set_zero(covar);
    if (gsl_multifit_nlinear_covar(gsl_multifit_nlinear_jac(w), 0.0, covar) != GSL_SUCCESS)
        gsl_matrix_set_all(covar, NAN);
    gsl_multifit_nlinear_free(w);
    return LTK_OK;
}

static double peak_of(const double p[LTK_USL_NPARAM], void *ctx)
{
    (void)ctx;
    if (!(p[LTK_USL_KAPPA] > 0) || !(p[LTK_USL_SIGMA] < 1))
        return NAN;
    return sqrt((1 - p[LTK_USL_SIGMA]) / p[LTK_USL_KAPPA]);
}

static double max_rps_of(const double p[LTK_USL_NPARAM], void *ctx)
{
    double n = peak_of(p, ctx);
    return isnan(n) ? NAN : ltk_usl_eval(p, n);
}

double ltk_usl_interval(const struct ltk_usl_fit *fit, ltk_usl_fn f, void *ctx, double ci[2])
{
    double v = f(fit->p, ctx);
    ci[0] = ci[1] = NAN;
    if (!isfinite(v) || fit->dof < 1 || !isfinite(fit->t95))
        return v;
    double g[LTK_USL_NPARAM];
    for (size_t j = 0; j < LTK_USL_NPARAM; j++) {
        double q[LTK_USL_NPARAM];
        memcpy(q, fit->p, sizeof q);
        double h = 1e-6 * fmax(fabs(fit->p[j]), 1e-6);
        q[j] = fit->p[j] + h;
        double up = f(q, ctx);
        q[j] = fit->p[j] - h;
        double down = f(q, ctx);
        g[j] = (up - down) / (2 * h);
        if (!isfinite(g[j]))
            return v;
    }
    double var = 0;
    for (size_t a = 0; a < LTK_USL_NPARAM; a++)
        for (size_t b = 0; b < LTK_USL_NPARAM; b++)
            var += g[a] * fit->cov[a][b] * g[b];
    if (!(var >= 0))
        return v;
    double half = fit->t95 * sqrt(var);
    ci[0] = v - half;
    ci[1] = v + half;
    return v;
}

int ltk_usl_fit(const double *load, const double *throughput, size_t n, struct ltk_usl_fit *fit,
                struct ltk_error *err)
{
    memset(fit, 0, sizeof *fit);
    fit->n = n;
    if (n < LTK_USL_MIN_POINTS)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "a USL fit needs at least %d load levels, got %zu", LTK_USL_MIN_POINTS, n);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(load[i]) || !(load[i] > 0) || !isfinite(throughput[i]) || throughput[i] < 0)
            return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                                 "point %zu: load must be positive and throughput non-negative", i + 1);
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen = seen || load[k] == load[i];
        distinct += !seen;
    }
    if (distinct < 3)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0,
                             "a USL fit needs at least 3 distinct loads, got %zu", distinct);

    struct points pts = { load, throughput, n };
    double starts[3][LTK_USL_NPARAM];
    linear_start(&pts, starts[0]);
    double lambda0 = starts[0][LTK_USL_LAMBDA];
    double s1[LTK_USL_NPARAM] = { 0.1, 1e-4, lambda0 }, s2[LTK_USL_NPARAM] = { 0.5, 1e-3, lambda0 };
    memcpy(starts[1], s1, sizeof s1);
    memcpy(starts[2], s2, sizeof s2);

    gsl_matrix *covar = gsl_matrix_alloc(LTK_USL_NPARAM, LTK_USL_NPARAM);
    if (!covar)
        return LTK_ENOMEM;
    bool have = false;
    for (size_t s = 0; s < 3; s++) {
        double p[LTK_USL_NPARAM], ssr;
        size_t iter;
        bool conv;
        if (solve(&pts, starts[s], p, &ssr, &iter, &conv, covar)) {
            gsl_matrix_free(covar);
            return ltk_error_set(err, LTK_ENOMEM, NULL, 0, 0, "out of memory");
        }
        bool finite = isfinite(ssr) && isfinite(p[0]) && isfinite(p[1]) && isfinite(p[2]);
        /* prefer a converged fit, then the smaller residual */
        if (finite && (!have || (conv && !fit->converged) || (conv == fit->converged && ssr < fit->ssr))) {
            have = true;
            memcpy(fit->p, p, sizeof p);
            fit->ssr = ssr;
            fit->iterations = iter;
            fit->converged = conv;
            for (size_t a = 0; a < LTK_USL_NPARAM; a++)
                for (size_t b = 0; b < LTK_USL_NPARAM; b++)
                    fit->cov[a][b] = gsl_matrix_get(covar, a, b);
        }
    }
    gsl_matrix_free(covar);
    if (!have)
        return ltk_error_set(err, LTK_EINVAL, NULL, 0, 0, "the USL fit did not reach finite values");

    fit->dof = (int)n - LTK_USL_NPARAM;
    double s2res = fit->ssr / fit->dof;
    fit->t95 = gsl_cdf_tdist_Pinv(0.975, fit->dof);
    for (size_t a = 0; a < LTK_USL_NPARAM; a++)
        for (size_t b = 0; b < LTK_USL_NPARAM; b++)
            fit->cov[a][b] *= s2res;
    for (size_t j = 0; j < LTK_USL_NPARAM; j++) {
        fit->se[j] = fit->cov[j][j] >= 0 ? sqrt(fit->cov[j][j]) : NAN;
        fit->ci_lo[j] = fit->p[j] - fit->t95 * fit->se[j];
        fit->ci_hi[j] = fit->p[j] + fit->t95 * fit->se[j];
    }
    double mean = 0, sst = 0;
    for (size_t i = 0; i < n; i++)
        mean += throughput[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        sst += (throughput[i] - mean) * (throughput[i] - mean);
    fit->r2 = sst > 0 ? 1 - fit->ssr / sst : NAN;
    fit->peak_users = ltk_usl_interval(fit, peak_of, NULL, fit->peak_ci);
    fit->max_rps = ltk_usl_interval(fit, max_rps_of, NULL, fit->max_rps_ci);
    return LTK_OK;
}
