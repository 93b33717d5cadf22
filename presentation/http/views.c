/* Entities rendered as JSON objects (presentation layer). */
#include "presentation/http/views.h"

/* A string, or null for "" (an optional value that is absent). */
static json_t *text_or_null(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

json_t *view_cliente(const struct cliente *c)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:s, s:s}", "uuid", c->uuid.str,
			 "nome", c->nome, "documento", c->documento, "tipo_documento",
			 tipo_documento_nome(c->tipo_documento), "email", text_or_null(c->email),
			 "telefone", text_or_null(c->telefone), "ativo", c->ativo, "criado_em",
			 c->criado_em, "atualizado_em", c->atualizado_em);
}

json_t *view_veiculo(const struct veiculo *v)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:b, s:s, s:s}", "uuid", v->uuid.str,
			 "cliente_uuid", v->cliente_uuid.str, "placa", v->placa, "marca", v->marca,
			 "modelo", v->modelo, "ano", v->ano, "cor", text_or_null(v->cor), "ativo",
			 v->ativo, "criado_em", v->criado_em, "atualizado_em", v->atualizado_em);
}

json_t *view_usuario(const struct usuario *u)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "uuid", u->uuid.str, "nome",
			 u->nome, "email", u->email, "perfil", perfil_nome(u->perfil), "ativo",
			 u->ativo, "criado_em", u->criado_em, "atualizado_em", u->atualizado_em);
}
