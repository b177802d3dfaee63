// SPDX-License-Identifier: GPL-2.0
/*
 * toy-area-server / toy-area-client: a request/response service. The
 * client sends a circle's radius, the server answers with its area.
 *
 *	toy-area-server 0.0.0.0:7200
 *	toy-area-client 10.0.0.2:7200 1 2.5 10
 *	  radius 1 -> area 3.141593
 *	  radius 2.5 -> area 19.634954
 *	  radius 10 -> area 314.159265
 *
 * The protocol is one message per request and one per answer, both text:
 * the request is the radius ("2.5"), the answer the area printed with six
 * decimals ("19.634954"), or "error: ..." for a request that is not a
 * number >= 0. One connection carries any number of requests; each answer
 * comes back as one whole message, so the client never has to ask "is
 * this all of the answer?" as it would with a byte stream.
 *
 * This one source file builds both programs (TOY_AREA_SERVER selects).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toy.h"

#ifdef TOY_AREA_SERVER
#define PROG "toy-area-server"
#else
#define PROG "toy-area-client"
#endif

/* Not M_PI from <math.h>: that one needs _GNU_SOURCE/_XOPEN_SOURCE. */
#define PI 3.14159265358979323846

#ifdef TOY_AREA_SERVER
static int verbose;
#endif

#ifdef TOY_AREA_SERVER

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-area-server ADDR:PORT [--once] [--verbose]\n"
"\n"
"Answer each message (a circle's radius, as text) with one message: the\n"
"circle's area with six decimals, or \"error: ...\". Each connection is\n"
"served by its own process.\n"
"  --once, -1      serve one connection, then exit\n"
"  --verbose, -v   print every request and answer\n");
}

/* The answer to one request, in out (size len). */
static void answer(const char *req, size_t n, char *out, size_t len)
{
	char num[64], *end;
	double r;

	if (n >= sizeof(num)) {
		snprintf(out, len, "error: a %zu-byte request is not a radius",
			 n);
		return;
	}
	memcpy(num, req, n);
	num[n] = '\0';
	errno = 0;
	r = strtod(num, &end);
	while (*end == ' ' || *end == '\n' || *end == '\r')
		end++;
	if (end == num || *end || errno || !isfinite(r) || r < 0) {
		snprintf(out, len, "error: \"%s\" is not a radius (send a "
			 "number >= 0, e.g. 2.5)", num);
		return;
	}
	snprintf(out, len, "%.6f", PI * r * r);
}

static int serve(int fd, const char *peer)
{
	unsigned long n_req = 0;
	char ans[160];

	for (;;) {
		char req[256];
		int trunc;
		ssize_t n = toy_recv_msg(fd, req, sizeof(req), &trunc);

		if (n == 0)
			break;
		if (n < 0) {
			fprintf(stderr, PROG ": %s: %s\n", peer,
				toy_last_error());
			return 1;
		}
		if (trunc)
			snprintf(ans, sizeof(ans), "error: request longer than "
				 "%zu bytes", sizeof(req));
		else
			answer(req, n, ans, sizeof(ans));
		if (verbose)
			printf("%s: \"%.*s\" -> \"%s\"\n", peer, (int)n, req,
			       ans);
		if (toy_send_msg(fd, ans, strlen(ans)) < 0) {
			fprintf(stderr, PROG ": %s: %s\n", peer,
				toy_last_error());
			return 1;
		}
		n_req++;
	}
	printf("%s: answered %lu request%s\n", peer, n_req,
	       n_req == 1 ? "" : "s");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "once", no_argument, 0, '1' },
		{ "verbose", no_argument, 0, 'v' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct sockaddr_toy la;
	char ls[TOY_ADDRSTRLEN];
	int opt, once = 0, lfd;

	while ((opt = getopt_long(argc, argv, "1vh", lo, NULL)) != -1) {
		switch (opt) {
		case '1': once = 1; break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGCHLD, SIG_IGN);

	lfd = toy_listen(argv[optind], 16);
	if (lfd < 0 || toy_local_addr(lfd, &la) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return 1;
	}
	printf("circle area service on %s\n",
	       toy_addr_format(&la, ls, sizeof(ls)));
	for (;;) {
		struct sockaddr_toy pa;
		char ps[TOY_ADDRSTRLEN];
		int fd = toy_accept(lfd, &pa);
		pid_t pid;

		if (fd < 0) {
			fprintf(stderr, PROG ": %s\n", toy_last_error());
			if (errno == ECONNABORTED)
				continue;
			return 1;
		}
		toy_addr_format(&pa, ps, sizeof(ps));
		printf("%s: connected\n", ps);
		if (once) {
			close(lfd);
			return serve(fd, ps);
		}
		pid = fork();
		if (pid == 0) {
			close(lfd);
			_exit(serve(fd, ps));
		}
		if (pid < 0)
			perror(PROG ": fork");
		close(fd);
	}
}

#else /* the client */

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-area-client ADDR:PORT [--timeout MS] [RADIUS...]\n"
"\n"
"Send each RADIUS to a toy-area-server as one message and print the area\n"
"it answers. Without RADIUSes, each line of standard input is one.\n"
"Exit status 1 if the server answered any request with an error.\n"
"  --timeout MS   connect and answer time limit (default 10000)\n"
"  --quiet, -q    print only the areas, one per line\n");
}

static int quiet, tmo = 10000;

/* Ask for one radius; 0 answered, 1 error answer, -1 connection failed. */
static int ask(int fd, const char *radius)
{
	char ans[256];
	int trunc;
	ssize_t n;

	if (!*radius)
		return 0;
	if (toy_send_msg(fd, radius, strlen(radius)) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return -1;
	}
	n = toy_recv_msg_timeout(fd, ans, sizeof(ans) - 1, &trunc, tmo);
	if (n <= 0) {
		fprintf(stderr, PROG ": %s\n", n ? toy_last_error() :
			"the server closed the connection without answering");
		return -1;
	}
	ans[n] = '\0';
	if (!strncmp(ans, "error:", 6)) {
		fprintf(stderr, "radius %s -> %s\n", radius, ans);
		return 1;
	}
	if (quiet)
		printf("%s\n", ans);
	else
		printf("radius %s -> area %s\n", radius, ans);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	int opt, fd, rc = 0, r;

	while ((opt = getopt_long(argc, argv, "t:qh", lo, NULL)) != -1) {
		switch (opt) {
		case 't': tmo = atoi(optarg); break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = toy_connect(argv[optind], tmo);
	if (fd < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return 1;
	}
	if (optind + 1 < argc) {
		for (int i = optind + 1; i < argc; i++) {
			r = ask(fd, argv[i]);
			if (r < 0)
				return 1;
			rc |= r;
		}
	} else {
		int tty = isatty(0);
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		for (;;) {
			if (tty) {
				printf("radius? ");
				fflush(stdout);
			}
			n = getline(&line, &cap, stdin);
			if (n <= 0)
				break;
			if (line[n - 1] == '\n')
				line[n - 1] = '\0';
			r = ask(fd, line);
			if (r < 0)
				return 1;
			rc |= r;
		}
		free(line);
	}
	close(fd);
	return rc;
}

#endif
