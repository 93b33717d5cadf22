# Sourced by scripts/bench.sh and scripts/bench-limit.sh (not run alone): the pieces both need to
# stand a server up on their private PostgreSQL. The caller sets $build (the build directory) and
# $jwt_secret.

# A server in its default configuration. Sets the variable named $1 to its pid; fails (with the
# log's tail on stderr) when it does not answer /health/ready within 10 s.
start_server() { # pid variable, port, DATABASE_URL, log file
	env -i PATH="$PATH" DATABASE_URL="$3" PORT="$2" JWT_SECRET="$jwt_secret" APP_ENV=production \
		"$build/oficina" serve >"$4" 2>&1 &
	local pid=$!
	printf -v "$1" %s "$pid"
	for _ in $(seq 1 100); do
		curl -fs "http://127.0.0.1:$2/health/ready" >/dev/null 2>&1 && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "the server on port $2 did not become ready; its log ends with:" >&2
	tail -n 20 "$4" >&2
	return 1
}

login() { # port, email, password: prints the token, nothing when the login failed
	curl -fs "http://127.0.0.1:$1/api/auth/login" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$2\",\"senha\":\"$3\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p' || true
}

# Migrates the database and seeds n customers with deterministic ids (md5 of the row number, so
# that pgbench picks the same random rows as wrk), then the staff user bench@example.com
# (atendente, password senha-do-bench).
seed_clientes() { # DATABASE_URL, n
	DATABASE_URL=$1 "$build/oficina" migrate up >/dev/null
	psql -q -v ON_ERROR_STOP=1 "$1" >/dev/null <<SQL
INSERT INTO clientes (uuid, nome, documento, tipo_documento, email)
	SELECT md5(i::text)::uuid, 'Cliente ' || i, lpad(i::text, 11, '0'), 'CPF', 'c' || i || '@example.com'
	FROM generate_series(1, $2) i;
SQL
	echo 'senha-do-bench' | DATABASE_URL=$1 "$build/oficina" usuario criar --nome Bench \
		--email bench@example.com --perfil atendente >/dev/null
}
