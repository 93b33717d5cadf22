/* Every route handler of the server (presentation layer); the table is in routes.c. */
#ifndef OFICINA_PRESENTATION_HTTP_HANDLERS_H
#define OFICINA_PRESENTATION_HTTP_HANDLERS_H

#include "presentation/http/http_types.h"

/* handlers_health.c */
void handle_ping(struct request *req, struct response *res);
void handle_live(struct request *req, struct response *res);
void handle_ready(struct request *req, struct response *res);
void handle_metrics(struct request *req, struct response *res);

/* handlers_docs.c */
void handle_openapi_yaml(struct request *req, struct response *res);
void handle_openapi_json(struct request *req, struct response *res);
void handle_docs(struct request *req, struct response *res);
void handle_docs_arquivo(struct request *req, struct response *res);

/* handlers_auth.c */
void handle_login(struct request *req, struct response *res);
void handle_logout(struct request *req, struct response *res);

/* handlers_usuarios.c */
void handle_usuarios_gravar(struct request *req, struct response *res);
void handle_usuarios_listar(struct request *req, struct response *res);
void handle_usuarios_obter(struct request *req, struct response *res);
void handle_usuarios_desativar(struct request *req, struct response *res);

/* handlers_clientes.c */
void handle_clientes_gravar(struct request *req, struct response *res);
void handle_clientes_listar(struct request *req, struct response *res);
void handle_clientes_obter(struct request *req, struct response *res);
void handle_clientes_desativar(struct request *req, struct response *res);
void handle_clientes_veiculos(struct request *req, struct response *res);

/* handlers_veiculos.c */
void handle_veiculos_gravar(struct request *req, struct response *res);
void handle_veiculos_listar(struct request *req, struct response *res);
void handle_veiculos_obter(struct request *req, struct response *res);
void handle_veiculos_desativar(struct request *req, struct response *res);

struct pagina;
struct lista;
/*
 * A page of vehicles as a list answer, or rc's problem when its query failed; releases lista
 * (also for /api/clientes/{uuid}/veiculos).
 */
void veiculos_responder_lista(struct request *req, struct response *res, int rc,
                              const struct pagina *page, struct lista *lista);

/* The catalogue and stock: handlers_servicos.c, handlers_pecas.c */
void handle_servicos_gravar(struct request *req, struct response *res);
void handle_servicos_listar(struct request *req, struct response *res);
void handle_servicos_obter(struct request *req, struct response *res);
void handle_servicos_desativar(struct request *req, struct response *res);
void handle_pecas_gravar(struct request *req, struct response *res);
void handle_pecas_listar(struct request *req, struct response *res);
void handle_pecas_obter(struct request *req, struct response *res);
void handle_pecas_desativar(struct request *req, struct response *res);
void handle_pecas_movimentar(struct request *req, struct response *res);
void handle_pecas_movimentos(struct request *req, struct response *res);
void handle_pecas_movimento_obter(struct request *req, struct response *res);
/* Service orders: handlers_ordens.c, handlers_webhook.c */
/*
 * Who may do what to an order (SPEC §4), as masks of enum perfil (domain/usuario.h): the route
 * table uses them, and so does PATCH .../status, which finds the action only from the body.
 */
#define PERFIS_ORDEM_LER   (PERFIL_ADMIN | PERFIL_ATENDENTE | PERFIL_MECANICO | PERFIL_CLIENTE)
#define PERFIS_ORDEM_ABRIR (PERFIL_ADMIN | PERFIL_ATENDENTE)
#define PERFIS_ORDEM_TECNICO                                                                       \
	(PERFIL_ADMIN | PERFIL_MECANICO) /* diagnosis, items, budget, finish                       \
	                                  */
#define PERFIS_ORDEM_DECIDIR (PERFIL_ADMIN | PERFIL_ATENDENTE | PERFIL_CLIENTE)
#define PERFIS_ORDEM_BALCAO  (PERFIL_ADMIN | PERFIL_ATENDENTE) /* delivery, cancelling */
#define PERFIS_ORDEM_STATUS  (PERFIL_ADMIN | PERFIL_ATENDENTE | PERFIL_MECANICO)
void handle_ordens_criar(struct request *req, struct response *res);
void handle_ordens_listar(struct request *req, struct response *res);
void handle_ordens_obter(struct request *req, struct response *res);
void handle_ordens_status(struct request *req, struct response *res);
void handle_ordens_historico(struct request *req, struct response *res);
void handle_ordens_alterar_status(struct request *req, struct response *res);
/* POST /api/ordens/{uuid}/<action>: the action is the route's arg (enum ordem_acao). */
void handle_ordens_acao(struct request *req, struct response *res);
/* POST and DELETE of an order's items: the kind of item is the route's arg (enum ordem_item_tipo).
 */
void handle_ordens_item_adicionar(struct request *req, struct response *res);
void handle_ordens_item_remover(struct request *req, struct response *res);
void handle_webhook_orcamento(struct request *req, struct response *res);

/* The budget link's page, for a browser (HTML, not JSON): handlers_orcamento_link.c */
void handle_orcamento_link_ver(struct request *req, struct response *res);
void handle_orcamento_link_decidir(struct request *req, struct response *res);

/* Reports and the customer login: handlers_relatorios.c, handlers_auth_cpf.c */
void handle_auth_cpf(struct request *req, struct response *res); /* handlers_auth_cpf.c */
void handle_relatorios_tempo_medio(struct request *req, struct response *res);
void handle_relatorios_volume_diario(struct request *req, struct response *res);

#endif
