/* A struct app wired with the in-memory adapters and fakes (tests/fakes). */
#include "tests/fakes/fake_app.h"

#include "tests/fakes/fake_unavailable.h"

#include <stdlib.h>
#include <string.h>

void fake_app_init(struct fake_app *f)
{
	memset(f, 0, sizeof *f);
	fake_clock_set(FAKE_CLOCK_PADRAO);

	mem_transaction_init(&f->tx);
	mem_cliente_repo_init(&f->clientes, &f->tx, fake_clock_now);
	mem_veiculo_repo_init(&f->veiculos, &f->tx, &f->clientes, fake_clock_now);
	mem_usuario_repo_init(&f->usuarios, &f->tx, fake_clock_now);
	mem_event_outbox_init(&f->eventos, &f->tx);
	mem_catalogo_init(&f->catalogo, &f->tx, fake_clock_now);
	mem_ordem_repo_init(&f->ordens, &f->tx, &f->catalogo, &f->clientes, &f->veiculos,
	                    fake_clock_now);
	fake_password_hasher_init(&f->senhas);
	fake_token_service_init(&f->tokens, fake_clock_now);
	mem_login_tentativas_init(&f->login_tentativas, fake_clock_now);

	mem_transaction_port(&f->tx, &f->app.tx);
	mem_cliente_repo_port(&f->clientes, &f->app.clientes);
	mem_veiculo_repo_port(&f->veiculos, &f->app.veiculos);
	mem_usuario_repo_port(&f->usuarios, &f->app.usuarios);
	mem_event_outbox_port(&f->eventos, &f->app.eventos);
	mem_catalogo_ports(&f->catalogo, &f->app);
	mem_ordem_repo_ports(&f->ordens, &f->app);
	fake_unavailable_ports(&f->app);
	fake_password_hasher_port(&f->senhas, &f->app.senhas);
	fake_token_service_port(&f->tokens, &f->app.tokens);
	mem_login_tentativas_port(&f->login_tentativas, &f->app.login_tentativas);
	f->app.cliente_login = (struct cliente_login_regras){
	    .modo = CLIENTE_LOGIN_CPF_PLACA,
	    .max_falhas = CLIENTE_LOGIN_MAX_FALHAS_PADRAO,
	    .bloqueio_s = CLIENTE_LOGIN_BLOQUEIO_S_PADRAO,
	};
	f->app.agora = fake_clock_now;
}

void fake_app_cleanup(struct fake_app *f)
{
	if (!f)
		return;
	mem_login_tentativas_cleanup(&f->login_tentativas);
	mem_ordem_repo_cleanup(&f->ordens);
	mem_catalogo_cleanup(&f->catalogo);
	mem_event_outbox_cleanup(&f->eventos);
	mem_usuario_repo_cleanup(&f->usuarios);
	mem_veiculo_repo_cleanup(&f->veiculos);
	mem_cliente_repo_cleanup(&f->clientes);
}

int fake_app_setup(void **state)
{
	struct fake_app *f = malloc(sizeof *f);

	if (!f)
		return -1;
	fake_app_init(f);
	*state = f;
	return 0;
}

int fake_app_teardown(void **state)
{
	fake_app_cleanup(*state);
	free(*state);
	return 0;
}
