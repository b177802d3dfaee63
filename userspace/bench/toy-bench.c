// SPDX-License-Identifier: GPL-2.0
/*
 * toy-bench: the same bulk and ping-pong measurements over AF_TOY, TCP and
 * UDP, with one code path for all three (only socket()'s family and type
 * differ), so the figures compare the transports and not the tools.
 *
 *	toy-bench server PROTO MODE ADDR:PORT [options]
 *	toy-bench client PROTO MODE ADDR:PORT [options]
 *
 * PROTO is toy (AF_TOY SOCK_SEQPACKET), tcp (SOCK_STREAM) or udp
 * (SOCK_DGRAM); MODE is bulk or pp (ping-pong).
 *
 * bulk: the client sends --size-byte buffers as fast as send() takes them
 * for --duration seconds (UDP is not paced: what the network drops is
 * lost), then ends the stream (TCP, AF_TOY: shutdown; UDP: a few 3-byte
 * "END" datagrams, and the server also stops after 2 s of silence). The
 * server counts the bytes it receives; goodput is those bytes over the time
 * from the first to the last byte received (UDP: to the end of the stream,
 * the first "END" or the start of the silence).
 *
 * pp: the client sends --size bytes and waits for the same number back,
 * over and over for --duration seconds; the server echoes. For UDP a
 * reply that does not come within 200 ms counts as lost and the client
 * sends the next one.
 *
 * Each side prints one line starting with "RESULT" (key=value pairs) for
 * scripts, after human-readable lines. The bulk server's RESULT also says
 * what its receive buffer and window ended with (rcv_end_info()).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/sock_diag.h>
#include <linux/toy.h>

enum { P_TOY, P_TCP, P_UDP };
static const char *const proto_names[] = { "toy", "tcp", "udp" };

static struct {
	int proto;
	bool pp;
	const char *addr;
	double duration;
	size_t size;
	int timeout_ms;
	int sndbuf, rcvbuf;
	bool nodelay;
	int meminfo_ms;
} O = { .duration = 5, .size = 0, .timeout_ms = 30000 };

static const char *prog = "toy-bench";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __attribute__((noreturn)) die(const char *what)
{
	int e = errno;

	printf("%s: %s %s: %s\n", prog, proto_names[O.proto], what, strerror(e));
	fflush(stdout);
	exit(3);
}

/* sockaddr_toy has sockaddr_in's layout: one parser, the family differs. */
static void parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	memset(a, 0, sizeof(*a));
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		goto bad;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	a->sin_family = O.proto == P_TOY ? AF_TOY : AF_INET;
	a->sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
		return;
bad:
	fprintf(stderr, "%s: bad address '%s' (want IP:PORT)\n", prog, s);
	exit(2);
}

static int new_socket(void)
{
	static const int type[] = { SOCK_SEQPACKET, SOCK_STREAM, SOCK_DGRAM };
	int fd = socket(O.proto == P_TOY ? AF_TOY : AF_INET, type[O.proto], 0);
	int one = 1;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (O.proto == P_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (O.proto == P_TOY && O.nodelay &&
	    setsockopt(fd, SOL_TOY, TOY_NODELAY, &one, sizeof(one)))
		die("TOY_NODELAY");
	if (O.sndbuf && setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &O.sndbuf, sizeof(int)))
		die("SO_SNDBUF");
	if (O.rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &O.rcvbuf, sizeof(int)))
		die("SO_RCVBUF");
	return fd;
}

static bool stream(void)
{
	return O.proto != P_UDP;
}

/* Wait up to the timeout for @fd to be readable. */
static void wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int rc = poll(&p, 1, ms);

	if (rc < 0)
		die("poll");
	if (rc == 0) {
		errno = ETIMEDOUT;
		die("waiting for the peer");
	}
}

/* The server's socket: a connected one (toy, tcp) or the bound one (udp). */
static int server_socket(void)
{
	struct sockaddr_in a;
	int lfd, fd;

	parse_addr(O.addr, &a);
	lfd = new_socket();
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	if (!stream()) {
		printf("%s: %s server on %s\n", prog, proto_names[O.proto], O.addr);
		fflush(stdout);
		return lfd;
	}
	if (listen(lfd, 1))
		die("listen");
	printf("%s: %s server on %s\n", prog, proto_names[O.proto], O.addr);
	fflush(stdout);
	wait_in(lfd, O.timeout_ms);
	fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	close(lfd);
	return fd;
}

static int client_socket(void)
{
	struct sockaddr_in a;
	int fd;

	parse_addr(O.addr, &a);
	fd = new_socket();
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	return fd;
}

/* ------------------------------------------------------------------ */

/*
 * --meminfo: the memory the socket holds, sampled with SO_MEMINFO at most
 * every --meminfo ms between sends or receives: at the receiver what is
 * charged to receive memory (rmem_alloc, in order or not, plus the
 * backlog), at the sender the write queue (wmem_queued); skb truesize,
 * not payload.
 */
struct mem_samples {
	double next;
	uint64_t n, sum, max;
};

static void mem_sample(int fd, struct mem_samples *m, bool rx, double now)
{
	uint32_t mi[SK_MEMINFO_VARS];
	socklen_t l = sizeof(mi);
	uint64_t v;

	if (!O.meminfo_ms || now < m->next)
		return;
	m->next = now + O.meminfo_ms / 1e3;
	if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &l) ||
	    l < sizeof(uint32_t) * (SK_MEMINFO_BACKLOG + 1))
		return;
	v = rx ? (uint64_t)mi[SK_MEMINFO_RMEM_ALLOC] + mi[SK_MEMINFO_BACKLOG]
	       : mi[SK_MEMINFO_WMEM_QUEUED];
	m->n++;
	m->sum += v;
	if (v > m->max)
		m->max = v;
}

/* Say what mem_sample() saw; " mem_max=... mem_mean=..." into @out. */
static void mem_report(const struct mem_samples *m, bool rx, char *out, size_t len)
{
	out[0] = 0;
	if (!m->n)
		return;
	printf("%s: SO_MEMINFO %s, %" PRIu64 " samples: max %" PRIu64
	       " bytes, mean %" PRIu64 "\n", prog,
	       rx ? "rmem_alloc + backlog" : "wmem_queued", m->n, m->max,
	       m->sum / m->n);
	snprintf(out, len, " mem_max=%" PRIu64 " mem_mean=%" PRIu64
		 " mem_samples=%" PRIu64, m->max, m->sum / m->n, m->n);
}

/*
 * The receive side's buffer and window as the flow ended, as key=value
 * pairs for the RESULT line: SO_RCVBUF for all; AF_TOY the window it
 * advertises (TOY_INFO); TCP rcv_space (its autotuning's estimate of what
 * the reader takes per RTT) and rcv_ssthresh (the most it would advertise
 * now). Missing values are left out.
 */
static void rcv_end_info(int fd, char *out, size_t len)
{
	int rcvbuf = 0;
	socklen_t l = sizeof(rcvbuf);
	size_t n = 0;

	out[0] = 0;
	if (!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &l))
		n += snprintf(out + n, len - n, " rcvbuf=%d", rcvbuf);
	if (O.proto == P_TOY) {
		struct toy_info ti;

		l = sizeof(ti);
		if (!getsockopt(fd, SOL_TOY, TOY_INFO, &ti, &l) && n < len)
			snprintf(out + n, len - n, " rcv_wnd=%u", ti.toyi_rcv_wnd);
	} else if (O.proto == P_TCP) {
		struct tcp_info ti;

		l = sizeof(ti);
		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l) && n < len)
			snprintf(out + n, len - n, " rcv_space=%u rcv_ssthresh=%u",
				 ti.tcpi_rcv_space, ti.tcpi_rcv_ssthresh);
	}
}

static int bulk_server(void)
{
	struct sockaddr_in peer;
	socklen_t plen;
	size_t cap = 1 << 20;
	char *buf = malloc(cap);
	uint64_t bytes = 0, msgs = 0;
	double first = 0, last = 0, end_t = 0;
	char end_info[128], mem_info[96];
	struct mem_samples ms = { 0 };
	int fd = server_socket();

	if (!buf)
		die("malloc");
	for (;;) {
		ssize_t n;

		/*
		 * UDP: 2 s of silence ends the run, whatever else happens
		 * (the "END" datagrams can be lost like any other)
		 */
		if (!stream() && msgs) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 2000) == 0) {
				end_t = now_s() - 2;
				break;
			}
		} else {
			wait_in(fd, O.timeout_ms);
		}
		plen = sizeof(peer);
		n = recvfrom(fd, buf, cap, 0, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			die("recv");
		if (n == 0 && stream())
			break;
		if (!stream() && n == 3 && !memcmp(buf, "END", 3)) {
			end_t = now_s();
			if (msgs)
				break;
			continue;
		}
		last = now_s();
		if (!msgs++)
			first = last;
		bytes += n;
		mem_sample(fd, &ms, true, last);
	}
	rcv_end_info(fd, end_info, sizeof(end_info));
	close(fd);
	mem_report(&ms, true, mem_info, sizeof(mem_info));
	/*
	 * UDP: count to the end of the stream ("END", or the start of the
	 * silence), not to the last datagram: when few arrive (64 KiB
	 * datagrams at loss: 3 in a 2 s run), the last one says nothing of
	 * how long the sender sent.
	 */
	if (!stream() && end_t > first)
		last = end_t;
	if (last <= first)
		last = first + 1e-9;
	printf("%s: received %" PRIu64 " bytes in %" PRIu64 " reads/messages "
	       "over %.3f s: %.2f Mbit/s\n", prog, bytes, msgs, last - first,
	       bytes * 8 / (last - first) / 1e6);
	printf("RESULT proto=%s mode=bulk role=server bytes=%" PRIu64 " msgs=%"
	       PRIu64 " secs=%.3f mbps=%.2f%s%s\n", proto_names[O.proto], bytes, msgs,
	       last - first, bytes * 8 / (last - first) / 1e6, end_info, mem_info);
	return 0;
}

static int bulk_client(void)
{
	char *buf = calloc(1, O.size);
	uint64_t bytes = 0, sends = 0, errs = 0;
	double t0, end, t;
	struct mem_samples ms = { 0 };
	char mem_info[96];
	int fd = client_socket();

	if (!buf)
		die("malloc");
	for (size_t i = 0; i < O.size; i++)
		buf[i] = (char)(i * 7);
	t0 = now_s();
	end = t0 + O.duration;
	do {
		ssize_t n = send(fd, buf, O.size, MSG_NOSIGNAL);

		if (n < 0) {
			/* UDP: a full qdisc may say ENOBUFS; the packet is lost */
			if (!stream() && (errno == ENOBUFS || errno == ECONNREFUSED)) {
				errs++;
				continue;
			}
			die("send");
		}
		bytes += n;
		sends++;
		if (O.meminfo_ms)
			mem_sample(fd, &ms, false, now_s());
	} while ((t = now_s()) < end);
	t = now_s() - t0;
	if (stream()) {
		char c;

		if (shutdown(fd, SHUT_WR))
			die("shutdown");
		/* the server closes after reading everything */
		wait_in(fd, O.timeout_ms);
		if (recv(fd, &c, 1, 0) < 0)
			die("recv (end of stream)");
	} else {
		for (int i = 0; i < 10; i++) {
			send(fd, "END", 3, MSG_NOSIGNAL);
			usleep(20000);
		}
	}
	if (O.proto == P_TOY) {
		struct toy_info ti;
		socklen_t l = sizeof(ti);

		if (!getsockopt(fd, SOL_TOY, TOY_INFO, &ti, &l))
			printf("%s: TOY_INFO srtt %u us rto %u us cwnd %u ssthresh %u "
			       "retrans %u timeouts %u\n", prog, ti.toyi_rtt_us,
			       ti.toyi_rto_us, ti.toyi_snd_cwnd, ti.toyi_snd_ssthresh,
			       ti.toyi_retrans, ti.toyi_lost);
	} else if (O.proto == P_TCP) {
		struct tcp_info ti;
		socklen_t l = sizeof(ti);

		if (!getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &l))
			printf("%s: TCP_INFO srtt %u us rto %u us cwnd %u ssthresh %u "
			       "(segments of %u) retrans %u\n", prog, ti.tcpi_rtt,
			       ti.tcpi_rto, ti.tcpi_snd_cwnd, ti.tcpi_snd_ssthresh,
			       ti.tcpi_snd_mss, ti.tcpi_total_retrans);
	}
	close(fd);
	mem_report(&ms, false, mem_info, sizeof(mem_info));
	printf("%s: sent %" PRIu64 " bytes in %" PRIu64 " sends of %zu over %.3f s: "
	       "%.2f Mbit/s offered%s\n", prog, bytes, sends, O.size, t,
	       bytes * 8 / t / 1e6, errs ? " (some sends failed: ENOBUFS)" : "");
	printf("RESULT proto=%s mode=bulk role=client bytes=%" PRIu64 " sends=%"
	       PRIu64 " secs=%.3f mbps=%.2f send_errors=%" PRIu64 "%s\n",
	       proto_names[O.proto], bytes, sends, t, bytes * 8 / t / 1e6, errs,
	       mem_info);
	return 0;
}

/* ------------------------------------------------------------------ */

/* Read exactly @len bytes (a stream may split them); 0 at end of stream. */
static ssize_t recv_full(int fd, char *b, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, b + got, len - got, 0);

		if (n <= 0)
			return n;
		got += n;
		if (O.proto != P_TCP)	/* one message/datagram is the reply */
			break;
	}
	return got;
}

static int pp_server(void)
{
	char buf[65536];
	struct sockaddr_in peer;
	socklen_t plen;
	uint64_t n = 0;
	int fd = server_socket();

	for (;;) {
		ssize_t k;

		if (stream()) {
			k = recv_full(fd, buf, O.size);
			if (k <= 0)
				break;
			if (send(fd, buf, k, MSG_NOSIGNAL) != k)
				die("send");
		} else {
			wait_in(fd, n ? 2000 : O.timeout_ms);
			plen = sizeof(peer);
			k = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &plen);
			if (k < 0)
				die("recvfrom");
			if (k == 3 && !memcmp(buf, "END", 3))
				break;
			sendto(fd, buf, k, 0, (struct sockaddr *)&peer, plen);
		}
		n++;
	}
	printf("RESULT proto=%s mode=pp role=server echoed=%" PRIu64 "\n",
	       proto_names[O.proto], n);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int pp_client(void)
{
	size_t cap = 1 << 20, ns = 0;
	double *rtt = malloc(cap * sizeof(double));
	char out[65536], in[65536];
	uint64_t lost = 0;
	double t0, end, sum = 0, t;
	int fd = client_socket();

	if (!rtt || O.size > sizeof(out))
		die("malloc");
	memset(out, 'p', O.size);
	t0 = now_s();
	end = t0 + O.duration;
	while ((t = now_s()) < end) {
		ssize_t k;

		if (send(fd, out, O.size, MSG_NOSIGNAL) != (ssize_t)O.size)
			die("send");
		if (!stream()) {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			if (poll(&p, 1, 200) == 0) {
				lost++;
				continue;
			}
		}
		k = recv_full(fd, in, O.size);
		if (k <= 0) {
			if (k == 0)
				errno = ECONNRESET;
			die("recv reply");
		}
		t = now_s() - t;
		sum += t;
		if (ns < cap)
			rtt[ns] = t;
		ns++;
	}
	t = now_s() - t0;
	if (stream()) {
		shutdown(fd, SHUT_WR);
		recv(fd, in, 1, 0);
	} else {
		for (int i = 0; i < 5; i++)
			send(fd, "END", 3, MSG_NOSIGNAL);
	}
	close(fd);
	qsort(rtt, ns < cap ? ns : cap, sizeof(double), cmp_double);
	{
		size_t m = ns < cap ? ns : cap;
		double mean = ns ? sum / ns * 1e6 : 0;
		double p50 = m ? rtt[m / 2] * 1e6 : 0;
		double p99 = m ? rtt[m * 99 / 100] * 1e6 : 0;

		printf("%s: %zu round trips of %zu bytes in %.3f s: %.0f per second, "
		       "RTT mean %.0f us, median %.0f us, p99 %.0f us%s\n", prog, ns,
		       O.size, t, ns / t, mean, p50, p99,
		       lost ? " (some UDP replies lost)" : "");
		printf("RESULT proto=%s mode=pp role=client rtts=%zu secs=%.3f "
		       "rate=%.1f mean_us=%.1f p50_us=%.1f p99_us=%.1f lost=%" PRIu64
		       "\n", proto_names[O.proto], ns, t, ns / t, mean, p50, p99, lost);
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-bench server|client toy|tcp|udp bulk|pp ADDR:PORT [options]\n"
"  --duration S   seconds of sending (client; default 5)\n"
"  --size B       bytes per send (default: bulk 1400 for toy/udp, 131072\n"
"                 for tcp; pp 64)\n"
"  --sndbuf B, --rcvbuf B   SO_SNDBUF/SO_RCVBUF\n"
"  --timeout MS   how long to wait for the peer (default 30000)\n"
"  --nodelay      AF_TOY: TOY_NODELAY (ACK every segment at once); TCP\n"
"                 always has TCP_NODELAY\n"
"  --meminfo MS   bulk: sample the socket's memory (SO_MEMINFO) every MS ms\n"
"                 (receiver rmem_alloc + backlog, sender wmem_queued)\n"
"Prints a RESULT line of key=value pairs. Exit 0, 2 usage, 3 socket error.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, 0, 'd' },
		{ "size", required_argument, 0, 's' },
		{ "sndbuf", required_argument, 0, 'S' },
		{ "rcvbuf", required_argument, 0, 'R' },
		{ "timeout", required_argument, 0, 't' },
		{ "nodelay", no_argument, 0, 'n' },
		{ "meminfo", required_argument, 0, 'm' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	bool server;
	int opt, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 5) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	if (!strcmp(argv[1], "server"))
		server = true;
	else if (!strcmp(argv[1], "client"))
		server = false;
	else
		goto bad;
	O.proto = -1;
	for (i = 0; i < 3; i++)
		if (!strcmp(argv[2], proto_names[i]))
			O.proto = i;
	if (O.proto < 0)
		goto bad;
	if (!strcmp(argv[3], "pp"))
		O.pp = true;
	else if (strcmp(argv[3], "bulk"))
		goto bad;
	O.addr = argv[4];
	argc -= 4;
	argv += 4;
	while ((opt = getopt_long(argc, argv, "d:s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': O.duration = atof(optarg); break;
		case 's': O.size = strtoul(optarg, NULL, 0); break;
		case 'S': O.sndbuf = atoi(optarg); break;
		case 'R': O.rcvbuf = atoi(optarg); break;
		case 't': O.timeout_ms = atoi(optarg); break;
		case 'n': O.nodelay = true; break;
		case 'm': O.meminfo_ms = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	if (!O.size)
		O.size = O.pp ? 64 : O.proto == P_TCP ? 131072 : 1400;
	if (O.pp && O.size > 65536)
		goto bad;
	if (O.pp)
		return server ? pp_server() : pp_client();
	return server ? bulk_server() : bulk_client();
bad:
	usage(stderr);
	return 2;
}
