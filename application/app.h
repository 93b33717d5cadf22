/*
 * The application's view of the world (application layer): the ports a command or query handler
 * needs, bundled, and who is calling. cmd/ fills one struct app per worker thread with the
 * PostgreSQL adapters (tests fill one with fakes); handlers only ever see these ports.
 */
#ifndef OFICINA_APPLICATION_APP_H
#define OFICINA_APPLICATION_APP_H

#include <time.h>

#include "application/ports/cliente_repo.h"
#include "application/ports/estoque_repo.h"
#include "application/ports/event_outbox.h"
#include "application/ports/assinatura.h"
#include "application/ports/ordem_consultas.h"
#include "application/ports/ordem_repo.h"
#include "application/ports/idempotency_store.h"
#include "application/ports/login_tentativas.h"
#include "application/ports/orcamento_link.h"
#include "application/ports/password_hasher.h"
#include "application/ports/relatorios.h"
#include "application/ports/peca_repo.h"
#include "application/ports/servico_repo.h"
#include "application/ports/token_service.h"
#include "application/ports/transaction.h"
#include "application/ports/usuario_repo.h"
#include "application/ports/veiculo_repo.h"

/* How customers log in (README "Customers: login by CPF and plate"). */
enum cliente_login_modo {
	CLIENTE_LOGIN_CPF_PLACA = 0, /* the CPF and the plate of one of their vehicles (default) */
	CLIENTE_LOGIN_CPF,           /* the CPF alone: legacy and insecure (a CPF is no secret) */
};

#define CLIENTE_LOGIN_MAX_FALHAS_PADRAO 5   /* CLIENTE_LOGIN_MAX_FALHAS */
#define CLIENTE_LOGIN_BLOQUEIO_S_PADRAO 900 /* CLIENTE_LOGIN_BLOQUEIO_S: 15 minutes */

/* CLIENTE_LOGIN, CLIENTE_LOGIN_MAX_FALHAS and CLIENTE_LOGIN_BLOQUEIO_S, read by cmd/. */
struct cliente_login_regras {
	enum cliente_login_modo modo; /* what a customer must give */
	long max_falhas; /* attempts of one CPF per window without a success; more are refused */
	long bloqueio_s; /* the window, and so the longest lockout, in seconds */
};

struct app {
	struct transaction tx;                 /* unit of work shared by the repositories below */
	struct cliente_repo clientes;          /* customers */
	struct veiculo_repo veiculos;          /* vehicles */
	struct usuario_repo usuarios;          /* staff users */
	struct event_outbox eventos;           /* transactional outbox */
	struct password_hasher senhas;         /* Argon2id */
	struct token_service tokens;           /* JWT */
	struct servico_repo servicos;          /* service catalogue */
	struct peca_repo pecas;                /* parts and supplies */
	struct estoque_repo estoque;           /* stock ledger (movements and balances) */
	struct ordem_repo ordens;              /* service orders, command side */
	struct ordem_consultas ordens_leitura; /* service orders, read model */
	struct assinatura webhook;             /* signature of the budget-approval webhook */
	struct orcamento_link orcamento_link;  /* the signed links of the budget e-mails */
	struct idempotency_store idempotencia; /* answers of Idempotency-Key requests */
	struct relatorios relatorios;          /* reports' read models */
	struct login_tentativas login_tentativas;  /* customers' login attempts per CPF */
	struct cliente_login_regras cliente_login; /* how customers log in */
	time_t (*agora)(void);                     /* the clock (tests pin it) */
};

/* Who asks: recorded with events and history rows. */
struct app_caller {
	const char *correlation_id; /* of the request */
	const char *sub;            /* uuid of the user or customer, or NULL */
	enum perfil perfil;         /* PERFIL_NENHUM: anonymous, or the CLI */
};

/*
 * A customer sees only their own (SPEC §4), enforced here for customers, vehicles and orders
 * alike: for a caller with PERFIL_CLIENTE, the customer they are (their token's sub, parsed into
 * buf; a sub that is not a uuid leaves buf unset, which matches no row); NULL for staff and for
 * who == NULL (the application itself). Every query a customer may call restricts itself to it,
 * and another customer's record answers APP_ENOTFOUND, so that its existence is not revealed.
 */
const struct uuid *app_caller_dono(const struct app_caller *who, struct uuid *buf);

/* The current year by app->agora, in UTC. */
int app_ano_atual(const struct app *app);

#endif
