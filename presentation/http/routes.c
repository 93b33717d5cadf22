/*
 * The route table (presentation layer): every endpoint with its handler, the roles allowed
 * (SPEC §4) and whether it takes a JSON body. Order matters only for readability.
 */
#include "domain/usuario.h"
#include "presentation/http/handlers.h"
#include "presentation/http/router.h"

#define ADMIN	  PERFIL_ADMIN
#define BALCAO	  (PERFIL_ADMIN | PERFIL_ATENDENTE) /* customers and vehicles */
#define BODY	  true
#define NO_BODY	  false
#define API	  true
#define NOT_API	  false

const struct route routes[] = {
	{"GET", "/api/ping", handle_ping, ROLES_PUBLIC, NO_BODY, API},
	{"GET", "/health/live", handle_live, ROLES_PUBLIC, NO_BODY, NOT_API},
	{"GET", "/health/ready", handle_ready, ROLES_PUBLIC, NO_BODY, NOT_API},
	{"GET", "/metrics", handle_metrics, ROLES_PUBLIC, NO_BODY, NOT_API},

	{"POST", "/api/auth/login", handle_login, ROLES_PUBLIC, BODY, API},

	{"POST", "/api/usuarios", handle_usuarios_criar, ADMIN, BODY, API},
	{"GET", "/api/usuarios", handle_usuarios_listar, ADMIN, NO_BODY, API},
	{"GET", "/api/usuarios/{uuid}", handle_usuarios_obter, ADMIN, NO_BODY, API},
	{"PATCH", "/api/usuarios/{uuid}", handle_usuarios_alterar, ADMIN, BODY, API},
	{"DELETE", "/api/usuarios/{uuid}", handle_usuarios_desativar, ADMIN, NO_BODY, API},

	{"POST", "/api/clientes", handle_clientes_criar, BALCAO, BODY, API},
	{"GET", "/api/clientes", handle_clientes_listar, BALCAO, NO_BODY, API},
	{"GET", "/api/clientes/{uuid}", handle_clientes_obter, BALCAO, NO_BODY, API},
	{"PUT", "/api/clientes/{uuid}", handle_clientes_substituir, BALCAO, BODY, API},
	{"PATCH", "/api/clientes/{uuid}", handle_clientes_alterar, BALCAO, BODY, API},
	{"DELETE", "/api/clientes/{uuid}", handle_clientes_desativar, BALCAO, NO_BODY, API},
	{"GET", "/api/clientes/{uuid}/veiculos", handle_clientes_veiculos, BALCAO, NO_BODY, API},

	{"POST", "/api/veiculos", handle_veiculos_criar, BALCAO, BODY, API},
	{"GET", "/api/veiculos", handle_veiculos_listar, BALCAO, NO_BODY, API},
	{"GET", "/api/veiculos/{uuid}", handle_veiculos_obter, BALCAO, NO_BODY, API},
	{"PUT", "/api/veiculos/{uuid}", handle_veiculos_substituir, BALCAO, BODY, API},
	{"PATCH", "/api/veiculos/{uuid}", handle_veiculos_alterar, BALCAO, BODY, API},
	{"DELETE", "/api/veiculos/{uuid}", handle_veiculos_desativar, BALCAO, NO_BODY, API},

	/* @catalogo-estoque: /api/servicos, /api/pecas, /api/pecas/{uuid}/movimentos */
	/* @ordens: /api/ordens and the order actions, /api/webhooks/orcamento */
	/* @acesso: /api/auth/cpf, /api/relatorios */
};

const size_t routes_count = sizeof routes / sizeof routes[0];
