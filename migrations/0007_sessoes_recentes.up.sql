-- The session registry lists a customer only while a refusal can still matter (README: "Sessions
-- and revocation"). Tokens live at most 24 h (JWT_TTL_SECONDS' maximum), and a customer logged
-- out or deactivated more than 24 h ago holds no token the registry would refuse: those issued
-- before sessoes_desde have expired, and an inactive customer cannot log in. Read every few
-- seconds by every server, the list grew with every customer who ever logged out.
--
-- A deactivation now sets sessoes_desde as a logout does; the customers deactivated before it get
-- theirs from atualizado_em (their last change, no earlier than the deactivation), so that one
-- column says when each refusal began — also those who had logged out before being deactivated,
-- whose sessoes_desde says the logout, older than the deactivation. (down keeps these dates: they
-- refuse no token the old registry, which lists every inactive customer, would accept.)
UPDATE clientes SET sessoes_desde = greatest(sessoes_desde, date_trunc('second', atualizado_em))
	WHERE NOT ativo;
DROP INDEX clientes_sessoes_recusadas;
CREATE INDEX clientes_sessoes_desde ON clientes (sessoes_desde) WHERE sessoes_desde IS NOT NULL;
