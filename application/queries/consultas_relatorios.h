/*
 * The reports (application layer, queries, SPEC §5 Reads): the mean times of the orders finished
 * in a period, and the daily volume of opened, finished and delivered orders. Both take the
 * period as the two query parameters typed by the user and validate them here, so that every
 * way of asking applies the same rules.
 */
#ifndef OFICINA_APPLICATION_QUERIES_CONSULTAS_RELATORIOS_H
#define OFICINA_APPLICATION_QUERIES_CONSULTAS_RELATORIOS_H

#include "application/app.h"

/* The daily volume: one row per day of the period. Release with volume_diario_cleanup. */
struct volume_diario {
	struct volume_dia *dias; /* n rows, malloc'd */
	size_t n;
};

/*
 * Validates a period typed as two dates "YYYY-MM-DD" (de and ate; NULL means not given): both
 * required, each a valid calendar date (years 0001..9999), de not after ate, and at most
 * PERIODO_DIAS_MAX days with both ends included. Every bad parameter gets one entry in fe, named
 * "de" or "ate" (an inverted or too long period is reported on "ate"). Returns 0 with *out set,
 * or APP_EINVALID.
 */
int periodo_parse(const char *de, const char *ate, struct periodo *out, struct field_errors *fe);

/*
 * The mean times of the orders finished in the period de..ate. APP_EINVALID (detail in fe) for a
 * bad period, without asking the store; APP_EUNAVAILABLE, APP_EINTERNAL. *out is zeroed on error.
 */
int relatorio_tempo_medio(const struct app *app, const char *de, const char *ate,
                          struct field_errors *fe, struct relatorio_tempo_medio *out);

/*
 * Every day of the period de..ate with its counts, zeros included. Errors as
 * relatorio_tempo_medio, and APP_ENOMEM; on error out is empty.
 */
int relatorio_volume_diario(const struct app *app, const char *de, const char *ate,
                            struct field_errors *fe, struct volume_diario *out);
void volume_diario_cleanup(struct volume_diario *v);

#endif
