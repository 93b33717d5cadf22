DROP INDEX IF EXISTS ordens_criada_em;
DROP INDEX IF EXISTS ordens_fila_ordem;
