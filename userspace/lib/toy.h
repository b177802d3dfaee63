/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libtoy: small helpers for programs that use AF_TOY sockets.
 *
 * AF_TOY is a reliable, message-oriented transport over IPv4 (IP protocol
 * 253), used through SOCK_SEQPACKET sockets: every send() is one message,
 * every recv() returns one message, and connections are set up and torn down
 * like TCP's. The kernel ABI lives in <linux/toy.h>; nothing here is needed
 * to use AF_TOY, it only saves the boilerplate and turns errno values into
 * messages that say what went wrong in AF_TOY terms.
 *
 *	int fd = toy_connect("10.0.0.2:7000", 5000);
 *	if (fd < 0) {
 *		fprintf(stderr, "%s\n", toy_last_error());
 *		return 1;
 *	}
 *	toy_send_msg(fd, "hello", 5);
 *
 * Conventions:
 *  - Functions that return an int or ssize_t return -1 on failure with errno
 *    set; toy_last_error() then describes the failure in one line (which
 *    call, which address, what the errno means for AF_TOY). The message is
 *    per thread and stays until the next libtoy failure in that thread.
 *  - Addresses are written "a.b.c.d:port" (IPv4 dotted quad, decimal port),
 *    as /proc/net/toy prints them. "*:port" and ":port" mean 0.0.0.0:port.
 *  - Nothing here raises SIGPIPE: sends use MSG_NOSIGNAL and fail with
 *    EPIPE instead.
 *  - Time limits are in milliseconds. For toy_connect() 0 or less means
 *    "as long as the kernel waits"; for the *_timeout() and wait functions
 *    a negative limit means none and 0 means "only look". A limit that
 *    runs out fails with ETIMEDOUT.
 *  - Build with: cc prog.c $(pkg-config --cflags --libs libtoy), or link
 *    build/libtoy.a; the header includes <linux/toy.h> for the ABI.
 *  - All functions are thread-safe.
 */
#ifndef LIBTOY_TOY_H
#define LIBTOY_TOY_H

#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <linux/toy.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIBTOY_VERSION_MAJOR	0
#define LIBTOY_VERSION_MINOR	2
#define LIBTOY_VERSION		"0.2"

/* Room for the longest address string, "255.255.255.255:65535", and a NUL. */
#define TOY_ADDRSTRLEN		22

/* The largest message libtoy helpers will allocate for (toy_recv_msg_alloc). */
#define TOY_MSG_MAX		(16U << 20)

/* ---- addresses ------------------------------------------------------- */

/*
 * Parse "a.b.c.d:port" into *addr (family AF_TOY, port and address in
 * network byte order, padding zeroed). The host part may also be "*" or
 * empty (0.0.0.0) or "localhost" (127.0.0.1); the port is decimal 0-65535.
 * Returns 0, or -1 with errno EINVAL and toy_last_error() naming the part
 * that is wrong (no ':' separator, bad IPv4 address, port not a number,
 * port out of range).
 */
int toy_addr_parse(const char *str, struct sockaddr_toy *addr);

/*
 * Write addr as "a.b.c.d:port" into buf (size len, TOY_ADDRSTRLEN is always
 * enough) and return buf. A family other than AF_TOY is written as
 * "<family N>". Never fails; the output is cut to fit a short buffer.
 */
char *toy_addr_format(const struct sockaddr_toy *addr, char *buf, size_t len);

/* ---- sockets --------------------------------------------------------- */

/*
 * socket(AF_TOY, SOCK_SEQPACKET | SOCK_CLOEXEC | flags, 0). flags may hold
 * SOCK_NONBLOCK. When the kernel has no AF_TOY (EAFNOSUPPORT), the message
 * says the toy module is probably not loaded.
 */
int toy_socket(int flags);

/*
 * Connect to "a.b.c.d:port". timeout_ms > 0 bounds the handshake (ETIMEDOUT
 * when it runs out); timeout_ms <= 0 waits as long as the kernel does.
 * Returns a connected, blocking socket, or -1 with errno, e.g. ECONNREFUSED
 * when nothing listens on that port.
 */
int toy_connect(const char *addr, int timeout_ms);

/* The same with a parsed address. */
int toy_connect_addr(const struct sockaddr_toy *addr, int timeout_ms);

/*
 * A listening socket bound to "a.b.c.d:port" (port 0: the kernel picks one,
 * see toy_local_addr()). SO_REUSEADDR is set so that a restarted server can
 * bind while its old connections sit in TIME_WAIT. backlog <= 0 means 16.
 */
int toy_listen(const char *addr, int backlog);

/* The same with a parsed address. */
int toy_listen_addr(const struct sockaddr_toy *addr, int backlog);

/*
 * accept() retried on EINTR. When peer is not NULL, it receives the
 * address of the connecting side.
 */
int toy_accept(int lfd, struct sockaddr_toy *peer);

/* getsockname() / getpeername() into a struct sockaddr_toy. */
int toy_local_addr(int fd, struct sockaddr_toy *addr);
int toy_peer_addr(int fd, struct sockaddr_toy *addr);

/* ---- messages -------------------------------------------------------- */

/*
 * Send buf[0..len) as one message (retried on EINTR, never SIGPIPE).
 * Returns len, or -1 with errno: EINVAL for len 0 (AF_TOY has no empty
 * messages), EMSGSIZE when len exceeds the send buffer, EPIPE once the
 * connection is shut down for sending, ENOTCONN before it is connected.
 */
ssize_t toy_send_msg(int fd, const void *buf, size_t len);

/*
 * Receive one message into buf (capacity cap), retried on EINTR.
 * Returns the number of bytes stored, or 0 when the peer has shut down its
 * sending side and every message has been read, or -1 with errno. When
 * truncated is not NULL, *truncated is set to 1 if the message was longer
 * than cap (the rest of it is discarded by the kernel) and to 0 otherwise.
 */
ssize_t toy_recv_msg(int fd, void *buf, size_t cap, int *truncated);

/*
 * Receive one message of any size (up to TOY_MSG_MAX) into a buffer
 * allocated with malloc(); *bufp receives it and must be freed by the caller
 * (it is NULL when 0 is returned). Returns the message length, 0 at end of
 * stream, -1 with errno on failure (ENOMEM, EMSGSIZE above TOY_MSG_MAX).
 */
ssize_t toy_recv_msg_alloc(int fd, void **bufp);

/*
 * The length of the next message, without taking it off the queue
 * (recv with MSG_PEEK | MSG_TRUNC; waits like recv() does). Returns the
 * length, 0 at end of stream, or -1 with errno.
 */
ssize_t toy_next_msg_len(int fd);

/* ---- time limits ----------------------------------------------------- */

/*
 * Wait until fd is readable: a whole message is queued, the peer has shut
 * down (recv returns 0), an error is pending, or, on a listener, a
 * connection is ready for accept(). timeout_ms < 0 waits for ever, 0 only
 * looks. Returns 1 when readable, or -1 with errno: ETIMEDOUT when the
 * time ran out, or poll()'s errno. EINTR is retried within the time left.
 */
int toy_wait_readable(int fd, int timeout_ms);

/*
 * toy_accept() that gives up after timeout_ms (ETIMEDOUT); timeout_ms < 0
 * waits for ever. The listener may be blocking or not.
 */
int toy_accept_timeout(int lfd, struct sockaddr_toy *peer, int timeout_ms);

/*
 * toy_recv_msg() that gives up after timeout_ms (ETIMEDOUT) when no
 * message comes; timeout_ms < 0 waits for ever.
 */
ssize_t toy_recv_msg_timeout(int fd, void *buf, size_t cap, int *truncated,
			     int timeout_ms);

/*
 * Time limits for every later blocking call on fd, in the kernel
 * (SO_RCVTIMEO for recv and accept, SO_SNDTIMEO for send and connect);
 * 0 means none. A call that runs out fails with EAGAIN (for connect,
 * EINPROGRESS), as with any socket. Returns 0 or -1 with errno.
 */
int toy_set_timeouts(int fd, int recv_ms, int send_ms);

/* ---- per-socket information and options ------------------------------ */

/*
 * getsockopt(SOL_TOY, TOY_INFO): state, RTT estimates, congestion window,
 * retransmissions and byte/message counts of one socket, the same figures
 * /proc/net/toy shows for it. Returns 0 or -1 with errno.
 */
int toy_get_info(int fd, struct toy_info *info);

/* Room for toy_info_format()'s longest line and a NUL. */
#define TOY_INFO_STRLEN		320

/*
 * One line for humans from a struct toy_info, e.g.
 * "ESTABLISHED mss 1460 srtt 41.2 ms rttvar 9.0 ms rto 240 ms cwnd 14600
 *  ssthresh 8760 retrans 3 timeouts 1 sent 10 msgs 12000 B received
 *  10 msgs 12000 B" (on one line). Returns buf; cut to fit len.
 */
char *toy_info_format(const struct toy_info *info, char *buf, size_t len);

/*
 * getsockopt(SOL_TOY, TOY_MAXSEG): payload bytes per segment (the MSS)
 * of a connected socket. Returns the MSS or -1 with errno.
 */
int toy_get_mss(int fd);

/*
 * setsockopt(SOL_TOY, TOY_NODELAY): on != 0 makes the socket acknowledge
 * every segment at once instead of delaying ACKs (delack_ms) to ride on a
 * reply. Returns 0 or -1 with errno.
 */
int toy_set_nodelay(int fd, int on);

/* getsockopt(SOL_TOY, TOY_NODELAY): 1, 0, or -1 with errno. */
int toy_get_nodelay(int fd);

/* "open", "recovery" or "loss" for toyi_ca_state; "unknown" otherwise. */
const char *toy_ca_state_name(int ca_state);

/* ---- state names ----------------------------------------------------- */

/*
 * "ESTABLISHED", "SYN_SENT", ... for a TOY_* state number, the same names
 * /proc/net/toy prints; "UNKNOWN" for anything else.
 */
const char *toy_state_name(int state);

/*
 * The inverse of toy_state_name(): the TOY_* number for a name, or -1.
 */
int toy_state_from_name(const char *name);

/* ---- errors ---------------------------------------------------------- */

/*
 * What an errno value means for an AF_TOY socket, in one phrase, e.g.
 * ECONNREFUSED: "connection refused: nothing listens on that port (the
 * peer answered with a reset)". Falls back to strerror() for values with
 * no AF_TOY-specific meaning. The result is a static string or a string
 * stored per thread; do not free it.
 */
const char *toy_strerror(int err);

/*
 * The last libtoy failure in this thread, in one line naming the operation
 * and the address, e.g. "connect to 10.0.0.2:7000: connection refused: ...".
 * "no error" when nothing has failed yet.
 */
const char *toy_last_error(void);

/*
 * 1 when this kernel has AF_TOY sockets (the module is loaded), 0 when not.
 */
int toy_available(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBTOY_TOY_H */
