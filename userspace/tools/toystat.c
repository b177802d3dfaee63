// SPDX-License-Identifier: GPL-2.0
/*
 * toystat: an ss(8)-like view of AF_TOY sockets and protocol counters.
 *
 *	toystat                      connections (everything but listeners)
 *	toystat -l                   listeners
 *	toystat -a state established connections in one state
 *	toystat -e dport 7000        more columns, one port
 *	toystat -s                   counters from /proc/net/toy_stats
 *	toystat -N toyA              in network namespace toyA
 *
 * /proc/net/toy is read by its header's column names, not by position, so
 * columns the module adds or moves later do not break it; a column that is
 * missing shows as "-".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toy.h"

#define MAX_COLS	64
#define MAX_ROWS	4096

static const char *proc_file = "/proc/net/toy";
static const char *stats_file = "/proc/net/toy_stats";

static void usage(FILE *f)
{
	fprintf(f,
"usage: toystat [options] [FILTER...]\n"
"       toystat -s [--nonzero]\n"
"\n"
"Show AF_TOY sockets from /proc/net/toy, like ss(8) shows TCP sockets.\n"
"Default: every socket except listeners.\n"
"  -a, --all          listeners too\n"
"  -l, --listening    only listeners\n"
"  -e, --extended     also sequence numbers, windows, rttvar, uid, inode\n"
"  -k, --keyvalue     one line per socket, every /proc column as name=value\n"
"  -H, --no-header    no header line\n"
"  -s, --summary      protocol counters (/proc/net/toy_stats) and sockets\n"
"                     per state\n"
"  -z, --nonzero      with -s: leave out counters that are 0\n"
"  -N, --net NAME     read the network namespace NAME (/run/netns/NAME)\n"
"  -n, --numeric      accepted for ss habits (addresses are always numeric)\n"
"      --proc FILE    read FILE instead of /proc/net/toy\n"
"      --stats FILE   read FILE instead of /proc/net/toy_stats\n"
"\n"
"FILTER words (all must match; a state list matches any of its states):\n"
"  state STATE        established, syn-sent, syn-recv, fin-wait-1,\n"
"                     fin-wait-2, time-wait, close, close-wait, last-ack,\n"
"                     listening, closing (or as /proc spells them,\n"
"                     e.g. TIME_WAIT); also all, connected (not listening\n"
"                     or closed), synchronized (connected, not syn-sent)\n"
"  exclude STATE      leave that state out\n"
"  sport PORT, dport PORT        local / remote port (\"= :7000\" is fine)\n"
"  src ADDR[:PORT], dst ADDR[:PORT]\n"
"\n"
"Columns: State; Recv-Q (bytes of whole messages waiting for recv());\n"
"Send-Q (bytes sent, not yet acknowledged); Local and Peer address:port;\n"
"RTT (smoothed round-trip time, ms); RTO (retransmission timeout, ms);\n"
"cwnd (congestion window, bytes); Retrans (segments sent again).\n");
}

/* ---- /proc/net/toy as a table of strings, addressed by column name --- */

struct table {
	int ncols;
	char *names[MAX_COLS];
	int nrows;
	char **rows[MAX_ROWS];	/* rows[r][c], NULL when the line was short */
};

static int split(char *line, char **out, int max)
{
	int n = 0;
	char *save, *tok;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\n", &save))
		out[n++] = tok;
	return n;
}

static int read_table(const char *path, struct table *t)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	if (!f) {
		fprintf(stderr, "toystat: %s: %s%s\n", path, strerror(errno),
			errno == ENOENT ? " (is the toy module loaded?)" : "");
		return -1;
	}
	if (getline(&line, &cap, f) < 0) {
		fprintf(stderr, "toystat: %s: empty (no header line)\n", path);
		fclose(f);
		return -1;
	}
	t->ncols = split(strdup(line), t->names, MAX_COLS);
	while (getline(&line, &cap, f) > 0 && t->nrows < MAX_ROWS) {
		char **row = calloc(t->ncols, sizeof(char *));
		char *fields[MAX_COLS];
		int n = split(strdup(line), fields, MAX_COLS);

		if (!n) {
			free(row);
			continue;
		}
		for (int i = 0; i < n && i < t->ncols; i++)
			row[i] = fields[i];
		t->rows[t->nrows++] = row;
	}
	free(line);
	fclose(f);
	return 0;
}

static int col(const struct table *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->names[i], name))
			return i;
	return -1;
}

/* The value of column name in row r, or NULL. */
static const char *get(const struct table *t, int r, const char *name)
{
	int c = col(t, name);

	return c < 0 ? NULL : t->rows[r][c];
}

static int get_ul(const struct table *t, int r, const char *name,
		  unsigned long *v)
{
	const char *s = get(t, r, name);
	char *end;

	if (!s)
		return -1;
	*v = strtoul(s, &end, 10);
	return *end ? -1 : 0;
}

/* ---- filters ---------------------------------------------------------- */

static unsigned int state_mask;		/* bit per TOY_* state; 0: default */
static unsigned int exclude_mask;
static int sport = -1, dport = -1;
static struct in_addr src_ip, dst_ip;
static int src_set, dst_set, src_port = -1, dst_port = -1;

#define BIT(s) (1u << (s))
#define ALL_STATES ((BIT(TOY_MAX_STATES) - 1) & ~1u)

static unsigned int parse_state(const char *s)
{
	static const struct { const char *name; unsigned int mask; } alias[] = {
		{ "all", ALL_STATES },
		{ "connected", ALL_STATES & ~(BIT(TOY_LISTEN) | BIT(TOY_CLOSE)) },
		{ "synchronized", ALL_STATES & ~(BIT(TOY_LISTEN) |
			BIT(TOY_CLOSE) | BIT(TOY_SYN_SENT)) },
		{ "bucket", BIT(TOY_SYN_RECV) | BIT(TOY_TIME_WAIT) },
		{ "big", ALL_STATES & ~(BIT(TOY_SYN_RECV) | BIT(TOY_TIME_WAIT)) },
		{ "listening", BIT(TOY_LISTEN) },
		{ "closed", BIT(TOY_CLOSE) },
		{ "fin-wait-1", BIT(TOY_FIN_WAIT1) },
		{ "fin-wait-2", BIT(TOY_FIN_WAIT2) },
	};
	char up[32];
	size_t i;
	int st;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (!strcasecmp(s, alias[i].name))
			return alias[i].mask;
	/* established, syn-sent, time-wait... or ESTABLISHED, TIME_WAIT... */
	for (i = 0; s[i] && i < sizeof(up) - 1; i++)
		up[i] = s[i] == '-' ? '_' : (s[i] >= 'a' && s[i] <= 'z' ?
					     s[i] - 'a' + 'A' : s[i]);
	up[i] = '\0';
	st = toy_state_from_name(up);
	if (st < 0) {
		fprintf(stderr, "toystat: unknown state \"%s\" (see toystat "
			"--help)\n", s);
		exit(2);
	}
	return BIT(st);
}

static int parse_port(const char *s)
{
	char *end;
	long v;

	if (*s == ':')
		s++;
	v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 65535) {
		fprintf(stderr, "toystat: bad port \"%s\"\n", s);
		exit(2);
	}
	return (int)v;
}

/* "10.0.0.2", "10.0.0.2:7000", ":7000" or "*:7000" */
static void parse_hostport(const char *s, struct in_addr *ip, int *set,
			   int *port)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);

	if (n >= sizeof(host)) {
		fprintf(stderr, "toystat: bad address \"%s\"\n", s);
		exit(2);
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (n && strcmp(host, "*")) {
		if (inet_pton(AF_INET, host, ip) != 1) {
			fprintf(stderr, "toystat: bad IPv4 address \"%s\"\n",
				host);
			exit(2);
		}
		*set = 1;
	}
	if (colon)
		*port = parse_port(colon + 1);
}

static void parse_filter(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i], *v;

		if (i + 1 < argc && !strcmp(argv[i + 1], "="))
			i++;	/* ss style "sport = :7000" */
		if (i + 1 >= argc) {
			fprintf(stderr, "toystat: \"%s\" needs a value\n", w);
			exit(2);
		}
		v = argv[++i];
		if (!strcmp(w, "state"))
			state_mask |= parse_state(v);
		else if (!strcmp(w, "exclude") || !strcmp(w, "excl"))
			exclude_mask |= parse_state(v);
		else if (!strcmp(w, "sport"))
			sport = parse_port(v);
		else if (!strcmp(w, "dport"))
			dport = parse_port(v);
		else if (!strcmp(w, "src"))
			parse_hostport(v, &src_ip, &src_set, &src_port);
		else if (!strcmp(w, "dst"))
			parse_hostport(v, &dst_ip, &dst_set, &dst_port);
		else {
			fprintf(stderr, "toystat: unknown filter \"%s\" (see "
				"toystat --help)\n", w);
			exit(2);
		}
	}
}

/* Split "a.b.c.d:port"; 0 or -1. */
static int split_addr(const char *s, struct in_addr *ip, int *port)
{
	struct sockaddr_toy a;

	if (!s || toy_addr_parse(s, &a) < 0)
		return -1;
	*ip = a.stoy_addr;
	*port = ntohs(a.stoy_port);
	return 0;
}

static int addr_matches(const char *s, int set, struct in_addr want, int port,
			int port2)
{
	struct in_addr ip;
	int p;

	if (!set && port < 0 && port2 < 0)
		return 1;
	if (split_addr(s, &ip, &p) < 0)
		return 0;
	if (set && ip.s_addr != want.s_addr)
		return 0;
	if (port >= 0 && p != port)
		return 0;
	if (port2 >= 0 && p != port2)
		return 0;
	return 1;
}

static int row_selected(const struct table *t, int r)
{
	const char *sname = get(t, r, "state");
	int st = sname ? toy_state_from_name(sname) : -1;
	unsigned int bit = st > 0 ? BIT(st) : 0;

	if (state_mask ? !(state_mask & bit) : 0)
		return 0;
	if (exclude_mask & bit)
		return 0;
	if (!addr_matches(get(t, r, "local"), src_set, src_ip, src_port,
			  sport))
		return 0;
	if (!addr_matches(get(t, r, "remote"), dst_set, dst_ip, dst_port,
			  dport))
		return 0;
	return 1;
}

/* ---- the socket table ------------------------------------------------ */

enum { C_STATE, C_RECVQ, C_SENDQ, C_LOCAL, C_PEER, C_RTT, C_RTO, C_CWND,
       C_RETRANS, C_RTTVAR, C_UNA, C_NXT, C_RNXT, C_SWND, C_RWND, C_UID,
       C_INODE, NCOLS };

static const struct {
	const char *title;	/* what toystat prints */
	const char *proc;	/* the /proc/net/toy column it comes from */
	int right;		/* right-aligned (numbers) */
	int extended;		/* only with -e */
	int us_to_ms;		/* microseconds shown as milliseconds */
} cols[NCOLS] = {
	[C_STATE]   = { "State", "state", 0, 0, 0 },
	[C_RECVQ]   = { "Recv-Q", "rx_queue", 1, 0, 0 },
	[C_SENDQ]   = { "Send-Q", "tx_queue", 1, 0, 0 },
	[C_LOCAL]   = { "Local Address:Port", "local", 0, 0, 0 },
	[C_PEER]    = { "Peer Address:Port", "remote", 0, 0, 0 },
	[C_RTT]     = { "RTT(ms)", "srtt_us", 1, 0, 1 },
	[C_RTO]     = { "RTO(ms)", "rto_us", 1, 0, 1 },
	[C_CWND]    = { "cwnd", "cwnd", 1, 0, 0 },
	[C_RETRANS] = { "Retrans", "retrans", 1, 0, 0 },
	[C_RTTVAR]  = { "RTTvar(ms)", "rttvar_us", 1, 1, 1 },
	[C_UNA]     = { "snd_una", "snd_una", 1, 1, 0 },
	[C_NXT]     = { "snd_nxt", "snd_nxt", 1, 1, 0 },
	[C_RNXT]    = { "rcv_nxt", "rcv_nxt", 1, 1, 0 },
	[C_SWND]    = { "snd_wnd", "snd_wnd", 1, 1, 0 },
	[C_RWND]    = { "rcv_wnd", "rcv_wnd", 1, 1, 0 },
	[C_UID]     = { "UID", "uid", 1, 1, 0 },
	[C_INODE]   = { "Inode", "inode", 1, 1, 0 },
};

static void cell(const struct table *t, int r, int c, char *buf, size_t len)
{
	const char *v = get(t, r, cols[c].proc);
	const char *st = get(t, r, "state");
	int listener = st && !strcmp(st, "LISTEN");

	if (!v) {
		snprintf(buf, len, "-");
		return;
	}
	if (cols[c].us_to_ms) {
		unsigned long us;

		/* a listener has no round trips to time */
		if (listener || get_ul(t, r, cols[c].proc, &us) < 0)
			snprintf(buf, len, "-");
		else if (us == 0 && c != C_RTO)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%lu.%lu", us / 1000,
				 us % 1000 / 100);
		return;
	}
	if (listener && (c == C_CWND || c == C_RETRANS || c == C_SWND ||
			 c == C_RWND || c == C_UNA || c == C_NXT ||
			 c == C_RNXT)) {
		snprintf(buf, len, "-");
		return;
	}
	if (c == C_PEER && listener && !strcmp(v, "0.0.0.0:0")) {
		snprintf(buf, len, "*:*");
		return;
	}
	snprintf(buf, len, "%s", v);
}

static int show_sockets(int listening, int all, int extended, int keyvalue,
			int header)
{
	struct table t;
	static char cells[MAX_ROWS][NCOLS][48];
	static int sel[MAX_ROWS];
	int width[NCOLS], nsel = 0;

	if (read_table(proc_file, &t) < 0)
		return 1;
	if (col(&t, "state") < 0) {
		fprintf(stderr, "toystat: %s has no \"state\" column; header "
			"is: ", proc_file);
		for (int i = 0; i < t.ncols; i++)
			fprintf(stderr, "%s ", t.names[i]);
		fprintf(stderr, "\n");
		return 1;
	}
	if (!state_mask) {
		if (listening)
			state_mask = BIT(TOY_LISTEN);
		else if (!all)
			exclude_mask |= BIT(TOY_LISTEN);
	}
	for (int r = 0; r < t.nrows; r++)
		if (row_selected(&t, r))
			sel[nsel++] = r;

	if (keyvalue) {
		for (int i = 0; i < nsel; i++) {
			for (int c = 0; c < t.ncols; c++)
				printf("%s%s=%s", c ? " " : "", t.names[c],
				       t.rows[sel[i]][c] ? t.rows[sel[i]][c] : "-");
			printf("\n");
		}
		return 0;
	}

	for (int c = 0; c < NCOLS; c++)
		width[c] = header ? (int)strlen(cols[c].title) : 1;
	for (int i = 0; i < nsel; i++)
		for (int c = 0; c < NCOLS; c++) {
			int w;

			cell(&t, sel[i], c, cells[i][c], sizeof(cells[i][c]));
			w = strlen(cells[i][c]);
			if (w > width[c])
				width[c] = w;
		}
	for (int i = header ? -1 : 0; i < nsel; i++) {
		int first = 1;

		for (int c = 0; c < NCOLS; c++) {
			const char *s = i < 0 ? cols[c].title : cells[i][c];

			if (cols[c].extended && !extended)
				continue;
			printf("%s%*s", first ? "" : "  ",
			       cols[c].right ? width[c] : -width[c], s);
			first = 0;
		}
		printf("\n");
	}
	return 0;
}

/* ---- counters ---------------------------------------------------------- */

static const struct { const char *name, *what; } counter_help[] = {
	{ "InSegs", "segments received" },
	{ "OutSegs", "segments sent, retransmissions included" },
	{ "RetransSegs", "segments sent again (timeout or fast retransmit)" },
	{ "FastRetrans", "fast retransmits: a hole reported by duplicate ACKs/SACK" },
	{ "Timeouts", "retransmission timer expiries (RTO)" },
	{ "DupSegs", "segments received that carried nothing new" },
	{ "OutOfOrder", "segments received ahead of a hole, kept for later" },
	{ "CsumErrors", "segments dropped: bad checksum" },
	{ "InHdrShort", "segments dropped: shorter than a header" },
	{ "InHdrBadLen", "segments dropped: bad header length" },
	{ "InHdrBadFlags", "segments dropped: impossible flag combination" },
	{ "InHdrBadOpt", "segments dropped: malformed option" },
	{ "InHdrUnknownOpt", "segments dropped: unknown option" },
	{ "NoPort", "segments for a port nobody uses (answered with RST)" },
	{ "OutRsts", "resets sent" },
	{ "InRsts", "resets received" },
	{ "ActiveOpens", "connect() handshakes started (SYN sent)" },
	{ "PassiveOpens", "handshakes answered by a listener (SYN received)" },
	{ "AttemptFails", "handshakes that failed" },
	{ "EstabResets", "established connections reset" },
	{ "ListenDrops", "SYNs dropped: the listener's backlog was full" },
	{ "RcvWndDrops", "segments dropped: outside the receive window" },
	{ "BadSegs", "segments dropped for other reasons" },
	{ "DelayedAcks", "ACKs sent by the delayed-ACK timer" },
	{ "WindowProbes", "zero-window probes sent" },
	{ "SackBlocksRecv", "SACK blocks received" },
	{ "InMsgs", "messages delivered to recv()" },
	{ "OutMsgs", "messages accepted by send()" },
	{ "ConnTimeouts", "connections given up after too many timeouts" },
	{ "DSackSent", "duplicates reported back to the sender (D-SACK)" },
	{ "DSackRecv", "D-SACKs received: a segment arrived twice" },
	{ "ReorderSeen", "ACKs showing a segment overtaken on the way" },
	{ "SpuriousUndo", "cwnd reductions undone: every resend was needless" },
	{ "TailLossProbes", "tail loss probes sent (RACK-TLP, RFC 8985)" },
	{ "RackTimeouts", "reordering timer expiries (RACK, RFC 8985)" },
	{ "SyncookiesSent", "SYNs answered with a SYN cookie, no state kept" },
	{ "SyncookiesRecv", "ACKs that returned a valid SYN cookie" },
	{ "SyncookiesFailed", "ACKs to a listener with an invalid SYN cookie" },
	{ "ChallengeAcks", "RFC 5961 challenge ACKs sent" },
	{ "ChallengeAcksLimited", "challenge ACKs not sent: the limit" },
	{ "AckOutOfWindow", "segments dropped: ACK outside the window" },
	{ "TsecrRefused", "timestamp echoes from the future ignored" },
	{ "DSackIgnored", "D-SACK blocks not believed" },
	{ "RcvMemDrops", "segments dropped: no receive memory" },
	{ "OfoPruned", "out-of-order segments given up under pressure" },
	{ "RcvCollapsed", "segments of a message copied into fewer buffers" },
	{ "SackForgotten", "timeouts that cleared the SACK marks" },
	{ "PolicyDrops", "segments dropped by IPsec inbound policy" },
	{ "FilterDrops", "segments dropped by a socket filter" },
	{ "OrphanResets", "closed connections reset: too many orphans" },
	{ "OowAcksLimited", "answers to out-of-window segments skipped: the rate limit" },
	{ "IcmpErrors", "ICMP errors taken for a connection" },
	{ "OutOfWindowIcmps", "ICMP errors ignored: about no segment in flight" },
	{ "PmtuUpdates", "path MTU reductions that lowered a connection's MSS" },
	{ "TimeWaitReused", "TIME_WAIT ended early by a new connection (RFC 6191)" },
	{ "RcvBufGrown", "receive buffers grown by autotuning" },
	{ "TimeWaitOverflow", "connections closed without TIME_WAIT: max_tw_buckets" },
	{ "GsoPackets", "super-segments handed to IP (net.toy.gso)" },
	{ "GsoSegs", "segments those super-segments carried" },
	{ "InGsoPackets", "super-segments that arrived whole and were cut here" },
	{ "CsumFromCopy", "segments checksummed as their bytes were copied in (the device cannot)" },
	{ "BacklogDrops", "segments dropped: the backlog of a socket a process owned was full" },
};

static const char *counter_what(const char *name)
{
	for (size_t i = 0; i < sizeof(counter_help) / sizeof(counter_help[0]);
	     i++)
		if (!strcmp(counter_help[i].name, name))
			return counter_help[i].what;
	return "";
}

static int show_summary(int nonzero)
{
	FILE *f = fopen(stats_file, "r");
	char name[64];
	unsigned long long v, out = 0, re = 0;
	int have_out = 0, have_re = 0, states[TOY_MAX_STATES] = { 0 }, n = 0;
	struct table t;

	if (!f) {
		fprintf(stderr, "toystat: %s: %s%s\n", stats_file,
			strerror(errno),
			errno == ENOENT ? " (is the toy module loaded?)" : "");
		return 1;
	}
	printf("AF_TOY counters (%s):\n", stats_file);
	while (fscanf(f, "%63s %llu", name, &v) == 2) {
		if (!strcmp(name, "OutSegs"))
			out = v, have_out = 1;
		if (!strcmp(name, "RetransSegs"))
			re = v, have_re = 1;
		if (nonzero && !v)
			continue;
		printf("  %-16s %12llu  %s\n", name, v, counter_what(name));
	}
	fclose(f);
	if (have_out && have_re && out)
		printf("  %llu of %llu segments sent were retransmissions "
		       "(%.1f%%)\n", re, out, 100.0 * re / out);

	if (read_table(proc_file, &t) < 0)
		return 1;
	for (int r = 0; r < t.nrows; r++) {
		const char *s = get(&t, r, "state");
		int st = s ? toy_state_from_name(s) : -1;

		if (st > 0)
			states[st]++;
		n++;
	}
	printf("AF_TOY sockets (%s): %d", proc_file, n);
	for (int st = 1, first = 1; st < TOY_MAX_STATES; st++) {
		if (!states[st])
			continue;
		printf("%s%s %d", first ? " (" : ", ", toy_state_name(st),
		       states[st]);
		first = 0;
	}
	printf("%s\n", n ? ")" : "");
	return 0;
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "toystat: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "toystat: setns(%s): %s\n", path,
			strerror(errno));
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	enum { O_PROC = 256, O_STATS };
	static const struct option lo[] = {
		{ "all", no_argument, 0, 'a' },
		{ "listening", no_argument, 0, 'l' },
		{ "extended", no_argument, 0, 'e' },
		{ "keyvalue", no_argument, 0, 'k' },
		{ "no-header", no_argument, 0, 'H' },
		{ "summary", no_argument, 0, 's' },
		{ "nonzero", no_argument, 0, 'z' },
		{ "net", required_argument, 0, 'N' },
		{ "numeric", no_argument, 0, 'n' },
		{ "proc", required_argument, 0, O_PROC },
		{ "stats", required_argument, 0, O_STATS },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	int opt, all = 0, listening = 0, extended = 0, keyvalue = 0;
	int header = 1, summary = 0, nonzero = 0;

	while ((opt = getopt_long(argc, argv, "alekHszN:nh", lo, NULL)) != -1) {
		switch (opt) {
		case 'a': all = 1; break;
		case 'l': listening = 1; break;
		case 'e': extended = 1; break;
		case 'k': keyvalue = 1; break;
		case 'H': header = 0; break;
		case 's': summary = 1; break;
		case 'z': nonzero = 1; break;
		case 'N': enter_netns(optarg); break;
		case 'n': break;
		case O_PROC: proc_file = optarg; break;
		case O_STATS: stats_file = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	parse_filter(argc - optind, argv + optind);
	if (summary)
		return show_summary(nonzero);
	return show_sockets(listening, all, extended, keyvalue, header);
}
