/*
 * The one error enum of Oficina. It lives in the innermost layer so that domain, application,
 * infrastructure and presentation all speak the same codes; only the presentation layer turns
 * them into HTTP statuses (response_error in presentation/http/response.c).
 *
 * Functions return 0 on success or one of these negative codes.
 */
#ifndef OFICINA_DOMAIN_ERRORS_H
#define OFICINA_DOMAIN_ERRORS_H

enum app_err {
	APP_OK = 0,
	APP_EINVALID = -1,      /* input failed validation; detail in a struct field_errors */
	APP_ENOTFOUND = -2,     /* the entity does not exist (or is hidden from the caller) */
	APP_ECONFLICT = -3,     /* uniqueness or state conflict */
	APP_EUNAVAILABLE = -4,  /* the database (or another dependency) cannot be reached */
	APP_EUNAUTHORIZED = -5, /* credentials missing or wrong */
	APP_EFORBIDDEN = -6,    /* authenticated, but the role does not allow it */
	APP_ENOMEM = -7,        /* allocation failed */
	APP_EINTERNAL = -8,     /* a bug or an unexpected dependency answer */
	APP_ETIMEDOUT = -9,     /* the request's deadline passed (or a statement/lock timeout) */
	APP_EBUSY = -10,        /* a bounded resource is saturated: try again shortly */
	APP_ELOCKED = -11,      /* too many failures: refused for a while (how long: out-param) */
};

/* Short English name of a code, for logs ("not_found"); never NULL. */
const char *app_err_name(int code);

#endif
