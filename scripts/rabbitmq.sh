#!/usr/bin/env bash
# A private RabbitMQ node for make run and make test.
#
#   scripts/rabbitmq.sh start DIR PORT   start a node whose every file lives in DIR (config, mnesia,
#                                        logs, Erlang cookie), AMQP on 127.0.0.1:PORT only, named
#                                        oficina-PORT@localhost, with its own epmd and distribution
#                                        ports and no plugin; waits until it speaks AMQP and prints
#                                        its URL
#   scripts/rabbitmq.sh stop DIR         stop the node and its epmd, and wait until they are gone
#                                        (nothing to do when it is not running)
#   scripts/rabbitmq.sh ctl DIR ARGS...  rabbitmqctl ARGS against the node of DIR, e.g.
#                                        `ctl DIR list_queues name messages` or `ctl DIR purge_queue Q`
#   scripts/rabbitmq.sh free-port        print a TCP port nobody listens on
#
# stop DIR then start DIR PORT (the same PORT) brings the same node back, with its durable queues and
# persistent messages: broker outage tests do that. DIR/node.env holds the node's environment, one
# VAR=value a line, for env(1): rabbitmqctl needs it (HOME, for the cookie, and ERL_EPMD_PORT above
# all), run as the node's owner. As root the node belongs to the "rabbitmq" user, as PostgreSQL's
# cluster belongs to "postgres" in pg.sh; otherwise to the caller. The user "guest" (password guest)
# may connect from loopback: the node is private and throw-away.
set -euo pipefail
bin=/usr/lib/rabbitmq/bin
[ -x "$bin/rabbitmq-server" ] || { echo "rabbitmq.sh: rabbitmq-server not found (run scripts/deps.sh)" >&2; exit 1; }

. "$(dirname "$0")/ports.sh" # free_port, port_is_free

# Runs a command as the node's owner in the node's environment (DIR/node.env). runuser resets HOME,
# where Erlang finds its cookie, hence env.
as_node() {
	local vars
	mapfile -t vars <"$dir/node.env"
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u rabbitmq -- env "${vars[@]}" "$@"
	else
		env "${vars[@]}" "$@"
	fi
}

# The processes (beam.smp, epmd, rabbitmqctl) started in the node's environment: node.env marks them
# with OFICINA_RABBITMQ_DIR, so stop finds them even without a pid file and never touches another
# node or the system's epmd. Prints "PID COMMAND" lines.
node_procs() {
	local f p comm
	# One grep for every process (a zombie's environment is empty: it is gone).
	while read -r f; do
		p=${f%/environ}
		read -r comm 2>/dev/null <"$p/comm" && echo "${p#/proc/} $comm"
	done < <(grep -lsxzF "OFICINA_RABBITMQ_DIR=$dir" /proc/[0-9]*/environ)
	return 0
}

# Sends SIGNAL to the node's processes named NAME and waits up to SECONDS for them to be gone.
# Returns non-zero when some are left.
end_procs() {
	local name=$1 signal=$2 seconds=$3 pids
	pids=$(node_procs | awk -v n="$name" '$2 == n { print $1 }')
	[ -n "$pids" ] || return 0
	# shellcheck disable=SC2086
	kill "-$signal" $pids 2>/dev/null || true
	for _ in $(seq 1 $((seconds * 10))); do
		node_procs | awk -v n="$name" '$2 == n { found = 1 } END { exit !found }' || return 0
		sleep 0.1
	done
	return 1
}

# True when 127.0.0.1:PORT answers the AMQP 0-9-1 protocol header with a frame (connection.start).
speaks_amqp() {
	local first
	first=$( (
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf 'AMQP\0\0\11\1' >&3
		timeout 2 head -c 1 <&3 | od -An -tx1
	) 2>/dev/null) || return 1
	[ "${first// /}" = 01 ]
}

# Writes the node's files in DIR: the environment (node.env), an rabbitmq-env.conf that replaces
# /etc/rabbitmq/rabbitmq-env.conf, the config, no plugin, the cookie.
write_node_files() {
	local port=$1 dist=$2 epmd=$3
	mkdir -p "$dir/mnesia" "$dir/log" "$dir/conf.d"
	cat >"$dir/node.env" <<-EOF
		OFICINA_RABBITMQ_DIR=$dir
		HOME=$dir
		RABBITMQ_NODENAME=oficina-$port@localhost
		RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
		RABBITMQ_NODE_PORT=$port
		RABBITMQ_DIST_PORT=$dist
		ERL_EPMD_PORT=$epmd
		ERL_EPMD_ADDRESS=127.0.0.1
		RABBITMQ_CONF_ENV_FILE=$dir/rabbitmq-env.conf
		RABBITMQ_CONFIG_FILE=$dir/rabbitmq.conf
		RABBITMQ_CONFIG_FILES=$dir/conf.d
		RABBITMQ_ADVANCED_CONFIG_FILE=$dir/advanced.config
		RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
		RABBITMQ_MNESIA_BASE=$dir/mnesia
		RABBITMQ_LOG_BASE=$dir/log
		RABBITMQ_PID_FILE=$dir/rabbitmq.pid
		RABBITMQ_MOTD_FILE=$dir/motd
		ERL_CRASH_DUMP=$dir/erl_crash.dump
	EOF
	# The Erlang distribution listens on 127.0.0.1 only, like epmd (ERL_EPMD_ADDRESS).
	echo 'SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"' >"$dir/rabbitmq-env.conf"
	printf 'log.console = false\nlog.file.level = info\n' >"$dir/rabbitmq.conf"
	echo '[].' >"$dir/enabled_plugins"
	if [ ! -f "$dir/.erlang.cookie" ]; then
		(umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/.erlang.cookie")
		chmod 400 "$dir/.erlang.cookie"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		chown -R rabbitmq: "$dir"
		# rabbitmq must be able to reach the directory through its parents.
		local p
		p=$(dirname "$dir")
		while [ "$p" != / ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
	fi
}

# Prints the node's log tails (start failed).
log_tail() {
	tail -n 20 "$dir/log/startup.log" "$log" >&2 2>/dev/null || true
}

case "${1:-}" in
start)
	[ $# -eq 3 ] || { echo "usage: scripts/rabbitmq.sh start DIR PORT" >&2; exit 2; }
	port=$3
	mkdir -p "$2"
	chmod 700 "$2"
	dir=$(cd "$2" && pwd)
	if node_procs | awk '$2 == "beam.smp" { found = 1 } END { exit !found }'; then
		echo "rabbitmq.sh: a node is already running in $dir" >&2
		exit 1
	fi
	# A restart on the same PORT keeps the epmd and distribution ports, when still free, so the
	# environment a test read from node.env stays right.
	dist="" epmd=""
	if [ -f "$dir/node.env" ] && grep -qx "RABBITMQ_NODE_PORT=$port" "$dir/node.env"; then
		dist=$(sed -n 's/^RABBITMQ_DIST_PORT=//p' "$dir/node.env")
		epmd=$(sed -n 's/^ERL_EPMD_PORT=//p' "$dir/node.env")
		port_is_free "$dist" || dist=""
		port_is_free "$epmd" || epmd=""
	fi
	while [ -z "$dist" ] || [ "$dist" = "$port" ] || [ "$dist" = "$epmd" ]; do dist=$(free_port); done
	while [ -z "$epmd" ] || [ "$epmd" = "$port" ] || [ "$epmd" = "$dist" ]; do epmd=$(free_port); done
	write_node_files "$port" "$dist" "$epmd"

	# Detached (own session) like pg_ctl's server: the caller's Ctrl-C does not reach it, stop does.
	# The log outlives restarts: only what this start appends to it counts.
	log=$dir/log/oficina-$port@localhost.log
	seen=$(stat -c %s "$log" 2>/dev/null || echo 0)
	(cd "$dir" && as_node setsid "$bin/rabbitmq-server") >"$dir/log/startup.log" 2>&1 </dev/null &
	launcher=$!
	started=$(date +%s) ready=""
	while [ $(($(date +%s) - started)) -lt 60 ] && kill -0 "$launcher" 2>/dev/null; do
		if tail -c "+$((seen + 1))" "$log" 2>/dev/null | grep -F "started TCP listener on 127.0.0.1:$port" >/dev/null &&
			speaks_amqp "$port"; then
			ready=1
			break
		fi
		sleep 0.2
	done
	if [ -z "$ready" ]; then
		echo "rabbitmq.sh: the node in $dir did not start on 127.0.0.1:$port" >&2
		log_tail
		"$0" stop "$dir" || true
		exit 1
	fi
	echo "amqp://guest:guest@127.0.0.1:$port/%2f"
	;;
stop)
	[ $# -eq 2 ] || { echo "usage: scripts/rabbitmq.sh stop DIR" >&2; exit 2; }
	[ -d "$2" ] || exit 0
	dir=$(cd "$2" && pwd)
	# SIGTERM: the node shuts down cleanly (durable queues and persistent messages are on disk).
	end_procs beam.smp TERM 60 || end_procs beam.smp KILL 10 || true
	if node_procs | awk '$2 == "epmd" { found = 1 } END { exit !found }'; then
		as_node epmd -kill >/dev/null 2>&1 || true
		end_procs epmd TERM 10 || end_procs epmd KILL 5 || true
	fi
	;;
ctl)
	[ $# -ge 2 ] || { echo "usage: scripts/rabbitmq.sh ctl DIR ARGS..." >&2; exit 2; }
	dir=$(cd "$2" && pwd)
	shift 2
	[ -f "$dir/node.env" ] || { echo "rabbitmq.sh: no node in $dir" >&2; exit 1; }
	cd "$dir"
	as_node "$bin/rabbitmqctl" "$@"
	;;
free-port)
	free_port
	;;
*)
	echo "usage: scripts/rabbitmq.sh start DIR PORT | stop DIR | ctl DIR ARGS... | free-port" >&2
	exit 2
	;;
esac
