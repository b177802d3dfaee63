// SPDX-License-Identifier: GPL-2.0
/*
 * toy-epoll-server: one process, one thread, many AF_TOY clients at once,
 * with epoll. Echo service (every message goes back to its sender), or with
 * --room a chat room (every message goes to every other client).
 *
 *	toy-epoll-server 0.0.0.0:7400
 *	toy-epoll-client 10.0.0.2:7400 --clients 50 --count 20
 *
 * The shape is the classic event loop: the listener and every connection
 * are non-blocking and registered with one epoll instance; the loop waits,
 * then accepts whatever connections are ready, reads whatever messages are
 * ready, and writes what it can. A message that does not fit a client's
 * send buffer waits in that client's queue; while it waits, the server
 * stops reading from that client (EPOLLOUT instead of EPOLLIN), so a slow
 * reader cannot make the server queue without bound.
 *
 * With SOCK_SEQPACKET, a recv() is always one whole message and a send()
 * is all or nothing (EAGAIN, or the whole message queued), so the loop
 * never keeps half-read or half-written messages around.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"

#define PROG "toy-epoll-server"

struct out_msg {
	struct out_msg *next;
	size_t len;
	char data[];
};

struct conn {
	int fd;
	char peer[TOY_ADDRSTRLEN];
	struct out_msg *head, *tail;	/* messages waiting to be sent */
	size_t queued;			/* their bytes */
	int eof;			/* the peer has shut down */
	unsigned long long msgs, bytes;
	struct conn *next, *prev;	/* all connections, for --room */
};

static int ep, verbose, room;
static struct conn *conns;
static unsigned long long total_conns, total_msgs, total_bytes, dropped;
static int open_conns, max_open;
static volatile sig_atomic_t stop;

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-epoll-server ADDR:PORT [options]\n"
"\n"
"Serve many AF_TOY clients from one thread with epoll: echo every message\n"
"back (default), or with --room pass it on to every other client.\n"
"  --room             chat room instead of echo\n"
"  --exit-after N     exit after N connections have come and gone\n"
"  --verbose, -v      print every connection (and message, twice -v)\n"
"Prints a summary (connections, most at once, messages, bytes) when it\n"
"exits, on --exit-after, SIGINT or SIGTERM.\n");
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void set_events(struct conn *c)
{
	struct epoll_event ev = {
		/* a backlog to send: stop reading until it drains */
		.events = c->head ? EPOLLOUT : EPOLLIN,
		.data.ptr = c,
	};

	if (epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0)
		perror(PROG ": epoll_ctl(MOD)");
}

static void close_conn(struct conn *c, const char *why)
{
	struct out_msg *m, *n;

	if (verbose || why)
		printf("%s: closed (%s): %llu messages, %llu bytes; %d "
		       "open\n", c->peer, why ? why : "done", c->msgs,
		       c->bytes, open_conns - 1);
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	for (m = c->head; m; m = n) {
		n = m->next;
		free(m);
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	open_conns--;
}

/* Send queued messages until the queue is empty or the socket is full. */
static int flush(struct conn *c)
{
	while (c->head) {
		struct out_msg *m = c->head;
		ssize_t n = send(c->fd, m->data, m->len,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		c->head = m->next;
		if (!c->head)
			c->tail = NULL;
		c->queued -= m->len;
		free(m);
	}
	return 0;
}

static void queue(struct conn *c, const void *data, size_t len)
{
	struct out_msg *m = malloc(sizeof(*m) + len);

	if (!m) {
		dropped++;
		return;
	}
	m->next = NULL;
	m->len = len;
	memcpy(m->data, data, len);
	if (c->tail)
		c->tail->next = m;
	else
		c->head = m;
	c->tail = m;
	c->queued += len;
}

/* Read every message that is ready. Returns 0, or -errno / 1 to close. */
static int on_readable(struct conn *c)
{
	for (;;) {
		char peek;
		ssize_t len, n;
		char *buf;

		if (c->head)
			return 0;	/* backpressure: wait for EPOLLOUT */
		len = recv(c->fd, &peek, 1, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == EAGAIN)
			return 0;
		if (len < 0)
			return -errno;
		if (len == 0) {
			c->eof = 1;
			return 1;
		}
		buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		n = recv(c->fd, buf, len, MSG_DONTWAIT);
		if (n != len) {
			free(buf);
			return n < 0 ? -errno : -EIO;
		}
		c->msgs++;
		c->bytes += n;
		total_msgs++;
		total_bytes += n;
		if (verbose > 1)
			printf("%s: message of %zd bytes\n", c->peer, n);
		if (!room) {
			queue(c, buf, n);
		} else {
			/* to everyone else, prefixed with the sender */
			size_t pl = strlen(c->peer) + 2;
			char *fw = malloc(pl + n);

			if (fw) {
				memcpy(fw, c->peer, pl - 2);
				memcpy(fw + pl - 2, ": ", 2);
				memcpy(fw + pl, buf, n);
				for (struct conn *o = conns; o; o = o->next) {
					if (o == c)
						continue;
					queue(o, fw, pl + n);
					if (flush(o) == 0)
						set_events(o);
				}
				free(fw);
			}
		}
		free(buf);
		if (!room) {
			int r = flush(c);

			if (r < 0)
				return r;
			if (c->head)
				set_events(c);	/* now wait to write */
		}
	}
}

static void on_accept(int lfd)
{
	for (;;) {
		struct sockaddr_toy pa;
		socklen_t len = sizeof(pa);
		struct epoll_event ev = { .events = EPOLLIN };
		struct conn *c;
		int fd = accept4(lfd, (struct sockaddr *)&pa, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				perror(PROG ": accept");
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		toy_addr_format(&pa, c->peer, sizeof(c->peer));
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
			perror(PROG ": epoll_ctl(ADD)");
			close(fd);
			free(c);
			continue;
		}
		c->next = conns;
		if (conns)
			conns->prev = c;
		conns = c;
		total_conns++;
		if (++open_conns > max_open)
			max_open = open_conns;
		if (verbose)
			printf("%s: connected; %d open\n", c->peer, open_conns);
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "room", no_argument, 0, 'r' },
		{ "exit-after", required_argument, 0, 'x' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct epoll_event lev = { .events = EPOLLIN, .data.ptr = NULL };
	struct sockaddr_toy la;
	char ls[TOY_ADDRSTRLEN];
	unsigned long long exit_after = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	int opt, lfd;

	while ((opt = getopt_long(argc, argv, "rx:vh", lo, NULL)) != -1) {
		switch (opt) {
		case 'r': room = 1; break;
		case 'x': exit_after = strtoull(optarg, NULL, 0); break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	lfd = toy_listen(argv[optind], 128);
	if (lfd < 0 || toy_local_addr(lfd, &la) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return 1;
	}
	/* non-blocking: accept until EAGAIN, never wait in accept() */
	if (fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK) < 0) {
		perror(PROG ": fcntl");
		return 1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev) < 0) {
		perror(PROG ": epoll");
		return 1;
	}
	printf("%s service on %s (epoll, one thread)\n",
	       room ? "chat room" : "echo",
	       toy_addr_format(&la, ls, sizeof(ls)));

	while (!stop) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			uint32_t e = evs[i].events;
			int r = 0;

			if (!c) {
				on_accept(lfd);
				continue;
			}
			if (e & EPOLLERR) {
				int err = 0;
				socklen_t l = sizeof(err);

				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
				r = -(err ? err : EIO);
			} else {
				if (e & EPOLLOUT) {
					r = flush(c);
					if (!r && !c->head)
						set_events(c);	/* read again */
				}
				if (!r && (e & (EPOLLIN | EPOLLHUP)))
					r = on_readable(c);
				/* both ways shut: what is queued cannot go */
				if (!r && (e & EPOLLHUP) && c->head)
					r = -EPIPE;
			}
			if (r < 0) {
				char why[80];

				snprintf(why, sizeof(why), "%s",
					 toy_strerror(-r));
				close_conn(c, why);
			} else if (c->eof && !c->head) {
				close_conn(c, NULL);
			} else if (c->eof) {
				set_events(c);	/* finish sending, then close */
			}
		}
		if (exit_after && total_conns >= exit_after && !open_conns)
			break;
	}
	printf("served %llu connection%s, at most %d at once, %llu messages, "
	       "%llu bytes%s\n", total_conns, total_conns == 1 ? "" : "s",
	       max_open, total_msgs, total_bytes,
	       dropped ? " (some messages dropped: out of memory)" : "");
	return 0;
}
