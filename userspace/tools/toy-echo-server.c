// SPDX-License-Identifier: GPL-2.0
/*
 * toy-echo-server: send every AF_TOY message back to whoever sent it.
 *
 *	toy-echo-server 0.0.0.0:7000 [--once] [--verbose]
 *
 * Prints what it does ("listening on ...", "connection from ...", a summary
 * per connection). Each connection is served by its own child process;
 * with --once the first connection is served in-process and the server
 * exits when it ends (status 0 if it ended cleanly).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toy.h"

static int verbose;

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-echo-server ADDR:PORT [--once] [--verbose] [--backlog N]\n"
"\n"
"Listen on ADDR:PORT (e.g. 0.0.0.0:7000 or 10.0.0.2:7000; port 0 picks\n"
"one) and send every message back unchanged.\n"
"  --once, -1      serve one connection, then exit\n"
"  --verbose, -v   print every message\n"
"  --backlog N     listen backlog (default 16)\n");
}

/* Echo until EOF; returns 0 on a clean end, 1 on an error. */
static int serve(int fd, const char *peer)
{
	unsigned long long msgs = 0, bytes = 0;
	int rc = 0;

	for (;;) {
		void *buf;
		ssize_t n = toy_recv_msg_alloc(fd, &buf);

		if (n == 0)
			break;
		if (n < 0) {
			fprintf(stderr, "toy-echo-server: %s: %s\n", peer,
				toy_last_error());
			rc = 1;
			break;
		}
		if (verbose)
			printf("%s: echoing %zd bytes\n", peer, n);
		if (toy_send_msg(fd, buf, n) < 0) {
			fprintf(stderr, "toy-echo-server: %s: %s\n", peer,
				toy_last_error());
			free(buf);
			rc = 1;
			break;
		}
		free(buf);
		msgs++;
		bytes += n;
	}
	printf("connection from %s %s: echoed %llu message%s, %llu bytes\n",
	       peer, rc ? "failed" : "closed", msgs, msgs == 1 ? "" : "s",
	       bytes);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "once", no_argument, 0, '1' },
		{ "verbose", no_argument, 0, 'v' },
		{ "backlog", required_argument, 0, 'b' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct sockaddr_toy a;
	char as[TOY_ADDRSTRLEN];
	int opt, once = 0, backlog = 16, lfd;

	while ((opt = getopt_long(argc, argv, "1vb:h", lo, NULL)) != -1) {
		switch (opt) {
		case '1': once = 1; break;
		case 'v': verbose = 1; break;
		case 'b': backlog = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGCHLD, SIG_IGN);	/* no zombies from served children */

	lfd = toy_listen(argv[optind], backlog);
	if (lfd < 0) {
		fprintf(stderr, "toy-echo-server: %s\n", toy_last_error());
		return 1;
	}
	if (toy_local_addr(lfd, &a) < 0) {
		fprintf(stderr, "toy-echo-server: %s\n", toy_last_error());
		return 1;
	}
	printf("listening on %s%s\n", toy_addr_format(&a, as, sizeof(as)),
	       once ? " (one connection)" : "");

	for (;;) {
		struct sockaddr_toy pa;
		char ps[TOY_ADDRSTRLEN];
		int fd = toy_accept(lfd, &pa);
		pid_t pid;

		if (fd < 0) {
			fprintf(stderr, "toy-echo-server: %s\n",
				toy_last_error());
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return 1;
		}
		toy_addr_format(&pa, ps, sizeof(ps));
		printf("connection from %s\n", ps);
		if (once) {
			close(lfd);
			return serve(fd, ps);
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("toy-echo-server: fork");
			close(fd);
			continue;
		}
		if (pid == 0) {
			close(lfd);
			_exit(serve(fd, ps));
		}
		close(fd);
	}
}
