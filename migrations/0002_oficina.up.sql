-- The workshop: service catalogue, parts and supplies with a stock ledger, service orders with
-- their items, budget and status history, and the idempotency keys of retried POSTs.
-- Money is whole centavos (bigint); never floating point.

CREATE TABLE servicos (
	uuid                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	nome                   text NOT NULL,
	descricao              text,
	valor_centavos         bigint NOT NULL CHECK (valor_centavos >= 0),
	tempo_estimado_minutos integer CHECK (tempo_estimado_minutos > 0),
	ativo                  boolean NOT NULL DEFAULT true,
	criado_em              timestamptz NOT NULL DEFAULT now(),
	atualizado_em          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX servicos_criado_em ON servicos (criado_em, uuid);

CREATE TABLE pecas (
	uuid               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	nome               text NOT NULL,
	codigo             text,
	tipo               text NOT NULL CHECK (tipo IN ('PECA', 'INSUMO')),
	valor_centavos     bigint NOT NULL CHECK (valor_centavos >= 0),
	-- The balance, kept in the same transaction as every movement: always their sum, never < 0.
	quantidade_estoque integer NOT NULL DEFAULT 0 CHECK (quantidade_estoque >= 0),
	estoque_minimo     integer NOT NULL DEFAULT 0 CHECK (estoque_minimo >= 0),
	ativo              boolean NOT NULL DEFAULT true,
	criado_em          timestamptz NOT NULL DEFAULT now(),
	atualizado_em      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX pecas_codigo_key ON pecas (upper(codigo)) WHERE codigo IS NOT NULL;
CREATE INDEX pecas_criado_em ON pecas (criado_em, uuid);

CREATE SEQUENCE ordens_numero_seq;

CREATE TABLE ordens (
	uuid                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	numero                  text NOT NULL UNIQUE, -- OS-YYYY-NNNNNN
	cliente_uuid            uuid NOT NULL REFERENCES clientes (uuid),
	veiculo_uuid            uuid NOT NULL REFERENCES veiculos (uuid),
	status                  text NOT NULL CHECK (status IN ('RECEBIDA', 'EM_DIAGNOSTICO',
	                            'AGUARDANDO_APROVACAO', 'EM_EXECUCAO', 'FINALIZADA', 'ENTREGUE',
	                            'CANCELADA')),
	descricao               text,
	-- The budget, computed and frozen when the order goes to AGUARDANDO_APROVACAO.
	valor_servicos_centavos bigint,
	valor_pecas_centavos    bigint,
	valor_total_centavos    bigint,
	orcamento_gerado_em     timestamptz,
	orcamento_decidido_em   timestamptz,
	orcamento_decisao       text CHECK (orcamento_decisao IN ('APROVADO', 'REPROVADO')),
	criada_em               timestamptz NOT NULL DEFAULT now(),
	atualizada_em           timestamptz NOT NULL DEFAULT now()
);
-- The open queue: by state, oldest first.
CREATE INDEX ordens_fila ON ordens (status, criada_em, uuid);
CREATE INDEX ordens_cliente ON ordens (cliente_uuid, criada_em);
CREATE INDEX ordens_veiculo ON ordens (veiculo_uuid, criada_em);

CREATE TABLE ordem_servicos (
	uuid                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	ordem_uuid              uuid NOT NULL REFERENCES ordens (uuid) ON DELETE CASCADE,
	servico_uuid            uuid NOT NULL REFERENCES servicos (uuid),
	nome                    text NOT NULL,   -- copied from the catalogue when added
	quantidade              integer NOT NULL CHECK (quantidade > 0),
	valor_unitario_centavos bigint NOT NULL, -- copied from the catalogue when added
	criado_em               timestamptz NOT NULL DEFAULT now(),
	UNIQUE (ordem_uuid, servico_uuid)
);

CREATE TABLE ordem_pecas (
	uuid                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	ordem_uuid              uuid NOT NULL REFERENCES ordens (uuid) ON DELETE CASCADE,
	peca_uuid               uuid NOT NULL REFERENCES pecas (uuid),
	nome                    text NOT NULL,
	quantidade              integer NOT NULL CHECK (quantidade > 0),
	valor_unitario_centavos bigint NOT NULL,
	criado_em               timestamptz NOT NULL DEFAULT now(),
	UNIQUE (ordem_uuid, peca_uuid)
);

-- One row per state an order entered: who, when, and the request that did it.
CREATE TABLE ordem_historico (
	id             bigserial PRIMARY KEY,
	ordem_uuid     uuid NOT NULL REFERENCES ordens (uuid) ON DELETE CASCADE,
	status         text NOT NULL,
	em             timestamptz NOT NULL DEFAULT clock_timestamp(),
	por            text,            -- user or customer uuid, or "webhook"
	perfil         text,            -- role of who did it
	correlation_id text
);
CREATE INDEX ordem_historico_ordem ON ordem_historico (ordem_uuid, id);
CREATE INDEX ordem_historico_em ON ordem_historico (status, em);

-- The stock ledger: every change of a part's balance is a row; saldo is the balance after it.
CREATE TABLE movimentos_estoque (
	uuid           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	peca_uuid      uuid NOT NULL REFERENCES pecas (uuid),
	quantidade     integer NOT NULL CHECK (quantidade <> 0),
	motivo         text NOT NULL,
	saldo          integer NOT NULL CHECK (saldo >= 0),
	ordem_uuid     uuid REFERENCES ordens (uuid),
	correlation_id text,
	criado_em      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX movimentos_estoque_peca ON movimentos_estoque (peca_uuid, criado_em DESC);

-- Answers of POSTs sent with an Idempotency-Key, kept 24 hours.
CREATE TABLE idempotency_keys (
	escopo       text NOT NULL,        -- who and where: subject + method + path
	chave        text NOT NULL,        -- the client's Idempotency-Key
	request_hash text NOT NULL,        -- SHA-256 of the body
	status       integer,              -- NULL while the first request is still running
	resposta     text,
	location     text,
	criado_em    timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (escopo, chave)
);
CREATE INDEX idempotency_keys_criado_em ON idempotency_keys (criado_em);
