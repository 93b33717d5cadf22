# Free TCP ports on loopback, for the private servers of make run, make test and make bench
# (sourced by pg.sh, rabbitmq.sh and smtp-sink.sh; not run on its own).

# True when nothing listens on 127.0.0.1:PORT.
port_is_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a port nobody listens on, below Linux's ephemeral range (32768+), so that no outgoing
# connection can be holding it either.
free_port() {
	local port
	for _ in $(seq 1 200); do
		port=$((20000 + RANDOM % 12000))
		if port_is_free "$port"; then
			echo "$port"
			return 0
		fi
	done
	echo "$(basename "$0"): no free port found" >&2
	return 1
}
