/*
 * The route table (presentation layer): one row per endpoint, the only place that says anything
 * about it (router.h lists the fields and who reads them). Adding an endpoint is a row here, its
 * handler, and its operation in docs/openapi.yaml (make check fails without it). Fields left out
 * take the safe default: UUID captures, no body, not idempotent, behind the gateway key, run on a
 * worker. Order matters only for readability.
 */
#include "domain/ordem.h"
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
#define TOKEN              ROUTE_CAPTURE_TOKEN

/* One row per endpoint, as it reads best. */
/* clang-format off */
const struct route routes[] = {
    /* Answered on the I/O thread: they must answer while every worker waits on the database. */
    {.method = "GET", .pattern = "/api/ping", .handler = handle_ping,
     .perfis = PERFIS_PUBLICO, .runner = IO},
    {.method = "GET", .pattern = "/health/live", .handler = handle_live,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/health/ready", .handler = handle_ready,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/metrics", .handler = handle_metrics,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    /* The API's documentation, embedded in the binary: public, and no gateway key either. */
    {.method = "GET", .pattern = "/openapi.yaml", .handler = handle_openapi_yaml,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/openapi.json", .handler = handle_openapi_json,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/docs", .handler = handle_docs,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},
    {.method = "GET", .pattern = "/docs/{arquivo}", .captures = {TOKEN}, .handler = handle_docs_arquivo,
     .perfis = PERFIS_PUBLICO, .internal = true, .runner = IO},

    /* Password hashing (Argon2id) runs on the password workers, never on the others. */
    {.method = "POST", .pattern = "/api/auth/login", .handler = handle_login,
     .perfis = PERFIS_PUBLICO, .body = JSON_BODY, .runner = HASHER},

    {.method = "POST", .pattern = "/api/usuarios", .handler = handle_usuarios_gravar,
     .perfis = ADMIN, .body = JSON_BODY, .runner = HASHER},
    {.method = "GET", .pattern = "/api/usuarios", .handler = handle_usuarios_listar,
     .perfis = ADMIN},
    {.method = "GET", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_obter,
     .perfis = ADMIN},
    {.method = "PATCH", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_gravar,
     .perfis = ADMIN, .body = JSON_BODY, .runner = HASHER},
    {.method = "DELETE", .pattern = "/api/usuarios/{uuid}", .handler = handle_usuarios_desativar,
     .perfis = ADMIN},

    {.method = "POST", .pattern = "/api/clientes", .handler = handle_clientes_gravar,
     .perfis = BALCAO, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/clientes", .handler = handle_clientes_listar,
     .perfis = BALCAO},
    {.method = "GET", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_obter,
     .perfis = PROPRIO},
    {.method = "PUT", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_gravar,
     .perfis = BALCAO, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_gravar,
     .perfis = BALCAO, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/clientes/{uuid}", .handler = handle_clientes_desativar,
     .perfis = BALCAO},
    {.method = "GET", .pattern = "/api/clientes/{uuid}/veiculos", .handler = handle_clientes_veiculos,
     .perfis = PROPRIO},

    {.method = "POST", .pattern = "/api/veiculos", .handler = handle_veiculos_gravar,
     .perfis = BALCAO, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/veiculos", .handler = handle_veiculos_listar,
     .perfis = PROPRIO},
    {.method = "GET", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_obter,
     .perfis = PROPRIO},
    {.method = "PUT", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_gravar,
     .perfis = BALCAO, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_gravar,
     .perfis = BALCAO, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/veiculos/{uuid}", .handler = handle_veiculos_desativar,
     .perfis = BALCAO},

    /*
     * Catalogue and stock: every staff role reads them (the atendente opens orders with them,
     * the mecanico adds them as items); only admin changes them or moves stock by hand. Stock
     * taken by an approved order moves under the order's own route and roles.
     */
    {.method = "POST", .pattern = "/api/servicos", .handler = handle_servicos_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/servicos", .handler = handle_servicos_listar,
     .perfis = PERFIS_EQUIPE},
    {.method = "GET", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_obter,
     .perfis = PERFIS_EQUIPE},
    {.method = "PUT", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/servicos/{uuid}", .handler = handle_servicos_desativar,
     .perfis = ADMIN},
    {.method = "POST", .pattern = "/api/pecas", .handler = handle_pecas_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/pecas", .handler = handle_pecas_listar,
     .perfis = PERFIS_EQUIPE},
    {.method = "GET", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_obter,
     .perfis = PERFIS_EQUIPE},
    {.method = "PUT", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "PATCH", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_gravar,
     .perfis = ADMIN, .body = JSON_BODY},
    {.method = "DELETE", .pattern = "/api/pecas/{uuid}", .handler = handle_pecas_desativar,
     .perfis = ADMIN},
    {.method = "POST", .pattern = "/api/pecas/{uuid}/movimentos", .handler = handle_pecas_movimentar,
     .perfis = ADMIN, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/pecas/{uuid}/movimentos", .handler = handle_pecas_movimentos,
     .perfis = PERFIS_EQUIPE},
    {.method = "GET", .pattern = "/api/pecas/{uuid}/movimentos/{movimento}", .handler = handle_pecas_movimento_obter,
     .perfis = PERFIS_EQUIPE},
    /* A customer's token reaches only their own orders (handlers and read model check it). */
    {.method = "POST", .pattern = "/api/ordens", .handler = handle_ordens_criar,
     .perfis = PERFIS_ORDEM_ABRIR, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/ordens", .handler = handle_ordens_listar,
     .perfis = PERFIS_ORDEM_LER},
    {.method = "GET", .pattern = "/api/ordens/{uuid}", .handler = handle_ordens_obter,
     .perfis = PERFIS_ORDEM_LER},
    {.method = "GET", .pattern = "/api/ordens/{uuid}/status", .handler = handle_ordens_status,
     .perfis = PERFIS_ORDEM_LER},
    {.method = "PATCH", .pattern = "/api/ordens/{uuid}/status", .handler = handle_ordens_alterar_status,
     .perfis = PERFIS_ORDEM_STATUS, .body = JSON_BODY, .idempotent = true},
    {.method = "GET", .pattern = "/api/ordens/{uuid}/historico", .handler = handle_ordens_historico,
     .perfis = PERFIS_ORDEM_LER},
    /*
     * Actions: one handler, the action in .arg; an optional JSON body ({motivo}). PATCH .../status
     * takes who may run each action from these rows.
     */
    {.method = "POST", .pattern = "/api/ordens/{uuid}/diagnostico", .handler = handle_ordens_acao,
     .arg = ACAO_DIAGNOSTICO, .perfis = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/orcamento", .handler = handle_ordens_acao,
     .arg = ACAO_ORCAMENTO, .perfis = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/aprovacao", .handler = handle_ordens_acao,
     .arg = ACAO_APROVACAO, .perfis = PERFIS_ORDEM_DECIDIR, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/reprovacao", .handler = handle_ordens_acao,
     .arg = ACAO_REPROVACAO, .perfis = PERFIS_ORDEM_DECIDIR, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/finalizacao", .handler = handle_ordens_acao,
     .arg = ACAO_FINALIZACAO, .perfis = PERFIS_ORDEM_TECNICO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/entrega", .handler = handle_ordens_acao,
     .arg = ACAO_ENTREGA, .perfis = PERFIS_ORDEM_BALCAO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/cancelamento", .handler = handle_ordens_acao,
     .arg = ACAO_CANCELAMENTO, .perfis = PERFIS_ORDEM_BALCAO, .body = OPTIONAL_JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/servicos", .handler = handle_ordens_item_adicionar,
     .arg = ITEM_SERVICO, .perfis = PERFIS_ORDEM_TECNICO, .body = JSON_BODY, .idempotent = true},
    {.method = "POST", .pattern = "/api/ordens/{uuid}/pecas", .handler = handle_ordens_item_adicionar,
     .arg = ITEM_PECA, .perfis = PERFIS_ORDEM_TECNICO, .body = JSON_BODY, .idempotent = true},
    {.method = "DELETE", .pattern = "/api/ordens/{uuid}/servicos/{item}", .handler = handle_ordens_item_remover,
     .arg = ITEM_SERVICO, .perfis = PERFIS_ORDEM_TECNICO},
    {.method = "DELETE", .pattern = "/api/ordens/{uuid}/pecas/{item}", .handler = handle_ordens_item_remover,
     .arg = ITEM_PECA, .perfis = PERFIS_ORDEM_TECNICO},
    /* Public but signed: the handler checks X-Signature over the raw body before parsing it. */
    {.method = "POST", .pattern = "/api/webhooks/orcamento", .handler = handle_webhook_orcamento,
     .perfis = PERFIS_PUBLICO},
    /*
     * The budget link of an e-mail, opened in the customer's browser: HTML pages, no login (the
     * signed token in the path is the credential), no x-api-key (not through the gateway) but
     * rate limited. The POST reads its form itself, after the token: no body in the pipeline.
     */
    {.method = "GET", .pattern = "/orcamentos/{token}", .captures = {TOKEN},
     .handler = handle_orcamento_link_ver, .perfis = PERFIS_PUBLICO, .browser = true},
    {.method = "POST", .pattern = "/orcamentos/{token}", .captures = {TOKEN},
     .handler = handle_orcamento_link_decidir, .perfis = PERFIS_PUBLICO, .browser = true},
    /* Customer login and reports. */
    /* Ends every session of the caller: staff or customer. */
    {.method = "POST", .pattern = "/api/auth/logout", .handler = handle_logout,
     .perfis = PERFIS_EQUIPE | PERFIL_CLIENTE},
    {.method = "POST", .pattern = "/api/auth/cpf", .handler = handle_auth_cpf,
     .perfis = PERFIS_PUBLICO, .body = JSON_BODY},
    {.method = "GET", .pattern = "/api/relatorios/tempo-medio", .handler = handle_relatorios_tempo_medio,
     .perfis = BALCAO},
    {.method = "GET", .pattern = "/api/relatorios/volume-diario", .handler = handle_relatorios_volume_diario,
     .perfis = BALCAO},

};
/* clang-format on */

const size_t routes_count = sizeof routes / sizeof routes[0];
