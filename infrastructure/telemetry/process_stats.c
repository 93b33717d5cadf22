/* process_* and oficina_build_info from /proc/self (see process_stats.h). */
#include "infrastructure/telemetry/process_stats.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#ifndef OFICINA_VERSION
#error "OFICINA_VERSION comes from the VERSION file, through the Makefile"
#endif

/* The figures of /proc/self/stat this needs (proc(5)); false when it cannot be read. */
struct self_stat {
	unsigned long utime, stime; /* clock ticks in user and kernel mode */
	long threads;
	unsigned long long starttime; /* clock ticks after boot */
	unsigned long vsize;          /* bytes */
	long rss;                     /* pages */
};

static bool read_self_stat(struct self_stat *st)
{
	char buf[1024];
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The command name (field 2) may hold spaces and parentheses: parse after its last ')'. */
	const char *p = strrchr(buf, ')');
	return p &&
	       sscanf(p + 1,
	              " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %ld"
	              " %*d %llu %lu %ld",
	              &st->utime, &st->stime, &st->threads, &st->starttime, &st->vsize,
	              &st->rss) == 6;
}

/* Seconds since the epoch at which the machine booted (btime of /proc/stat); 0 when unknown. */
static long boot_time(void)
{
	char line[256];
	long btime = 0;
	FILE *f = fopen("/proc/stat", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "btime %ld", &btime) == 1)
			break;
	fclose(f);
	return btime;
}

/* Open file descriptors, without the one this count itself opens; -1 when unknown. */
static long open_fds(void)
{
	long n = -1;
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

void process_stats_render(struct strbuf *out)
{
	struct self_stat st;
	struct rlimit lim;
	long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE), fds = open_fds();
	long btime = boot_time();

	if (tick > 0 && page > 0 && read_self_stat(&st)) {
		strbuf_metric_counter(out, "process_cpu_seconds_total",
		                      "User and system CPU time spent, in seconds.",
		                      (double)(st.utime + st.stime) / (double)tick);
		strbuf_metric_gauge(out, "process_resident_memory_bytes",
		                    "Resident memory size in bytes.",
		                    (double)st.rss * (double)page);
		strbuf_metric_gauge(out, "process_virtual_memory_bytes",
		                    "Virtual memory size in bytes.", (double)st.vsize);
		strbuf_metric_gauge(out, "process_threads", "Threads of the process.",
		                    (double)st.threads);
		if (btime > 0)
			strbuf_metric_gauge(
			    out, "process_start_time_seconds",
			    "Start time of the process since the epoch, in seconds.",
			    (double)btime + (double)st.starttime / (double)tick);
	}
	if (fds >= 0)
		strbuf_metric_gauge(out, "process_open_fds", "Open file descriptors.", (double)fds);
	if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
		strbuf_metric_gauge(out, "process_max_fds", "The limit of open file descriptors.",
		                    (double)lim.rlim_cur);
	strbuf_printf(out,
	              "# HELP oficina_build_info The running binary's version; always 1.\n"
	              "# TYPE oficina_build_info gauge\n"
	              "oficina_build_info{version=\"%s\"} 1\n",
	              OFICINA_VERSION);
}
