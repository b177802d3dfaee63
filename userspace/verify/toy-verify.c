// SPDX-License-Identifier: GPL-2.0
/*
 * toy-verify: end-to-end integrity check of an AF_TOY connection.
 *
 *	toy-verify recv 10.0.0.2:7000                     (one connection)
 *	toy-verify send 10.0.0.2:7000 --count 2000 --min 1 --max 65536
 *
 * The sender sends N messages of pseudo-random sizes. Every message starts
 * with a 48-byte header (big-endian):
 *
 *	 0  index          message number, 0..N-1
 *	 4  count          N
 *	 8  length         of the whole message, header included
 *	12  tag            low 32 bits of the seed (which run this is)
 *	16  SHA-256        of bytes 0..15 followed by the payload
 *	48  payload        pseudo-random bytes, a function of (seed, index)
 *
 * A message shorter than 48 bytes is the first `length` bytes of its header
 * (its SHA-256 then covers bytes 0..15 only). Before the messages the sender
 * sends one "hello" (seed, count, size range and distribution, reply mode),
 * so the receiver can recompute every message's size and check the short
 * ones byte for byte.
 *
 * The receiver checks the count, the order (index sequence), each length
 * (against the header and against the sender's size sequence) and each hash,
 * keeps going after a mismatch to say what it saw (lost, duplicated,
 * reordered, truncated, corrupted), and after the sender's end of stream
 * sends a one-line verdict back; the sender prints it and exits with it.
 *
 * Exit status: 0 all verified, 1 a mismatch, 2 usage, 3 a socket error
 * (printed with its errno name, e.g. "send: ETIMEDOUT"), 4 all verified
 * but the connection then failed (an error, not the end of stream, after
 * the receiver's verdict).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/toy.h>

#include "sha256.h"

#define HDR_LEN		48
#define HDR_HASHED	16		/* header bytes covered by the SHA-256 */
#define HELLO_MAGIC	"TOYVHELO"
#define RESULT_MAGIC	"TOYVRSLT"
#define RECEIPT_MAGIC	"RCPT"
#define HELLO_LEN	64
#define RECEIPT_LEN	12
#define MAX_REPORT	20		/* anomalies described one by one */

enum { REPLY_NONE, REPLY_RECEIPT, REPLY_ECHO };
enum { DIST_UNIFORM, DIST_LOG };

static const char *const reply_names[] = { "none", "receipt", "echo" };
static const char *const dist_names[] = { "uniform", "log" };

enum { INJ_NONE, INJ_DROP, INJ_DUP, INJ_SWAP, INJ_TRUNCATE, INJ_CORRUPT };
static const char *const inject_names[] = {
	"none", "drop", "dup", "swap", "truncate", "corrupt",
};

static struct {
	const char *addr;
	uint32_t count, min, max;
	uint64_t seed;
	bool seed_set;
	int dist;
	uint32_t window;
	bool echo;
	bool nonblock;
	int sndbuf, rcvbuf;
	int timeout_ms;
	uint32_t pause_after;
	int pause_ms;
	int read_delay_us;
	size_t bufsize;
	uint32_t progress;
	bool info;
	int info_every;
	int inject;
	uint32_t inject_at;
} O = {
	.count = 2000, .min = 1, .max = 65536, .dist = DIST_LOG,
	.timeout_ms = 60000, .bufsize = 4 << 20,
};

static const char *prog = "toy-verify";

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(EBADF); E(EAGAIN);
	E(ENOMEM); E(EACCES); E(EFAULT); E(EINVAL); E(EPIPE);
	E(ENOTSOCK); E(EMSGSIZE); E(ENOPROTOOPT); E(EOPNOTSUPP);
	E(EAFNOSUPPORT); E(EADDRINUSE); E(EADDRNOTAVAIL); E(ENETDOWN);
	E(ENETUNREACH); E(ECONNABORTED); E(ECONNRESET); E(ENOBUFS);
	E(EISCONN); E(ENOTCONN); E(ESHUTDOWN); E(ETIMEDOUT);
	E(ECONNREFUSED); E(EHOSTUNREACH); E(EALREADY); E(EINPROGRESS);
#undef E
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CLOCK_BOOTTIME is what /proc/uptime shows: scripts can compare. */
static double uptime_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* A failed system call: "<what>: ENAME (text) at uptime U", exit 3. */
static void __attribute__((noreturn)) sys_fail(const char *what, ...)
{
	int e = errno;
	va_list ap;

	printf("%s: ", prog);
	va_start(ap, what);
	vprintf(what, ap);
	va_end(ap);
	printf(": %s (%s) at uptime %.3f\n", errname(e), strerror(e), uptime_s());
	fflush(stdout);
	exit(3);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v >> 32);
	put32(p + 4, (uint32_t)v);
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) << 32 | get32(p + 4);
}

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * ADDR is IP:PORT for AF_TOY, or a path (/...) or an abstract name (@...)
 * for AF_UNIX SOCK_SEQPACKET: the host-side self-test runs the same code
 * over AF_UNIX, where no AF_TOY module is loaded.
 */
union addr {
	struct sockaddr sa;
	struct sockaddr_toy toy;
	struct sockaddr_un un;
};

static int family(const char *s)
{
	return s[0] == '/' || s[0] == '@' ? AF_UNIX : AF_TOY;
}

static int parse_addr(const char *s, union addr *u, socklen_t *len)
{
	struct sockaddr_toy *a = &u->toy;
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	memset(u, 0, sizeof(*u));
	if (family(s) == AF_UNIX) {
		size_t l = strlen(s);

		if (l >= sizeof(u->un.sun_path))
			return -1;
		u->un.sun_family = AF_UNIX;
		memcpy(u->un.sun_path, s, l);
		if (s[0] == '@')
			u->un.sun_path[0] = 0;
		*len = offsetof(struct sockaddr_un, sun_path) + l;
		return 0;
	}
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return -1;
	a->stoy_family = AF_TOY;
	a->stoy_port = htons((uint16_t)port);
	*len = sizeof(*a);
	return inet_pton(AF_INET, host, &a->stoy_addr) == 1 ? 0 : -1;
}

static const char *fmt_addr(const union addr *u)
{
	static char buf[2][128];
	static int n;
	char ip[INET_ADDRSTRLEN];

	n ^= 1;
	if (u->sa.sa_family == AF_UNIX) {
		snprintf(buf[n], sizeof(buf[n]), "unix:%s",
			 u->un.sun_path[0] ? u->un.sun_path : "(peer)");
		return buf[n];
	}
	inet_ntop(AF_INET, &u->toy.stoy_addr, ip, sizeof(ip));
	snprintf(buf[n], sizeof(buf[n]), "%s:%u", ip, ntohs(u->toy.stoy_port));
	return buf[n];
}

static void set_timeouts(int fd, int ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };

	if (ms <= 0)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		sys_fail("setsockopt SO_RCVTIMEO/SO_SNDTIMEO");
}

static int get_intopt(int fd, int level, int name)
{
	int v = -1;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, level, name, &v, &l))
		return -1;
	return v;
}

static void print_info(int fd, const char *who)
{
	struct toy_info ti;
	socklen_t l = sizeof(ti);

	if (getsockopt(fd, SOL_TOY, TOY_INFO, &ti, &l)) {
		say("%s: TOY_INFO: %s\n", who, errname(errno));
		return;
	}
	say("%s: TOY_INFO state %u ca_state %u backoff %u unacked %u snd_wnd %u "
	    "mss %u srtt %u us rttvar %u us rto %u us cwnd %u "
	    "ssthresh %u retrans %u timeouts %u msgs %" PRIu64 "/%" PRIu64
	    " bytes %" PRIu64 "/%" PRIu64 " (sent/received)\n", who,
	    ti.toyi_state, ti.toyi_ca_state, ti.toyi_backoff, ti.toyi_unacked,
	    ti.toyi_snd_wnd,
	    ti.toyi_mss, ti.toyi_rtt_us, ti.toyi_rttvar_us, ti.toyi_rto_us,
	    ti.toyi_snd_cwnd, ti.toyi_snd_ssthresh, ti.toyi_retrans,
	    ti.toyi_lost, (uint64_t)ti.toyi_msgs_sent,
	    (uint64_t)ti.toyi_msgs_received, (uint64_t)ti.toyi_bytes_sent,
	    (uint64_t)ti.toyi_bytes_received);
}

/* --info-every: TOY_INFO from a second thread while the first may block */
static int info_fd = -1;

static void *info_thread(void *arg)
{
	char who[64];

	(void)arg;
	for (;;) {
		usleep((useconds_t)O.info_every * 1000);
		snprintf(who, sizeof(who), "%s: [uptime %.1f]", prog, uptime_s());
		print_info(info_fd, who);
	}
	return NULL;
}

static void start_info_thread(int fd)
{
	pthread_t th;

	if (!O.info_every || family(O.addr) != AF_TOY)
		return;
	info_fd = fd;
	if (pthread_create(&th, NULL, info_thread, NULL))
		say("%s: pthread_create failed: no --info-every\n", prog);
	else
		pthread_detach(th);
}

/* ------------------------------------------------------------------ */
/* the message stream: a pure function of the hello's parameters       */

struct stream {
	uint64_t seed;
	uint32_t count, min, max;
	int dist;
};

static uint32_t msg_size(const struct stream *s, uint32_t i)
{
	uint64_t r = splitmix64(s->seed ^ splitmix64(0x5eedull + i));
	double u = (double)(r >> 11) / 9007199254740992.0;	/* [0, 1) */
	double v;

	if (s->min >= s->max)
		return s->min;
	if (s->dist == DIST_UNIFORM)
		return s->min + (uint32_t)(r % ((uint64_t)s->max - s->min + 1));
	/* log-uniform: as many 1-2 byte messages as 32-64 KiB ones */
	v = exp(log((double)s->min) +
		u * (log((double)s->max + 1.0) - log((double)s->min)));
	if (v < s->min)
		return s->min;
	if (v > s->max)
		return s->max;
	return (uint32_t)v;
}

/* Write message @i (msg_size() bytes) into @buf. */
static void msg_build(const struct stream *s, uint32_t i, uint8_t *buf,
		      uint32_t len)
{
	uint8_t hdr[HDR_LEN];
	struct sha256 c;
	uint64_t x = splitmix64(s->seed ^ ((uint64_t)i << 32 | 0xa5a5));
	uint32_t off;

	put32(hdr, i);
	put32(hdr + 4, s->count);
	put32(hdr + 8, len);
	put32(hdr + 12, (uint32_t)s->seed);
	/* payload: xorshift64* from (seed, index) */
	for (off = HDR_LEN; off < len; off += 8) {
		uint64_t w;
		uint32_t n = len - off < 8 ? len - off : 8;

		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		w = x * 0x2545f4914f6cdd1dull;
		memcpy(buf + off, &w, n);
	}
	sha256_init(&c);
	sha256_update(&c, hdr, HDR_HASHED);
	if (len > HDR_LEN)
		sha256_update(&c, buf + HDR_LEN, len - HDR_LEN);
	sha256_final(&c, hdr + HDR_HASHED);
	memcpy(buf, hdr, len < HDR_LEN ? len : HDR_LEN);
}

static void hello_build(const struct stream *s, int reply, uint32_t window,
			uint8_t *b)
{
	memset(b, 0, HELLO_LEN);
	memcpy(b, HELLO_MAGIC, 8);
	put32(b + 8, 1);		/* version */
	put32(b + 12, s->count);
	put32(b + 16, s->min);
	put32(b + 20, s->max);
	put64(b + 24, s->seed);
	put32(b + 32, s->dist);
	put32(b + 36, reply);
	put32(b + 40, window);
}

/* ------------------------------------------------------------------ */
/* receiver                                                            */

struct rx {
	struct stream s;
	int reply;
	uint8_t *seen;			/* per index: arrived intact */
	uint32_t next;			/* highest intact index + 1 */
	uint64_t arrivals;		/* messages recv() returned */
	uint64_t ok;			/* intact, new, in order */
	uint64_t bytes;
	uint64_t lost, dup, reordered, truncated, corrupted, foreign;
	int reported;
	uint8_t *expect;		/* scratch for msg_build */
};

static void anomaly(struct rx *r, const char *fmt, ...)
{
	va_list ap;

	if (r->reported++ >= MAX_REPORT) {
		if (r->reported == MAX_REPORT + 1)
			say("%s: (further anomalies not shown)\n", prog);
		return;
	}
	printf("%s: message #%" PRIu64 ": ", prog, r->arrivals - 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* Does @b (@n bytes) match message @i exactly? */
static bool rx_matches(struct rx *r, uint32_t i, const uint8_t *b, uint32_t n)
{
	uint32_t len = msg_size(&r->s, i);

	if (len != n)
		return false;
	msg_build(&r->s, i, r->expect, len);
	return !memcmp(r->expect, b, n);
}

/*
 * A damaged message (truncated or corrupted) stands in the place of the
 * one expected next: count it there, so that the next intact message is
 * not also reported as out of order. Its index stays "not intact".
 */
static void rx_damaged(struct rx *r, uint64_t *counter)
{
	(*counter)++;
	if (r->next < r->s.count) {
		if (!r->seen[r->next])
			r->seen[r->next] = 2;
		r->next++;
	}
}

/* One message as recv() returned it: @n bytes, @full of them in @b. */
static void rx_check(struct rx *r, const uint8_t *b, uint32_t n, uint32_t full)
{
	uint32_t idx;

	r->arrivals++;
	if (full < n) {
		anomaly(r, "%u bytes do not fit the %u-byte buffer (use --bufsize)",
			n, full);
		rx_damaged(r, &r->truncated);
		return;
	}
	if (n >= HDR_LEN) {
		uint8_t d[SHA256_DIGEST_LEN];
		struct sha256 c;
		uint32_t hcount = get32(b + 4), hlen = get32(b + 8);

		idx = get32(b);
		if (hlen != n) {
			anomaly(r, "header says index %u, %u bytes, but %u arrived "
				"(truncated or merged)", idx, hlen, n);
			rx_damaged(r, &r->truncated);
			return;
		}
		sha256_init(&c);
		sha256_update(&c, b, HDR_HASHED);
		sha256_update(&c, b + HDR_LEN, n - HDR_LEN);
		sha256_final(&c, d);
		if (memcmp(d, b + HDR_HASHED, sizeof(d))) {
			anomaly(r, "%u bytes, header says index %u: SHA-256 mismatch "
				"(corrupted)", n, idx);
			rx_damaged(r, &r->corrupted);
			return;
		}
		if (hcount != r->s.count || get32(b + 12) != (uint32_t)r->s.seed ||
		    idx >= r->s.count) {
			anomaly(r, "intact message of another run (index %u of %u, "
				"tag %08x)", idx, hcount, get32(b + 12));
			r->foreign++;
			return;
		}
		if (msg_size(&r->s, idx) != n) {
			anomaly(r, "index %u has %u bytes, the sender's sequence "
				"says %u", idx, n, msg_size(&r->s, idx));
			rx_damaged(r, &r->truncated);
			return;
		}
	} else {
		/* short: the expected one, or the one its index bytes name */
		if (r->next < r->s.count && rx_matches(r, r->next, b, n)) {
			idx = r->next;
		} else if (n >= 4 && get32(b) < r->s.count &&
			   rx_matches(r, get32(b), b, n)) {
			idx = get32(b);
		} else {
			uint32_t i = n >= 4 ? get32(b) : r->next;

			if (i < r->s.count && msg_size(&r->s, i) != n) {
				anomaly(r, "%u bytes where index %u (%u bytes) was "
					"expected (truncated or corrupted)", n, i,
					msg_size(&r->s, i));
				rx_damaged(r, &r->truncated);
			} else {
				anomaly(r, "%u-byte message matches neither index %u "
					"nor the index in its first bytes (corrupted)",
					n, r->next);
				rx_damaged(r, &r->corrupted);
			}
			return;
		}
	}

	if (r->seen[idx] == 1) {
		anomaly(r, "index %u again (duplicate), %u bytes", idx, n);
		r->dup++;
		return;
	}
	r->seen[idx] = 1;
	if (idx != r->next) {
		anomaly(r, "index %u arrived where %u was expected (%s)", idx,
			r->next, idx > r->next ? "a gap: lost or reordered" :
			"late: reordered");
		r->reordered++;
	} else {
		r->ok++;
	}
	if (idx >= r->next)
		r->next = idx + 1;
	r->bytes += n;
}

static void send_all(int fd, const void *b, size_t n, const char *what)
{
	ssize_t k = send(fd, b, n, MSG_NOSIGNAL);

	if (k < 0)
		sys_fail("send %s", what);
	if ((size_t)k != n) {
		errno = EIO;
		sys_fail("send %s: %zd of %zu bytes", what, k, n);
	}
}

static int do_recv(void)
{
	union addr a, peer;
	socklen_t alen = sizeof(peer), len;
	struct rx r = { 0 };
	uint8_t *buf, hello[HELLO_LEN + 1];
	char verdict[512];
	double t0 = 0, t1;
	int lfd, fd, one = 1, eof = 0, err = 0, rc;
	ssize_t n;
	struct pollfd p;

	if (parse_addr(O.addr, &a, &len)) {
		fprintf(stderr, "%s: bad address '%s' (want IP:PORT)\n", prog, O.addr);
		return 2;
	}
	buf = malloc(O.bufsize);
	if (!buf)
		sys_fail("malloc");
	lfd = socket(family(O.addr), SOCK_SEQPACKET, 0);
	if (lfd < 0)
		sys_fail("socket(%s, SOCK_SEQPACKET)",
			 family(O.addr) == AF_TOY ? "AF_TOY" : "AF_UNIX");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (O.rcvbuf && setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, &O.rcvbuf,
				   sizeof(O.rcvbuf)))
		sys_fail("setsockopt SO_RCVBUF %d", O.rcvbuf);
	if (O.sndbuf && setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, &O.sndbuf,
				   sizeof(O.sndbuf)))
		sys_fail("setsockopt SO_SNDBUF %d", O.sndbuf);
	if (a.sa.sa_family == AF_UNIX && a.un.sun_path[0])
		unlink(a.un.sun_path);
	if (bind(lfd, &a.sa, len))
		sys_fail("bind %s", O.addr);
	if (listen(lfd, 1))
		sys_fail("listen");
	say("%s: listening on %s\n", prog, fmt_addr(&a));

	p = (struct pollfd){ .fd = lfd, .events = POLLIN };
	rc = poll(&p, 1, O.timeout_ms > 0 ? O.timeout_ms : -1);
	if (rc == 0) {
		say("%s: no connection within %d ms\n", prog, O.timeout_ms);
		return 3;
	}
	memset(&peer, 0, sizeof(peer));
	fd = accept(lfd, &peer.sa, &alen);
	if (fd < 0)
		sys_fail("accept");
	close(lfd);
	set_timeouts(fd, O.timeout_ms);
	say("%s: connection from %s, SO_RCVBUF %d, SO_SNDBUF %d, mss %d\n", prog,
	    fmt_addr(&peer), get_intopt(fd, SOL_SOCKET, SO_RCVBUF),
	    get_intopt(fd, SOL_SOCKET, SO_SNDBUF),
	    get_intopt(fd, SOL_TOY, TOY_MAXSEG));

	start_info_thread(fd);
	n = recv(fd, hello, sizeof(hello), 0);
	if (n < 0)
		sys_fail("recv hello");
	if (n != HELLO_LEN || memcmp(hello, HELLO_MAGIC, 8) ||
	    get32(hello + 8) != 1) {
		say("%s: the first message is not a toy-verify hello (%zd bytes)\n",
		    prog, n);
		return 1;
	}
	t0 = now_s();
	r.s.count = get32(hello + 12);
	r.s.min = get32(hello + 16);
	r.s.max = get32(hello + 20);
	r.s.seed = get64(hello + 24);
	r.s.dist = get32(hello + 32) ? DIST_LOG : DIST_UNIFORM;
	r.reply = get32(hello + 36);
	if (r.reply > REPLY_ECHO)
		r.reply = REPLY_NONE;
	say("%s: hello: %u messages, %u..%u bytes (%s), seed %" PRIu64
	    ", replies: %s\n", prog, r.s.count, r.s.min, r.s.max,
	    dist_names[r.s.dist], r.s.seed, reply_names[r.reply]);
	if (O.count && O.count != r.s.count) {
		say("%s: expected %u messages (--count), the sender announces %u\n",
		    prog, O.count, r.s.count);
		return 1;
	}
	r.seen = calloc(r.s.count + 1, 1);
	r.expect = malloc(HDR_LEN + 8);
	if (!r.seen || !r.expect)
		sys_fail("malloc");

	for (;;) {
		if (O.pause_after && r.arrivals == O.pause_after) {
			say("%s: pausing for %d ms after %" PRIu64 " messages "
			    "(at uptime %.3f)\n", prog, O.pause_ms, r.arrivals,
			    uptime_s());
			usleep((useconds_t)O.pause_ms * 1000);
			say("%s: reading again (at uptime %.3f)\n", prog, uptime_s());
		}
		n = recv(fd, buf, O.bufsize, MSG_TRUNC);
		if (n == 0) {
			eof = 1;
			break;
		}
		if (n < 0) {
			err = errno;
			say("%s: recv after %" PRIu64 " messages: %s (%s) at uptime "
			    "%.3f\n", prog, r.arrivals, errname(err), strerror(err),
			    uptime_s());
			break;
		}
		rx_check(&r, buf, (uint32_t)n,
			 (size_t)n > O.bufsize ? (uint32_t)O.bufsize : (uint32_t)n);
		if (O.read_delay_us)
			usleep((useconds_t)O.read_delay_us);
		if (O.progress && r.arrivals % O.progress == 0)
			say("%s: %" PRIu64 " messages\n", prog, r.arrivals);
		if (r.reply == REPLY_ECHO && (size_t)n <= O.bufsize) {
			send_all(fd, buf, n, "echo");
		} else if (r.reply == REPLY_RECEIPT) {
			uint8_t rc_[RECEIPT_LEN];

			memcpy(rc_, RECEIPT_MAGIC, 4);
			put32(rc_ + 4, (uint32_t)(r.arrivals - 1));
			put32(rc_ + 8, (uint32_t)n);
			send_all(fd, rc_, sizeof(rc_), "receipt");
		}
	}
	t1 = now_s();

	/* lost: nothing at all arrived in the index's place */
	for (uint32_t i = 0; i < r.s.count; i++)
		r.lost += !r.seen[i];
	if (O.info)
		print_info(fd, prog);
	snprintf(verdict, sizeof(verdict),
		 "%s: %" PRIu64 " of %u messages intact and in order, %" PRIu64
		 " bytes in %.3f s (%.2f Mbit/s); lost %" PRIu64 ", duplicated %"
		 PRIu64 ", out of order %" PRIu64 ", truncated %" PRIu64
		 ", corrupted %" PRIu64 ", foreign %" PRIu64 "%s",
		 r.ok == r.s.count && r.arrivals == r.s.count && eof ? "OK" : "FAIL",
		 r.ok, r.s.count, r.bytes, t1 - t0,
		 t1 > t0 ? r.bytes * 8 / (t1 - t0) / 1e6 : 0.0, r.lost, r.dup,
		 r.reordered, r.truncated, r.corrupted, r.foreign,
		 eof ? "" : "; no end of stream");
	say("%s: %s\n", prog, verdict);
	if (r.ok < r.s.count && r.s.count - r.ok <= MAX_REPORT) {
		printf("%s: never arrived intact:", prog);
		for (uint32_t i = 0; i < r.s.count; i++)
			if (r.seen[i] != 1)
				printf(" %u", i);
		say("\n");
	}
	/* the verdict goes back to the sender (which may be gone) */
	{
		size_t vl = strlen(verdict);

		memcpy(buf, RESULT_MAGIC, 8);
		memcpy(buf + 8, verdict, vl);
		if (send(fd, buf, 8 + vl, MSG_NOSIGNAL) < 0 && !err)
			say("%s: sending the verdict: %s\n", prog, errname(errno));
	}
	close(fd);
	if (err && !(r.ok == r.s.count))
		return 3;
	return verdict[0] == 'O' ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* sender                                                              */

struct tx {
	struct stream s;
	int fd, reply;
	uint8_t *buf, *rbuf, *scratch;
	uint32_t sent, answered;
	uint64_t bytes;
	bool got_result, got_eof;
	char result[512];
	int mismatches;
	/* blocking sends */
	double max_block, blocked_total;
	uint32_t blocked_100ms;
	/* non-blocking sends */
	uint64_t eagain, polls, pollout_eagain, eagain_pollout;
	uint32_t small_limit;		/* "small": fits in half the sndbuf */
};

/* Handle one reply (receipt, echo or the verdict). */
static void tx_reply(struct tx *t, const uint8_t *b, ssize_t n)
{
	if (n >= 8 && !memcmp(b, RESULT_MAGIC, 8)) {
		size_t l = (size_t)n - 8 < sizeof(t->result) - 1 ?
			   (size_t)n - 8 : sizeof(t->result) - 1;

		memcpy(t->result, b + 8, l);
		t->result[l] = 0;
		t->got_result = true;
		return;
	}
	if (t->answered >= t->sent) {
		say("%s: unexpected reply of %zd bytes\n", prog, n);
		t->mismatches++;
		return;
	}
	if (t->reply == REPLY_RECEIPT) {
		if (n != RECEIPT_LEN || memcmp(b, RECEIPT_MAGIC, 4) ||
		    get32(b + 4) != t->answered ||
		    get32(b + 8) != msg_size(&t->s, t->answered)) {
			if (t->mismatches++ < MAX_REPORT)
				say("%s: bad receipt for message %u\n", prog,
				    t->answered);
		}
	} else {
		uint32_t len = msg_size(&t->s, t->answered);

		msg_build(&t->s, t->answered, t->scratch, len);
		if ((size_t)n != len || memcmp(b, t->scratch, len)) {
			if (t->mismatches++ < MAX_REPORT)
				say("%s: echo of message %u differs: %zd bytes, "
				    "want %u\n", prog, t->answered, n, len);
		}
	}
	t->answered++;
}

/* Read replies: blocking waits for one; else only what is there. */
static void tx_read(struct tx *t, bool blocking)
{
	for (;;) {
		ssize_t n = recv(t->fd, t->rbuf, O.bufsize,
				 MSG_TRUNC | (blocking ? 0 : MSG_DONTWAIT));

		if (n == 0) {
			t->got_eof = true;
			return;
		}
		if (n < 0) {
			if (!blocking && (errno == EAGAIN || errno == EWOULDBLOCK))
				return;
			sys_fail("recv reply after %u of %u messages sent", t->sent,
				 t->s.count);
		}
		tx_reply(t, t->rbuf, n);
		if (blocking)
			return;
	}
}

static void tx_send_blocking(struct tx *t, uint32_t len)
{
	double a = now_s(), d;
	ssize_t n = send(t->fd, t->buf, len, MSG_NOSIGNAL);

	d = now_s() - a;
	if (n < 0)
		sys_fail("send message %u (%u bytes) after %.3f s blocked",
			 t->sent, len, d);
	if (d > t->max_block)
		t->max_block = d;
	if (d > 0.1) {
		t->blocked_100ms++;
		t->blocked_total += d;
	}
}

/* Send with the socket non-blocking: poll() for POLLOUT on EAGAIN. */
static void tx_send_nonblock(struct tx *t, uint32_t len)
{
	bool after_pollout = false;

	for (;;) {
		struct pollfd p = { .fd = t->fd, .events = POLLOUT };
		ssize_t n = send(t->fd, t->buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		int rc;

		if (n >= 0)
			return;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			sys_fail("send message %u (%u bytes)", t->sent, len);
		t->eagain++;
		/* POLLOUT must mean a (small) send would not block */
		if (after_pollout && len <= t->small_limit)
			t->pollout_eagain++;
		if (len <= t->small_limit && poll(&p, 1, 0) == 1 &&
		    (p.revents & POLLOUT))
			t->eagain_pollout++;
		if (t->reply != REPLY_NONE)
			p.events |= POLLIN;
		t->polls++;
		rc = poll(&p, 1, O.timeout_ms > 0 ? O.timeout_ms : -1);
		if (rc < 0)
			sys_fail("poll");
		if (rc == 0) {
			errno = ETIMEDOUT;
			sys_fail("poll for POLLOUT (message %u): nothing in %d ms",
				 t->sent, O.timeout_ms);
		}
		if (p.revents & POLLIN)
			tx_read(t, false);
		if (p.revents & (POLLERR | POLLHUP) && !(p.revents & POLLOUT)) {
			int e = get_intopt(t->fd, SOL_SOCKET, SO_ERROR);

			errno = e > 0 ? e : EPIPE;
			sys_fail("poll revents 0x%x (message %u)", p.revents, t->sent);
		}
		after_pollout = p.revents & POLLOUT;
	}
}

/* Build message @idx, spoil it as @inject says, send it; its length. */
static uint32_t tx_one(struct tx *t, uint32_t idx, int inject)
{
	uint32_t len = msg_size(&t->s, idx);

	msg_build(&t->s, idx, t->buf, len);
	if (inject == INJ_TRUNCATE && len > 1)
		len--;
	if (inject == INJ_CORRUPT)
		t->buf[len / 2] ^= 0x20;
	if (O.nonblock)
		tx_send_nonblock(t, len);
	else
		tx_send_blocking(t, len);
	t->sent++;
	t->bytes += len;
	if (t->reply != REPLY_NONE && !O.nonblock)
		tx_read(t, false);
	return len;
}

static int do_send(void)
{
	union addr a, local;
	socklen_t llen = sizeof(local), len;
	struct tx t = { 0 };
	uint8_t hello[HELLO_LEN];
	double t0, t1, mean;
	int sndbuf, close_err = 0;

	if (parse_addr(O.addr, &a, &len)) {
		fprintf(stderr, "%s: bad address '%s' (want IP:PORT)\n", prog, O.addr);
		return 2;
	}
	if (!O.seed_set)
		O.seed = splitmix64((uint64_t)time(NULL) << 20 ^ (uint64_t)getpid() ^
				    (uint64_t)(now_s() * 1e9));
	t.s = (struct stream){ .seed = O.seed, .count = O.count, .min = O.min,
			       .max = O.max, .dist = O.dist };
	t.reply = O.echo ? REPLY_ECHO : O.window ? REPLY_RECEIPT : REPLY_NONE;
	if (O.echo && !O.window)
		O.window = 4;
	mean = 0;
	for (uint32_t i = 0; i < O.count; i++)
		mean += msg_size(&t.s, i);
	say("%s: seed %" PRIu64 ": %u messages of %u..%u bytes (%s, mean %.0f, "
	    "total %.0f), window %u%s, replies: %s\n", prog, O.seed, O.count,
	    O.min, O.max, dist_names[O.dist], O.count ? mean / O.count : 0.0,
	    mean, O.window, O.window ? "" : " (unlimited: kernel flow control)",
	    reply_names[t.reply]);

	t.buf = malloc(O.max > HDR_LEN ? O.max : HDR_LEN);
	t.scratch = malloc(O.max > HDR_LEN ? O.max : HDR_LEN);
	t.rbuf = malloc(O.bufsize);
	if (!t.buf || !t.rbuf || !t.scratch)
		sys_fail("malloc");
	t.fd = socket(family(O.addr), SOCK_SEQPACKET, 0);
	if (t.fd < 0)
		sys_fail("socket(%s, SOCK_SEQPACKET)",
			 family(O.addr) == AF_TOY ? "AF_TOY" : "AF_UNIX");
	if (O.sndbuf && setsockopt(t.fd, SOL_SOCKET, SO_SNDBUF, &O.sndbuf,
				   sizeof(O.sndbuf)))
		sys_fail("setsockopt SO_SNDBUF %d", O.sndbuf);
	if (O.rcvbuf && setsockopt(t.fd, SOL_SOCKET, SO_RCVBUF, &O.rcvbuf,
				   sizeof(O.rcvbuf)))
		sys_fail("setsockopt SO_RCVBUF %d", O.rcvbuf);
	set_timeouts(t.fd, O.timeout_ms);
	if (connect(t.fd, &a.sa, len))
		sys_fail("connect %s", O.addr);
	memset(&local, 0, sizeof(local));
	getsockname(t.fd, &local.sa, &llen);
	sndbuf = get_intopt(t.fd, SOL_SOCKET, SO_SNDBUF);
	/* a message whose segments need at most half the send buffer */
	t.small_limit = sndbuf > 0 ? (uint32_t)sndbuf / 4 : 0;
	say("%s: connected to %s from %s, SO_SNDBUF %d, SO_RCVBUF %d, mss %d\n",
	    prog, fmt_addr(&a), fmt_addr(&local), sndbuf,
	    get_intopt(t.fd, SOL_SOCKET, SO_RCVBUF),
	    get_intopt(t.fd, SOL_TOY, TOY_MAXSEG));

	start_info_thread(t.fd);
	t0 = now_s();
	hello_build(&t.s, t.reply, O.window, hello);
	send_all(t.fd, hello, sizeof(hello), "hello");
	if (O.nonblock && fcntl(t.fd, F_SETFL, fcntl(t.fd, F_GETFL) | O_NONBLOCK))
		sys_fail("fcntl O_NONBLOCK");

	while (t.sent < O.count) {
		uint32_t idx = t.sent;

		/* the window: wait for replies (receipts or echoes) */
		while (O.window && t.sent - t.answered >= O.window) {
			if (O.nonblock) {
				struct pollfd p = { .fd = t.fd, .events = POLLIN };

				if (poll(&p, 1, O.timeout_ms > 0 ? O.timeout_ms : -1) <= 0) {
					errno = ETIMEDOUT;
					sys_fail("waiting for a reply to message %u",
						 t.answered);
				}
			}
			tx_read(&t, !O.nonblock);
			if (t.got_eof || t.got_result) {
				say("%s: the receiver ended the connection after %u "
				    "messages: %s\n", prog, t.sent,
				    t.got_result ? t.result : "end of stream");
				return 1;
			}
		}
		/* --inject: the negative controls of the verifier */
		if (O.inject != INJ_NONE && idx == O.inject_at) {
			say("%s: injecting '%s' at message %u\n", prog,
			    inject_names[O.inject], idx);
			switch (O.inject) {
			case INJ_DROP:
				t.sent++;
				continue;
			case INJ_SWAP:
				if (idx + 1 < O.count) {
					tx_one(&t, idx + 1, 0);
					tx_one(&t, idx, 0);
					continue;
				}
				break;
			case INJ_DUP:
				tx_one(&t, idx, 0);
				tx_one(&t, idx, 0);
				t.sent--;	/* one index, two copies */
				continue;
			case INJ_TRUNCATE:
			case INJ_CORRUPT:
				tx_one(&t, idx, O.inject);
				continue;
			}
		}
		tx_one(&t, idx, 0);
		if (O.progress && t.sent % O.progress == 0)
			say("%s: sent %u\n", prog, t.sent);
	}
	t1 = now_s();
	say("%s: all %u messages (%" PRIu64 " bytes) handed to the kernel in %.3f s\n",
	    prog, t.sent, t.bytes, t1 - t0);
	if (O.nonblock && fcntl(t.fd, F_SETFL, fcntl(t.fd, F_GETFL) & ~O_NONBLOCK))
		sys_fail("fcntl ~O_NONBLOCK");
	if (shutdown(t.fd, SHUT_WR))
		sys_fail("shutdown(SHUT_WR)");
	/* the rest of the replies, then the verdict, then end of stream */
	while (!t.got_eof && !t.got_result)
		tx_read(&t, true);
	t1 = now_s();
	if (O.info)
		print_info(t.fd, prog);
	/* the receiver closes after its verdict: we should read the end */
	while (!t.got_eof) {
		ssize_t n = recv(t.fd, t.rbuf, O.bufsize, MSG_TRUNC);

		if (n == 0)
			break;
		if (n < 0) {
			close_err = errno;
			say("%s: after the verdict: %s (%s) instead of the end of "
			    "stream, at uptime %.3f\n", prog, errname(errno),
			    strerror(errno), uptime_s());
			break;
		}
		tx_reply(&t, t.rbuf, n);
	}
	close(t.fd);

	say("%s: sent %u messages, %" PRIu64 " bytes in %.3f s: goodput %.2f Mbit/s, "
	    "%.0f messages/s\n", prog, t.sent, t.bytes, t1 - t0,
	    t.bytes * 8 / (t1 - t0) / 1e6, t.sent / (t1 - t0));
	if (O.nonblock)
		say("%s: non-blocking: EAGAIN %" PRIu64 " times, %" PRIu64
		    " polls; EAGAIN right after POLLOUT %" PRIu64 ", POLLOUT "
		    "while EAGAIN %" PRIu64 " (messages <= %u bytes)\n", prog,
		    t.eagain, t.polls, t.pollout_eagain, t.eagain_pollout,
		    t.small_limit);
	else
		say("%s: blocking: longest send() %.0f ms, %u sends blocked over "
		    "100 ms (%.3f s in all)\n", prog, t.max_block * 1e3,
		    t.blocked_100ms, t.blocked_total);
	if (t.reply != REPLY_NONE)
		say("%s: %u of %u %ss checked, %d mismatched\n", prog, t.answered,
		    t.sent, reply_names[t.reply], t.mismatches);
	if (!t.got_result) {
		say("%s: no verdict from the receiver (end of stream)\n", prog);
		return 1;
	}
	say("%s: receiver: %s\n", prog, t.result);
	if (t.mismatches || t.answered != (t.reply ? t.sent : 0))
		return 1;
	if (strncmp(t.result, "OK", 2))
		return 1;
	return close_err ? 4 : 0;
}

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-verify recv ADDR:PORT [options]   accept one connection, verify\n"
"       toy-verify send ADDR:PORT [options]   connect, send, get the verdict\n"
"\n"
"sender:\n"
"  --count N        messages to send (default 2000)\n"
"  --min B, --max B message sizes in bytes (default 1 and 65536)\n"
"  --dist log|uniform  size distribution (default log: log-uniform)\n"
"  --seed S         seed of sizes and contents (default: time; printed)\n"
"  --window W       at most W messages without a reply (receipts, or echoes\n"
"                   with --echo); 0 (default): no replies, the sender never\n"
"                   waits, flow control is the kernel's\n"
"  --echo           the receiver echoes each message; the sender compares\n"
"                   (window 4 unless --window)\n"
"  --nonblock       O_NONBLOCK + poll(POLLOUT); counts EAGAIN and checks\n"
"                   that POLLOUT means a send does not block\n"
"receiver:\n"
"  --count N        insist on N messages (default: what the hello says)\n"
"  --pause-after K --pause-ms M  stop reading for M ms after K messages\n"
"  --read-delay-us U  a slow reader: sleep U microseconds after each message\n"
"  --bufsize B      receive buffer (default 4 MiB)\n"
"both:\n"
"  --sndbuf B, --rcvbuf B   SO_SNDBUF/SO_RCVBUF (receiver: on the listener)\n"
"  --timeout MS     idle limit of every wait (default 60000; 0 none)\n"
"  --progress K     print a line every K messages\n"
"  --info           print TOY_INFO at the end\n"
"  --info-every MS  and every MS milliseconds meanwhile (AF_TOY only)\n"
"  --inject KIND:I  sender misbehaves at message I, to show that the receiver\n"
"                   notices: drop, dup, swap (I+1 first), truncate (1 byte\n"
"                   short), corrupt (one bit flipped); no replies allowed\n"
"ADDR: IP:PORT (AF_TOY), or /path or @name (AF_UNIX SOCK_SEQPACKET, for\n"
"      testing toy-verify itself without the module)\n"
"exit: 0 verified, 1 mismatch, 2 usage, 3 socket error (errno name shown),\n"
"      4 verified but no clean end of stream after the verdict\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, 0, 'n' },
		{ "min", required_argument, 0, 'm' },
		{ "max", required_argument, 0, 'M' },
		{ "dist", required_argument, 0, 'd' },
		{ "seed", required_argument, 0, 's' },
		{ "window", required_argument, 0, 'w' },
		{ "echo", no_argument, 0, 'e' },
		{ "nonblock", no_argument, 0, 'N' },
		{ "sndbuf", required_argument, 0, 'S' },
		{ "rcvbuf", required_argument, 0, 'R' },
		{ "timeout", required_argument, 0, 't' },
		{ "pause-after", required_argument, 0, 'p' },
		{ "pause-ms", required_argument, 0, 'P' },
		{ "read-delay-us", required_argument, 0, 'D' },
		{ "bufsize", required_argument, 0, 'b' },
		{ "progress", required_argument, 0, 'g' },
		{ "info", no_argument, 0, 'i' },
		{ "inject", required_argument, 0, 'I' },
		{ "info-every", required_argument, 0, 'E' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	const char *mode;
	bool count_set = false;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	mode = argv[1];
	argv++;
	argc--;
	while ((opt = getopt_long(argc, argv, "n:w:eh", opts, NULL)) != -1) {
		switch (opt) {
		case 'n': O.count = strtoul(optarg, NULL, 0); count_set = true; break;
		case 'm': O.min = strtoul(optarg, NULL, 0); break;
		case 'M': O.max = strtoul(optarg, NULL, 0); break;
		case 'd':
			if (!strcmp(optarg, "log"))
				O.dist = DIST_LOG;
			else if (!strcmp(optarg, "uniform"))
				O.dist = DIST_UNIFORM;
			else
				goto bad;
			break;
		case 's': O.seed = strtoull(optarg, NULL, 0); O.seed_set = true; break;
		case 'w': O.window = strtoul(optarg, NULL, 0); break;
		case 'e': O.echo = true; break;
		case 'N': O.nonblock = true; break;
		case 'S': O.sndbuf = atoi(optarg); break;
		case 'R': O.rcvbuf = atoi(optarg); break;
		case 't': O.timeout_ms = atoi(optarg); break;
		case 'p': O.pause_after = strtoul(optarg, NULL, 0); break;
		case 'P': O.pause_ms = atoi(optarg); break;
		case 'D': O.read_delay_us = atoi(optarg); break;
		case 'b': O.bufsize = strtoul(optarg, NULL, 0); break;
		case 'g': O.progress = strtoul(optarg, NULL, 0); break;
		case 'i': O.info = true; break;
		case 'E': O.info_every = atoi(optarg); break;
		case 'I': {
			char *colon = strchr(optarg, ':');
			int k;

			if (!colon)
				goto bad;
			*colon = 0;
			for (k = INJ_DROP; k <= INJ_CORRUPT; k++)
				if (!strcmp(optarg, inject_names[k]))
					O.inject = k;
			if (!O.inject)
				goto bad;
			O.inject_at = strtoul(colon + 1, NULL, 0);
			break;
		}
		case 'h': usage(stdout); return 0;
		default: goto bad;
		}
	}
	if (optind != argc - 1)
		goto bad;
	O.addr = argv[optind];
	if (O.inject && (O.window || O.echo))
		goto bad;
	if (!O.min || O.min > O.max || O.bufsize < HELLO_LEN + 8 + 512)
		goto bad;
	if (!strcmp(mode, "recv")) {
		if (!count_set)
			O.count = 0;
		return do_recv();
	}
	if (!strcmp(mode, "send"))
		return do_send();
bad:
	usage(stderr);
	return 2;
}
