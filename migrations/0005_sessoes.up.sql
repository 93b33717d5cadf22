-- Tokens that do not outlive their account (README: "Sessions and revocation"). A logout sets
-- sessoes_desde to the current whole second: the account's tokens issued before it (by their iat,
-- whole seconds) are refused; one issued in that very second stands. The server reads every staff
-- user and the customers with something against them (deactivated, or logged out) every few
-- seconds into its session registry; the partial index serves the customers' part.
ALTER TABLE usuarios ADD COLUMN sessoes_desde timestamptz;
ALTER TABLE clientes ADD COLUMN sessoes_desde timestamptz;
CREATE INDEX clientes_sessoes_recusadas ON clientes (uuid)
	WHERE NOT ativo OR sessoes_desde IS NOT NULL;
