-- Events leave the database (README: "Events"). The relay (oficina relay) publishes unpublished
-- events to RabbitMQ in id order and then sets publicado_em; a NOTIFY on every insert wakes it at
-- once instead of making it poll. The notifier (oficina notificar) records each message it has
-- handled, so a message delivered twice sends one e-mail.

-- One NOTIFY per inserting statement; PostgreSQL folds identical notifications of a transaction
-- into one and delivers it at commit, so a listener never sees an event before it is visible.
CREATE FUNCTION eventos_notificar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('eventos_novos', '');
	RETURN NULL;
END $$;
CREATE TRIGGER eventos_notificar AFTER INSERT ON eventos
	FOR EACH STATEMENT EXECUTE FUNCTION eventos_notificar();

-- Retention (oficina manutencao) deletes published events by age.
CREATE INDEX eventos_publicados ON eventos (publicado_em) WHERE publicado_em IS NOT NULL;

-- Messages a consumer has handled (its idempotency record), kept EVENTOS_RETENCAO_DIAS.
CREATE TABLE mensagens_processadas (
	consumidor    text NOT NULL,
	message_id    uuid NOT NULL,
	resultado     text NOT NULL, -- enviado | sem_email | ignorado
	processado_em timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (consumidor, message_id)
);
CREATE INDEX mensagens_processadas_em ON mensagens_processadas (processado_em);
