DROP INDEX clientes_sessoes_desde;
CREATE INDEX clientes_sessoes_recusadas ON clientes (uuid)
	WHERE NOT ativo OR sessoes_desde IS NOT NULL;
