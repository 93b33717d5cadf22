DROP INDEX clientes_sessoes_recusadas;
ALTER TABLE clientes DROP COLUMN sessoes_desde;
ALTER TABLE usuarios DROP COLUMN sessoes_desde;
