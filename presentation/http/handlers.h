/* Every route handler of the server (presentation layer); the table is in routes.c. */
#ifndef OFICINA_PRESENTATION_HTTP_HANDLERS_H
#define OFICINA_PRESENTATION_HTTP_HANDLERS_H

#include "presentation/http/http_types.h"

/* handlers_health.c */
void handle_ping(struct request *req, struct response *res);
void handle_live(struct request *req, struct response *res);
void handle_ready(struct request *req, struct response *res);
void handle_metrics(struct request *req, struct response *res);

/* handlers_auth.c */
void handle_login(struct request *req, struct response *res);

/* handlers_usuarios.c */
void handle_usuarios_criar(struct request *req, struct response *res);
void handle_usuarios_listar(struct request *req, struct response *res);
void handle_usuarios_obter(struct request *req, struct response *res);
void handle_usuarios_alterar(struct request *req, struct response *res);
void handle_usuarios_desativar(struct request *req, struct response *res);

/* handlers_clientes.c */
void handle_clientes_criar(struct request *req, struct response *res);
void handle_clientes_listar(struct request *req, struct response *res);
void handle_clientes_obter(struct request *req, struct response *res);
void handle_clientes_substituir(struct request *req, struct response *res);
void handle_clientes_alterar(struct request *req, struct response *res);
void handle_clientes_desativar(struct request *req, struct response *res);
void handle_clientes_veiculos(struct request *req, struct response *res);

/* handlers_veiculos.c */
void handle_veiculos_criar(struct request *req, struct response *res);
void handle_veiculos_listar(struct request *req, struct response *res);
void handle_veiculos_obter(struct request *req, struct response *res);
void handle_veiculos_substituir(struct request *req, struct response *res);
void handle_veiculos_alterar(struct request *req, struct response *res);
void handle_veiculos_desativar(struct request *req, struct response *res);

/* @catalogo-estoque: handlers_servicos.c, handlers_pecas.c */
/* @ordens: handlers_ordens.c, handlers_webhook.c */
/* @acesso: handlers_relatorios.c and the customer login */

#endif
