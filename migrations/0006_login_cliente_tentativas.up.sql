-- The customers' login attempts, counted per CPF (README: "Customers: login by CPF and plate").
-- Each attempt adds one to its CPF's row before anything is checked; a success deletes the row;
-- past CLIENTE_LOGIN_MAX_FALHAS in one window the CPF is refused until janela_fim, whatever the
-- client's address or pod. The CPF is kept as the SHA-256 of its 11 digits, never the digits:
-- most CPFs tried are nobody's customer (LGPD). A CPF has only ~10^9 valid values, so the hash
-- is pseudonymous, not anonymous; a row lives only until its window ends (then it means nothing
-- and `oficina manutencao` deletes it).
CREATE TABLE login_cliente_tentativas (
	cpf_hash   bytea PRIMARY KEY,    -- sha256 of the CPF's digits
	tentativas integer NOT NULL,     -- attempts of this window not followed by a success
	janela_fim timestamptz NOT NULL  -- when the window, and so a lockout, ends
);
CREATE INDEX login_cliente_tentativas_janela_fim ON login_cliente_tentativas (janela_fim);
