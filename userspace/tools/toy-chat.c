// SPDX-License-Identifier: GPL-2.0
/*
 * toy-chat-server / toy-chat-client: two people chat line by line over one
 * AF_TOY connection until one of them types "see you".
 *
 *	toy-chat-server 10.0.0.2:7100            (waits for one partner)
 *	toy-chat-client 10.0.0.2:7100            (type lines; "see you" ends)
 *
 * Each line is one message: send() one line, recv() gets exactly that line
 * back out, never half a line or two lines glued together, so neither side
 * needs a newline scanner or a length prefix.
 *
 * Interactive (no LINE arguments): both sides may type at any time; the
 * program waits on the keyboard and the socket at once (poll()).
 *
 * Scripted (LINE arguments, no terminal needed): the two sides take turns
 * as in the classic tutorial: the client speaks first, then waits for an
 * answer; the server listens first, then answers with its next LINE. When
 * a side runs out of LINEs it says "see you".
 *
 * Ending: the side that says "see you" sends it, shuts down its sending
 * half (FIN) and reads until the other side closes too; the side that
 * hears "see you" closes. So the first to say "see you" is the one that
 * holds the connection in TIME_WAIT afterwards.
 *
 * This one source file builds both programs (TOY_CHAT_SERVER selects).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "toy.h"

#ifdef TOY_CHAT_SERVER
#define PROG "toy-chat-server"
#else
#define PROG "toy-chat-client"
#endif

#define BYE "see you"

static int timeout_ms = -1;	/* for a reply, in scripted mode */
static char peer_name[TOY_ADDRSTRLEN];

static void usage(FILE *f)
{
	fprintf(f,
#ifdef TOY_CHAT_SERVER
"usage: toy-chat-server ADDR:PORT [options] [LINE...]\n"
"\n"
"Wait for one chat partner on ADDR:PORT (e.g. 0.0.0.0:7100), then chat\n"
"line by line until one side says \"see you\".\n"
#else
"usage: toy-chat-client ADDR:PORT [options] [LINE...]\n"
"\n"
"Connect to a toy-chat-server and chat line by line until one side says\n"
"\"see you\".\n"
#endif
"Without LINEs: type lines (each is sent as one message); what the other\n"
"side says is printed as \"peer: ...\". End of input says \"see you\".\n"
"With LINEs: take turns, no terminal needed: "
#ifdef TOY_CHAT_SERVER
"wait for a line, answer\n"
"with the next LINE, and so on; \"see you\" when the LINEs run out.\n"
#else
"send a LINE, wait for\n"
"the answer, and so on; \"see you\" when the LINEs run out.\n"
#endif
"  --timeout MS   give up when an answer takes longer (scripted mode)\n"
"  --quiet, -q    do not print the banner and the ending\n");
}

static int quiet;

/* One line as one message; empty lines are not messages in AF_TOY. */
static int say(int fd, const char *line)
{
	if (!*line)
		return 0;
	if (toy_send_msg(fd, line, strlen(line)) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return -1;
	}
	return 0;
}

/*
 * Print one received message. Returns 1 if it was "see you", 0 for
 * another line, -1 on end of stream or an error (reported).
 */
static int hear(int fd, int tmo)
{
	void *buf = NULL;
	ssize_t n;
	int bye;

	if (tmo >= 0 && toy_wait_readable(fd, tmo) < 0) {
		fprintf(stderr, PROG ": waiting for %s to answer: %s\n",
			peer_name, toy_last_error());
		return -1;
	}
	n = toy_recv_msg_alloc(fd, &buf);
	if (n < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return -1;
	}
	if (n == 0) {
		fprintf(stderr, PROG ": %s left without saying \"" BYE "\"\n",
			peer_name);
		return -1;
	}
	printf("peer: %.*s\n", (int)n, (char *)buf);
	bye = (size_t)n == strlen(BYE) && !memcmp(buf, BYE, n);
	free(buf);
	return bye;
}

/* We said "see you": send FIN, read what is still coming until EOF. */
static int finish_saying_bye(int fd)
{
	if (shutdown(fd, SHUT_WR) < 0) {
		perror(PROG ": shutdown");
		return 1;
	}
	for (;;) {
		void *buf = NULL;
		ssize_t n = toy_recv_msg_alloc(fd, &buf);

		if (n == 0)
			break;
		if (n < 0) {
			fprintf(stderr, PROG ": %s\n", toy_last_error());
			return 1;
		}
		printf("peer: %.*s\n", (int)n, (char *)buf);
		free(buf);
	}
	if (!quiet)
		printf("chat ended: I said \"" BYE "\", %s closed too\n",
		       peer_name);
	return 0;
}

static int heard_bye(void)
{
	if (!quiet)
		printf("chat ended: %s said \"" BYE "\"\n", peer_name);
	return 0;
}

/*
 * Send every complete line in buf[0..*len) and keep the rest. Returns 1
 * once "see you" was sent, -1 on an error, 0 otherwise.
 */
static int send_lines(int fd, char *buf, size_t *len)
{
	char *start = buf, *nl;

	while ((nl = memchr(start, '\n', buf + *len - start))) {
		*nl = '\0';
		if (say(fd, start) < 0)
			return -1;
		if (!strcmp(start, BYE))
			return 1;
		start = nl + 1;
	}
	*len -= start - buf;
	memmove(buf, start, *len);
	return 0;
}

static int chat_interactive(int fd)
{
	static char in[65536];
	size_t inlen = 0;
	int r;

	if (!quiet)
		printf("type a line and press Enter to send it; \"" BYE "\" "
		       "ends the chat\n");
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = 0, .events = POLLIN },
		};
		ssize_t n;

		fflush(stdout);
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror(PROG ": poll");
			return 1;
		}
		if (p[0].revents) {
			r = hear(fd, -1);
			if (r < 0)
				return 1;
			if (r == 1)
				return heard_bye();
		}
		if (!p[1].revents)
			continue;
		/* read(), not stdio: poll() cannot see stdio's buffer */
		n = read(0, in + inlen, sizeof(in) - 1 - inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {		/* end of input: say goodbye */
			in[inlen] = '\0';
			if (say(fd, in) < 0 ||
			    (strcmp(in, BYE) && say(fd, BYE) < 0))
				return 1;
			return finish_saying_bye(fd);
		}
		inlen += n;
		if (inlen == sizeof(in) - 1)	/* a very long line: cut it */
			in[inlen++] = '\n';
		r = send_lines(fd, in, &inlen);
		if (r < 0)
			return 1;
		if (r == 1)
			return finish_saying_bye(fd);
	}
}

/* Take turns: speak (unless the server, which listens first), listen. */
static int chat_scripted(int fd, int nlines, char **lines)
{
#ifdef TOY_CHAT_SERVER
	int speak = 0;
#else
	int speak = 1;
#endif
	int i = 0, r;

	for (;; speak = 1) {
		if (speak) {
			const char *l = BYE;

			while (i < nlines && !*(l = lines[i++]))
				l = BYE;	/* skip empty LINEs */
			printf("me: %s\n", l);
			if (say(fd, l) < 0)
				return 1;
			if (!strcmp(l, BYE))
				return finish_saying_bye(fd);
		}
		r = hear(fd, timeout_ms);
		if (r < 0)
			return 1;
		if (r == 1)
			return heard_bye();
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "timeout", required_argument, 0, 't' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	struct sockaddr_toy pa;
	int opt, fd, rc;

	while ((opt = getopt_long(argc, argv, "t:qh", lo, NULL)) != -1) {
		switch (opt) {
		case 't': timeout_ms = atoi(optarg); break;
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

#ifdef TOY_CHAT_SERVER
	{
		struct sockaddr_toy la;
		char ls[TOY_ADDRSTRLEN];
		int lfd = toy_listen(argv[optind], 1);

		if (lfd < 0 || toy_local_addr(lfd, &la) < 0) {
			fprintf(stderr, PROG ": %s\n", toy_last_error());
			return 1;
		}
		if (!quiet)
			printf("waiting for a chat partner on %s\n",
			       toy_addr_format(&la, ls, sizeof(ls)));
		fd = toy_accept(lfd, &pa);
		if (fd < 0) {
			fprintf(stderr, PROG ": %s\n", toy_last_error());
			return 1;
		}
		close(lfd);	/* one partner: no more connections */
	}
#else
	fd = toy_connect(argv[optind], 10000);
	if (fd < 0 || toy_peer_addr(fd, &pa) < 0) {
		fprintf(stderr, PROG ": %s\n", toy_last_error());
		return 1;
	}
#endif
	toy_addr_format(&pa, peer_name, sizeof(peer_name));
	if (!quiet)
		printf("chatting with %s\n", peer_name);

	if (optind + 1 < argc)
		rc = chat_scripted(fd, argc - optind - 1, argv + optind + 1);
	else
		rc = chat_interactive(fd);
	close(fd);
	return rc;
}
