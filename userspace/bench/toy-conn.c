// SPDX-License-Identifier: GPL-2.0
/*
 * toy-conn: connection costs over AF_TOY and TCP, one code path for both
 * (only socket()'s family and type differ), for `make bench`.
 *
 *	toy-conn server PROTO ADDR:PORT [--timeout MS]
 *	toy-conn rate PROTO ADDR:PORT [--duration S] [--size B]
 *	toy-conn idle PROTO ADDR:PORT [--count N] [--size B]
 *
 * PROTO is toy (AF_TOY SOCK_SEQPACKET) or tcp (SOCK_STREAM).
 *
 * server: accepts any number of connections (epoll), echoes what each
 * sends and closes its end when the peer has closed its own; it runs until
 * killed, or until --timeout ms pass without any event.
 *
 * rate: one connection at a time for --duration seconds: socket, connect,
 * send --size bytes (64), receive the echo, close. The client closes first,
 * so the TIME_WAIT entries are the client's. Stops early, saying so, if
 * connect() runs out of local ports (EADDRNOTAVAIL).
 *
 * idle: opens --count connections (2000), each sending --size bytes and
 * receiving the echo (so both ends are established and have exchanged
 * data), prints "ESTABLISHED n" and waits for a line on stdin (or its
 * end); then closes them all (the client first: its ends go to TIME_WAIT)
 * and prints "CLOSED n". The caller measures the kernel's memory between.
 *
 * Each command ends with one line starting with "RESULT" (key=value).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/toy.h>

static struct {
	bool toy;
	const char *addr;
	double duration;
	size_t size;
	int count;
	int timeout_ms;
} O = { .duration = 5, .size = 64, .count = 2000, .timeout_ms = 60000 };

static const char *prog = "toy-conn";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __attribute__((noreturn)) die(const char *what)
{
	int e = errno;

	printf("%s: %s %s: %s\n", prog, O.toy ? "toy" : "tcp", what, strerror(e));
	fflush(stdout);
	exit(3);
}

static void parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');

	memset(a, 0, sizeof(*a));
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		goto bad;
	memcpy(host, s, colon - s);
	host[colon - s] = 0;
	a->sin_family = O.toy ? AF_TOY : AF_INET;
	a->sin_port = htons((uint16_t)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
		return;
bad:
	fprintf(stderr, "%s: bad address '%s' (want IP:PORT)\n", prog, s);
	exit(2);
}

static int new_socket(void)
{
	int fd = socket(O.toy ? AF_TOY : AF_INET, O.toy ? SOCK_SEQPACKET : SOCK_STREAM, 0);
	int one = 1;

	if (fd < 0)
		die("socket");
	if (!O.toy)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Many descriptors: as many as the hard limit allows (root: raise it). */
static void more_files(int want)
{
	struct rlimit r = { .rlim_cur = want, .rlim_max = want };

	if (setrlimit(RLIMIT_NOFILE, &r) && !getrlimit(RLIMIT_NOFILE, &r)) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

/* Receive exactly @len bytes (TCP may split them); false on EOF/error. */
static bool recv_all(int fd, char *b, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = recv(fd, b + got, len - got, 0);

		if (n <= 0)
			return false;
		got += n;
		if (O.toy)	/* one message is the reply */
			break;
	}
	return true;
}

static int server(void)
{
	struct sockaddr_in a;
	struct epoll_event ev, evs[64];
	char buf[65536];
	unsigned long accepted = 0, echoed = 0;
	int lfd, ep, one = 1;

	more_files(1 << 17);
	parse_addr(O.addr, &a);
	lfd = new_socket();
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)))
		die("bind");
	if (listen(lfd, 4096))
		die("listen");
	ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		die("epoll_ctl");
	printf("%s: %s server on %s\n", prog, O.toy ? "toy" : "tcp", O.addr);
	fflush(stdout);
	for (;;) {
		int n = epoll_wait(ep, evs, 64, O.timeout_ms);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("epoll_wait");
		if (n == 0)
			break;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			ssize_t k;

			if (fd == lfd) {
				int c = accept(lfd, NULL, NULL);

				if (c < 0)
					continue;	/* e.g. aborted meanwhile */
				ev.events = EPOLLIN;
				ev.data.fd = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
					die("epoll_ctl");
				accepted++;
				continue;
			}
			k = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (k < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (k <= 0) {
				close(fd);	/* epoll forgets it */
				continue;
			}
			if (send(fd, buf, k, MSG_NOSIGNAL) == k)
				echoed++;
		}
	}
	printf("RESULT proto=%s mode=server accepted=%lu echoed=%lu\n",
	       O.toy ? "toy" : "tcp", accepted, echoed);
	return 0;
}

/* connect + send + receive the echo; the connected socket, or -1 (errno) */
static int one_exchange(const struct sockaddr_in *a, char *out, char *in)
{
	int fd = new_socket();

	if (connect(fd, (const struct sockaddr *)a, sizeof(*a))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (send(fd, out, O.size, MSG_NOSIGNAL) != (ssize_t)O.size)
		die("send");
	if (!recv_all(fd, in, O.size)) {
		errno = errno ? errno : ECONNRESET;
		die("recv echo");
	}
	return fd;
}

static int rate(void)
{
	struct sockaddr_in a;
	char out[65536], in[65536];
	unsigned long n = 0;
	bool exhausted = false;
	double t0, end, t;

	if (O.size > sizeof(out))
		die("size");
	parse_addr(O.addr, &a);
	memset(out, 'c', O.size);
	t0 = now_s();
	end = t0 + O.duration;
	while (now_s() < end) {
		int fd = one_exchange(&a, out, in);

		if (fd < 0) {
			if (errno == EADDRNOTAVAIL) {
				exhausted = true;
				break;
			}
			die("connect");
		}
		close(fd);
		n++;
	}
	t = now_s() - t0;
	printf("%s: %lu connections (connect, send %zu B, receive the echo, close) "
	       "in %.3f s: %.0f per second%s\n", prog, n, O.size, t, n / t,
	       exhausted ? " (stopped: no local port left)" : "");
	printf("RESULT proto=%s mode=rate conns=%lu secs=%.3f rate=%.1f exhausted=%d\n",
	       O.toy ? "toy" : "tcp", n, t, n / t, exhausted);
	return 0;
}

static int idle(void)
{
	struct sockaddr_in a;
	char out[65536], in[65536], line[16];
	int *fds = calloc(O.count, sizeof(int));
	double t0, t1;
	int n;

	if (!fds || O.size > sizeof(out))
		die("malloc");
	more_files(O.count + 64);
	parse_addr(O.addr, &a);
	memset(out, 'i', O.size);
	t0 = now_s();
	for (n = 0; n < O.count; n++) {
		fds[n] = one_exchange(&a, out, in);
		if (fds[n] < 0)
			die("connect");
	}
	t1 = now_s();
	printf("ESTABLISHED %d in %.3f s\n", n, t1 - t0);
	fflush(stdout);
	/* the caller measures now; a line (or EOF) on stdin says "close" */
	if (!fgets(line, sizeof(line), stdin))
		line[0] = 0;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	printf("CLOSED %d\n", n);
	printf("RESULT proto=%s mode=idle conns=%d open_secs=%.3f\n",
	       O.toy ? "toy" : "tcp", n, t1 - t0);
	free(fds);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-conn server|rate|idle toy|tcp ADDR:PORT [options]\n"
"  --duration S   rate: seconds of connecting (default 5)\n"
"  --size B       bytes sent and echoed per connection (default 64)\n"
"  --count N      idle: connections to open (default 2000)\n"
"  --timeout MS   server: stop after MS ms without an event (60000)\n"
"Prints a RESULT line of key=value pairs. Exit 0, 2 usage, 3 socket error.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, 0, 'd' },
		{ "size", required_argument, 0, 's' },
		{ "count", required_argument, 0, 'c' },
		{ "timeout", required_argument, 0, 't' },
		{ "help", no_argument, 0, 'h' },
		{ 0 }
	};
	const char *cmd;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 4) {
		usage(argc > 1 && !strcmp(argv[1], "--help") ? stdout : stderr);
		return argc > 1 && !strcmp(argv[1], "--help") ? 0 : 2;
	}
	cmd = argv[1];
	if (!strcmp(argv[2], "toy"))
		O.toy = true;
	else if (strcmp(argv[2], "tcp"))
		goto bad;
	O.addr = argv[3];
	argc -= 3;
	argv += 3;
	while ((opt = getopt_long(argc, argv, "d:s:c:t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			O.duration = atof(optarg);
			break;
		case 's':
			O.size = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			O.count = atoi(optarg);
			break;
		case 't':
			O.timeout_ms = atoi(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto bad;
		}
	}
	if (optind != argc || !O.size || O.count <= 0)
		goto bad;
	if (!strcmp(cmd, "server"))
		return server();
	if (!strcmp(cmd, "rate"))
		return rate();
	if (!strcmp(cmd, "idle"))
		return idle();
bad:
	usage(stderr);
	return 2;
}
