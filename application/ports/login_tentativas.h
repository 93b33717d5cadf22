/*
 * Port: the login attempts of each customer CPF (application layer; README "Customers: login by
 * CPF and plate"). Attempts are counted per CPF, not per client address, and where every pod sees
 * them, so that neither rotating addresses nor spreading the attempts over pods buys more
 * guesses. Implemented by infrastructure/postgres/pg_login_tentativas.c and
 * tests/fakes/mem_login_tentativas.c. Every function returns 0 or a negative code of
 * domain/errors.h; APP_EUNAVAILABLE when the store cannot be reached.
 */
#ifndef OFICINA_APPLICATION_PORTS_LOGIN_TENTATIVAS_H
#define OFICINA_APPLICATION_PORTS_LOGIN_TENTATIVAS_H

/* What record answers about a CPF's current window. */
struct login_tentativa {
	long tentativas; /* attempts counted in the window, the one just recorded included */
	long restante_s; /* seconds until the window ends, rounded up: at least 1 */
};

struct login_tentativas_ops {
	/*
	 * Counts one attempt for cpf (its 11 digits) and fills *out. A window opens with the first
	 * attempt after the previous window ended and lasts janela_s seconds; attempts are counted
	 * until it ends or clear is called. One atomic step: concurrent attempts of one CPF each
	 * get a count of their own. The adapter keeps a hash of the CPF, never its digits. On
	 * failure *out is zeroed.
	 */
	int (*record)(void *self, const char *cpf, long janela_s, struct login_tentativa *out);
	/* Forgets cpf's attempts (after a successful login). 0 also when there were none. */
	int (*clear)(void *self, const char *cpf);
};

struct login_tentativas {
	const struct login_tentativas_ops *ops; /* static const table */
	void *self;                             /* adapter state */
};

/* Calls through the port (as Redis's connWrite() does): port->ops->f(port->self, ...). */
static inline int login_tentativas_record(const struct login_tentativas *port, const char *cpf,
                                          long janela_s, struct login_tentativa *out)
{
	return port->ops->record(port->self, cpf, janela_s, out);
}

static inline int login_tentativas_clear(const struct login_tentativas *port, const char *cpf)
{
	return port->ops->clear(port->self, cpf);
}

#endif
