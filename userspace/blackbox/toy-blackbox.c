// SPDX-License-Identifier: GPL-2.0
/*
 * toy-blackbox: black-box tests of AF_TOY sockets through the socket API.
 *
 * This program deliberately uses nothing but <linux/toy.h>, libc and the
 * socket system calls (no libtoy), so that it checks the kernel module the
 * way any application sees it. Each test asserts one behaviour and prints
 *
 *	PASS: <prefix><name>
 * or
 *	# <name>: <what was expected, what happened>
 *	FAIL: <prefix><name>
 * or
 *	# <name>: <why it could not run>
 *	SKIP: <prefix><name>
 *
 * (the result-line format of scripts/tests/lib.sh: every other line starts
 * with "# ").
 *
 * Every test runs in its own child process with a time limit, so a hang or
 * a crash fails that test only. Tests that need two endpoints use a listener
 * ("server side") and a connecting socket ("client side") in this one
 * process; with --server-ns/--client-ns the two sockets are created in two
 * network namespaces (setns), so the traffic crosses a veth pair.
 *
 * Usage: toy-blackbox [options] [test...]      (no test: run them all)
 *        toy-blackbox --list
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/toy.h>

#ifndef POLLRDHUP
#define POLLRDHUP 0x2000
#endif

/* ------------------------------------------------------------------ */
/* options and namespaces                                              */

static struct {
	const char *srv_ns, *cli_ns;	/* netns names or paths, or NULL */
	struct in_addr srv_ip;		/* listeners bind here */
	struct in_addr unreach;		/* routed, but nobody answers */
	struct in_addr nonlocal;	/* not configured anywhere */
	const char *prefix;		/* prepended to result names */
	int timeout;			/* seconds per test */
	int max_mss;			/* upper bound for a sane MSS */
	int verbose;
} O;

static int orig_ns_fd = -1, srv_ns_fd = -1, cli_ns_fd = -1;
static int test_index;			/* for port allocation */
static int port_seed;
static int port_count;

static const char *cur_test = "";
static char why[2048];
static volatile const char *step = "starting";

static int open_ns(const char *name)
{
	char path[512];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && !strchr(name, '/')) {
		snprintf(path, sizeof(path), "/var/run/netns/%s", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		fprintf(stderr, "toy-blackbox: cannot open network namespace "
			"\"%s\" (%s): %s\n", name, path, strerror(errno));
		exit(2);
	}
	return fd;
}

static void enter_ns(int fd)
{
	if (fd < 0)
		return;
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "toy-blackbox: setns: %s\n", strerror(errno));
		exit(2);
	}
}

static void leave_ns(int fd)
{
	if (fd >= 0)
		enter_ns(orig_ns_fd);
}

/* ------------------------------------------------------------------ */
/* reporting                                                           */

static const char *errname(int e)
{
	static char buf[32];

	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(EBADF); E(EAGAIN);
	E(ENOMEM); E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENODEV);
	E(EINVAL); E(ENFILE); E(EMFILE); E(ENOSPC); E(EPIPE); E(ERANGE);
	E(ENOSYS); E(ENOTSOCK); E(EDESTADDRREQ); E(EMSGSIZE);
	E(EPROTOTYPE); E(ENOPROTOOPT); E(EPROTONOSUPPORT);
	E(ESOCKTNOSUPPORT); E(EOPNOTSUPP); E(EPFNOSUPPORT);
	E(EAFNOSUPPORT); E(EADDRINUSE); E(EADDRNOTAVAIL); E(ENETDOWN);
	E(ENETUNREACH); E(ENETRESET); E(ECONNABORTED); E(ECONNRESET);
	E(ENOBUFS); E(EISCONN); E(ENOTCONN); E(ESHUTDOWN);
	E(ETIMEDOUT); E(ECONNREFUSED); E(EHOSTDOWN); E(EHOSTUNREACH);
	E(EALREADY); E(EINPROGRESS);
#undef E
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* Set the failure reason; returns 1 so tests can `return fail(...)`. */
static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return 1;
}

static int skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return 2;
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;

	if (!O.verbose)
		return;
	va_start(ap, fmt);
	printf("# %s: ", cur_test);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* "success" or "ECONNREFUSED (Connection refused)" for a call result. */
static const char *outcome(long rc, int err)
{
	static char buf[128];

	if (rc >= 0)
		snprintf(buf, sizeof(buf), "success (returned %ld)", rc);
	else
		snprintf(buf, sizeof(buf), "%s (%s)", errname(err),
			 strerror(err));
	return buf;
}

/* The call returned rc with errno err; 0 when that is failure with want. */
static int want_err(long rc, int err, int want, const char *what)
{
	if (rc < 0 && err == want)
		return 0;
	return fail("%s: expected %s, got %s", what, errname(want),
		    outcome(rc, err));
}

#define EXPECT_ERR(call, want, what) do {				\
	long _rc; int _e;						\
	step = what;							\
	errno = 0; _rc = (long)(call); _e = errno;			\
	if (want_err(_rc, _e, want, what))				\
		return 1;						\
} while (0)

#define EXPECT_OK(call, what) do {					\
	long _rc; int _e;						\
	step = what;							\
	errno = 0; _rc = (long)(call); _e = errno;			\
	if (_rc < 0)							\
		return fail("%s: expected success, got %s", what,	\
			    outcome(_rc, _e));				\
} while (0)

/* ------------------------------------------------------------------ */
/* fixtures                                                            */

static const char *fmt_addr(const struct sockaddr_toy *a)
{
	static char bufs[4][64];
	static int i;
	char ip[INET_ADDRSTRLEN];
	char *b = bufs[i++ & 3];

	if (a->stoy_family != AF_TOY) {
		snprintf(b, 64, "<family %u>", a->stoy_family);
		return b;
	}
	inet_ntop(AF_INET, &a->stoy_addr, ip, sizeof(ip));
	snprintf(b, 64, "%s:%u", ip, ntohs(a->stoy_port));
	return b;
}

static struct sockaddr_toy mkaddr(struct in_addr ip, int port)
{
	struct sockaddr_toy a;

	memset(&a, 0, sizeof(a));
	a.stoy_family = AF_TOY;
	a.stoy_port = htons(port);
	a.stoy_addr = ip;
	return a;
}

/* A port no other test of this run uses (10000-29999, below ephemerals). */
static int next_port(void)
{
	return 10000 + (port_seed + test_index * 8 + port_count++) % 20000;
}

static int sock_in(int nsfd, int type, int proto)
{
	int fd, e;

	enter_ns(nsfd);
	fd = socket(AF_TOY, type, proto);
	e = errno;
	leave_ns(nsfd);
	errno = e;
	return fd;
}

static int srv_sock(void)
{
	return sock_in(srv_ns_fd, SOCK_SEQPACKET, 0);
}

static int cli_sock(void)
{
	return sock_in(cli_ns_fd, SOCK_SEQPACKET, 0);
}

static int set_int(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static int get_int(int fd, int level, int opt, int *val)
{
	socklen_t len = sizeof(*val);

	return getsockopt(fd, level, opt, val, &len);
}

/* A listener on srv_ip:<fresh port>; -1 with why set on failure. */
static int listener(struct sockaddr_toy *addr, int reuse)
{
	int fd = srv_sock();

	step = "creating a listener";
	if (fd < 0) {
		fail("socket(AF_TOY, SOCK_SEQPACKET, 0) for the listener: %s",
		     outcome(-1, errno));
		return -1;
	}
	*addr = mkaddr(O.srv_ip, next_port());
	if (reuse && set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1) < 0) {
		fail("setsockopt(SO_REUSEADDR): %s", outcome(-1, errno));
		return -1;
	}
	if (bind(fd, (struct sockaddr *)addr, sizeof(*addr)) < 0) {
		fail("bind listener to %s: %s", fmt_addr(addr),
		     outcome(-1, errno));
		return -1;
	}
	if (listen(fd, 16) < 0) {
		fail("listen on %s: %s", fmt_addr(addr), outcome(-1, errno));
		return -1;
	}
	return fd;
}

struct pair {
	int l;			/* listener */
	int c;			/* client side, connected */
	int s;			/* server side, accepted */
	struct sockaddr_toy laddr;
};

/* listener + blocking connect + accept; -1 with why set on failure. */
static int make_pair(struct pair *p)
{
	p->c = p->s = -1;
	p->l = listener(&p->laddr, 0);
	if (p->l < 0)
		return -1;
	p->c = cli_sock();
	if (p->c < 0)
		return fail("socket() for the client: %s", outcome(-1, errno));
	step = "connecting the client (blocking connect)";
	if (connect(p->c, (struct sockaddr *)&p->laddr, sizeof(p->laddr)) < 0)
		return fail("connect to listener %s: %s", fmt_addr(&p->laddr),
			    outcome(-1, errno));
	step = "accepting the connection";
	p->s = accept(p->l, NULL, NULL);
	if (p->s < 0)
		return fail("accept on %s after a successful connect: %s",
			    fmt_addr(&p->laddr), outcome(-1, errno));
	step = "running";
	return 0;
}

/* poll one fd; returns revents, or 0 on timeout */
static int poll1(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	return n > 0 ? p.revents : 0;
}

static const char *pollstr(int ev)
{
	static char buf[128];

	buf[0] = 0;
	if (ev & POLLIN) strcat(buf, "|POLLIN");
	if (ev & POLLOUT) strcat(buf, "|POLLOUT");
	if (ev & POLLERR) strcat(buf, "|POLLERR");
	if (ev & POLLHUP) strcat(buf, "|POLLHUP");
	if (ev & POLLRDHUP) strcat(buf, "|POLLRDHUP");
	if (ev & POLLNVAL) strcat(buf, "|POLLNVAL");
	if (ev & POLLPRI) strcat(buf, "|POLLPRI");
	return buf[0] ? buf + 1 : "none";
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Deterministic payload: message number i, length len. */
static void fill(unsigned char *b, size_t len, unsigned int i)
{
	unsigned int x = 0x9e3779b9u * (i + 1) ^ (unsigned int)len;

	for (size_t j = 0; j < len; j++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[j] = (unsigned char)x;
	}
}

static size_t first_diff(const unsigned char *a, const unsigned char *b,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i;
}

/* Fork a helper that dies with us; returns pid in the parent, 0 in child. */
static pid_t fork_helper(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return pid;
}

/* Wait for a helper; 0 if it exited 0, else 1 with why set. */
static int reap_helper(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) < 0)
		return fail("waitpid(%s): %s", what, strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFSIGNALED(st))
		return fail("%s was killed by signal %d", what, WTERMSIG(st));
	return fail("%s failed (exit %d; see its message above)", what,
		    WEXITSTATUS(st));
}

/*
 * Find a line of /proc/net/toy (read in namespace nsfd) with the given
 * state and local port; 1 found, 0 not found, -1 no such file.
 */
static int proc_has(int nsfd, const char *state, int lport)
{
	char line[512], local[64], remote[64], st[32];
	int found = 0, sl;
	FILE *f;

	enter_ns(nsfd);
	f = fopen("/proc/net/toy", "r");
	leave_ns(nsfd);
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f)) {	/* header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *colon;

		if (sscanf(line, "%d %63s %63s %31s", &sl, local, remote,
			   st) != 4)
			continue;
		colon = strrchr(local, ':');
		if (colon && atoi(colon + 1) == lport && !strcmp(st, state))
			found = 1;
	}
	fclose(f);
	return found;
}

/* ------------------------------------------------------------------ */
/* socket()                                                            */

static int t_socket_seqpacket(void)
{
	int fd, v;

	EXPECT_OK(fd = socket(AF_TOY, SOCK_SEQPACKET, 0),
		  "socket(AF_TOY, SOCK_SEQPACKET, 0)");
	EXPECT_OK(get_int(fd, SOL_SOCKET, SO_TYPE, &v), "getsockopt(SO_TYPE)");
	if (v != SOCK_SEQPACKET)
		return fail("SO_TYPE is %d, expected SOCK_SEQPACKET (%d)", v,
			    SOCK_SEQPACKET);
	EXPECT_OK(get_int(fd, SOL_SOCKET, SO_DOMAIN, &v),
		  "getsockopt(SO_DOMAIN)");
	if (v != AF_TOY)
		return fail("SO_DOMAIN is %d, expected AF_TOY (%d)", v, AF_TOY);
	return 0;
}

static int t_socket_proto_toy(void)
{
	int fd;

	EXPECT_OK(fd = socket(AF_TOY, SOCK_SEQPACKET, IPPROTO_TOY),
		  "socket(AF_TOY, SOCK_SEQPACKET, IPPROTO_TOY)");
	close(fd);
	return 0;
}

static int t_socket_so_protocol(void)
{
	int fd, v;

	EXPECT_OK(fd = socket(AF_TOY, SOCK_SEQPACKET, 0),
		  "socket(AF_TOY, SOCK_SEQPACKET, 0)");
	EXPECT_OK(get_int(fd, SOL_SOCKET, SO_PROTOCOL, &v),
		  "getsockopt(SO_PROTOCOL)");
	if (v != IPPROTO_TOY)
		return fail("protocol 0 should resolve to IPPROTO_TOY (253) "
			    "as inet resolves 0 to TCP; SO_PROTOCOL is %d", v);
	return 0;
}

static int t_socket_bad_proto(void)
{
	EXPECT_ERR(socket(AF_TOY, SOCK_SEQPACKET, IPPROTO_TCP),
		   EPROTONOSUPPORT, "socket(AF_TOY, SOCK_SEQPACKET, IPPROTO_TCP)");
	EXPECT_ERR(socket(AF_TOY, SOCK_SEQPACKET, 254), EPROTONOSUPPORT,
		   "socket(AF_TOY, SOCK_SEQPACKET, 254)");
	return 0;
}

static int t_socket_stream(void)
{
	EXPECT_ERR(socket(AF_TOY, SOCK_STREAM, 0), ESOCKTNOSUPPORT,
		   "socket(AF_TOY, SOCK_STREAM, 0)");
	EXPECT_ERR(socket(AF_TOY, SOCK_STREAM, IPPROTO_TOY), ESOCKTNOSUPPORT,
		   "socket(AF_TOY, SOCK_STREAM, IPPROTO_TOY)");
	return 0;
}

static int t_socket_dgram(void)
{
	EXPECT_ERR(socket(AF_TOY, SOCK_DGRAM, 0), ESOCKTNOSUPPORT,
		   "socket(AF_TOY, SOCK_DGRAM, 0)");
	return 0;
}

static int t_socket_rdm(void)
{
	EXPECT_ERR(socket(AF_TOY, SOCK_RDM, 0), ESOCKTNOSUPPORT,
		   "socket(AF_TOY, SOCK_RDM, 0)");
	return 0;
}

static int t_socket_flags(void)
{
	int fd, fl;

	EXPECT_OK(fd = socket(AF_TOY, SOCK_SEQPACKET | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0),
		  "socket(AF_TOY, SOCK_SEQPACKET|SOCK_NONBLOCK|SOCK_CLOEXEC)");
	fl = fcntl(fd, F_GETFL);
	if (!(fl & O_NONBLOCK))
		return fail("SOCK_NONBLOCK did not set O_NONBLOCK");
	if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
		return fail("SOCK_CLOEXEC did not set FD_CLOEXEC");
	return 0;
}

/* ------------------------------------------------------------------ */
/* bind()                                                              */

static int t_bind_short_addrlen(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL,
		   "bind with addrlen sizeof(sockaddr_toy)-1");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&a, sizeof(sa_family_t)),
		   EINVAL, "bind with addrlen sizeof(sa_family_t)");
	/* the socket must still be usable */
	EXPECT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)),
		  "bind with the full length after the short ones");
	return 0;
}

static int t_bind_wrong_family(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd;

	a.stoy_family = AF_INET;
	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), EAFNOSUPPORT,
		   "bind with sa_family AF_INET");
	return 0;
}

static int t_bind_nonlocal(void)
{
	struct sockaddr_toy a = mkaddr(O.nonlocal, next_port());
	int fd;
	char what[128];

	snprintf(what, sizeof(what), "bind to non-local %s", fmt_addr(&a));
	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL,
		   what);
	return 0;
}

static int t_bind_twice(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	struct sockaddr_toy b = mkaddr(O.srv_ip, next_port());
	int fd;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "first bind");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&b, sizeof(b)), EINVAL,
		   "second bind (other port) on a bound socket");
	EXPECT_ERR(bind(fd, (struct sockaddr *)&a, sizeof(a)), EINVAL,
		   "second bind (same port) on a bound socket");
	return 0;
}

static int t_bind_inuse(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd1, fd2;

	EXPECT_OK(fd1 = srv_sock(), "socket()");
	EXPECT_OK(fd2 = srv_sock(), "socket()");
	EXPECT_OK(bind(fd1, (struct sockaddr *)&a, sizeof(a)), "first bind");
	EXPECT_ERR(bind(fd2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE,
		   "bind to a port another (bound, idle) socket holds");
	close(fd1);
	EXPECT_OK(bind(fd2, (struct sockaddr *)&a, sizeof(a)),
		  "bind after the holder was closed");
	return 0;
}

static int t_bind_inuse_wildcard(void)
{
	int port = next_port();
	struct sockaddr_toy a = mkaddr(O.srv_ip, port);
	struct in_addr any = { htonl(INADDR_ANY) };
	struct sockaddr_toy w = mkaddr(any, port);
	int fd1, fd2;

	EXPECT_OK(fd1 = srv_sock(), "socket()");
	EXPECT_OK(fd2 = srv_sock(), "socket()");
	EXPECT_OK(bind(fd1, (struct sockaddr *)&a, sizeof(a)), "first bind");
	EXPECT_ERR(bind(fd2, (struct sockaddr *)&w, sizeof(w)), EADDRINUSE,
		   "bind to 0.0.0.0:port while addr:port is bound");
	return 0;
}

static int t_bind_ephemeral(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, 0), g;
	socklen_t len = sizeof(g);
	int fd;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind to port 0");
	memset(&g, 0xff, sizeof(g));
	EXPECT_OK(getsockname(fd, (struct sockaddr *)&g, &len), "getsockname");
	if (len != sizeof(g))
		return fail("getsockname addrlen %u, expected %zu", len,
			    sizeof(g));
	if (g.stoy_family != AF_TOY)
		return fail("getsockname family %u, expected AF_TOY",
			    g.stoy_family);
	if (g.stoy_port == 0)
		return fail("bind to port 0 left port 0 (getsockname %s); "
			    "expected an ephemeral port", fmt_addr(&g));
	if (g.stoy_addr.s_addr != a.stoy_addr.s_addr)
		return fail("getsockname address %s, bound %s", fmt_addr(&g),
			    fmt_addr(&a));
	note("ephemeral port %u", ntohs(g.stoy_port));
	return 0;
}

static int t_bind_reuseaddr_timewait(void)
{
	struct pair p;
	struct sockaddr_toy a;
	char buf[16];
	int port, r, x, y, c2;
	long long t0;

	if (make_pair(&p))
		return 1;
	a = p.laddr;
	port = ntohs(a.stoy_port);
	/* The server side closes first, so its end goes to TIME_WAIT. */
	EXPECT_OK(close(p.s), "close the accepted socket");
	step = "waiting for the client to see EOF";
	r = recv(p.c, buf, sizeof(buf), 0);
	if (r != 0)
		return fail("client recv after server close: expected 0 (EOF), "
			    "got %s", outcome(r, errno));
	EXPECT_OK(close(p.c), "close the client");
	EXPECT_OK(close(p.l), "close the listener");

	step = "waiting for TIME_WAIT in /proc/net/toy";
	t0 = now_ms();
	while ((r = proc_has(srv_ns_fd, "TIME_WAIT", port)) == 0 &&
	       now_ms() - t0 < 5000)
		msleep(20);
	if (r < 0)
		note("no /proc/net/toy; continuing after the close");
	else if (r == 0)
		return fail("no TIME_WAIT line for local port %d in "
			    "/proc/net/toy 5 s after the server closed first",
			    port);

	EXPECT_OK(x = srv_sock(), "socket()");
	EXPECT_ERR(bind(x, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE,
		   "bind without SO_REUSEADDR to a port in TIME_WAIT");
	EXPECT_OK(y = srv_sock(), "socket()");
	EXPECT_OK(set_int(y, SOL_SOCKET, SO_REUSEADDR, 1),
		  "setsockopt(SO_REUSEADDR)");
	EXPECT_OK(bind(y, (struct sockaddr *)&a, sizeof(a)),
		  "bind with SO_REUSEADDR to a port in TIME_WAIT");
	EXPECT_OK(listen(y, 4), "listen on the reused port");
	/* and the new listener really works */
	EXPECT_OK(c2 = cli_sock(), "socket()");
	EXPECT_OK(connect(c2, (struct sockaddr *)&a, sizeof(a)),
		  "connect to the new listener");
	EXPECT_OK(accept(y, NULL, NULL), "accept on the new listener");
	return 0;
}

static int t_bind_two_listeners(void)
{
	struct sockaddr_toy a;
	int l1, fd, rc, e;

	l1 = listener(&a, 1);
	if (l1 < 0)
		return 1;
	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1),
		  "setsockopt(SO_REUSEADDR)");
	step = "second bind";
	rc = bind(fd, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	if (rc == 0) {
		rc = listen(fd, 4);
		e = errno;
		if (rc == 0)
			return fail("a second listener on %s was accepted "
				    "(bind and listen both succeeded, both "
				    "with SO_REUSEADDR); expected EADDRINUSE",
				    fmt_addr(&a));
		return want_err(rc, e, EADDRINUSE,
				"bind succeeded; listen of the 2nd listener");
	}
	return want_err(rc, e, EADDRINUSE,
			"bind of a 2nd listener, both with SO_REUSEADDR");
}

/* ------------------------------------------------------------------ */
/* listen() / accept()                                                 */

static int t_listen_autobind(void)
{
	struct sockaddr_toy g;
	socklen_t len = sizeof(g);
	int fd, c;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(listen(fd, 4), "listen on an unbound socket");
	EXPECT_OK(getsockname(fd, (struct sockaddr *)&g, &len), "getsockname");
	if (g.stoy_family != AF_TOY || g.stoy_port == 0)
		return fail("listen did not auto-bind: getsockname is %s",
			    fmt_addr(&g));
	if (g.stoy_addr.s_addr != htonl(INADDR_ANY))
		return fail("auto-bound listener address %s, expected 0.0.0.0",
			    fmt_addr(&g));
	/* reachable on the port it got */
	g.stoy_addr = O.srv_ip;
	EXPECT_OK(c = cli_sock(), "socket()");
	EXPECT_OK(connect(c, (struct sockaddr *)&g, sizeof(g)),
		  "connect to the auto-bound listener");
	EXPECT_OK(accept(fd, NULL, NULL), "accept");
	return 0;
}

static int t_accept_not_listening(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(fcntl(fd, F_SETFL, O_NONBLOCK), "fcntl(O_NONBLOCK)");
	EXPECT_ERR(accept(fd, NULL, NULL), EINVAL,
		   "accept on an unbound socket");
	EXPECT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind");
	EXPECT_ERR(accept(fd, NULL, NULL), EINVAL,
		   "accept on a bound, non-listening socket");
	return 0;
}

static int t_listen_connected(void)
{
	struct pair p;

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(listen(p.c, 4), EINVAL, "listen on a connected socket");
	EXPECT_ERR(listen(p.s, 4), EINVAL, "listen on an accepted socket");
	return 0;
}

static int t_accept_peer_addr(void)
{
	struct sockaddr_toy pa, cn;
	socklen_t plen = sizeof(pa), clen = sizeof(cn);
	int l, c, s;
	struct sockaddr_toy la;

	if ((l = listener(&la, 0)) < 0)
		return 1;
	EXPECT_OK(c = cli_sock(), "socket()");
	EXPECT_OK(connect(c, (struct sockaddr *)&la, sizeof(la)), "connect");
	EXPECT_OK(s = accept(l, (struct sockaddr *)&pa, &plen),
		  "accept with an address buffer");
	EXPECT_OK(getsockname(c, (struct sockaddr *)&cn, &clen),
		  "client getsockname");
	if (plen != sizeof(pa) || memcmp(&pa, &cn, sizeof(pa)))
		return fail("accept() reported peer %s (len %u), the client's "
			    "getsockname is %s", fmt_addr(&pa), plen,
			    fmt_addr(&cn));
	return 0;
}

/* ------------------------------------------------------------------ */
/* connect()                                                           */

static int t_connect_short_addrlen(void)
{
	struct sockaddr_toy a;
	int l, fd;

	if ((l = listener(&a, 0)) < 0)
		return 1;
	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a) - 1), EINVAL,
		   "connect with addrlen sizeof(sockaddr_toy)-1");
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(sa_family_t)),
		   EINVAL, "connect with addrlen sizeof(sa_family_t)");
	return 0;
}

static int t_connect_wrong_family(void)
{
	struct sockaddr_toy a;
	int l, fd;

	if ((l = listener(&a, 0)) < 0)
		return 1;
	a.stoy_family = AF_INET;
	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a)), EAFNOSUPPORT,
		   "connect with sa_family AF_INET");
	return 0;
}

static int t_connect_refused(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd;
	char what[128];

	snprintf(what, sizeof(what), "connect to %s where nothing listens",
		 fmt_addr(&a));
	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED,
		   what);
	return 0;
}

static int t_connect_nonblock(void)
{
	struct sockaddr_toy a, pa;
	socklen_t len = sizeof(pa);
	int l, fd, ev, err;

	if ((l = listener(&a, 0)) < 0)
		return 1;
	EXPECT_OK(fd = sock_in(cli_ns_fd, SOCK_SEQPACKET | SOCK_NONBLOCK, 0),
		  "socket(SOCK_NONBLOCK)");
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS,
		   "non-blocking connect to a listener");
	step = "poll for POLLOUT after a non-blocking connect";
	ev = poll1(fd, POLLOUT, 5000);
	if (!(ev & POLLOUT))
		return fail("poll(POLLOUT) after non-blocking connect: revents "
			    "%s within 5 s, expected POLLOUT", pollstr(ev));
	if (ev & (POLLERR | POLLHUP))
		return fail("poll after a successful non-blocking connect: "
			    "revents %s", pollstr(ev));
	EXPECT_OK(get_int(fd, SOL_SOCKET, SO_ERROR, &err), "SO_ERROR");
	if (err)
		return fail("SO_ERROR after connect is %s, expected 0",
			    errname(err));
	EXPECT_OK(getpeername(fd, (struct sockaddr *)&pa, &len),
		  "getpeername after the non-blocking connect completed");
	EXPECT_OK(accept(l, NULL, NULL), "accept");
	return 0;
}

static int t_connect_nonblock_refused(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd, ev, err, rc;

	EXPECT_OK(fd = sock_in(cli_ns_fd, SOCK_SEQPACKET | SOCK_NONBLOCK, 0),
		  "socket(SOCK_NONBLOCK)");
	step = "non-blocking connect to a closed port";
	rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (rc < 0 && errno == ECONNREFUSED)
		return 0;	/* refused synchronously: also fine */
	if (want_err(rc, errno, EINPROGRESS,
		     "non-blocking connect to a closed port"))
		return 1;
	ev = poll1(fd, POLLOUT, 5000);
	if (!(ev & (POLLOUT | POLLERR)))
		return fail("poll after refused non-blocking connect: revents "
			    "%s within 5 s, expected POLLOUT/POLLERR",
			    pollstr(ev));
	EXPECT_OK(get_int(fd, SOL_SOCKET, SO_ERROR, &err), "SO_ERROR");
	if (err != ECONNREFUSED)
		return fail("SO_ERROR after connect to a closed port is %s, "
			    "expected ECONNREFUSED", err ? errname(err) : "0");
	return 0;
}

static int t_connect_isconn(void)
{
	struct pair p;

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(connect(p.c, (struct sockaddr *)&p.laddr, sizeof(p.laddr)),
		   EISCONN, "second connect on a connected socket");
	return 0;
}

static int t_connect_already(void)
{
	struct sockaddr_toy a = mkaddr(O.unreach, next_port());
	struct toy_info ti;
	socklen_t len = sizeof(ti);
	int fd, rc, e;

	EXPECT_OK(fd = sock_in(cli_ns_fd, SOCK_SEQPACKET | SOCK_NONBLOCK, 0),
		  "socket(SOCK_NONBLOCK)");
	rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
	e = errno;
	if (rc < 0 && (e == ENETUNREACH || e == EHOSTUNREACH))
		return skip("%s is not routed here (%s); use --unreach with an "
			    "address on a connected subnet that nobody uses",
			    fmt_addr(&a), errname(e));
	if (want_err(rc, e, EINPROGRESS,
		     "non-blocking connect to a silent address"))
		return 1;
	EXPECT_ERR(connect(fd, (struct sockaddr *)&a, sizeof(a)), EALREADY,
		   "second connect while the first is in progress");
	EXPECT_OK(getsockopt(fd, SOL_TOY, TOY_INFO, &ti, &len),
		  "getsockopt(TOY_INFO) during the handshake");
	if (ti.toyi_state != TOY_SYN_SENT)
		return fail("TOY_INFO state during the handshake is %u, "
			    "expected TOY_SYN_SENT (%d)", ti.toyi_state,
			    TOY_SYN_SENT);
	return 0;
}

/* ------------------------------------------------------------------ */
/* send() / recv()                                                     */

static int t_send_unconnected(void)
{
	struct sockaddr_toy a = mkaddr(O.srv_ip, next_port());
	int fd;

	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT), EPIPE,
		   "send on a fresh socket");
	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_OK(bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind");
	EXPECT_ERR(send(fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT), EPIPE,
		   "send on a bound, unconnected socket");
	return 0;
}

static int t_recv_unconnected(void)
{
	char b[8];
	int fd;

	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(recv(fd, b, sizeof(b), MSG_DONTWAIT), ENOTCONN,
		   "recv on a fresh socket");
	return 0;
}

static int t_send_oob(void)
{
	struct pair p;

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(send(p.c, "x", 1, MSG_OOB | MSG_NOSIGNAL), EOPNOTSUPP,
		   "send with MSG_OOB");
	return 0;
}

static int t_recv_oob(void)
{
	struct pair p;
	char b[8];

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(recv(p.s, b, sizeof(b), MSG_OOB | MSG_DONTWAIT), EOPNOTSUPP,
		   "recv with MSG_OOB");
	return 0;
}

static int t_send_zero(void)
{
	struct pair p;
	char b[8];

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(send(p.c, "", 0, MSG_NOSIGNAL), EINVAL,
		   "send of 0 bytes");
	/* and nothing was queued on the other side */
	EXPECT_ERR(recv(p.s, b, sizeof(b), MSG_DONTWAIT), EAGAIN,
		   "recv after a refused empty send");
	return 0;
}

static int t_send_too_big(void)
{
	struct pair p;
	int sndbuf;
	char *big;
	char what[128];

	if (make_pair(&p))
		return 1;
	EXPECT_OK(get_int(p.c, SOL_SOCKET, SO_SNDBUF, &sndbuf), "SO_SNDBUF");
	big = calloc(1, sndbuf + 1);
	if (!big)
		return fail("out of memory");
	snprintf(what, sizeof(what), "send of SO_SNDBUF+1 = %d bytes",
		 sndbuf + 1);
	EXPECT_ERR(send(p.c, big, sndbuf + 1, MSG_NOSIGNAL | MSG_DONTWAIT),
		   EMSGSIZE, what);
	return 0;
}

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* Send until EPIPE after the peer closed; 0 ok, 1 fail. */
static int send_until_epipe(int fd, int flags, int *seen_reset)
{
	long long t0 = now_ms();
	int n = 0;

	*seen_reset = 0;
	step = "sending to a closed peer until EPIPE";
	while (now_ms() - t0 < 5000) {
		ssize_t r = send(fd, "ping", 4, flags);

		n++;
		if (r < 0 && errno == EPIPE)
			return 0;
		if (r < 0 && errno == ECONNRESET) {
			*seen_reset = 1;
			continue;
		}
		if (r < 0 && errno != EAGAIN)
			return fail("send #%d to a closed peer: %s (expected "
				    "success or EPIPE)", n, outcome(r, errno));
		msleep(20);
	}
	return fail("no EPIPE within 5 s after the peer closed (%d sends "
		    "accepted)", n);
}

static int t_send_epipe(void)
{
	struct pair p;
	char b[8];
	int rc, reset;

	signal(SIGPIPE, on_sigpipe);
	if (make_pair(&p))
		return 1;
	EXPECT_OK(close(p.s), "peer close");
	step = "waiting for EOF";
	rc = recv(p.c, b, sizeof(b), 0);
	if (rc != 0)
		return fail("recv after the peer closed: expected 0, got %s",
			    outcome(rc, errno));
	if (send_until_epipe(p.c, MSG_NOSIGNAL, &reset))
		return 1;
	if (sigpipes)
		return fail("SIGPIPE was raised although MSG_NOSIGNAL was set");
	note("EPIPE reached%s", reset ? " after ECONNRESET" : "");
	return 0;
}

static int t_send_sigpipe(void)
{
	struct pair p;
	char b[8];
	int rc, reset;

	signal(SIGPIPE, on_sigpipe);
	if (make_pair(&p))
		return 1;
	EXPECT_OK(close(p.s), "peer close");
	step = "waiting for EOF";
	rc = recv(p.c, b, sizeof(b), 0);
	if (rc != 0)
		return fail("recv after the peer closed: expected 0, got %s",
			    outcome(rc, errno));
	if (send_until_epipe(p.c, 0, &reset))
		return 1;
	if (!sigpipes)
		return fail("send returned EPIPE without MSG_NOSIGNAL, but no "
			    "SIGPIPE was raised");
	return 0;
}

static int t_send_after_shutdown(void)
{
	struct pair p;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(shutdown(p.c, SHUT_WR), "shutdown(SHUT_WR)");
	EXPECT_ERR(send(p.c, "x", 1, MSG_NOSIGNAL), EPIPE,
		   "send after shutdown(SHUT_WR)");
	return 0;
}

static int t_shutdown_unconnected(void)
{
	int fd;

	EXPECT_OK(fd = cli_sock(), "socket()");
	EXPECT_ERR(shutdown(fd, SHUT_WR), ENOTCONN,
		   "shutdown on an unconnected socket");
	return 0;
}

/* ------------------------------------------------------------------ */
/* message boundaries                                                  */

/* Receive one message and check length, content and flags. */
static int recv_check(int fd, unsigned char *buf, size_t cap, size_t want,
		      unsigned int i)
{
	static unsigned char ref[70000];
	struct iovec iov = { buf, cap };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;
	size_t d;

	step = "receiving messages";
	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return fail("recv of message #%u (%zu bytes): %s", i, want,
			    outcome(n, errno));
	if ((size_t)n != want)
		return fail("message #%u: recv returned %zd bytes, sent %zu "
			    "(boundaries not kept?)", i, n, want);
	if (mh.msg_flags & MSG_TRUNC)
		return fail("message #%u (%zu bytes, buffer %zu): MSG_TRUNC set",
			    i, want, cap);
	fill(ref, want, i);
	d = first_diff(ref, buf, want);
	if (d != want)
		return fail("message #%u (%zu bytes): content differs at byte "
			    "%zu (got 0x%02x, sent 0x%02x)", i, want, d,
			    buf[d], ref[d]);
	return 0;
}

static int send_seq(int fd, const size_t *sizes, unsigned int n)
{
	static unsigned char b[70000];

	for (unsigned int i = 0; i < n; i++) {
		ssize_t r;

		fill(b, sizes[i], i);
		r = send(fd, b, sizes[i], MSG_NOSIGNAL);
		if (r != (ssize_t)sizes[i]) {
			printf("# %s: sender: send of message #%u (%zu bytes): "
			       "%s\n", cur_test, i, sizes[i], outcome(r, errno));
			return 1;
		}
	}
	return 0;
}

static int sizes_test(const size_t *sizes, unsigned int n)
{
	static unsigned char buf[70000];
	struct pair p;
	pid_t pid;

	if (make_pair(&p))
		return 1;
	pid = fork_helper();
	if (pid < 0)
		return fail("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(send_seq(p.c, sizes, n));
	for (unsigned int i = 0; i < n; i++)
		if (recv_check(p.s, buf, sizeof(buf), sizes[i], i))
			return 1;
	return reap_helper(pid, "the sender");
}

static int t_msg_sizes(void)
{
	static const size_t sizes[] = { 1, 1000, 1400, 1500, 9000, 65000,
					65536, 1, 1460, 1461, 2920, 2921 };

	return sizes_test(sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static int t_msg_random(void)
{
	enum { N = 300 };
	static size_t sizes[N];
	unsigned int x = 12345;

	for (int i = 0; i < N; i++) {
		x = x * 1103515245 + 12345;
		sizes[i] = 1 + (x >> 8) % (i % 10 == 0 ? 16 : 20000);
	}
	return sizes_test(sizes, N);
}

static int t_msg_many_small(void)
{
	enum { N = 2000 };
	static size_t sizes[N];

	for (int i = 0; i < N; i++)
		sizes[i] = 1 + i % 16;
	return sizes_test(sizes, N);
}

static int t_msg_trunc(void)
{
	struct pair p;
	char b[64];
	struct iovec iov = { b, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(send(p.c, "0123456789", 10, MSG_NOSIGNAL), "send 10 bytes");
	EXPECT_OK(send(p.c, "next", 4, MSG_NOSIGNAL), "send 4 bytes");
	step = "recv into a 4-byte buffer";
	n = recvmsg(p.s, &mh, 0);
	if (n != 4)
		return fail("recvmsg of a 10-byte message into 4 bytes: "
			    "expected 4, got %s", outcome(n, errno));
	if (!(mh.msg_flags & MSG_TRUNC))
		return fail("recvmsg of a 10-byte message into 4 bytes: "
			    "MSG_TRUNC not set in msg_flags (0x%x)",
			    mh.msg_flags);
	if (memcmp(b, "0123", 4))
		return fail("truncated recv returned \"%.4s\", expected "
			    "\"0123\"", b);
	iov.iov_len = sizeof(b);
	mh.msg_flags = 0;
	n = recvmsg(p.s, &mh, MSG_DONTWAIT);
	if (n != 4 || memcmp(b, "next", 4))
		return fail("recv after a truncated one: expected the next "
			    "message \"next\" (4 bytes), got %s%s%.*s%s "
			    "(rest of the truncated message not discarded?)",
			    outcome(n, errno), n > 0 ? " \"" : "",
			    n > 0 ? (int)n : 0, b, n > 0 ? "\"" : "");
	if (mh.msg_flags & MSG_TRUNC)
		return fail("MSG_TRUNC set on a message that fit");
	return 0;
}

static int t_recv_trunc_flag(void)
{
	struct pair p;
	unsigned char big[5000], b[16];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	fill(big, sizeof(big), 7);
	EXPECT_OK(send(p.c, big, sizeof(big), MSG_NOSIGNAL), "send 5000 bytes");
	EXPECT_OK(send(p.c, "tail", 4, MSG_NOSIGNAL), "send 4 bytes");
	step = "recv(MSG_TRUNC)";
	n = recv(p.s, b, 10, MSG_TRUNC);
	if (n != (ssize_t)sizeof(big))
		return fail("recv(buf of 10, MSG_TRUNC) of a 5000-byte message: "
			    "expected 5000 (the real length), got %s",
			    outcome(n, errno));
	if (memcmp(b, big, 10))
		return fail("recv(MSG_TRUNC) stored wrong first 10 bytes");
	n = recv(p.s, b, sizeof(b), MSG_DONTWAIT);
	if (n != 4 || memcmp(b, "tail", 4))
		return fail("recv after recv(MSG_TRUNC): expected \"tail\", got "
			    "%s", outcome(n, errno));
	return 0;
}

static int t_msg_peek(void)
{
	struct pair p;
	char b[64];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(send(p.c, "alpha", 5, MSG_NOSIGNAL), "send alpha");
	EXPECT_OK(send(p.c, "beta", 4, MSG_NOSIGNAL), "send beta");
	for (int i = 0; i < 2; i++) {
		memset(b, 0, sizeof(b));
		step = "recv(MSG_PEEK)";
		n = recv(p.s, b, sizeof(b), MSG_PEEK);
		if (n != 5 || memcmp(b, "alpha", 5))
			return fail("recv(MSG_PEEK) #%d: expected \"alpha\" "
				    "(5), got %s \"%s\"", i + 1,
				    outcome(n, errno), b);
	}
	n = recv(p.s, b, 2, MSG_PEEK | MSG_TRUNC);
	if (n != 5)
		return fail("recv(2-byte buffer, MSG_PEEK|MSG_TRUNC): expected "
			    "5, got %s", outcome(n, errno));
	memset(b, 0, sizeof(b));
	n = recv(p.s, b, sizeof(b), MSG_DONTWAIT);
	if (n != 5 || memcmp(b, "alpha", 5))
		return fail("recv after peeks: expected \"alpha\", got %s \"%s\"",
			    outcome(n, errno), b);
	memset(b, 0, sizeof(b));
	n = recv(p.s, b, sizeof(b), MSG_DONTWAIT);
	if (n != 4 || memcmp(b, "beta", 4))
		return fail("second recv: expected \"beta\", got %s \"%s\"",
			    outcome(n, errno), b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* non-blocking and poll()                                             */

static int t_recv_dontwait(void)
{
	struct pair p;
	char b[8];

	if (make_pair(&p))
		return 1;
	EXPECT_ERR(recv(p.s, b, sizeof(b), MSG_DONTWAIT), EAGAIN,
		   "recv(MSG_DONTWAIT) with nothing queued");
	EXPECT_ERR(recv(p.c, b, sizeof(b), MSG_DONTWAIT), EAGAIN,
		   "recv(MSG_DONTWAIT) on the client with nothing queued");
	return 0;
}

static int t_recv_nonblock(void)
{
	struct pair p;
	char b[8];

	if (make_pair(&p))
		return 1;
	EXPECT_OK(fcntl(p.s, F_SETFL, O_NONBLOCK), "fcntl(O_NONBLOCK)");
	EXPECT_ERR(recv(p.s, b, sizeof(b), 0), EAGAIN,
		   "recv on an O_NONBLOCK socket with nothing queued");
	EXPECT_OK(fcntl(p.l, F_SETFL, O_NONBLOCK), "fcntl(O_NONBLOCK)");
	EXPECT_ERR(accept(p.l, NULL, NULL), EAGAIN,
		   "accept on an O_NONBLOCK listener with no pending "
		   "connection");
	return 0;
}

static int t_poll_pollin(void)
{
	struct pair p;
	int ev;

	if (make_pair(&p))
		return 1;
	ev = poll1(p.s, POLLIN, 0);
	if (ev & POLLIN)
		return fail("POLLIN before anything was sent (revents %s)",
			    pollstr(ev));
	EXPECT_OK(send(p.c, "hello", 5, MSG_NOSIGNAL), "send");
	step = "poll for POLLIN";
	ev = poll1(p.s, POLLIN, 5000);
	if (!(ev & POLLIN))
		return fail("no POLLIN within 5 s of a send (revents %s)",
			    pollstr(ev));
	return 0;
}

static int t_poll_listener(void)
{
	struct sockaddr_toy a;
	int l, c, ev;

	if ((l = listener(&a, 0)) < 0)
		return 1;
	ev = poll1(l, POLLIN, 0);
	if (ev)
		return fail("idle listener polls %s, expected nothing",
			    pollstr(ev));
	EXPECT_OK(c = cli_sock(), "socket()");
	EXPECT_OK(connect(c, (struct sockaddr *)&a, sizeof(a)), "connect");
	ev = poll1(l, POLLIN, 5000);
	if (!(ev & POLLIN))
		return fail("listener with a pending connection: revents %s, "
			    "expected POLLIN", pollstr(ev));
	return 0;
}

static int t_poll_pollout(void)
{
	struct pair p;
	int ev;

	if (make_pair(&p))
		return 1;
	ev = poll1(p.c, POLLIN | POLLOUT, 1000);
	if (ev != POLLOUT)
		return fail("idle connected socket polls %s, expected POLLOUT "
			    "only", pollstr(ev));
	return 0;
}

static int rdhup_test(int use_close)
{
	struct pair p;
	char b[8];
	int ev;
	ssize_t n;

	if (make_pair(&p))
		return 1;
	if (use_close)
		EXPECT_OK(close(p.s), "peer close");
	else
		EXPECT_OK(shutdown(p.s, SHUT_WR), "peer shutdown(SHUT_WR)");
	step = "poll for POLLRDHUP";
	{
		long long t0 = now_ms();

		do {
			ev = poll1(p.c, POLLIN | POLLRDHUP, 5000);
		} while (!(ev & POLLRDHUP) && now_ms() - t0 < 5000);
	}
	if (!(ev & POLLIN) || !(ev & POLLRDHUP))
		return fail("after the peer's %s: revents %s, expected "
			    "POLLIN|POLLRDHUP", use_close ? "close" :
			    "shutdown(SHUT_WR)", pollstr(ev));
	n = recv(p.c, b, sizeof(b), MSG_DONTWAIT);
	if (n != 0)
		return fail("recv after the peer's %s: expected 0 (EOF), got %s",
			    use_close ? "close" : "shutdown(SHUT_WR)",
			    outcome(n, errno));
	n = recv(p.c, b, sizeof(b), MSG_DONTWAIT);
	if (n != 0)
		return fail("second recv at EOF: expected 0 again, got %s",
			    outcome(n, errno));
	return 0;
}

static int t_poll_rdhup_shutdown(void)
{
	return rdhup_test(0);
}

static int t_poll_rdhup_close(void)
{
	return rdhup_test(1);
}

/* ------------------------------------------------------------------ */
/* shutdown                                                            */

static int t_shutdown_drain(void)
{
	struct pair p;
	char b[32];
	static const char *const m[] = { "one", "two", "three" };
	ssize_t n;
	int ev;

	if (make_pair(&p))
		return 1;
	for (int i = 0; i < 3; i++)
		EXPECT_OK(send(p.s, m[i], strlen(m[i]), MSG_NOSIGNAL), "send");
	EXPECT_OK(shutdown(p.s, SHUT_WR), "shutdown(SHUT_WR)");
	/* let the FIN arrive behind the data before reading anything */
	ev = poll1(p.c, POLLRDHUP, 5000);
	(void)ev;
	for (int i = 0; i < 3; i++) {
		memset(b, 0, sizeof(b));
		step = "draining messages after shutdown";
		n = recv(p.c, b, sizeof(b), MSG_DONTWAIT);
		if (n != (ssize_t)strlen(m[i]) || memcmp(b, m[i], n))
			return fail("message %d after the peer's shutdown: "
				    "expected \"%s\", got %s \"%s\"", i + 1,
				    m[i], outcome(n, errno), b);
	}
	n = recv(p.c, b, sizeof(b), MSG_DONTWAIT);
	if (n != 0)
		return fail("recv after draining: expected 0 (EOF), got %s",
			    outcome(n, errno));
	return 0;
}

static int t_shutdown_half_close(void)
{
	struct pair p;
	char b[32];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(shutdown(p.c, SHUT_WR), "client shutdown(SHUT_WR)");
	step = "server waiting for EOF";
	n = recv(p.s, b, sizeof(b), 0);
	if (n != 0)
		return fail("server recv after client shutdown: expected 0, "
			    "got %s", outcome(n, errno));
	EXPECT_OK(send(p.s, "reply", 5, MSG_NOSIGNAL),
		  "server send after the client's shutdown(SHUT_WR)");
	step = "client receiving on a half-closed connection";
	n = recv(p.c, b, sizeof(b), 0);
	if (n != 5 || memcmp(b, "reply", 5))
		return fail("client recv on its half-closed connection: "
			    "expected \"reply\", got %s", outcome(n, errno));
	EXPECT_OK(close(p.s), "server close");
	n = recv(p.c, b, sizeof(b), 0);
	if (n != 0)
		return fail("client recv after server close: expected 0, got %s",
			    outcome(n, errno));
	return 0;
}

/* ------------------------------------------------------------------ */
/* names and options                                                   */

static int t_getsockname_unbound(void)
{
	struct sockaddr_toy g;
	socklen_t len = sizeof(g);
	int fd;

	EXPECT_OK(fd = srv_sock(), "socket()");
	memset(&g, 0xff, sizeof(g));
	EXPECT_OK(getsockname(fd, (struct sockaddr *)&g, &len),
		  "getsockname on an unbound socket");
	if (g.stoy_family != AF_TOY || g.stoy_port || g.stoy_addr.s_addr)
		return fail("unbound getsockname is %s, expected 0.0.0.0:0",
			    fmt_addr(&g));
	return 0;
}

static int t_getpeername_unconnected(void)
{
	struct sockaddr_toy g;
	socklen_t len = sizeof(g);
	struct sockaddr_toy a;
	int fd, l;

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_ERR(getpeername(fd, (struct sockaddr *)&g, &len), ENOTCONN,
		   "getpeername on an unconnected socket");
	if ((l = listener(&a, 0)) < 0)
		return 1;
	len = sizeof(g);
	EXPECT_ERR(getpeername(l, (struct sockaddr *)&g, &len), ENOTCONN,
		   "getpeername on a listener");
	return 0;
}

static int t_names_connected(void)
{
	struct pair p;
	struct sockaddr_toy cn, cp, sn, sp;
	socklen_t l1 = sizeof(cn), l2 = sizeof(cp), l3 = sizeof(sn),
		  l4 = sizeof(sp);

	if (make_pair(&p))
		return 1;
	EXPECT_OK(getsockname(p.c, (struct sockaddr *)&cn, &l1),
		  "client getsockname");
	EXPECT_OK(getpeername(p.c, (struct sockaddr *)&cp, &l2),
		  "client getpeername");
	EXPECT_OK(getsockname(p.s, (struct sockaddr *)&sn, &l3),
		  "server getsockname");
	EXPECT_OK(getpeername(p.s, (struct sockaddr *)&sp, &l4),
		  "server getpeername");
	if (l1 != sizeof(cn) || l2 != sizeof(cn) || l3 != sizeof(cn) ||
	    l4 != sizeof(cn))
		return fail("address lengths %u %u %u %u, expected %zu", l1, l2,
			    l3, l4, sizeof(cn));
	if (memcmp(&cp, &p.laddr, sizeof(cp)))
		return fail("client getpeername %s, connected to %s",
			    fmt_addr(&cp), fmt_addr(&p.laddr));
	if (memcmp(&sn, &p.laddr, sizeof(sn)))
		return fail("accepted socket getsockname %s, listener is %s",
			    fmt_addr(&sn), fmt_addr(&p.laddr));
	if (cn.stoy_family != AF_TOY || !cn.stoy_port || !cn.stoy_addr.s_addr)
		return fail("client getsockname %s: expected a real address "
			    "and an ephemeral port after connect",
			    fmt_addr(&cn));
	if (memcmp(&sp, &cn, sizeof(sp)))
		return fail("accepted socket getpeername %s, but the client's "
			    "getsockname is %s", fmt_addr(&sp), fmt_addr(&cn));
	note("client %s <-> server %s", fmt_addr(&cn), fmt_addr(&sn));
	return 0;
}

static int get_info(int fd, struct toy_info *ti, const char *who)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0xee, sizeof(*ti));
	if (getsockopt(fd, SOL_TOY, TOY_INFO, ti, &len) < 0)
		return fail("getsockopt(SOL_TOY, TOY_INFO) on %s: %s", who,
			    outcome(-1, errno));
	if (len != sizeof(*ti))
		return fail("TOY_INFO on %s returned %u bytes, expected %zu",
			    who, len, sizeof(*ti));
	return 0;
}

static int t_toy_info(void)
{
	struct pair p;
	struct toy_info ti;
	int fds[2];
	const char *who[2] = { "the client", "the accepted socket" };

	if (make_pair(&p))
		return 1;
	fds[0] = p.c;
	fds[1] = p.s;
	for (int i = 0; i < 2; i++) {
		if (get_info(fds[i], &ti, who[i]))
			return 1;
		if (ti.toyi_state != TOY_ESTABLISHED)
			return fail("TOY_INFO state on %s is %u, expected "
				    "TOY_ESTABLISHED (1)", who[i],
				    ti.toyi_state);
		if (ti.toyi_mss == 0 || (int)ti.toyi_mss > O.max_mss)
			return fail("TOY_INFO mss on %s is %u, expected 1..%d",
				    who[i], ti.toyi_mss, O.max_mss);
		if (ti.toyi_rto_us == 0)
			return fail("TOY_INFO rto_us on %s is 0", who[i]);
		if (ti.toyi_snd_wnd == 0 || ti.toyi_rcv_wnd == 0)
			return fail("TOY_INFO on %s: snd_wnd %u rcv_wnd %u on "
				    "an idle new connection, expected > 0",
				    who[i], ti.toyi_snd_wnd, ti.toyi_rcv_wnd);
		if (ti.toyi_snd_cwnd == 0)
			return fail("TOY_INFO snd_cwnd on %s is 0", who[i]);
		note("%s: mss %u rto %u us cwnd %u", who[i], ti.toyi_mss,
		     ti.toyi_rto_us, ti.toyi_snd_cwnd);
	}
	return 0;
}

static int t_toy_info_listen(void)
{
	struct sockaddr_toy a;
	struct toy_info ti;
	int l;

	if ((l = listener(&a, 0)) < 0)
		return 1;
	if (get_info(l, &ti, "a listener"))
		return 1;
	if (ti.toyi_state != TOY_LISTEN)
		return fail("TOY_INFO state on a listener is %u, expected "
			    "TOY_LISTEN (%d)", ti.toyi_state, TOY_LISTEN);
	return 0;
}

static int t_toy_info_counters(void)
{
	struct pair p;
	struct toy_info ci, si;
	char b[200];
	long long t0;

	if (make_pair(&p))
		return 1;
	memset(b, 'x', sizeof(b));
	for (int i = 0; i < 3; i++)
		EXPECT_OK(send(p.c, b, 100, MSG_NOSIGNAL), "send 100 bytes");
	for (int i = 0; i < 3; i++)
		EXPECT_OK(recv(p.s, b, sizeof(b), 0), "recv");
	/* wait for the ACKs, so that nothing is in flight */
	t0 = now_ms();
	for (;;) {
		if (get_info(p.c, &ci, "the client"))
			return 1;
		if (!ci.toyi_unacked || now_ms() - t0 > 3000)
			break;
		msleep(10);
	}
	if (get_info(p.s, &si, "the server"))
		return 1;
	if (ci.toyi_msgs_sent != 3 || ci.toyi_bytes_sent != 300)
		return fail("sender TOY_INFO: msgs_sent %llu bytes_sent %llu, "
			    "expected 3 and 300",
			    (unsigned long long)ci.toyi_msgs_sent,
			    (unsigned long long)ci.toyi_bytes_sent);
	if (si.toyi_msgs_received != 3 || si.toyi_bytes_received != 300)
		return fail("receiver TOY_INFO: msgs_received %llu "
			    "bytes_received %llu, expected 3 and 300",
			    (unsigned long long)si.toyi_msgs_received,
			    (unsigned long long)si.toyi_bytes_received);
	if (ci.toyi_unacked)
		return fail("sender TOY_INFO: %u bytes still unacked 3 s after "
			    "the receiver read everything", ci.toyi_unacked);
	if (ci.toyi_snd_una != ci.toyi_snd_nxt)
		return fail("sender TOY_INFO: snd_una %u != snd_nxt %u with "
			    "nothing in flight", ci.toyi_snd_una,
			    ci.toyi_snd_nxt);
	if (si.toyi_rcv_nxt != ci.toyi_snd_nxt)
		return fail("receiver rcv_nxt %u != sender snd_nxt %u after "
			    "all data was delivered", si.toyi_rcv_nxt,
			    ci.toyi_snd_nxt);
	return 0;
}

static int t_toy_maxseg(void)
{
	struct pair p;
	struct toy_info ti;
	int mss;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(get_int(p.c, SOL_TOY, TOY_MAXSEG, &mss),
		  "getsockopt(SOL_TOY, TOY_MAXSEG)");
	if (get_info(p.c, &ti, "the client"))
		return 1;
	if (mss <= 0 || mss > O.max_mss)
		return fail("TOY_MAXSEG is %d, expected 1..%d", mss, O.max_mss);
	if ((unsigned int)mss != ti.toyi_mss)
		return fail("TOY_MAXSEG %d differs from TOY_INFO mss %u", mss,
			    ti.toyi_mss);
	return 0;
}

static int t_toy_nodelay(void)
{
	struct pair p;
	int v;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(get_int(p.c, SOL_TOY, TOY_NODELAY, &v),
		  "getsockopt(TOY_NODELAY)");
	if (v != 0)
		return fail("TOY_NODELAY is %d on a new socket, expected 0", v);
	EXPECT_OK(set_int(p.c, SOL_TOY, TOY_NODELAY, 1),
		  "setsockopt(TOY_NODELAY, 1)");
	EXPECT_OK(get_int(p.c, SOL_TOY, TOY_NODELAY, &v),
		  "getsockopt(TOY_NODELAY)");
	if (v != 1)
		return fail("TOY_NODELAY reads %d after setting 1", v);
	EXPECT_OK(set_int(p.c, SOL_TOY, TOY_NODELAY, 0),
		  "setsockopt(TOY_NODELAY, 0)");
	EXPECT_OK(get_int(p.c, SOL_TOY, TOY_NODELAY, &v),
		  "getsockopt(TOY_NODELAY)");
	if (v != 0)
		return fail("TOY_NODELAY reads %d after setting 0", v);
	/* still works with data flowing */
	EXPECT_OK(set_int(p.c, SOL_TOY, TOY_NODELAY, 1), "TOY_NODELAY 1");
	EXPECT_OK(send(p.c, "x", 1, MSG_NOSIGNAL), "send");
	EXPECT_OK(recv(p.s, &v, sizeof(v), 0), "recv");
	return 0;
}

static int t_sockopt_unknown(void)
{
	int fd, v = 1;
	socklen_t len = sizeof(v);

	EXPECT_OK(fd = srv_sock(), "socket()");
	EXPECT_ERR(getsockopt(fd, SOL_TOY, 99, &v, &len), ENOPROTOOPT,
		   "getsockopt(SOL_TOY, 99)");
	EXPECT_ERR(setsockopt(fd, SOL_TOY, 99, &v, sizeof(v)), ENOPROTOOPT,
		   "setsockopt(SOL_TOY, 99)");
	return 0;
}

/* ------------------------------------------------------------------ */
/* data and teardown                                                   */

static int t_echo_bidir(void)
{
	struct pair p;
	unsigned char out[3000], in[3000];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	for (unsigned int i = 0; i < 50; i++) {
		size_t len = 1 + (i * 61) % sizeof(out);

		fill(out, len, i);
		EXPECT_OK(send(p.c, out, len, MSG_NOSIGNAL), "client send");
		n = recv(p.s, in, sizeof(in), 0);
		if (n != (ssize_t)len || memcmp(in, out, len))
			return fail("round %u: server got %s for %zu bytes", i,
				    outcome(n, errno), len);
		EXPECT_OK(send(p.s, in, n, MSG_NOSIGNAL), "server send");
		n = recv(p.c, in, sizeof(in), 0);
		if (n != (ssize_t)len || memcmp(in, out, len))
			return fail("round %u: echo came back as %s for %zu "
				    "bytes", i, outcome(n, errno), len);
	}
	return 0;
}

static int t_close_with_unread(void)
{
	struct pair p;
	char b[8];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(send(p.c, "unread", 6, MSG_NOSIGNAL), "send");
	step = "waiting for the data to arrive";
	if (!(poll1(p.s, POLLIN, 5000) & POLLIN))
		return fail("data never arrived");
	/* closing with unread data: the peer must learn (RFC 2525 2.17) */
	EXPECT_OK(close(p.s), "close with a message unread");
	step = "client recv after the peer closed with unread data";
	n = recv(p.c, b, sizeof(b), 0);
	if (!(n < 0 && errno == ECONNRESET))
		return fail("recv after the peer closed with unread data: "
			    "expected ECONNRESET (the peer resets, as TCP does, "
			    "RFC 2525 2.17), got %s", outcome(n, errno));
	return 0;
}

static int t_many_connections(void)
{
	enum { N = 20 };
	struct sockaddr_toy a;
	int l, c[N], s[N];
	char b[16];

	if ((l = listener(&a, 0)) < 0)
		return 1;
	for (int i = 0; i < N; i++) {
		EXPECT_OK(c[i] = cli_sock(), "socket()");
		EXPECT_OK(connect(c[i], (struct sockaddr *)&a, sizeof(a)),
			  "connect");
		EXPECT_OK(s[i] = accept(l, NULL, NULL), "accept");
	}
	for (int i = 0; i < N; i++) {
		int len = snprintf(b, sizeof(b), "conn%d", i);

		EXPECT_OK(send(c[i], b, len, MSG_NOSIGNAL), "send");
	}
	for (int i = N - 1; i >= 0; i--) {
		char want[16];
		int len = snprintf(want, sizeof(want), "conn%d", i);
		ssize_t n = recv(s[i], b, sizeof(b), 0);

		if (n != len || memcmp(b, want, len))
			return fail("connection %d delivered %s, expected "
				    "\"%s\" (demultiplexing mixed up?)", i,
				    outcome(n, errno), want);
	}
	return 0;
}

static int t_send_too_big_sndbuf(void)
{
	struct pair p;
	int v;
	char *big;
	char what[128];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(set_int(p.c, SOL_SOCKET, SO_SNDBUF, 8192),
		  "setsockopt(SO_SNDBUF, 8192)");
	EXPECT_OK(get_int(p.c, SOL_SOCKET, SO_SNDBUF, &v), "SO_SNDBUF");
	if (v <= 0 || v > 65536)
		return fail("SO_SNDBUF reads %d after setting 8192", v);
	big = calloc(1, v + 1);
	if (!big)
		return fail("out of memory");
	snprintf(what, sizeof(what), "send of SO_SNDBUF+1 = %d bytes after "
		 "SO_SNDBUF was lowered", v + 1);
	EXPECT_ERR(send(p.c, big, v + 1, MSG_NOSIGNAL | MSG_DONTWAIT),
		   EMSGSIZE, what);
	snprintf(what, sizeof(what), "send of %d bytes (half of SO_SNDBUF) "
		 "on an idle socket", v / 2);
	EXPECT_OK(send(p.c, big, v / 2, MSG_NOSIGNAL | MSG_DONTWAIT), what);
	n = recv(p.s, big, v + 1, 0);
	if (n != v / 2)
		return fail("receiver got %s, expected %d bytes",
			    outcome(n, errno), v / 2);
	return 0;
}

static int t_recvfrom_addr(void)
{
	struct pair p;
	struct sockaddr_toy from, cn;
	socklen_t fl = sizeof(from), cl = sizeof(cn);
	char b[8];
	ssize_t n;

	if (make_pair(&p))
		return 1;
	EXPECT_OK(getsockname(p.c, (struct sockaddr *)&cn, &cl),
		  "client getsockname");
	EXPECT_OK(send(p.c, "x", 1, MSG_NOSIGNAL), "send");
	memset(&from, 0xff, sizeof(from));
	step = "recvfrom";
	n = recvfrom(p.s, b, sizeof(b), 0, (struct sockaddr *)&from, &fl);
	if (n != 1)
		return fail("recvfrom: expected 1 byte, got %s", outcome(n, errno));
	if (fl != sizeof(from) || memcmp(&from, &cn, sizeof(from)))
		return fail("recvfrom reported %s (len %u), the sender is %s",
			    fmt_addr(&from), fl, fmt_addr(&cn));
	return 0;
}

/*
 * A receiver that does not read must stop the sender (its window closes,
 * the sender's buffer fills, send gives EAGAIN and POLLOUT goes away);
 * when it reads again, everything queued must arrive in order and the
 * sender must become writable again.
 */
static int t_flow_control(void)
{
	enum { SZ = 4000 };
	static unsigned char b[SZ], in[SZ + 1];
	const unsigned long cap = 64UL << 20;	/* bytes */
	struct pair p;
	unsigned int sent = 0, got = 0;
	int ev;

	if (make_pair(&p))
		return 1;
	step = "filling the pipe with nobody reading";
	for (;;) {
		ssize_t r;

		fill(b, SZ, sent);
		r = send(p.c, b, SZ, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r == SZ) {
			if ((unsigned long)++sent * SZ > cap)
				return fail("the sender never blocked: %lu MB "
					    "accepted while the receiver read "
					    "nothing", cap >> 20);
			continue;
		}
		if (!(r < 0 && errno == EAGAIN))
			return fail("send #%u while filling: %s", sent,
				    outcome(r, errno));
		/* blocked for good only if no POLLOUT comes back soon */
		ev = poll1(p.c, POLLOUT, 500);
		if (!(ev & POLLOUT))
			break;
	}
	note("the sender blocked after %u messages (%u bytes)", sent,
	     sent * SZ);
	ev = poll1(p.c, POLLOUT, 0);
	if (ev & POLLOUT)
		return fail("POLLOUT while send gives EAGAIN");

	step = "draining";
	while (got < sent) {
		ssize_t n;

		ev = poll1(p.s, POLLIN, 10000);
		if (!(ev & POLLIN))
			return fail("receiver: no message #%u of %u within 10 s "
				    "after it started reading again (window "
				    "never reopened?)", got, sent);
		n = recv(p.s, in, sizeof(in), MSG_DONTWAIT);
		fill(b, SZ, got);
		if (n != SZ || memcmp(in, b, SZ))
			return fail("message #%u after the window reopened: "
				    "%s, expected %d intact bytes", got,
				    outcome(n, errno), SZ);
		got++;
	}
	ev = poll1(p.s, POLLIN, 0);
	if (ev & POLLIN)
		return fail("more data than was sent (%u messages)", sent);
	ev = poll1(p.c, POLLOUT, 5000);
	if (!(ev & POLLOUT))
		return fail("the sender is not writable 5 s after the receiver "
			    "drained everything (revents %s)", pollstr(ev));
	EXPECT_OK(send(p.c, "again", 5, MSG_DONTWAIT | MSG_NOSIGNAL),
		  "send after the pipe drained");
	return 0;
}

/* ------------------------------------------------------------------ */
/* the table                                                           */

struct test {
	const char *name;
	int (*fn)(void);
	const char *what;
};

static const struct test tests[] = {
	{ "socket_seqpacket", t_socket_seqpacket,
	  "socket(AF_TOY, SOCK_SEQPACKET, 0) works; SO_TYPE/SO_DOMAIN right" },
	{ "socket_proto_toy", t_socket_proto_toy,
	  "protocol IPPROTO_TOY (253) is accepted" },
	{ "socket_so_protocol", t_socket_so_protocol,
	  "protocol 0 resolves to IPPROTO_TOY in SO_PROTOCOL" },
	{ "socket_bad_proto", t_socket_bad_proto,
	  "another protocol gives EPROTONOSUPPORT" },
	{ "socket_stream", t_socket_stream,
	  "SOCK_STREAM gives ESOCKTNOSUPPORT" },
	{ "socket_dgram", t_socket_dgram, "SOCK_DGRAM gives ESOCKTNOSUPPORT" },
	{ "socket_rdm", t_socket_rdm,
	  "SOCK_RDM gives ESOCKTNOSUPPORT (for now)" },
	{ "socket_flags", t_socket_flags,
	  "SOCK_NONBLOCK and SOCK_CLOEXEC are honoured" },
	{ "bind_short_addrlen", t_bind_short_addrlen,
	  "bind with a short addrlen gives EINVAL" },
	{ "bind_wrong_family", t_bind_wrong_family,
	  "bind with AF_INET gives EAFNOSUPPORT" },
	{ "bind_nonlocal", t_bind_nonlocal,
	  "bind to a non-local address gives EADDRNOTAVAIL" },
	{ "bind_twice", t_bind_twice,
	  "a second bind on a bound socket gives EINVAL" },
	{ "bind_inuse", t_bind_inuse,
	  "binding a port another socket holds gives EADDRINUSE" },
	{ "bind_inuse_wildcard", t_bind_inuse_wildcard,
	  "0.0.0.0:port conflicts with addr:port (EADDRINUSE)" },
	{ "bind_ephemeral", t_bind_ephemeral,
	  "bind to port 0 picks a port shown by getsockname" },
	{ "bind_reuseaddr_timewait", t_bind_reuseaddr_timewait,
	  "TIME_WAIT blocks bind without SO_REUSEADDR, not with it" },
	{ "bind_two_listeners", t_bind_two_listeners,
	  "two listeners on one port: EADDRINUSE even with SO_REUSEADDR" },
	{ "listen_autobind", t_listen_autobind,
	  "listen on an unbound socket picks an ephemeral port" },
	{ "accept_not_listening", t_accept_not_listening,
	  "accept on a non-listening socket gives EINVAL" },
	{ "listen_connected", t_listen_connected,
	  "listen on a connected socket gives EINVAL" },
	{ "accept_peer_addr", t_accept_peer_addr,
	  "accept reports the connecting side's address" },
	{ "connect_short_addrlen", t_connect_short_addrlen,
	  "connect with a short addrlen gives EINVAL" },
	{ "connect_wrong_family", t_connect_wrong_family,
	  "connect with AF_INET gives EAFNOSUPPORT" },
	{ "connect_refused", t_connect_refused,
	  "connect to a port nobody listens on gives ECONNREFUSED" },
	{ "connect_nonblock", t_connect_nonblock,
	  "non-blocking connect: EINPROGRESS, POLLOUT, SO_ERROR 0" },
	{ "connect_nonblock_refused", t_connect_nonblock_refused,
	  "non-blocking connect to a closed port: SO_ERROR ECONNREFUSED" },
	{ "connect_isconn", t_connect_isconn,
	  "connect on a connected socket gives EISCONN" },
	{ "connect_already", t_connect_already,
	  "connect during a pending connect gives EALREADY; SYN_SENT" },
	{ "send_unconnected", t_send_unconnected,
	  "send on an unconnected socket gives EPIPE, as TCP's" },
	{ "recv_unconnected", t_recv_unconnected,
	  "recv on an unconnected socket gives ENOTCONN" },
	{ "send_oob", t_send_oob, "send with MSG_OOB gives EOPNOTSUPP" },
	{ "recv_oob", t_recv_oob, "recv with MSG_OOB gives EOPNOTSUPP" },
	{ "send_zero", t_send_zero, "send of 0 bytes gives EINVAL" },
	{ "send_too_big", t_send_too_big,
	  "send larger than SO_SNDBUF gives EMSGSIZE" },
	{ "send_too_big_sndbuf", t_send_too_big_sndbuf,
	  "a lowered SO_SNDBUF lowers the EMSGSIZE limit" },
	{ "send_epipe", t_send_epipe,
	  "sending to a closed peer ends in EPIPE, no SIGPIPE with "
	  "MSG_NOSIGNAL" },
	{ "send_sigpipe", t_send_sigpipe,
	  "without MSG_NOSIGNAL, EPIPE comes with SIGPIPE" },
	{ "send_after_shutdown", t_send_after_shutdown,
	  "send after shutdown(SHUT_WR) gives EPIPE" },
	{ "shutdown_unconnected", t_shutdown_unconnected,
	  "shutdown on an unconnected socket gives ENOTCONN" },
	{ "msg_sizes", t_msg_sizes,
	  "1..65536-byte messages keep their boundaries and bytes" },
	{ "msg_random", t_msg_random,
	  "300 messages of random sizes keep boundaries and bytes" },
	{ "msg_many_small", t_msg_many_small,
	  "2000 tiny messages are not merged" },
	{ "recvfrom_addr", t_recvfrom_addr,
	  "recvfrom reports the sender's address" },
	{ "flow_control", t_flow_control,
	  "a non-reading receiver blocks the sender; reading resumes it" },
	{ "msg_trunc", t_msg_trunc,
	  "short buffer: MSG_TRUNC in msg_flags, rest discarded" },
	{ "recv_trunc_flag", t_recv_trunc_flag,
	  "recv(MSG_TRUNC) returns the full message length" },
	{ "msg_peek", t_msg_peek, "MSG_PEEK leaves the message queued" },
	{ "recv_dontwait", t_recv_dontwait,
	  "recv(MSG_DONTWAIT) with nothing queued gives EAGAIN" },
	{ "recv_nonblock", t_recv_nonblock,
	  "O_NONBLOCK recv/accept with nothing queued give EAGAIN" },
	{ "poll_pollin", t_poll_pollin, "POLLIN exactly when a message waits" },
	{ "poll_listener", t_poll_listener,
	  "a listener polls POLLIN when a connection waits" },
	{ "poll_pollout", t_poll_pollout,
	  "an idle connected socket polls POLLOUT" },
	{ "poll_rdhup_shutdown", t_poll_rdhup_shutdown,
	  "peer shutdown(SHUT_WR): POLLIN|POLLRDHUP, recv 0" },
	{ "poll_rdhup_close", t_poll_rdhup_close,
	  "peer close: POLLIN|POLLRDHUP, recv 0" },
	{ "shutdown_drain", t_shutdown_drain,
	  "queued messages are read before EOF after shutdown" },
	{ "shutdown_half_close", t_shutdown_half_close,
	  "after SHUT_WR the other direction still works" },
	{ "getsockname_unbound", t_getsockname_unbound,
	  "getsockname of an unbound socket is 0.0.0.0:0" },
	{ "getpeername_unconnected", t_getpeername_unconnected,
	  "getpeername when not connected gives ENOTCONN" },
	{ "names_connected", t_names_connected,
	  "getsockname/getpeername agree on both ends" },
	{ "toy_info", t_toy_info,
	  "TOY_INFO: ESTABLISHED, sane mss, windows, rto" },
	{ "toy_info_listen", t_toy_info_listen,
	  "TOY_INFO on a listener says LISTEN" },
	{ "toy_info_counters", t_toy_info_counters,
	  "TOY_INFO message/byte counters and sequence numbers add up" },
	{ "toy_maxseg", t_toy_maxseg, "TOY_MAXSEG is the TOY_INFO mss" },
	{ "toy_nodelay", t_toy_nodelay, "TOY_NODELAY reads back what was set" },
	{ "sockopt_unknown", t_sockopt_unknown,
	  "an unknown SOL_TOY option gives ENOPROTOOPT" },
	{ "echo_bidir", t_echo_bidir,
	  "50 ping-pong rounds in both directions" },
	{ "close_with_unread", t_close_with_unread,
	  "closing with unread data resets the peer (ECONNRESET)" },
	{ "many_connections", t_many_connections,
	  "20 connections to one listener are kept apart" },
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static void on_alarm(int sig)
{
	char msg[512];
	int n;

	(void)sig;
	n = snprintf(msg, sizeof(msg), "# %s: timed out after %d s while %s\n",
		     cur_test, O.timeout, (const char *)step);
	if (write(1, msg, n) < 0)
		_exit(3);
	_exit(3);
}

/* Run one test in a child; print the result line; return 0 pass/skip. */
static int run_one(const struct test *t)
{
	pid_t pid;
	int st, rc;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("# %s: fork: %s\nFAIL: %s%s\n", t->name, strerror(errno),
		       O.prefix, t->name);
		return 1;
	}
	if (pid == 0) {
		cur_test = t->name;
		signal(SIGALRM, on_alarm);
		alarm(O.timeout);
		why[0] = 0;
		rc = t->fn();
		if (rc && why[0])
			printf("# %s: %s\n", t->name, why);
		fflush(stdout);
		_exit(rc);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		printf("PASS: %s%s\n", O.prefix, t->name);
		return 0;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 2) {
		printf("SKIP: %s%s\n", O.prefix, t->name);
		return 0;
	}
	if (WIFSIGNALED(st))
		printf("# %s: the test process died of signal %d (%s)\n",
		       t->name, WTERMSIG(st), strsignal(WTERMSIG(st)));
	printf("FAIL: %s%s\n", O.prefix, t->name);
	return 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-blackbox [options] [test|glob ...]   run tests (default: all)\n"
"       toy-blackbox --list                      list the tests\n"
"\n"
"Black-box tests of the AF_TOY socket family through the socket API only.\n"
"Prints one 'PASS: name', 'FAIL: name' (reason on the line before) or\n"
"'SKIP: name' line per test; exits 0 when nothing failed, 1 otherwise,\n"
"2 on a usage error.\n"
"\n"
"options:\n"
"  -s, --server-ns NS    create listeners in network namespace NS\n"
"                        (a name under /run/netns, or a path)\n"
"  -c, --client-ns NS    create connecting sockets in namespace NS\n"
"  -a, --server-addr IP  the address listeners bind to (default 127.0.0.1)\n"
"  -u, --unreach IP      routed address nobody answers on, for the EALREADY\n"
"                        test (default 10.0.0.99)\n"
"  -n, --nonlocal IP     an address not configured here (default 192.0.2.1)\n"
"  -m, --max-mss N       largest MSS accepted as sane (default 1460, or\n"
"                        65495 when the server address is 127.x)\n"
"  -p, --prefix STR      prepended to every result name (e.g. 'veth: ')\n"
"  -t, --timeout SEC     time limit per test (default 30)\n"
"  -v, --verbose         print details of passing tests too\n"
"  -l, --list            list the tests and what each asserts\n"
"  -h, --help\n"
"\n"
"examples:\n"
"  toy-blackbox                          all tests over loopback\n"
"  toy-blackbox 'bind_*' msg_trunc       some tests\n"
"  toy-blackbox -s B -c A -a 10.0.0.2 -p 'veth: '  across a veth pair\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "server-ns", required_argument, 0, 's' },
		{ "client-ns", required_argument, 0, 'c' },
		{ "server-addr", required_argument, 0, 'a' },
		{ "unreach", required_argument, 0, 'u' },
		{ "nonlocal", required_argument, 0, 'n' },
		{ "max-mss", required_argument, 0, 'm' },
		{ "prefix", required_argument, 0, 'p' },
		{ "timeout", required_argument, 0, 't' },
		{ "verbose", no_argument, 0, 'v' },
		{ "list", no_argument, 0, 'l' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	const char *srv_ip = "127.0.0.1", *unreach = "10.0.0.99",
		   *nonlocal = "192.0.2.1";
	int opt, failed = 0, ran = 0, fd;
	size_t i;

	O.prefix = "";
	O.timeout = 30;
	while ((opt = getopt_long(argc, argv, "s:c:a:u:n:m:p:t:vlh", lo,
				  NULL)) != -1) {
		switch (opt) {
		case 's': O.srv_ns = optarg; break;
		case 'c': O.cli_ns = optarg; break;
		case 'a': srv_ip = optarg; break;
		case 'u': unreach = optarg; break;
		case 'n': nonlocal = optarg; break;
		case 'm': O.max_mss = atoi(optarg); break;
		case 'p': O.prefix = optarg; break;
		case 't': O.timeout = atoi(optarg); break;
		case 'v': O.verbose = 1; break;
		case 'l':
			for (i = 0; i < NTESTS; i++)
				printf("%-26s %s\n", tests[i].name,
				       tests[i].what);
			return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (inet_pton(AF_INET, srv_ip, &O.srv_ip) != 1 ||
	    inet_pton(AF_INET, unreach, &O.unreach) != 1 ||
	    inet_pton(AF_INET, nonlocal, &O.nonlocal) != 1) {
		fprintf(stderr, "toy-blackbox: addresses must be dotted-quad "
			"IPv4 (got \"%s\", \"%s\", \"%s\")\n", srv_ip, unreach,
			nonlocal);
		return 2;
	}
	if (O.timeout <= 0)
		O.timeout = 30;
	if (!O.max_mss)
		O.max_mss = (ntohl(O.srv_ip.s_addr) >> 24) == 127 ? 65495 : 1460;
	for (i = optind; i < (size_t)argc; i++) {
		size_t j;

		for (j = 0; j < NTESTS; j++)
			if (!fnmatch(argv[i], tests[j].name, 0))
				break;
		if (j == NTESTS) {
			fprintf(stderr, "toy-blackbox: no test matches \"%s\" "
				"(see --list)\n", argv[i]);
			return 2;
		}
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (O.srv_ns || O.cli_ns) {
		orig_ns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (orig_ns_fd < 0) {
			perror("toy-blackbox: /proc/self/ns/net");
			return 2;
		}
		if (O.srv_ns)
			srv_ns_fd = open_ns(O.srv_ns);
		if (O.cli_ns)
			cli_ns_fd = open_ns(O.cli_ns);
	}
	port_seed = (getpid() * 97) % 20000;

	/* One clear message instead of 60 identical failures. */
	fd = socket(AF_TOY, SOCK_SEQPACKET, 0);
	if (fd < 0 && errno == EAFNOSUPPORT) {
		printf("# module_loaded: AF_TOY is not available: is the toy "
		       "module loaded? (socket(AF_TOY=%d, SOCK_SEQPACKET, 0) "
		       "failed with EAFNOSUPPORT)\n", AF_TOY);
		printf("FAIL: %smodule_loaded\n", O.prefix);
		return 1;
	}
	if (fd >= 0)
		close(fd);

	for (i = 0; i < NTESTS; i++) {
		int selected = optind >= argc;

		for (int k = optind; k < argc && !selected; k++)
			selected = !fnmatch(argv[k], tests[i].name, 0);
		if (!selected)
			continue;
		test_index = (int)i;
		port_count = 0;
		ran++;
		failed += run_one(&tests[i]);
	}
	fprintf(stderr, "# toy-blackbox: %d tests, %d failed\n", ran, failed);
	return failed ? 1 : 0;
}
