// SPDX-License-Identifier: GPL-2.0
/*
 * toy-sock: drive one AF_TOY connection step by step from a shell script.
 *
 * The steps are the command-line words, run in order; the first one that
 * fails stops the program with status 1 and a message. Between steps a
 * script can wait for files (wait PATH) and signal progress (touch PATH),
 * so that two toy-sock processes in two namespaces, and the shell looking
 * at /proc/net/toy, move in lock step without sleeps.
 *
 *	toy-sock listen 10.0.0.2:7000 accept touch /tmp/up wait /tmp/go close
 *	toy-sock connect 10.0.0.2:7000 send hello expect hello close
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "toy.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-sock [-q] STEP...\n"
"\n"
"Run the steps in order on one AF_TOY connection; stop at the first one\n"
"that fails (exit 1). Steps:\n"
"  listen ADDR:PORT     bind (SO_REUSEADDR) and listen\n"
"  accept               accept one connection from the listener\n"
"  close-listener       close the listener\n"
"  connect ADDR:PORT    connect (5 s timeout)\n"
"  send TEXT            send TEXT as one message\n"
"  sendn SIZE           send one generated message of SIZE bytes\n"
"  recv                 receive one message and print it\n"
"  expect TEXT          receive one message; it must be TEXT\n"
"  expect-eof           the next recv must return 0 (peer shut down)\n"
"  expect-error ERRNO   the next recv must fail with ERRNO (e.g. ECONNRESET)\n"
"  echo                 send every message back until EOF\n"
"  shutdown wr|rd|rdwr  shutdown() the connection\n"
"  close                close the connection\n"
"  state NAME           TOY_INFO must show state NAME (e.g. CLOSE_WAIT)\n"
"  info                 print TOY_INFO\n"
"  addr                 print local and peer addresses\n"
"  wait PATH            wait until PATH exists (up to 60 s)\n"
"  touch PATH           create PATH (tell the script we got here)\n"
"  sleep MS             sleep MS milliseconds\n"
"  print TEXT           print TEXT\n"
"  -q                   (first) print only errors\n");
}

static int lfd = -1, fd = -1, quiet;

#define say(...) do { if (!quiet) { printf("toy-sock: " __VA_ARGS__); \
			printf("\n"); } } while (0)

static int err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "toy-sock: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 1;
}

static void msleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int need_conn(const char *step)
{
	if (fd < 0)
		return err("%s: no connection (connect or accept first)", step);
	return 0;
}

static const struct { const char *name; int e; } errnos[] = {
	{ "ECONNRESET", ECONNRESET }, { "EPIPE", EPIPE },
	{ "ENOTCONN", ENOTCONN }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNREFUSED", ECONNREFUSED }, { "EAGAIN", EAGAIN },
	{ "EINVAL", EINVAL },
};

static int step(char **argv, int *i, int argc)
{
	const char *s = argv[*i];
	const char *arg = NULL;
	static unsigned char buf[1 << 20];
	char as[TOY_ADDRSTRLEN], ps[TOY_ADDRSTRLEN];
	struct sockaddr_toy la, pa;

	static const char *const with_arg[] = {
		"listen", "connect", "send", "sendn", "expect", "expect-error",
		"shutdown", "state", "wait", "touch", "sleep", "print", NULL
	};
	for (int k = 0; with_arg[k]; k++) {
		if (!strcmp(s, with_arg[k])) {
			if (*i + 1 >= argc)
				return err("%s needs an argument", s);
			arg = argv[++*i];
		}
	}

	if (!strcmp(s, "listen")) {
		lfd = toy_listen(arg, 16);
		if (lfd < 0)
			return err("%s", toy_last_error());
		toy_local_addr(lfd, &la);
		say("listening on %s", toy_addr_format(&la, as, sizeof(as)));
	} else if (!strcmp(s, "accept")) {
		if (lfd < 0)
			return err("accept: no listener");
		fd = toy_accept(lfd, &pa);
		if (fd < 0)
			return err("%s", toy_last_error());
		say("accepted %s", toy_addr_format(&pa, ps, sizeof(ps)));
	} else if (!strcmp(s, "close-listener")) {
		if (lfd >= 0)
			close(lfd);
		lfd = -1;
		say("listener closed");
	} else if (!strcmp(s, "connect")) {
		fd = toy_connect(arg, 5000);
		if (fd < 0)
			return err("%s", toy_last_error());
		toy_local_addr(fd, &la);
		say("connected %s -> %s", toy_addr_format(&la, as, sizeof(as)),
		    arg);
	} else if (!strcmp(s, "send")) {
		if (need_conn(s))
			return 1;
		if (toy_send_msg(fd, arg, strlen(arg)) < 0)
			return err("%s", toy_last_error());
		say("sent %zu bytes", strlen(arg));
	} else if (!strcmp(s, "sendn")) {
		long n = atol(arg);

		if (need_conn(s))
			return 1;
		if (n < 0 || n > (long)sizeof(buf))
			return err("sendn: size must be 0..%zu", sizeof(buf));
		for (long j = 0; j < n; j++)
			buf[j] = (unsigned char)('a' + j % 26);
		if (toy_send_msg(fd, buf, n) < 0)
			return err("%s", toy_last_error());
		say("sent %ld bytes", n);
	} else if (!strcmp(s, "recv") || !strcmp(s, "expect")) {
		int trunc;
		ssize_t n;

		if (need_conn(s))
			return 1;
		n = toy_recv_msg(fd, buf, sizeof(buf) - 1, &trunc);
		if (n < 0)
			return err("%s", toy_last_error());
		if (n == 0 && arg)
			return err("expected \"%s\", got end of stream", arg);
		buf[n] = 0;
		if (arg && ((size_t)n != strlen(arg) || memcmp(buf, arg, n)))
			return err("expected \"%s\", got %zd bytes \"%.60s\"",
				   arg, n, buf);
		if (n == 0)
			say("recv: end of stream");
		else
			say("received %zd bytes%s: %.60s", n,
			    trunc ? " (truncated)" : "", buf);
	} else if (!strcmp(s, "expect-eof")) {
		ssize_t n;

		if (need_conn(s))
			return 1;
		n = toy_recv_msg(fd, buf, sizeof(buf), NULL);
		if (n < 0)
			return err("expected end of stream: %s",
				   toy_last_error());
		if (n > 0)
			return err("expected end of stream, got a %zd-byte "
				   "message", n);
		say("end of stream");
	} else if (!strcmp(s, "expect-error")) {
		ssize_t n;
		int want = -1;

		for (size_t k = 0; k < sizeof(errnos) / sizeof(errnos[0]); k++)
			if (!strcmp(arg, errnos[k].name))
				want = errnos[k].e;
		if (want < 0)
			return err("expect-error: unknown errno name %s", arg);
		if (need_conn(s))
			return 1;
		n = toy_recv_msg(fd, buf, sizeof(buf), NULL);
		if (n >= 0)
			return err("expected %s, recv returned %zd", arg, n);
		if (errno != want)
			return err("expected %s: %s", arg, toy_last_error());
		say("recv failed with %s as expected", arg);
	} else if (!strcmp(s, "echo")) {
		unsigned long m = 0;

		if (need_conn(s))
			return 1;
		for (;;) {
			ssize_t n = toy_recv_msg(fd, buf, sizeof(buf), NULL);

			if (n == 0)
				break;
			if (n < 0)
				return err("%s", toy_last_error());
			if (toy_send_msg(fd, buf, n) < 0)
				return err("%s", toy_last_error());
			m++;
		}
		say("echoed %lu messages", m);
	} else if (!strcmp(s, "shutdown")) {
		int how;

		if (need_conn(s))
			return 1;
		if (!strcmp(arg, "wr"))
			how = SHUT_WR;
		else if (!strcmp(arg, "rd"))
			how = SHUT_RD;
		else if (!strcmp(arg, "rdwr"))
			how = SHUT_RDWR;
		else
			return err("shutdown: wr, rd or rdwr, not %s", arg);
		if (shutdown(fd, how) < 0)
			return err("shutdown(%s): %s", arg,
				   toy_strerror(errno));
		say("shutdown %s", arg);
	} else if (!strcmp(s, "close")) {
		if (need_conn(s))
			return 1;
		if (close(fd) < 0)
			return err("close: %s", toy_strerror(errno));
		fd = -1;
		say("closed");
	} else if (!strcmp(s, "state") || !strcmp(s, "info")) {
		struct toy_info ti;

		if (need_conn(s))
			return 1;
		if (toy_get_info(fd, &ti) < 0)
			return err("%s", toy_last_error());
		if (arg && strcmp(toy_state_name(ti.toyi_state), arg))
			return err("state is %s, expected %s",
				   toy_state_name(ti.toyi_state), arg);
		if (arg)
			say("state %s", arg);
		else
			printf("state %s mss %u srtt_us %u rttvar_us %u "
			       "rto_us %u cwnd %u ssthresh %u snd_wnd %u "
			       "rcv_wnd %u snd_una %u snd_nxt %u rcv_nxt %u "
			       "unacked %u retrans %u lost %u msgs_sent %llu "
			       "msgs_received %llu bytes_sent %llu "
			       "bytes_received %llu\n",
			       toy_state_name(ti.toyi_state), ti.toyi_mss,
			       ti.toyi_rtt_us, ti.toyi_rttvar_us,
			       ti.toyi_rto_us, ti.toyi_snd_cwnd,
			       ti.toyi_snd_ssthresh, ti.toyi_snd_wnd,
			       ti.toyi_rcv_wnd, ti.toyi_snd_una,
			       ti.toyi_snd_nxt, ti.toyi_rcv_nxt,
			       ti.toyi_unacked, ti.toyi_retrans, ti.toyi_lost,
			       (unsigned long long)ti.toyi_msgs_sent,
			       (unsigned long long)ti.toyi_msgs_received,
			       (unsigned long long)ti.toyi_bytes_sent,
			       (unsigned long long)ti.toyi_bytes_received);
	} else if (!strcmp(s, "addr")) {
		if (need_conn(s))
			return 1;
		if (toy_local_addr(fd, &la) < 0 || toy_peer_addr(fd, &pa) < 0)
			return err("%s", toy_last_error());
		printf("local %s peer %s\n", toy_addr_format(&la, as, sizeof(as)),
		       toy_addr_format(&pa, ps, sizeof(ps)));
	} else if (!strcmp(s, "wait")) {
		struct stat st;
		int waited = 0;

		while (stat(arg, &st) < 0) {
			if (waited >= 60000)
				return err("wait: %s did not appear in 60 s",
					   arg);
			msleep(20);
			waited += 20;
		}
	} else if (!strcmp(s, "touch")) {
		int tfd = open(arg, O_WRONLY | O_CREAT, 0644);

		if (tfd < 0)
			return err("touch %s: %s", arg, strerror(errno));
		close(tfd);
	} else if (!strcmp(s, "sleep")) {
		msleep(atol(arg));
	} else if (!strcmp(s, "print")) {
		printf("%s\n", arg);
	} else {
		return err("unknown step \"%s\" (see --help)", s);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-q")) {
		quiet = 1;
		i++;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (; i < argc; i++)
		if (step(argv, &i, argc))
			return 1;
	return 0;
}
