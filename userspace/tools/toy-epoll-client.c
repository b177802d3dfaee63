// SPDX-License-Identifier: GPL-2.0
/*
 * toy-epoll-client: many AF_TOY echo clients at once from one thread, to
 * load toy-epoll-server (or any echo server) and check every echo.
 *
 *	toy-epoll-client 10.0.0.2:7400 --clients 50 --count 20 --size 1000
 *
 * Every client is a non-blocking socket: connect() returns EINPROGRESS and
 * epoll reports EPOLLOUT when the handshake is done (SO_ERROR says how it
 * went). Then each client sends a message, waits for its echo (EPOLLIN),
 * compares it byte for byte, and sends the next, until it has had --count
 * echoes; then it closes. Exit status 0 only if every client got every
 * echo intact.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"

#define PROG "toy-epoll-client"

struct client {
	int id, fd, connected, done;
	unsigned long sent, got;
};

static unsigned long count = 10;
static size_t size = 1000;
static int quiet;

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-epoll-client ADDR:PORT [options]\n"
"\n"
"Open --clients connections at once (non-blocking connect, one epoll\n"
"loop); each sends --count messages of --size bytes, one at a time, and\n"
"checks each echo byte for byte.\n"
"  --clients N, -c N   connections (default 10)\n"
"  --count N, -n N     messages per connection (default 10)\n"
"  --size S, -s S      bytes per message (default 1000)\n"
"  --timeout MS        give up when nothing happens for MS (default 30000)\n"
"  --quiet, -q         only the summary\n");
}

/* The content of client id's message number i: recognisable, distinct. */
static void fill(unsigned char *b, size_t len, int id, unsigned long i)
{
	unsigned int x = 2654435761u * (unsigned int)(id + 1) ^
			 (unsigned int)(i * 40503u + 1);

	for (size_t j = 0; j < len; j++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[j] = (unsigned char)x;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "clients", required_argument, 0, 'c' },
		{ "count", required_argument, 0, 'n' },
		{ "size", required_argument, 0, 's' },
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct sockaddr_toy sa;
	struct client *cl;
	unsigned char *out, *in;
	int opt, nclients = 10, tmo = 30000, ep, left, failed = 0;
	int connected = 0, max_conn = 0;
	double t0;

	while ((opt = getopt_long(argc, argv, "c:n:s:t:qh", lo, NULL)) != -1) {
		switch (opt) {
		case 'c': nclients = atoi(optarg); break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': size = strtoul(optarg, NULL, 0); break;
		case 't': tmo = atoi(optarg); break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1 || nclients < 1 || !count || !size ||
	    size > TOY_MSG_MAX) {
		usage(stderr);
		return 2;
	}
	if (toy_addr_parse(argv[optind], &sa) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	cl = calloc(nclients, sizeof(*cl));
	out = malloc(size);
	in = malloc(size + 1);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!cl || !out || !in || ep < 0) {
		perror(PROG);
		return 1;
	}

	t0 = now_s();
	for (int i = 0; i < nclients; i++) {
		struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = &cl[i] };

		cl[i].id = i;
		cl[i].fd = toy_socket(SOCK_NONBLOCK);
		if (cl[i].fd < 0) {
			fprintf(stderr, PROG ": %s\n", toy_last_error());
			return 1;
		}
		if (connect(cl[i].fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 &&
		    errno != EINPROGRESS) {
			fprintf(stderr, PROG ": client %d: connect: %s\n", i,
				toy_strerror(errno));
			return 1;
		}
		epoll_ctl(ep, EPOLL_CTL_ADD, cl[i].fd, &ev);
	}
	if (!quiet)
		printf("%d connections started (non-blocking connect)\n",
		       nclients);

	left = nclients;
	while (left > 0) {
		struct epoll_event evs[64];
		int n = epoll_wait(ep, evs, 64, tmo);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, PROG ": %s: %d of %d clients not done "
				"after %d ms without an event\n",
				n ? strerror(errno) : "time out", left,
				nclients, tmo);
			for (int i = 0; i < nclients; i++)
				if (!cl[i].done)
					fprintf(stderr, "  client %d: %s, %lu "
						"sent, %lu echoes\n", i,
						cl[i].connected ? "connected" :
						"connecting", cl[i].sent,
						cl[i].got);
			return 1;
		}
		for (int k = 0; k < n; k++) {
			struct client *c = evs[k].data.ptr;
			const char *why = NULL;
			int err = 0, trunc;
			socklen_t el = sizeof(err);

			if (c->done)
				continue;
			if (!c->connected) {
				struct epoll_event ev = { .events = EPOLLIN,
							  .data.ptr = c };

				getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
				if (err) {
					why = toy_strerror(err);
					goto client_failed;
				}
				c->connected = 1;
				if (++connected > max_conn)
					max_conn = connected;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
			} else {
				ssize_t r = recv(c->fd, in, size + 1,
						 MSG_DONTWAIT);

				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					continue;
				if (r <= 0) {
					why = r ? toy_strerror(errno) :
					      "server closed the connection";
					goto client_failed;
				}
				trunc = (size_t)r != size;
				fill(out, size, c->id, c->got);
				if (trunc || memcmp(in, out, size)) {
					why = trunc ? "echo has the wrong length" :
					      "echo differs from what was sent";
					goto client_failed;
				}
				c->got++;
			}
			if (c->got == count) {
				c->done = 1;
				left--;
				connected--;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				continue;
			}
			/* one message in flight per client */
			fill(out, size, c->id, c->sent);
			if (send(c->fd, out, size, MSG_NOSIGNAL) != (ssize_t)size) {
				why = toy_strerror(errno);
				goto client_failed;
			}
			c->sent++;
			continue;
client_failed:
			fprintf(stderr, PROG ": client %d (%lu of %lu echoes): "
				"%s\n", c->id, c->got, count, why);
			failed++;
			c->done = 1;
			left--;
			if (c->connected)
				connected--;
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
		}
	}
	printf("%d clients, %lu messages of %zu bytes each: %s; at most %d "
	       "connected at once; %.2f s\n", nclients, count, size,
	       failed ? "SOME FAILED" : "all echoes matched", max_conn,
	       now_s() - t0);
	if (failed)
		printf("%d of %d clients failed\n", failed, nclients);
	return failed ? 1 : 0;
}
