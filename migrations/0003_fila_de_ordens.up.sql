-- The open queue sorts by a fixed state order, then oldest first (pg_ordem_consultas.c). An index
-- on exactly that expression lets GET /api/ordens read its page in order and stop after it,
-- instead of sorting every order. The open states come first in the order, so the scan starts
-- with them.
CREATE INDEX ordens_fila_ordem ON ordens (
	array_position('{EM_EXECUCAO,AGUARDANDO_APROVACAO,EM_DIAGNOSTICO,RECEBIDA,FINALIZADA,ENTREGUE,CANCELADA}'::text[], status),
	criada_em, uuid);
-- volume-diario counts the orders opened on each day of a period.
CREATE INDEX ordens_criada_em ON ordens (criada_em);
