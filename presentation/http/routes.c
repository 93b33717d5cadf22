/*
 * The route table (presentation layer): one row per endpoint, the only place that says anything
 * about it (router.h lists the fields and who reads them). Adding an endpoint is a row here, its
 * handler, and its operation in docs/openapi.yaml (make check fails without it). Fields left out
 * take the safe default: no body, not idempotent, behind the gateway key, run on a worker. Order
 * matters only for readability.
 */
#include "domain/usuario.h"
#include "presentation/http/handlers.h"
#include "presentation/http/router.h"

#define ADMIN              PERFIL_ADMIN
#define BALCAO             (PERFIL_ADMIN | PERFIL_ATENDENTE) /* customers and vehicles */
#define PROPRIO            (BALCAO | PERFIL_CLIENTE) /* reads a customer may do of their own data */
#define JSON_BODY          ROUTE_JSON_BODY
#define OPTIONAL_JSON_BODY ROUTE_OPTIONAL_JSON_BODY
#define IO                 ROUTE_ON_IO
#define HASHER             ROUTE_ON_HASHER

/* One row per endpoint, as it reads best. */
/* clang-format off */
const struct route routes[] = {
    /* Answered on the I/O thread: they must answer while every worker waits on the database. */
    {.method = "GET", .pattern = "/api/ping", .handler = handle_ping,
     .roles = ROLES_PUBLIC, .runner = IO},
    {.method = "GET", .pattern = "/health/live", .handler = handle_live,
     .roles = ROLES_PUBLIC, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/health/ready", .handler = handle_ready,
     .roles = ROLES_PUBLIC, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/metrics", .handler = handle_metrics,
     .roles = ROLES_PUBLIC, .internal = true, .runner = IO},

    /* Password hashing (Argon2id) runs on the password workers, never on the others. */
    {.method = "POST", .pattern = "/api/auth/login", .handler = handle_login,
     .roles = ROLES_PUBLIC, .body = JSON_BODY, .runner = HASHER},

    {.method = "POST", .pattern = "/api/usuarios", .handler = handle_usuarios_criar,
     .roles = ADMIN, .body = JSON_BODY, .runner = HASHER},
    {.method = "GET", .pattern = "/api/usuarios", .handler = handle_usuarios_listar,
     .roles = ADMIN},
    {.method = "GET", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_obter,
     .roles = ADMIN},
    {.method = "PATCH", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_alterar,
     .roles = ADMIN, .body = JSON_BODY, .runner = HASHER},
    {.method = "DELETE", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_desativar,
     .roles = ADMIN},

    {.method = "POST", .pattern = "/api/clientes", .handler = handle_clientes_criar,
     .roles = BALCAO, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/clientes", .handler = handle_clientes_listar,
     .roles = BALCAO},
    {.method = "GET", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_obter,
     .roles = PROPRIO},
    {.method = "PUT", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_substituir,
     .roles = BALCAO, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_alterar,
     .roles = BALCAO, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_desativar,
     .roles = BALCAO},
    {.method = "GET", .pattern = "/api/clientes/{uuid}/veiculos", .handler = handle_clientes_veiculos,
     .roles = PROPRIO},

    {.method = "POST", .pattern = "/api/veiculos", .handler = handle_veiculos_criar,
     .roles = BALCAO, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/veiculos", .handler = handle_veiculos_listar,
     .roles = PROPRIO},
    {.method = "GET", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_obter,
     .roles = PROPRIO},
    {.method = "PUT", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_substituir,
     .roles = BALCAO, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_alterar,
     .roles = BALCAO, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_desativar,
     .roles = BALCAO},

    /*
     * Catalogue and stock: every staff role reads them (the atendente opens orders with them,
     * the mecanico adds them as items); only admin changes them or moves stock by hand. Stock
     * taken by an approved order moves under the order's own route and roles.
     */
    {.method = "POST", .pattern = "/api/servicos", .handler = handle_servicos_criar,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/servicos", .handler = handle_servicos_listar,
     .roles = ROLES_STAFF},
    {.method = "GET", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_obter,
     .roles = ROLES_STAFF},
    {.method = "PUT", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_substituir,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_alterar,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_desativar,
     .roles = ADMIN},
    {.method = "POST", .pattern = "/api/pecas", .handler = handle_pecas_criar,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/pecas", .handler = handle_pecas_listar,
     .roles = ROLES_STAFF},
    {.method = "GET", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_obter,
     .roles = ROLES_STAFF},
    {.method = "PUT", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_substituir,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_alterar,
     .roles = ADMIN, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_desativar,
     .roles = ADMIN},
    {.method = "POST", .pattern = "/api/pecas/{uuid}/movimentos", .handler = handle_pecas_movimentar,
     .roles = ADMIN, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/pecas/{uuid}/movimentos", .handler = handle_pecas_movimentos,
     .roles = ROLES_STAFF},
    {.method = "GET", .pattern = "/api/pecas/{uuid}/movimentos/{movimento}", .handler = handle_pecas_movimento_obter,
     .roles = ROLES_STAFF},
    /* A customer's token reaches only their own orders (handlers and read model check it). */
    {.method = "POST", .pattern = "/api/ordens", .handler = handle_ordens_criar,
     .roles = PERFIS_ORDEM_ABRIR, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/ordens", .handler = handle_ordens_listar,
     .roles = PERFIS_ORDEM_LER},
    {.method = "GET", .pattern = "/api/ordens/{uuid}", .handler = handle_ordens_obter,
     .roles = PERFIS_ORDEM_LER},
    {.method = "GET", .pattern = "/api/ordens/{uuid}/status", .handler = handle_ordens_status,
     .roles = PERFIS_ORDEM_LER},
    {.method = "PATCH", .pattern = "/api/ordens/{uuid}/status", .handler = handle_ordens_alterar_status,
     .roles = PERFIS_ORDEM_STATUS, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/ordens/{uuid}/historico", .handler = handle_ordens_historico,
     .roles = PERFIS_ORDEM_LER},
    /* Actions: an optional JSON body ({motivo}) is read by the handler. */
    {.method = "POST", .pattern = "/api/ordens/{uuid}/diagnostico", .handler = handle_ordens_diagnostico,
     .roles = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/orcamento", .handler = handle_ordens_orcamento,
     .roles = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/aprovacao", .handler = handle_ordens_aprovacao,
     .roles = PERFIS_ORDEM_DECIDIR, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/reprovacao", .handler = handle_ordens_reprovacao,
     .roles = PERFIS_ORDEM_DECIDIR, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/finalizacao", .handler = handle_ordens_finalizacao,
     .roles = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/entrega", .handler = handle_ordens_entrega,
     .roles = PERFIS_ORDEM_BALCAO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/cancelamento", .handler = handle_ordens_cancelamento,
     .roles = PERFIS_ORDEM_BALCAO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/servicos", .handler = handle_ordens_servico_adicionar,
     .roles = PERFIS_ORDEM_TECNICO, .body = JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/pecas", .handler = handle_ordens_peca_adicionar,
     .roles = PERFIS_ORDEM_TECNICO, .body = JSON_BODY, .idempotent = true},
    {.method = "DELETE", .pattern = "/api/ordens/{uuid}/servicos/{item}", .handler = handle_ordens_servico_remover,
     .roles = PERFIS_ORDEM_TECNICO},
    {.method = "DELETE", .pattern = "/api/ordens/{uuid}/pecas/{item}", .handler = handle_ordens_peca_remover,
     .roles = PERFIS_ORDEM_TECNICO},
    /* Public but signed: the handler checks X-Signature over the raw body before parsing it. */
    {.method = "POST", .pattern = "/api/webhooks/orcamento", .handler = handle_webhook_orcamento,
     .roles = ROLES_PUBLIC},
    /* Customer login and reports. */
    {.method = "POST", .pattern = "/api/auth/cpf", .handler = handle_auth_cpf,
     .roles = ROLES_PUBLIC, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/relatorios/tempo-medio", .handler = handle_relatorios_tempo_medio,
     .roles = BALCAO},
    {.method = "GET", .pattern = "/api/relatorios/volume-diario", .handler = handle_relatorios_volume_diario,
     .roles = BALCAO},

};
/* clang-format on */

const size_t routes_count = sizeof routes / sizeof routes[0];
