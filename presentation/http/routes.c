/*
 * The route table (presentation layer): every endpoint with its handler, the roles allowed
 * (SPEC §4) and whether it takes a JSON body. Order matters only for readability.
 */
#include "domain/usuario.h"
#include "presentation/http/handlers.h"
#include "presentation/http/router.h"

#define ADMIN         PERFIL_ADMIN
#define BALCAO        (PERFIL_ADMIN | PERFIL_ATENDENTE) /* customers and vehicles */
#define PROPRIO       (BALCAO | PERFIL_CLIENTE) /* reads a customer may do of their own data */
#define BODY          ROUTE_BODY
#define NO_BODY       ROUTE_NO_BODY
#define OPTIONAL_BODY ROUTE_OPTIONAL_BODY
#define API           true
#define NOT_API       false
#define IO            ROUTE_ON_IO
#define WORKER        ROUTE_ON_WORKER
#define HASHER        ROUTE_ON_HASHER

const struct route routes[] = {
    /* Answered on the I/O thread: they must answer while every worker waits on the database. */
    {"GET", "/api/ping", handle_ping, ROLES_PUBLIC, NO_BODY, API, IO},
    {"GET", "/health/live", handle_live, ROLES_PUBLIC, NO_BODY, NOT_API, IO},
    {"GET", "/health/ready", handle_ready, ROLES_PUBLIC, NO_BODY, NOT_API, IO},
    {"GET", "/metrics", handle_metrics, ROLES_PUBLIC, NO_BODY, NOT_API, IO},

    /* Password hashing (Argon2id) runs on the password workers, never on the others. */
    {"POST", "/api/auth/login", handle_login, ROLES_PUBLIC, BODY, API, HASHER},

    {"POST", "/api/usuarios", handle_usuarios_criar, ADMIN, BODY, API, HASHER},
    {"GET", "/api/usuarios", handle_usuarios_listar, ADMIN, NO_BODY, API, WORKER},
    {"GET", "/api/usuarios/{uuid}", handle_usuarios_obter, ADMIN, NO_BODY, API, WORKER},
    {"PATCH", "/api/usuarios/{uuid}", handle_usuarios_alterar, ADMIN, BODY, API, HASHER},
    {"DELETE", "/api/usuarios/{uuid}", handle_usuarios_desativar, ADMIN, NO_BODY, API, WORKER},

    {"POST", "/api/clientes", handle_clientes_criar, BALCAO, BODY, API, WORKER},
    {"GET", "/api/clientes", handle_clientes_listar, BALCAO, NO_BODY, API, WORKER},
    {"GET", "/api/clientes/{uuid}", handle_clientes_obter, PROPRIO, NO_BODY, API, WORKER},
    {"PUT", "/api/clientes/{uuid}", handle_clientes_substituir, BALCAO, BODY, API, WORKER},
    {"PATCH", "/api/clientes/{uuid}", handle_clientes_alterar, BALCAO, BODY, API, WORKER},
    {"DELETE", "/api/clientes/{uuid}", handle_clientes_desativar, BALCAO, NO_BODY, API, WORKER},
    {"GET", "/api/clientes/{uuid}/veiculos", handle_clientes_veiculos, PROPRIO, NO_BODY, API,
     WORKER},

    {"POST", "/api/veiculos", handle_veiculos_criar, BALCAO, BODY, API, WORKER},
    {"GET", "/api/veiculos", handle_veiculos_listar, PROPRIO, NO_BODY, API, WORKER},
    {"GET", "/api/veiculos/{uuid}", handle_veiculos_obter, PROPRIO, NO_BODY, API, WORKER},
    {"PUT", "/api/veiculos/{uuid}", handle_veiculos_substituir, BALCAO, BODY, API, WORKER},
    {"PATCH", "/api/veiculos/{uuid}", handle_veiculos_alterar, BALCAO, BODY, API, WORKER},
    {"DELETE", "/api/veiculos/{uuid}", handle_veiculos_desativar, BALCAO, NO_BODY, API, WORKER},

    /*
     * Catalogue and stock: every staff role reads them (the atendente opens orders with them,
     * the mecanico adds them as items); only admin changes them or moves stock by hand. Stock
     * taken by an approved order moves under the order's own route and roles.
     */
    {"POST", "/api/servicos", handle_servicos_criar, ADMIN, BODY, API, WORKER},
    {"GET", "/api/servicos", handle_servicos_listar, ROLES_STAFF, NO_BODY, API, WORKER},
    {"GET", "/api/servicos/{uuid}", handle_servicos_obter, ROLES_STAFF, NO_BODY, API, WORKER},
    {"PUT", "/api/servicos/{uuid}", handle_servicos_substituir, ADMIN, BODY, API, WORKER},
    {"PATCH", "/api/servicos/{uuid}", handle_servicos_alterar, ADMIN, BODY, API, WORKER},
    {"DELETE", "/api/servicos/{uuid}", handle_servicos_desativar, ADMIN, NO_BODY, API, WORKER},
    {"POST", "/api/pecas", handle_pecas_criar, ADMIN, BODY, API, WORKER},
    {"GET", "/api/pecas", handle_pecas_listar, ROLES_STAFF, NO_BODY, API, WORKER},
    {"GET", "/api/pecas/{uuid}", handle_pecas_obter, ROLES_STAFF, NO_BODY, API, WORKER},
    {"PUT", "/api/pecas/{uuid}", handle_pecas_substituir, ADMIN, BODY, API, WORKER},
    {"PATCH", "/api/pecas/{uuid}", handle_pecas_alterar, ADMIN, BODY, API, WORKER},
    {"DELETE", "/api/pecas/{uuid}", handle_pecas_desativar, ADMIN, NO_BODY, API, WORKER},
    {"POST", "/api/pecas/{uuid}/movimentos", handle_pecas_movimentar, ADMIN, BODY, API, WORKER},
    {"GET", "/api/pecas/{uuid}/movimentos", handle_pecas_movimentos, ROLES_STAFF, NO_BODY, API,
     WORKER},
    {"GET", "/api/pecas/{uuid}/movimentos/{movimento}", handle_pecas_movimento_obter, ROLES_STAFF,
     NO_BODY, API, WORKER},
    /* A customer's token reaches only their own orders (handlers and read model check it). */
    {"POST", "/api/ordens", handle_ordens_criar, PERFIS_ORDEM_ABRIR, BODY, API, WORKER},
    {"GET", "/api/ordens", handle_ordens_listar, PERFIS_ORDEM_LER, NO_BODY, API, WORKER},
    {"GET", "/api/ordens/{uuid}", handle_ordens_obter, PERFIS_ORDEM_LER, NO_BODY, API, WORKER},
    {"GET", "/api/ordens/{uuid}/status", handle_ordens_status, PERFIS_ORDEM_LER, NO_BODY, API,
     WORKER},
    {"PATCH", "/api/ordens/{uuid}/status", handle_ordens_alterar_status, PERFIS_ORDEM_STATUS, BODY,
     API, WORKER},
    {"GET", "/api/ordens/{uuid}/historico", handle_ordens_historico, PERFIS_ORDEM_LER, NO_BODY, API,
     WORKER},
    /* Actions: an optional JSON body ({motivo}) is read by the handler. */
    {"POST", "/api/ordens/{uuid}/diagnostico", handle_ordens_diagnostico, PERFIS_ORDEM_TECNICO,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/orcamento", handle_ordens_orcamento, PERFIS_ORDEM_TECNICO,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/aprovacao", handle_ordens_aprovacao, PERFIS_ORDEM_DECIDIR,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/reprovacao", handle_ordens_reprovacao, PERFIS_ORDEM_DECIDIR,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/finalizacao", handle_ordens_finalizacao, PERFIS_ORDEM_TECNICO,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/entrega", handle_ordens_entrega, PERFIS_ORDEM_BALCAO,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/cancelamento", handle_ordens_cancelamento, PERFIS_ORDEM_BALCAO,
     OPTIONAL_BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/servicos", handle_ordens_servico_adicionar, PERFIS_ORDEM_TECNICO,
     BODY, API, WORKER},
    {"POST", "/api/ordens/{uuid}/pecas", handle_ordens_peca_adicionar, PERFIS_ORDEM_TECNICO, BODY,
     API, WORKER},
    {"DELETE", "/api/ordens/{uuid}/servicos/{item}", handle_ordens_servico_remover,
     PERFIS_ORDEM_TECNICO, NO_BODY, API, WORKER},
    {"DELETE", "/api/ordens/{uuid}/pecas/{item}", handle_ordens_peca_remover, PERFIS_ORDEM_TECNICO,
     NO_BODY, API, WORKER},
    /* Public but signed: the handler checks X-Signature over the raw body before parsing it. */
    {"POST", "/api/webhooks/orcamento", handle_webhook_orcamento, ROLES_PUBLIC, NO_BODY, API,
     WORKER},
    /* Customer login and reports. */
    {"POST", "/api/auth/cpf", handle_auth_cpf, ROLES_PUBLIC, BODY, API, WORKER},
    {"GET", "/api/relatorios/tempo-medio", handle_relatorios_tempo_medio, BALCAO, NO_BODY, API,
     WORKER},
    {"GET", "/api/relatorios/volume-diario", handle_relatorios_volume_diario, BALCAO, NO_BODY, API,
     WORKER},
};

const size_t routes_count = sizeof routes / sizeof routes[0];
