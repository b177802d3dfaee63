// SPDX-License-Identifier: GPL-2.0
/*
 * toy-hostile: a hostile peer for AF_TOY, from an IPv4 raw socket.
 *
 *	toy-hostile fuzz --proc /proc/PID/net/toy [--proc ...] [--count N]
 *	toy-hostile attack SRC:PORT DST:PORT [--both] [--count N]
 *	toy-hostile synflood DST:PORT --src-net 10.9.0.0/16 [--seconds S]
 *
 * Every segment is built by hand: an IPv4 header (IP_HDRINCL, protocol 253)
 * and an AF_TOY header as module/wire.h defines it, with options and
 * payload, checksummed over the pseudo-header as toy_csum() does. Source
 * addresses are whatever the mode needs (spoofed freely).
 *
 * fuzz     malformed and half-plausible segments (truncated, doff lying
 *          both ways, every flag combination, options whose kinds and
 *          lengths lie, SACK blocks at the edges and reversed, timestamps at
 *          0/1/2^31/2^32-1, checksums mostly right), aimed at the listeners
 *          and connections listed in /proc/net/toy files read as root
 *          (their live snd_una/snd_nxt/rcv_nxt, re-read as it goes), in
 *          both directions of every connection.
 * attack   a blind attacker who knows a connection's 4-tuple but none of
 *          its numbers: forged RSTs, SYNs, data, ACKs and segments with
 *          timestamps far in the future, all with random sequence numbers.
 * synflood SYNs from random addresses and ports of a subnet (route it to a
 *          blackhole at the target so that the SYN-ACKs go nowhere), as
 *          fast as the raw socket takes them.
 *
 * Every run prints its seed; --seed replays it. Ends with what it sent and
 * how fast, also when stopped early by SIGINT or SIGTERM. Exit status: 0 done, 1 error, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define IPPROTO_TOY	253

/* module/wire.h, restated: this program speaks the wire, not the uapi. */
#define TOY_HDR_LEN	20
#define TOY_F_SYN	0x01
#define TOY_F_ACK	0x02
#define TOY_F_FIN	0x04
#define TOY_F_RST	0x08
#define TOY_F_EOM	0x10
#define TOY_OPT_END	0
#define TOY_OPT_NOP	1
#define TOY_OPT_MSS	2
#define TOY_OPT_SACK	5
#define TOY_OPT_TS	8

#define IP_HDR_LEN	20
#define PKT_MAX		1500		/* veth MTU: no fragments */
#define SEG_MAX		(PKT_MAX - IP_HDR_LEN)
#define MAX_TARGETS	256
#define MAX_PROCS	8
#define OPT_OVERSIZED	1000		/* options of a 1020-byte header */

static const char *prog = "toy-hostile";

/* SIGINT/SIGTERM end a run early, still with its report */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL)) {
		fprintf(stderr, "%s: sigaction: %s\n", prog, strerror(errno));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* random numbers: splitmix64, reproducible from the printed seed      */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd32(void)
{
	return (uint32_t)(rnd64() >> 32);
}

/* uniform in [0, n), n > 0 */
static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)(((rnd64() >> 32) * n) >> 32);
}

static bool chance(unsigned int percent)
{
	return rnd_below(100) < percent;
}

static void rnd_fill(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd32();
}

/* ------------------------------------------------------------------ */
/* time                                                                */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* the module's TSval clock: ktime_get_ns() in microseconds, as a u32 */
static uint32_t toy_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)((uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

/* ------------------------------------------------------------------ */
/* addresses                                                           */

struct endpoint {
	uint32_t addr;			/* network order */
	uint16_t port;			/* host order */
};

static bool parse_endpoint(const char *s, struct endpoint *ep)
{
	char buf[64], *colon, *end;
	struct in_addr a;
	unsigned long port;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (!colon)
		return false;
	*colon = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port > 65535)
		return false;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	ep->addr = a.s_addr;
	ep->port = (uint16_t)port;
	return true;
}

struct subnet {
	uint32_t base;			/* host order */
	uint32_t size;			/* addresses in it */
};

static bool parse_subnet(const char *s, struct subnet *sn)
{
	char buf[64], *slash, *end;
	struct in_addr a;
	unsigned long bits;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	bits = strtoul(slash + 1, &end, 10);
	if (*end || end == slash + 1 || bits < 8 || bits > 30)
		return false;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	sn->size = 1U << (32 - bits);
	sn->base = ntohl(a.s_addr) & ~(sn->size - 1);
	return true;
}

/* a host address of the subnet (not its first or last) */
static uint32_t subnet_pick(const struct subnet *sn)
{
	return htonl(sn->base + 1 + rnd_below(sn->size - 2));
}

static const char *ep_str(const struct endpoint *ep, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &ep->addr, a, sizeof(a));
	snprintf(buf, len, "%s:%u", a, ep->port);
	return buf;
}

/* ------------------------------------------------------------------ */
/* segments                                                            */

struct seg {
	uint32_t saddr, daddr;		/* network order */
	uint16_t sport, dport;		/* host order */
	uint32_t seq, ack, window;
	uint8_t flags;
	int doff;			/* words; -1: the true header length */
	uint8_t opts[1024];		/* option bytes as they go on the wire */
	unsigned int opt_len;
	unsigned int payload;		/* payload bytes (random) */
	int cut;			/* >= 0: send only this many bytes of it */
	bool bad_csum;
};

static void seg_init(struct seg *s, uint32_t saddr, uint16_t sport,
		     uint32_t daddr, uint16_t dport)
{
	memset(s, 0, sizeof(*s));
	s->saddr = saddr;
	s->sport = sport;
	s->daddr = daddr;
	s->dport = dport;
	s->window = 1 << 20;
	s->doff = -1;
	s->cut = -1;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void opt_nop(struct seg *s)
{
	if (s->opt_len < sizeof(s->opts))
		s->opts[s->opt_len++] = TOY_OPT_NOP;
}

/* NOP-padded TS option, as the module writes it (12 bytes) */
static void opt_ts(struct seg *s, uint32_t tsval, uint32_t tsecr)
{
	uint8_t *p = s->opts + s->opt_len;

	if (s->opt_len + 12 > sizeof(s->opts))
		return;
	p[0] = TOY_OPT_NOP;
	p[1] = TOY_OPT_NOP;
	p[2] = TOY_OPT_TS;
	p[3] = 10;
	put_be32(p + 4, tsval);
	put_be32(p + 8, tsecr);
	s->opt_len += 12;
}

static void opt_mss(struct seg *s, uint16_t mss)
{
	uint8_t *p = s->opts + s->opt_len;

	if (s->opt_len + 4 > sizeof(s->opts))
		return;
	p[0] = TOY_OPT_MSS;
	p[1] = 4;
	put_be16(p + 2, mss);
	s->opt_len += 4;
}

/* SACK with NOP padding: 2 + 2 + 8 * n bytes */
static void opt_sack(struct seg *s, const uint32_t *edges, unsigned int n)
{
	uint8_t *p = s->opts + s->opt_len;
	unsigned int i;

	if (s->opt_len + 4 + 8 * n > sizeof(s->opts))
		return;
	p[0] = TOY_OPT_NOP;
	p[1] = TOY_OPT_NOP;
	p[2] = TOY_OPT_SACK;
	p[3] = (uint8_t)(2 + 8 * n);
	for (i = 0; i < 2 * n; i++)
		put_be32(p + 4 + 4 * i, edges[i]);
	s->opt_len += 4 + 8 * n;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/*
 * The Internet checksum over the pseudo-header and the segment, as
 * toy_csum(): a correct segment sums to zero with its checksum in place.
 */
static uint16_t toy_checksum(uint32_t saddr, uint32_t daddr,
			     const uint8_t *seg, size_t len)
{
	uint8_t ph[12];

	memcpy(ph, &saddr, 4);
	memcpy(ph + 4, &daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TOY;
	put_be16(ph + 10, (uint16_t)len);
	return csum_fold(csum_add(csum_add(0, ph, sizeof(ph)), seg, len));
}

/*
 * Lay out the IPv4 packet for @s in @pkt; returns its length. The IP
 * header is ours (IP_HDRINCL); the kernel fills in the id and checksum
 * and, for a raw socket, the total length.
 */
static size_t seg_build(const struct seg *s, uint8_t *pkt)
{
	uint8_t *th = pkt + IP_HDR_LEN;
	unsigned int hlen = TOY_HDR_LEN + s->opt_len, len;
	struct iphdr *ip = (struct iphdr *)pkt;
	uint16_t sum;

	/* a true header length is whole words: pad the options with NOPs */
	if (s->doff < 0)
		hlen = (hlen + 3) & ~3U;

	if (hlen > SEG_MAX)
		hlen = SEG_MAX;
	len = hlen + s->payload;
	if (len > SEG_MAX)
		len = SEG_MAX;
	put_be16(th, s->sport);
	put_be16(th + 2, s->dport);
	put_be32(th + 4, s->seq);
	put_be32(th + 8, s->ack);
	th[12] = s->doff >= 0 ? (uint8_t)s->doff : (uint8_t)(hlen / 4);
	th[13] = s->flags;
	th[14] = th[15] = 0;
	put_be32(th + 16, s->window);
	memcpy(th + TOY_HDR_LEN, s->opts, s->opt_len < hlen - TOY_HDR_LEN ?
	       s->opt_len : hlen - TOY_HDR_LEN);
	if (s->opt_len < hlen - TOY_HDR_LEN)
		memset(th + TOY_HDR_LEN + s->opt_len, TOY_OPT_NOP,
		       hlen - TOY_HDR_LEN - s->opt_len);
	rnd_fill(th + hlen, len - hlen);
	if (s->cut >= 0 && (unsigned int)s->cut < len)
		len = s->cut;
	/* a cut header still carries a checksum where there is room for it */
	sum = toy_checksum(s->saddr, s->daddr, th, len);
	if (s->bad_csum)
		sum ^= 1 + rnd_below(0xfffe);
	if (len >= 16)
		put_be16(th + 14, sum);

	memset(ip, 0, IP_HDR_LEN);
	ip->version = 4;
	ip->ihl = IP_HDR_LEN / 4;
	ip->ttl = 64;
	ip->protocol = IPPROTO_TOY;
	ip->tot_len = htons((uint16_t)(IP_HDR_LEN + len));
	ip->saddr = s->saddr;
	ip->daddr = s->daddr;
	return IP_HDR_LEN + len;
}

/* ------------------------------------------------------------------ */
/* the raw socket                                                      */

struct tx {
	int fd;
	uint64_t sent;			/* accepted by sendto() */
	uint64_t dropped;		/* ENOBUFS and friends: queue full */
	double t0;
};

static int tx_open(struct tx *tx)
{
	int on = 1;

	memset(tx, 0, sizeof(*tx));
	tx->fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (tx->fd < 0) {
		fprintf(stderr, "%s: socket(AF_INET, SOCK_RAW): %s (root?)\n",
			prog, strerror(errno));
		return -1;
	}
	if (setsockopt(tx->fd, IPPROTO_IP, IP_HDRINCL, &on, sizeof(on))) {
		fprintf(stderr, "%s: IP_HDRINCL: %s\n", prog, strerror(errno));
		close(tx->fd);
		return -1;
	}
	tx->t0 = now_s();
	return 0;
}

/* Send one segment; 0, or -1 on an error that is not a full queue. */
static int tx_send(struct tx *tx, const struct seg *s)
{
	static uint8_t pkt[PKT_MAX];
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t len = seg_build(s, pkt);

	to.sin_addr.s_addr = s->daddr;
	for (;;) {
		if (sendto(tx->fd, pkt, len, 0, (struct sockaddr *)&to,
			   sizeof(to)) == (ssize_t)len) {
			tx->sent++;
			return 0;
		}
		if (errno == EINTR && !stop)
			continue;
		if (errno == EINTR)
			return 0;
		if (errno == ENOBUFS || errno == EAGAIN || errno == ENOMEM ||
		    errno == EPERM || errno == EHOSTUNREACH ||
		    errno == ENETUNREACH || errno == EINVAL) {
			/* a full queue or a neighbour still being resolved */
			tx->dropped++;
			return 0;
		}
		fprintf(stderr, "%s: sendto: %s\n", prog, strerror(errno));
		return -1;
	}
}

static void tx_report(const struct tx *tx, const char *what)
{
	double secs = now_s() - tx->t0;

	if (secs <= 0)
		secs = 1e-9;
	printf("%s: %s: %" PRIu64 " segments sent in %.1f s: %.0f segments/s"
	       " (%" PRIu64 " refused by a full queue)\n", prog, what,
	       tx->sent, secs, tx->sent / secs, tx->dropped);
}

/* ------------------------------------------------------------------ */
/* fuzz: targets from /proc/net/toy                                    */

struct target {
	struct endpoint local, remote;	/* the socket's view */
	bool listen;
	uint32_t snd_una, snd_nxt, rcv_nxt, snd_wnd, rcv_wnd;
};

struct targets {
	struct target t[MAX_TARGETS];
	unsigned int n, nlisten;
};

/* column index of @name in the header line, or -1 */
static int column(char *const *cols, int ncols, const char *name)
{
	for (int i = 0; i < ncols; i++)
		if (!strcmp(cols[i], name))
			return i;
	return -1;
}

static int split(char *line, char **cols, int max)
{
	int n = 0;

	for (char *tok = strtok(line, " \t\n"); tok && n < max;
	     tok = strtok(NULL, " \t\n"))
		cols[n++] = tok;
	return n;
}

enum { C_LOCAL, C_REMOTE, C_STATE, C_UNA, C_NXT, C_RCV, C_SWND, C_RWND, NCOL };
static const char *const col_names[NCOL] = {
	"local", "remote", "state", "snd_una", "snd_nxt", "rcv_nxt",
	"snd_wnd", "rcv_wnd",
};

static bool parse_target(char **cols, int ncols, const int *idx,
			 struct target *t)
{
	for (int i = 0; i < NCOL; i++)
		if (idx[i] >= ncols)
			return false;
	memset(t, 0, sizeof(*t));
	if (!parse_endpoint(cols[idx[C_LOCAL]], &t->local) ||
	    !parse_endpoint(cols[idx[C_REMOTE]], &t->remote))
		return false;
	t->listen = !strcmp(cols[idx[C_STATE]], "LISTEN");
	if (!t->listen && (!strcmp(cols[idx[C_STATE]], "CLOSE") ||
			   !t->remote.port))
		return false;
	t->snd_una = (uint32_t)strtoul(cols[idx[C_UNA]], NULL, 10);
	t->snd_nxt = (uint32_t)strtoul(cols[idx[C_NXT]], NULL, 10);
	t->rcv_nxt = (uint32_t)strtoul(cols[idx[C_RCV]], NULL, 10);
	t->snd_wnd = (uint32_t)strtoul(cols[idx[C_SWND]], NULL, 10);
	t->rcv_wnd = (uint32_t)strtoul(cols[idx[C_RWND]], NULL, 10);
	return true;
}

/* Add the sockets listed in @path; listeners on 0.0.0.0 get @any_addr. */
static int targets_read(struct targets *ts, const char *path,
			uint32_t any_addr)
{
	char line[512], *cols[32];
	int idx[NCOL], ncols;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
		return -1;
	}
	if (!fgets(line, sizeof(line), f)) {
		fprintf(stderr, "%s: %s: empty\n", prog, path);
		fclose(f);
		return -1;
	}
	ncols = split(line, cols, 32);
	for (int i = 0; i < NCOL; i++) {
		idx[i] = column(cols, ncols, col_names[i]);
		if (idx[i] < 0) {
			fprintf(stderr, "%s: %s: no column %s\n", prog, path,
				col_names[i]);
			fclose(f);
			return -1;
		}
	}
	while (fgets(line, sizeof(line), f) && ts->n < MAX_TARGETS) {
		struct target *t = &ts->t[ts->n];

		ncols = split(line, cols, 32);
		if (!parse_target(cols, ncols, idx, t))
			continue;
		if (t->listen && !t->local.addr)
			t->local.addr = any_addr;
		if (!t->local.addr)
			continue;
		ts->nlisten += t->listen;
		ts->n++;
	}
	fclose(f);
	return 0;
}

struct fuzz_opts {
	const char *procs[MAX_PROCS];
	int nprocs;
	uint64_t count;
	double seconds;			/* > 0: stop after this long */
	unsigned int refresh;
	uint32_t any_addr;
	struct subnet src_net;
	bool have_src_net;
};

static int targets_load(struct targets *ts, const struct fuzz_opts *o)
{
	ts->n = ts->nlisten = 0;
	for (int i = 0; i < o->nprocs; i++)
		if (targets_read(ts, o->procs[i], o->any_addr))
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* fuzz: the generators                                                */

/* a number at or around @base: the edges a window check has to get right */
static uint32_t near(uint32_t base, uint32_t wnd)
{
	static const int32_t small[] = { 0, 0, 0, 1, -1, 2, -2, 1460, -1460 };

	switch (rnd_below(8)) {
	case 0: case 1: case 2:
		return base + small[rnd_below(sizeof(small) / sizeof(small[0]))];
	case 3:
		return base + wnd + rnd_below(3) - 1;
	case 4:
		return base - wnd + rnd_below(3) - 1;
	case 5:
		return base + rnd_below(wnd ? wnd : 1);
	case 6:
		return base + 0x80000000U + rnd_below(3) - 1;
	default:
		return rnd32();
	}
}

static uint32_t ts_edge(void)
{
	static const uint32_t edge[] = {
		0, 1, 0x7fffffff, 0x80000000U, 0x80000001U, 0xffffffffU,
	};

	if (chance(50))
		return toy_clock_us() - rnd_below(1000000);
	return edge[rnd_below(sizeof(edge) / sizeof(edge[0]))];
}

/* SACK blocks about @t's sent data: at the edges, empty, reversed, wild */
static void fuzz_sack(struct seg *s, const struct target *t)
{
	uint32_t e[10];
	unsigned int n = rnd_below(6);	/* 0..5 blocks */

	for (unsigned int i = 0; i < n; i++) {
		uint32_t a = near(t->snd_una, t->snd_nxt - t->snd_una + 1);
		uint32_t b = near(t->snd_nxt, t->snd_wnd);

		switch (rnd_below(5)) {
		case 0:
			e[2 * i] = b;		/* reversed */
			e[2 * i + 1] = a;
			break;
		case 1:
			e[2 * i] = e[2 * i + 1] = a;	/* empty */
			break;
		case 2:
			e[2 * i] = t->snd_una;
			e[2 * i + 1] = t->snd_nxt;
			break;
		default:
			e[2 * i] = a;
			e[2 * i + 1] = b;
		}
	}
	opt_sack(s, e, n);
	if (chance(20) && s->opt_len >= 1)	/* an odd length */
		s->opts[s->opt_len - 8 * n - 1] += 1 + rnd_below(7);
}

/* one option that lies, or a run of them */
static void fuzz_bad_option(struct seg *s)
{
	uint8_t *p = s->opts + s->opt_len;
	unsigned int room = 40 - (s->opt_len < 40 ? s->opt_len : 40);

	if (room < 2)
		return;
	switch (rnd_below(8)) {
	case 0:				/* zero length */
		p[0] = (uint8_t)(2 + rnd_below(10));
		p[1] = 0;
		s->opt_len += 2;
		break;
	case 1:				/* length past the end */
		p[0] = chance(50) ? TOY_OPT_SACK : TOY_OPT_TS;
		p[1] = (uint8_t)(room + 1 + rnd_below(200));
		s->opt_len += 2;
		break;
	case 2:				/* unknown kind */
		p[0] = (uint8_t)(3 + rnd_below(253));
		if (p[0] == TOY_OPT_SACK || p[0] == TOY_OPT_TS)
			p[0] = 42;
		p[1] = (uint8_t)(2 + rnd_below(room - 1));
		rnd_fill(p + 2, p[1] - 2);
		s->opt_len += p[1];
		break;
	case 3:				/* a kind with no length byte */
		p[0] = TOY_OPT_TS;
		s->opt_len += 1;
		break;
	case 4:				/* TS of the wrong size */
		p[0] = TOY_OPT_TS;
		p[1] = (uint8_t)(2 + rnd_below(room - 1));
		rnd_fill(p + 2, p[1] - 2);
		s->opt_len += p[1];
		break;
	case 5:				/* MSS off a SYN, or tiny, or twice */
		opt_mss(s, (uint16_t)rnd32());
		if (chance(30))
			opt_mss(s, (uint16_t)rnd_below(100));
		break;
	case 6:				/* length 1 */
		p[0] = (uint8_t)rnd32();
		p[1] = 1;
		s->opt_len += 2;
		break;
	default:			/* pure noise */
		rnd_fill(p, room);
		s->opt_len += rnd_below(room + 1);
	}
}

static void fuzz_options(struct seg *s, const struct target *t)
{
	if (chance(70))
		opt_ts(s, ts_edge(), ts_edge());
	if (chance(30))
		fuzz_sack(s, t);
	if (chance(30))
		fuzz_bad_option(s);
	if (chance(10)) {			/* TS twice */
		opt_ts(s, ts_edge(), ts_edge());
	}
	if (chance(10))
		opt_nop(s);
	if (chance(5) && s->opt_len < sizeof(s->opts))
		s->opts[s->opt_len++] = TOY_OPT_END;
}

/* header length and byte count that lie */
static void fuzz_lengths(struct seg *s)
{
	unsigned int hlen = TOY_HDR_LEN + s->opt_len;

	switch (rnd_below(10)) {
	case 0:				/* truncated: 0..19 bytes */
		s->cut = (int)rnd_below(TOY_HDR_LEN);
		break;
	case 1:				/* doff too small: 0..4 words */
		s->doff = (int)rnd_below(5);
		break;
	case 2:				/* doff past the end of the segment */
		s->doff = (int)((hlen + 3) / 4 + 1 + rnd_below(250));
		if (s->doff > 255)
			s->doff = 255;
		break;
	case 3:				/* oversized header: up to 1020 bytes */
		if (s->opt_len < OPT_OVERSIZED) {
			unsigned int more = rnd_below(OPT_OVERSIZED - s->opt_len);

			rnd_fill(s->opts + s->opt_len, more);
			s->opt_len += more;
		}
		break;
	case 4:				/* cut inside the options */
		s->cut = (int)(TOY_HDR_LEN + rnd_below(s->opt_len + 1));
		break;
	default:
		break;
	}
}

static uint8_t fuzz_flags(uint64_t i)
{
	static const uint8_t common[] = {
		TOY_F_ACK, TOY_F_ACK | TOY_F_EOM, TOY_F_SYN,
		TOY_F_SYN | TOY_F_ACK, TOY_F_RST, TOY_F_RST | TOY_F_ACK,
		TOY_F_FIN | TOY_F_ACK, TOY_F_FIN | TOY_F_ACK | TOY_F_EOM,
	};

	/* every one of the 256 values in turn, one segment in four */
	if (i % 4 == 0)
		return (uint8_t)(i / 4);
	return common[rnd_below(sizeof(common) / sizeof(common[0]))];
}

/*
 * payload: none, a little, or up to what one packet holds; mostly small,
 * as the checks under test are in the header and every byte costs time
 */
static unsigned int fuzz_payload(void)
{
	unsigned int r = rnd_below(100);

	if (r < 40)
		return 0;
	if (r < 85)
		return 1 + rnd_below(64);
	if (r < 95)
		return 1 + rnd_below(SEG_MAX);
	return SEG_MAX;
}

/*
 * A segment for connection @t, from its peer (the 4-tuple reversed, so it
 * lands on @t's socket): numbers around @t's live window.
 */
static void fuzz_at_conn(struct seg *s, const struct target *t, uint64_t i)
{
	seg_init(s, t->remote.addr, t->remote.port, t->local.addr,
		 t->local.port);
	s->seq = near(t->rcv_nxt, t->rcv_wnd);
	s->ack = chance(50) ? near(t->snd_una, t->snd_wnd)
			    : near(t->snd_nxt, t->snd_wnd);
	s->window = chance(80) ? rnd32() >> rnd_below(32) : 0;
	s->flags = fuzz_flags(i);
}

/* A segment for listener @t from some peer: SYNs, cookie ACKs, noise. */
static void fuzz_at_listener(struct seg *s, const struct target *t,
			     const struct targets *ts,
			     const struct fuzz_opts *o, uint64_t i)
{
	uint32_t src = 0;

	if (o->have_src_net && chance(50))
		src = subnet_pick(&o->src_net);
	for (unsigned int k = 0; !src && k < 8; k++) {
		const struct target *c = &ts->t[rnd_below(ts->n)];

		if (!c->listen && c->remote.addr != t->local.addr)
			src = c->remote.addr;
	}
	if (!src)
		src = o->have_src_net ? subnet_pick(&o->src_net) : rnd32();
	seg_init(s, src, (uint16_t)(1024 + rnd_below(64512)), t->local.addr,
		 t->local.port);
	s->seq = rnd32();
	s->ack = chance(50) ? rnd32() : ts_edge();
	s->flags = i % 2 ? TOY_F_SYN : fuzz_flags(i / 2);
	if (s->flags & TOY_F_SYN && chance(70))
		opt_mss(s, chance(80) ? 1400 : (uint16_t)rnd32());
}

static void fuzz_one(struct seg *s, const struct targets *ts,
		     const struct fuzz_opts *o, uint64_t i)
{
	const struct target *t = &ts->t[rnd_below(ts->n)];

	if (t->listen)
		fuzz_at_listener(s, t, ts, o, i);
	else
		fuzz_at_conn(s, t, i);
	fuzz_options(s, t);
	s->payload = fuzz_payload();
	fuzz_lengths(s);
	s->bad_csum = chance(10);
}

static int mode_fuzz(const struct fuzz_opts *o)
{
	static struct targets ts;
	struct seg s;
	struct tx tx;
	uint64_t i;

	if (targets_load(&ts, o))
		return 1;
	if (!ts.n) {
		fprintf(stderr, "%s: fuzz: no listener or connection in the"
			" --proc files\n", prog);
		return 1;
	}
	printf("%s: fuzz: %u targets (%u listeners) in %d /proc files,"
	       " %" PRIu64 " segments\n", prog, ts.n, ts.nlisten, o->nprocs,
	       o->count);
	fflush(stdout);
	if (tx_open(&tx))
		return 1;
	for (i = 0; i < o->count && !stop; i++) {
		if (o->seconds > 0 && i % 256 == 0 &&
		    now_s() - tx.t0 >= o->seconds)
			break;
		if (i && i % o->refresh == 0) {
			/* follow the live windows; keep the old list if empty */
			static struct targets fresh;

			if (!targets_load(&fresh, o) && fresh.n)
				ts = fresh;
		}
		fuzz_one(&s, &ts, o, i);
		if (tx_send(&tx, &s)) {
			close(tx.fd);
			return 1;
		}
	}
	tx_report(&tx, "fuzz");
	close(tx.fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* attack: blind, with the 4-tuple only                                */

enum attack_kind {
	A_RST, A_RST_ACK, A_SYN, A_DATA, A_ACK, A_ACK_FAR, A_TS_FUTURE,
	A_TS_FUTURE_DATA, A_NKINDS,
};
static const char *const attack_names[A_NKINDS] = {
	"RST", "RST|ACK", "SYN", "data (ACK|EOM)", "ACK",
	"ACK 2^30 either side of a random guess", "ACK with TSval now+2^30",
	"data with TSval now+2^30",
};

static void attack_one(struct seg *s, const struct endpoint *src,
		       const struct endpoint *dst, enum attack_kind k)
{
	uint32_t now = toy_clock_us();
	uint32_t guess = rnd32();

	seg_init(s, src->addr, src->port, dst->addr, dst->port);
	s->seq = rnd32();
	s->ack = rnd32();
	/* a plausible TSval and an echo the victim never sent */
	opt_ts(s, now - rnd_below(100000), rnd32());
	switch (k) {
	case A_RST:
		s->flags = TOY_F_RST;
		break;
	case A_RST_ACK:
		s->flags = TOY_F_RST | TOY_F_ACK;
		break;
	case A_SYN:
		s->flags = TOY_F_SYN;
		s->opt_len = 0;
		opt_mss(s, 1400);
		opt_ts(s, now, 0);
		break;
	case A_DATA:
		s->flags = TOY_F_ACK | TOY_F_EOM;
		s->payload = 1 + rnd_below(1400);
		break;
	case A_ACK:
		s->flags = TOY_F_ACK;
		break;
	case A_ACK_FAR:
		s->flags = TOY_F_ACK;
		s->ack = guess + (chance(50) ? 0x40000000U : -0x40000000U);
		break;
	case A_TS_FUTURE:
	case A_TS_FUTURE_DATA:
		s->flags = TOY_F_ACK;
		s->opt_len = 0;
		opt_ts(s, now + 0x40000000U, rnd32());
		if (k == A_TS_FUTURE_DATA) {
			s->flags |= TOY_F_EOM;
			s->payload = 1 + rnd_below(1400);
		}
		break;
	default:
		break;
	}
}

static int mode_attack(const struct endpoint *a, const struct endpoint *b,
		       bool both, uint64_t count)
{
	uint64_t per_kind[A_NKINDS] = { 0 };
	char sa[32], sb[32];
	struct seg s;
	struct tx tx;
	uint64_t i;

	printf("%s: attack: %" PRIu64 " forged segments %s %s %s, random"
	       " sequence and acknowledgment numbers\n", prog, count,
	       ep_str(a, sa, sizeof(sa)), both ? "<->" : "->",
	       ep_str(b, sb, sizeof(sb)));
	fflush(stdout);
	if (tx_open(&tx))
		return 1;
	for (i = 0; i < count && !stop; i++) {
		enum attack_kind k = (enum attack_kind)(i % A_NKINDS);
		bool rev = both && (i / A_NKINDS) % 2;

		attack_one(&s, rev ? b : a, rev ? a : b, k);
		if (tx_send(&tx, &s)) {
			close(tx.fd);
			return 1;
		}
		per_kind[k]++;
	}
	for (i = 0; i < A_NKINDS; i++)
		printf("%s: attack: %8" PRIu64 " %s\n", prog, per_kind[i],
		       attack_names[i]);
	tx_report(&tx, "attack");
	close(tx.fd);
	return 0;
}

/* ------------------------------------------------------------------ */
/* synflood                                                            */

static int mode_synflood(const struct endpoint *dst, const struct subnet *sn,
			 double seconds, uint64_t count)
{
	struct seg s;
	struct tx tx;
	char sd[32];
	double end;

	printf("%s: synflood: SYNs to %s from random sources in a /%d,"
	       " for %.0f s or %" PRIu64 " segments\n", prog,
	       ep_str(dst, sd, sizeof(sd)), 32 - __builtin_ctz(sn->size),
	       seconds, count);
	fflush(stdout);
	if (tx_open(&tx))
		return 1;
	end = tx.t0 + seconds;
	for (uint64_t i = 0; (!count || i < count) && !stop; i++) {
		/* the clock is read every 256 segments: it costs a syscall
		 * under some hypervisors
		 */
		if (seconds > 0 && i % 256 == 0 && now_s() >= end)
			break;
		seg_init(&s, subnet_pick(sn), (uint16_t)(1024 + rnd_below(64512)),
			 dst->addr, dst->port);
		s.seq = rnd32();
		s.flags = TOY_F_SYN;
		opt_mss(&s, 1400);
		opt_ts(&s, toy_clock_us(), 0);
		if (tx_send(&tx, &s)) {
			close(tx.fd);
			return 1;
		}
	}
	tx_report(&tx, "synflood");
	close(tx.fd);
	return 0;
}

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-hostile fuzz --proc FILE [--proc FILE...] [options]\n"
"       toy-hostile attack SRC:PORT DST:PORT [--both] [options]\n"
"       toy-hostile synflood DST:PORT --src-net A.B.C.D/N [options]\n"
"\n"
"A hostile AF_TOY peer on an IPv4 raw socket (root). Builds every segment\n"
"by hand (IP_HDRINCL, protocol 253), spoofing source addresses.\n"
"\n"
"fuzz      malformed and half-plausible segments at every listener and\n"
"          connection in the /proc/net/toy FILEs (e.g. /proc/PID/net/toy\n"
"          of a process in the target namespace; read as root for the\n"
"          sequence numbers), both directions of each connection\n"
"  --proc FILE      a /proc/net/toy to take targets from (up to 8)\n"
"  --count N        segments to send (default 1000000)\n"
"  --refresh N      re-read the FILEs every N segments (default 1000)\n"
"  --any-addr IP    address for listeners bound to 0.0.0.0 (else skipped)\n"
"  --src-net CIDR   half of the segments at listeners come from here\n"
"  --seconds S      stop after S seconds even if N are not sent yet\n"
"attack    a blind attacker: forged RSTs, SYNs, data, ACKs, far ACKs and\n"
"          TSval now+2^30, from SRC to DST, random numbers\n"
"  --both           also from DST to SRC\n"
"  --count N        segments to send (default 100000)\n"
"synflood  SYNs from random addresses and ports of --src-net to DST\n"
"  --src-net CIDR   where the sources come from (route it nowhere)\n"
"  --seconds S      stop after S seconds (default 10; fuzz: no limit)\n"
"  --count N        ... or after N segments (0: no limit)\n"
"all:\n"
"  --seed S         random seed (default: from the clock; printed)\n"
"exit: 0 done, 1 error, 2 usage\n");
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *s && !*end;
}

enum { O_PROC = 256, O_COUNT, O_REFRESH, O_ANY, O_SRCNET, O_BOTH,
       O_SECONDS, O_SEED, O_HELP };

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "proc", required_argument, NULL, O_PROC },
		{ "count", required_argument, NULL, O_COUNT },
		{ "refresh", required_argument, NULL, O_REFRESH },
		{ "any-addr", required_argument, NULL, O_ANY },
		{ "src-net", required_argument, NULL, O_SRCNET },
		{ "both", no_argument, NULL, O_BOTH },
		{ "seconds", required_argument, NULL, O_SECONDS },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct fuzz_opts fo = { .refresh = 1000 };
	struct endpoint ep[2];
	uint64_t count = 0, seed = 0, v;
	bool count_set = false, seed_set = false, both = false;
	bool seconds_set = false;
	double seconds = 10;
	const char *mode;
	int c, npos;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (c) {
		case O_PROC:
			if (fo.nprocs == MAX_PROCS)
				goto bad;
			fo.procs[fo.nprocs++] = optarg;
			break;
		case O_COUNT:
			if (!parse_u64(optarg, &count))
				goto bad;
			count_set = true;
			break;
		case O_REFRESH:
			if (!parse_u64(optarg, &v) || !v || v > 1000000000)
				goto bad;
			fo.refresh = (unsigned int)v;
			break;
		case O_ANY:
			if (inet_pton(AF_INET, optarg, &fo.any_addr) != 1)
				goto bad;
			break;
		case O_SRCNET:
			if (!parse_subnet(optarg, &fo.src_net))
				goto bad;
			fo.have_src_net = true;
			break;
		case O_BOTH:
			both = true;
			break;
		case O_SECONDS:
			seconds_set = true;
			seconds = strtod(optarg, NULL);
			if (seconds < 0)
				goto bad;
			break;
		case O_SEED:
			if (!parse_u64(optarg, &seed))
				goto bad;
			seed_set = true;
			break;
		case O_HELP:
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	npos = argc - optind;
	if (!seed_set)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	rng_state = seed;
	if (catch_signals())
		return 1;
	printf("%s: %s: seed %" PRIu64 " (--seed %" PRIu64 " replays it)\n",
	       prog, mode, seed, seed);
	fflush(stdout);

	if (!strcmp(mode, "fuzz")) {
		if (npos || !fo.nprocs)
			goto bad;
		fo.count = count_set ? count : 1000000;
		fo.seconds = seconds_set ? seconds : 0;
		return mode_fuzz(&fo);
	}
	if (!strcmp(mode, "attack")) {
		if (npos != 2 || !parse_endpoint(argv[optind], &ep[0]) ||
		    !parse_endpoint(argv[optind + 1], &ep[1]))
			goto bad;
		return mode_attack(&ep[0], &ep[1], both,
				   count_set ? count : 100000);
	}
	if (!strcmp(mode, "synflood")) {
		if (npos != 1 || !parse_endpoint(argv[optind], &ep[0]) ||
		    !fo.have_src_net)
			goto bad;
		return mode_synflood(&ep[0], &fo.src_net,
				     count_set && count ? 0 : seconds, count);
	}
bad:
	usage(stderr);
	return 2;
}
