#!/usr/bin/env bash
# A private SMTP server for make run and make test that delivers nothing: every message it accepts
# becomes one file in DIR/maildir/new/ (a Maildir), whatever its sender and recipients.
#
#   scripts/smtp-sink.sh start DIR PORT   start it on 127.0.0.1:PORT (no TLS, no authentication),
#                                         wait until it greets, print its URL (smtp://127.0.0.1:PORT)
#   scripts/smtp-sink.sh stop DIR         stop it (nothing to do when it is not running)
#   scripts/smtp-sink.sh free-port        print a TCP port nobody listens on
#
# It is aiosmtpd's Mailbox handler (Debian's python3-aiosmtpd), run by Debian's /usr/bin/python3:
# the python3 first in PATH may be another one, without the module. Its pid is DIR/smtp.pid, its
# output DIR/smtp.log. It runs as the caller.
set -euo pipefail
python=/usr/bin/python3
"$python" -c 'import aiosmtpd' 2>/dev/null ||
	{ echo "smtp-sink.sh: python3-aiosmtpd not found (run scripts/deps.sh)" >&2; exit 1; }

. "$(dirname "$0")/ports.sh" # free_port, port_is_free

# True when 127.0.0.1:PORT greets like an SMTP server (220 ...).
greets() {
	local line
	line=$( (
		exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		timeout 2 head -n 1 <&3
	) 2>/dev/null) || return 1
	[ "${line:0:4}" = "220 " ]
}

# Prints the pid of DIR's server when it runs (the pid file names a live aiosmtpd serving DIR).
running_pid() {
	local pid cmd
	pid=$(cat "$dir/smtp.pid" 2>/dev/null) || return 1
	# A zombie has no command line.
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	[[ $cmd == *aiosmtpd*" $dir/maildir "* ]] || return 1
	echo "$pid"
}

case "${1:-}" in
start)
	[ $# -eq 3 ] || { echo "usage: scripts/smtp-sink.sh start DIR PORT" >&2; exit 2; }
	port=$3
	mkdir -p "$2"
	dir=$(cd "$2" && pwd)
	if running_pid >/dev/null; then
		echo "smtp-sink.sh: a server is already running in $dir" >&2
		exit 1
	fi
	mkdir -p "$dir/maildir/new" "$dir/maildir/cur" "$dir/maildir/tmp"
	# Detached (own session): the caller's Ctrl-C does not reach it, stop does.
	setsid "$python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" \
		>"$dir/smtp.log" 2>&1 </dev/null &
	pid=$!
	echo "$pid" >"$dir/smtp.pid"
	ready=""
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		if greets "$port" && kill -0 "$pid" 2>/dev/null; then
			ready=1
			break
		fi
		sleep 0.1
	done
	if [ -z "$ready" ]; then
		echo "smtp-sink.sh: the server in $dir did not start on 127.0.0.1:$port" >&2
		tail -n 20 "$dir/smtp.log" >&2 || true
		kill -KILL "$pid" 2>/dev/null || true
		rm -f "$dir/smtp.pid"
		exit 1
	fi
	echo "smtp://127.0.0.1:$port"
	;;
stop)
	[ $# -eq 2 ] || { echo "usage: scripts/smtp-sink.sh stop DIR" >&2; exit 2; }
	[ -d "$2" ] || exit 0
	dir=$(cd "$2" && pwd)
	if pid=$(running_pid); then
		kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do
			running_pid >/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$dir/smtp.pid"
	;;
free-port)
	free_port
	;;
*)
	echo "usage: scripts/smtp-sink.sh start DIR PORT | stop DIR | free-port" >&2
	exit 2
	;;
esac
