/* Names of the error codes for log lines (domain layer, no I/O). */
#include "domain/errors.h"

const char *app_err_name(int code)
{
	switch (code) {
	case APP_OK:
		return "ok";
	case APP_EINVALID:
		return "invalid";
	case APP_ENOTFOUND:
		return "not_found";
	case APP_ECONFLICT:
		return "conflict";
	case APP_EUNAVAILABLE:
		return "unavailable";
	case APP_EUNAUTHORIZED:
		return "unauthorized";
	case APP_EFORBIDDEN:
		return "forbidden";
	case APP_ENOMEM:
		return "no_memory";
	case APP_ETIMEDOUT:
		return "timed_out";
	case APP_EBUSY:
		return "busy";
	case APP_ELOCKED:
		return "locked";
	default:
		return "internal";
	}
}
