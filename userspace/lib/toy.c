// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libtoy: address parsing, connect/listen helpers, whole-message I/O and
 * error messages for AF_TOY sockets. See toy.h for the API contract.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"

/* the ABI: no hidden padding, one layout for 32- and 64-bit programs */
_Static_assert(sizeof(struct toy_info) == 96, "struct toy_info is 96 bytes");
_Static_assert(offsetof(struct toy_info, toyi_bytes_sent) == 64,
	       "struct toy_info: the 64-bit counters start at byte 64");

#define TOY_EXPORT __attribute__((visibility("default")))

static __thread char last_err[512] = "no error";
static __thread char strerr_buf[256];

/* Record "what: toy_strerror(err)" as the last error; leaves errno = err. */
static void set_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err(int err, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(last_err, sizeof(last_err), "%s: %s", what, toy_strerror(err));
	errno = err;
}

/* Record a message that already says everything; errno = err. */
static void set_err_msg(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_err_msg(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	errno = err;
}

TOY_EXPORT const char *toy_last_error(void)
{
	return last_err;
}

TOY_EXPORT const char *toy_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case EAFNOSUPPORT:
		return "AF_TOY is not available or the address is not an "
		       "AF_TOY address (is the toy module loaded?)";
	case EPROTONOSUPPORT:
		return "protocol not supported: AF_TOY takes protocol 0 or "
		       "IPPROTO_TOY (253)";
	case ESOCKTNOSUPPORT:
		return "socket type not supported: AF_TOY sockets are "
		       "SOCK_SEQPACKET";
	case ECONNREFUSED:
		return "connection refused: nothing listens on that port (the "
		       "peer answered with a reset)";
	case ECONNRESET:
		return "connection reset by the peer (it sent a reset)";
	case ETIMEDOUT:
		return "timed out: the peer did not answer (no route, host "
		       "down, or packets lost)";
	case EHOSTUNREACH:
		return "no route to the peer's host";
	case ENETUNREACH:
		return "network unreachable: no IPv4 route to that address";
	case EADDRINUSE:
		return "address in use: another AF_TOY socket holds that port "
		       "(a listener, a connection, or one in TIME_WAIT)";
	case EADDRNOTAVAIL:
		return "address not available: that IPv4 address is not "
		       "configured on this host (namespace)";
	case EISCONN:
		return "socket is already connected";
	case EALREADY:
		return "a connection attempt is already in progress";
	case EINPROGRESS:
		return "connection in progress (non-blocking connect)";
	case ENOTCONN:
		return "socket is not connected";
	case EPIPE:
		return "broken pipe: the connection is shut down for sending "
		       "(shutdown() or peer gone)";
	case EMSGSIZE:
		return "message too long: an AF_TOY message must fit in the "
		       "socket's send buffer (SO_SNDBUF)";
	case EOPNOTSUPP:
		return "operation not supported on AF_TOY sockets (no "
		       "out-of-band data)";
	case EAGAIN:
		return "no message ready (non-blocking socket would block)";
	case EINVAL:
		return "invalid argument";
	default:
		return strerror_r(err, strerr_buf, sizeof(strerr_buf));
	}
}

static const char *const state_names[TOY_MAX_STATES] = {
	[0] = "UNKNOWN",
	[TOY_ESTABLISHED] = "ESTABLISHED",
	[TOY_SYN_SENT] = "SYN_SENT",
	[TOY_SYN_RECV] = "SYN_RECV",
	[TOY_FIN_WAIT1] = "FIN_WAIT1",
	[TOY_FIN_WAIT2] = "FIN_WAIT2",
	[TOY_TIME_WAIT] = "TIME_WAIT",
	[TOY_CLOSE] = "CLOSE",
	[TOY_CLOSE_WAIT] = "CLOSE_WAIT",
	[TOY_LAST_ACK] = "LAST_ACK",
	[TOY_LISTEN] = "LISTEN",
	[TOY_CLOSING] = "CLOSING",
};

TOY_EXPORT const char *toy_state_name(int state)
{
	if (state <= 0 || state >= TOY_MAX_STATES)
		return "UNKNOWN";
	return state_names[state];
}

TOY_EXPORT int toy_state_from_name(const char *name)
{
	int i;

	for (i = 1; i < TOY_MAX_STATES; i++)
		if (!strcmp(state_names[i], name))
			return i;
	return -1;
}

/* ---- addresses ------------------------------------------------------- */

TOY_EXPORT int toy_addr_parse(const char *str, struct sockaddr_toy *addr)
{
	char host[64];
	const char *colon, *p;
	unsigned long port;
	size_t hlen;

	if (!str || !addr) {
		set_err_msg(EINVAL, "bad AF_TOY address: NULL argument");
		return -1;
	}
	colon = strrchr(str, ':');
	if (!colon) {
		set_err_msg(EINVAL, "bad AF_TOY address \"%s\": expected "
			    "IPV4:PORT, e.g. 10.0.0.2:7000 (no ':' found)", str);
		return -1;
	}
	hlen = colon - str;
	if (hlen >= sizeof(host)) {
		set_err_msg(EINVAL, "bad AF_TOY address \"%s\": host part is "
			    "too long for an IPv4 address", str);
		return -1;
	}
	memcpy(host, str, hlen);
	host[hlen] = '\0';

	p = colon + 1;
	if (*p == '\0') {
		set_err_msg(EINVAL, "bad AF_TOY address \"%s\": no port after "
			    "':'", str);
		return -1;
	}
	for (const char *q = p; *q; q++) {
		if (*q < '0' || *q > '9') {
			set_err_msg(EINVAL, "bad AF_TOY address \"%s\": port "
				    "\"%s\" is not a decimal number", str, p);
			return -1;
		}
	}
	errno = 0;
	port = strtoul(p, NULL, 10);
	if (errno || port > 65535 || strlen(p) > 5) {
		set_err_msg(EINVAL, "bad AF_TOY address \"%s\": port %s is "
			    "out of range (0-65535)", str, p);
		return -1;
	}

	memset(addr, 0, sizeof(*addr));
	addr->stoy_family = AF_TOY;
	addr->stoy_port = htons((unsigned short)port);
	if (hlen == 0 || !strcmp(host, "*")) {
		addr->stoy_addr.s_addr = htonl(INADDR_ANY);
	} else if (!strcmp(host, "localhost")) {
		addr->stoy_addr.s_addr = htonl(INADDR_LOOPBACK);
	} else if (inet_pton(AF_INET, host, &addr->stoy_addr) != 1) {
		set_err_msg(EINVAL, "bad AF_TOY address \"%s\": \"%s\" is not "
			    "a dotted-quad IPv4 address (AF_TOY runs over IPv4 "
			    "only)", str, host);
		return -1;
	}
	return 0;
}

TOY_EXPORT char *toy_addr_format(const struct sockaddr_toy *addr, char *buf,
				 size_t len)
{
	char ip[INET_ADDRSTRLEN];

	if (!buf || !len)
		return buf;
	if (!addr) {
		snprintf(buf, len, "(null)");
		return buf;
	}
	if (addr->stoy_family != AF_TOY) {
		snprintf(buf, len, "<family %u>", addr->stoy_family);
		return buf;
	}
	if (!inet_ntop(AF_INET, &addr->stoy_addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, len, "%s:%u", ip, ntohs(addr->stoy_port));
	return buf;
}

/* ---- sockets --------------------------------------------------------- */

TOY_EXPORT int toy_available(void)
{
	int fd = socket(AF_TOY, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

TOY_EXPORT int toy_socket(int flags)
{
	int fd = socket(AF_TOY, SOCK_SEQPACKET | SOCK_CLOEXEC |
			(flags & SOCK_NONBLOCK), 0);

	if (fd < 0) {
		int err = errno;

		if (err == EAFNOSUPPORT)
			set_err_msg(err, "AF_TOY is not available: is the toy "
				    "module loaded? (socket(AF_TOY=%d) failed "
				    "with EAFNOSUPPORT)", AF_TOY);
		else
			set_err(err, "socket(AF_TOY, SOCK_SEQPACKET)");
		return -1;
	}
	return fd;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_keep_errno(int fd)
{
	int err = errno;

	close(fd);
	errno = err;
}

TOY_EXPORT int toy_connect_addr(const struct sockaddr_toy *addr,
				int timeout_ms)
{
	char as[TOY_ADDRSTRLEN];
	long long deadline;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	toy_addr_format(addr, as, sizeof(as));
	fd = toy_socket(timeout_ms > 0 ? SOCK_NONBLOCK : 0);
	if (fd < 0)
		return -1;

	if (timeout_ms <= 0) {
		while (connect(fd, (const struct sockaddr *)addr,
			       sizeof(*addr)) < 0) {
			if (errno == EINTR)
				continue;	/* then EALREADY/EISCONN */
			if (errno == EISCONN)
				return fd;
			if (errno == EALREADY) {
				struct pollfd p = { .fd = fd, .events = POLLOUT };

				poll(&p, 1, -1);
				continue;
			}
			set_err(errno, "connect to %s", as);
			close_keep_errno(fd);
			return -1;
		}
		return fd;
	}

	if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		if (errno != EINPROGRESS) {
			set_err(errno, "connect to %s", as);
			close_keep_errno(fd);
			return -1;
		}
		deadline = now_ms() + timeout_ms;
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			long long left = deadline - now_ms();
			int n;

			if (left <= 0) {
				set_err_msg(ETIMEDOUT, "connect to %s: no "
					    "answer within %d ms (is the peer "
					    "up and the toy module loaded "
					    "there?)", as, timeout_ms);
				close_keep_errno(fd);
				return -1;
			}
			n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				set_err(errno, "connect to %s: poll", as);
				close_keep_errno(fd);
				return -1;
			}
			if (n > 0)
				break;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0) {
			set_err(errno, "connect to %s: getsockopt(SO_ERROR)",
				as);
			close_keep_errno(fd);
			return -1;
		}
		if (err) {
			set_err(err, "connect to %s", as);
			close_keep_errno(fd);
			return -1;
		}
	}
	/* Hand back a blocking socket, as the blocking path does. */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		set_err(errno, "connect to %s: fcntl", as);
		close_keep_errno(fd);
		return -1;
	}
	return fd;
}

TOY_EXPORT int toy_connect(const char *addr, int timeout_ms)
{
	struct sockaddr_toy sa;

	if (toy_addr_parse(addr, &sa) < 0)
		return -1;
	return toy_connect_addr(&sa, timeout_ms);
}

TOY_EXPORT int toy_listen_addr(const struct sockaddr_toy *addr, int backlog)
{
	char as[TOY_ADDRSTRLEN];
	int fd, one = 1;

	toy_addr_format(addr, as, sizeof(as));
	fd = toy_socket(0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		set_err(errno, "listen on %s: setsockopt(SO_REUSEADDR)", as);
		close_keep_errno(fd);
		return -1;
	}
	if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
		set_err(errno, "bind to %s", as);
		close_keep_errno(fd);
		return -1;
	}
	if (listen(fd, backlog > 0 ? backlog : 16) < 0) {
		set_err(errno, "listen on %s", as);
		close_keep_errno(fd);
		return -1;
	}
	return fd;
}

TOY_EXPORT int toy_listen(const char *addr, int backlog)
{
	struct sockaddr_toy sa;

	if (toy_addr_parse(addr, &sa) < 0)
		return -1;
	return toy_listen_addr(&sa, backlog);
}

TOY_EXPORT int toy_accept(int lfd, struct sockaddr_toy *peer)
{
	struct sockaddr_toy sa;
	socklen_t len = sizeof(sa);
	int fd;

	do {
		fd = accept4(lfd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0) {
		set_err(errno, "accept");
		return -1;
	}
	if (peer)
		*peer = sa;
	return fd;
}

TOY_EXPORT int toy_local_addr(int fd, struct sockaddr_toy *addr)
{
	socklen_t len = sizeof(*addr);

	if (getsockname(fd, (struct sockaddr *)addr, &len) < 0) {
		set_err(errno, "getsockname");
		return -1;
	}
	return 0;
}

TOY_EXPORT int toy_peer_addr(int fd, struct sockaddr_toy *addr)
{
	socklen_t len = sizeof(*addr);

	if (getpeername(fd, (struct sockaddr *)addr, &len) < 0) {
		set_err(errno, "getpeername");
		return -1;
	}
	return 0;
}

/* ---- messages -------------------------------------------------------- */

TOY_EXPORT ssize_t toy_send_msg(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do {
		n = send(fd, buf, len, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EINVAL && len == 0)
			set_err_msg(EINVAL, "send of 0 bytes: AF_TOY has no "
				    "empty messages");
		else
			set_err(errno, "send of a %zu-byte message", len);
		return -1;
	}
	if ((size_t)n != len) {
		/* SOCK_SEQPACKET sends are all or nothing; say so loudly. */
		set_err_msg(EIO, "send of a %zu-byte message: the kernel took "
			    "only %zd bytes (a SOCK_SEQPACKET send must be "
			    "whole)", len, n);
		return -1;
	}
	return n;
}

TOY_EXPORT ssize_t toy_recv_msg(int fd, void *buf, size_t cap, int *truncated)
{
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	do {
		n = recvmsg(fd, &mh, 0);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		set_err(errno, "recv");
		return -1;
	}
	if (truncated)
		*truncated = !!(mh.msg_flags & MSG_TRUNC);
	return n;
}

TOY_EXPORT ssize_t toy_next_msg_len(int fd)
{
	char dummy;
	ssize_t len;

	/* MSG_PEEK | MSG_TRUNC: the length of the next message, kept queued. */
	do {
		len = recv(fd, &dummy, 1, MSG_PEEK | MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0) {
		set_err(errno, "recv (peek at the next message's length)");
		return -1;
	}
	return len;
}

TOY_EXPORT ssize_t toy_recv_msg_alloc(int fd, void **bufp)
{
	ssize_t len, n;
	void *buf;

	*bufp = NULL;
	len = toy_next_msg_len(fd);
	if (len <= 0)
		return len;
	if ((size_t)len > TOY_MSG_MAX) {
		set_err_msg(EMSGSIZE, "recv: a %zd-byte message is larger than "
			    "libtoy's limit of %u bytes", len, TOY_MSG_MAX);
		return -1;
	}
	buf = malloc(len);
	if (!buf) {
		set_err(ENOMEM, "recv: allocating %zd bytes", len);
		return -1;
	}
	n = toy_recv_msg(fd, buf, len, NULL);
	if (n <= 0) {
		free(buf);
		return n;
	}
	*bufp = buf;
	return n;
}

/* ---- time limits ----------------------------------------------------- */

/* poll() fd for events until deadline (ms, now_ms() clock; < 0: none). */
static int wait_for(int fd, short events, int timeout_ms, const char *what)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		long long left = deadline < 0 ? -1 : deadline - now_ms();
		int n;

		if (deadline >= 0 && left < 0)
			left = 0;
		n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR) {
			set_err(errno, "%s: poll", what);
			return -1;
		}
		if (n == 0 || (deadline >= 0 && now_ms() >= deadline)) {
			set_err_msg(ETIMEDOUT, "%s: nothing within %d ms", what,
				    timeout_ms);
			return -1;
		}
	}
}

TOY_EXPORT int toy_wait_readable(int fd, int timeout_ms)
{
	return wait_for(fd, POLLIN, timeout_ms, "wait for a message");
}

TOY_EXPORT int toy_accept_timeout(int lfd, struct sockaddr_toy *peer,
				  int timeout_ms)
{
	struct sockaddr_toy sa;
	socklen_t len = sizeof(sa);
	int fd;

	for (;;) {
		if (timeout_ms >= 0 &&
		    wait_for(lfd, POLLIN, timeout_ms, "accept") < 0)
			return -1;
		fd = accept4(lfd, (struct sockaddr *)&sa, &len, SOCK_CLOEXEC);
		if (fd >= 0)
			break;
		/* EAGAIN: a non-blocking listener whose connection went away */
		if (errno == EINTR || (timeout_ms >= 0 && errno == EAGAIN))
			continue;	/* poll() checks the time left */
		set_err(errno, "accept");
		return -1;
	}
	if (peer)
		*peer = sa;
	return fd;
}

TOY_EXPORT ssize_t toy_recv_msg_timeout(int fd, void *buf, size_t cap,
					int *truncated, int timeout_ms)
{
	if (timeout_ms >= 0 &&
	    wait_for(fd, POLLIN, timeout_ms, "recv") < 0)
		return -1;
	return toy_recv_msg(fd, buf, cap, truncated);
}

static struct timeval ms_to_tv(int ms)
{
	struct timeval tv = { 0, 0 };

	if (ms > 0) {
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
	}
	return tv;
}

TOY_EXPORT int toy_set_timeouts(int fd, int recv_ms, int send_ms)
{
	struct timeval r = ms_to_tv(recv_ms), w = ms_to_tv(send_ms);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &r, sizeof(r)) < 0) {
		set_err(errno, "setsockopt(SO_RCVTIMEO)");
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &w, sizeof(w)) < 0) {
		set_err(errno, "setsockopt(SO_SNDTIMEO)");
		return -1;
	}
	return 0;
}

/* ---- state ----------------------------------------------------------- */

TOY_EXPORT int toy_get_info(int fd, struct toy_info *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	if (getsockopt(fd, SOL_TOY, TOY_INFO, info, &len) < 0) {
		set_err(errno, "getsockopt(SOL_TOY, TOY_INFO)");
		return -1;
	}
	return 0;
}

TOY_EXPORT const char *toy_ca_state_name(int ca_state)
{
	switch (ca_state) {
	case 0:
		return "open";
	case 1:
		return "recovery";
	case 2:
		return "loss";
	default:
		return "unknown";
	}
}

/* "41.2 ms" or "850 us": RTT figures read best in ms above 1 ms. */
static void fmt_us(char *b, size_t n, unsigned int us)
{
	if (us >= 1000)
		snprintf(b, n, "%u.%u ms", us / 1000, us % 1000 / 100);
	else
		snprintf(b, n, "%u us", us);
}

TOY_EXPORT char *toy_info_format(const struct toy_info *ti, char *buf,
				 size_t len)
{
	char rtt[24], var[24], rto[24];

	if (!buf || !len)
		return buf;
	fmt_us(rtt, sizeof(rtt), ti->toyi_rtt_us);
	fmt_us(var, sizeof(var), ti->toyi_rttvar_us);
	fmt_us(rto, sizeof(rto), ti->toyi_rto_us);
	snprintf(buf, len, "%s mss %u srtt %s rttvar %s rto %s cwnd %u "
		 "ssthresh %u%s%s retrans %u timeouts %u sent %llu msgs %llu B "
		 "received %llu msgs %llu B",
		 toy_state_name(ti->toyi_state), ti->toyi_mss, rtt, var, rto,
		 ti->toyi_snd_cwnd, ti->toyi_snd_ssthresh,
		 ti->toyi_ca_state ? " ca " : "",
		 ti->toyi_ca_state ? toy_ca_state_name(ti->toyi_ca_state) : "",
		 ti->toyi_retrans, ti->toyi_lost,
		 (unsigned long long)ti->toyi_msgs_sent,
		 (unsigned long long)ti->toyi_bytes_sent,
		 (unsigned long long)ti->toyi_msgs_received,
		 (unsigned long long)ti->toyi_bytes_received);
	return buf;
}

static int get_int_opt(int fd, int opt, const char *name)
{
	int val = 0;
	socklen_t len = sizeof(val);

	if (getsockopt(fd, SOL_TOY, opt, &val, &len) < 0) {
		set_err(errno, "getsockopt(SOL_TOY, %s)", name);
		return -1;
	}
	return val;
}

TOY_EXPORT int toy_get_mss(int fd)
{
	return get_int_opt(fd, TOY_MAXSEG, "TOY_MAXSEG");
}

TOY_EXPORT int toy_get_nodelay(int fd)
{
	return get_int_opt(fd, TOY_NODELAY, "TOY_NODELAY");
}

TOY_EXPORT int toy_set_nodelay(int fd, int on)
{
	on = !!on;
	if (setsockopt(fd, SOL_TOY, TOY_NODELAY, &on, sizeof(on)) < 0) {
		set_err(errno, "setsockopt(SOL_TOY, TOY_NODELAY)");
		return -1;
	}
	return 0;
}
