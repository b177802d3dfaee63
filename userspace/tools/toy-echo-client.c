// SPDX-License-Identifier: GPL-2.0
/*
 * toy-echo-client: send messages to an AF_TOY echo server and check what
 * comes back.
 *
 *	toy-echo-client 10.0.0.2:7000 hello world
 *	toy-echo-client 10.0.0.2:7000 --count 100 --size 3000
 *	toy-echo-client 10.0.0.2:7000            (lines from stdin)
 *
 * Exits 0 when every echo matched what was sent byte for byte, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "toy.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-echo-client ADDR:PORT [options] [MESSAGE...]\n"
"\n"
"Connect to an AF_TOY echo server, send each MESSAGE as one message and\n"
"check that the same bytes come back as one message. Without MESSAGEs and\n"
"without --count, each line of standard input is a message.\n"
"  --count N, -n N    send N generated messages (byte-compared)\n"
"  --size S, -s S     ... of S bytes each (default 1000)\n"
"  --window W, -w W   keep up to W messages in flight (default 1)\n"
"  --timeout MS       connect timeout (default 5000)\n"
"  --info             print TOY_INFO of the connection at the end\n"
"  --quiet, -q        only print the summary and errors\n");
}

static int quiet;

static void fill(unsigned char *b, size_t len, unsigned long i)
{
	unsigned int x = 0x9e3779b9u * (unsigned int)(i + 1) ^
			 (unsigned int)len;

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

/* Receive the echo of want[0..len) and compare; 0 ok, 1 mismatch/error. */
static int get_echo(int fd, const void *want, size_t len, const char *label,
		    unsigned char *buf, size_t cap)
{
	int trunc;
	ssize_t n = toy_recv_msg(fd, buf, cap, &trunc);

	if (n < 0) {
		fprintf(stderr, "toy-echo-client: %s: %s\n", label,
			toy_last_error());
		return 1;
	}
	if (n == 0) {
		fprintf(stderr, "toy-echo-client: %s: the server closed the "
			"connection before echoing\n", label);
		return 1;
	}
	if (trunc || (size_t)n != len) {
		fprintf(stderr, "toy-echo-client: %s: sent %zu bytes, the echo "
			"is %s%zd bytes\n", label, len, trunc ? "more than " : "",
			n);
		return 1;
	}
	if (memcmp(buf, want, len)) {
		size_t d = 0;

		while (buf[d] == ((const unsigned char *)want)[d])
			d++;
		fprintf(stderr, "toy-echo-client: %s: echo differs from what "
			"was sent at byte %zu (sent 0x%02x, got 0x%02x)\n",
			label, d, ((const unsigned char *)want)[d], buf[d]);
		return 1;
	}
	return 0;
}

static int send_text(int fd, const char *msg, unsigned char *buf, size_t cap)
{
	size_t len = strlen(msg);

	if (len == 0) {
		fprintf(stderr, "toy-echo-client: skipping an empty message "
			"(AF_TOY has no empty messages)\n");
		return 0;
	}
	if (toy_send_msg(fd, msg, len) < 0) {
		fprintf(stderr, "toy-echo-client: %s\n", toy_last_error());
		return 1;
	}
	if (get_echo(fd, msg, len, "echo", buf, cap))
		return 1;
	if (!quiet)
		printf("sent %zu bytes, got %zu bytes back: %s\n", len, len,
		       msg);
	return 0;
}

static int run_count(int fd, unsigned long count, size_t size, int window)
{
	unsigned char *out = malloc(size), *in = malloc(size + 1);
	unsigned long sent = 0, got = 0;
	double t0 = now_s(), dt;
	char label[64];

	if (!out || !in) {
		fprintf(stderr, "toy-echo-client: out of memory\n");
		return 1;
	}
	while (got < count) {
		while (sent < count && sent - got < (unsigned long)window) {
			fill(out, size, sent);
			if (toy_send_msg(fd, out, size) < 0) {
				fprintf(stderr, "toy-echo-client: message %lu: "
					"%s\n", sent, toy_last_error());
				return 1;
			}
			sent++;
		}
		fill(out, size, got);
		snprintf(label, sizeof(label), "message %lu", got);
		if (get_echo(fd, out, size, label, in, size + 1))
			return 1;
		got++;
	}
	dt = now_s() - t0;
	printf("sent %lu messages of %zu bytes, all %lu echoes matched "
	       "(%llu bytes each way) in %.3f s\n", count, size, got,
	       (unsigned long long)count * size, dt);
	free(out);
	free(in);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "count", required_argument, 0, 'n' },
		{ "size", required_argument, 0, 's' },
		{ "window", required_argument, 0, 'w' },
		{ "timeout", required_argument, 0, 't' },
		{ "info", no_argument, 0, 'i' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 }
	};
	unsigned long count = 0;
	long size = 1000;
	int opt, window = 1, timeout = 5000, info = 0, fd, rc = 0;
	struct sockaddr_toy la, pa;
	char ls[TOY_ADDRSTRLEN], ps[TOY_ADDRSTRLEN];
	static unsigned char buf[1 << 20];

	while ((opt = getopt_long(argc, argv, "n:s:w:t:iqh", lo, NULL)) != -1) {
		switch (opt) {
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 's': size = strtol(optarg, NULL, 0); break;
		case 'w': window = atoi(optarg); break;
		case 't': timeout = atoi(optarg); break;
		case 'i': info = 1; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	if (size <= 0 || size > (long)TOY_MSG_MAX || window <= 0) {
		fprintf(stderr, "toy-echo-client: --size must be 1..%u and "
			"--window at least 1\n", TOY_MSG_MAX);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	fd = toy_connect(argv[optind], timeout);
	if (fd < 0) {
		fprintf(stderr, "toy-echo-client: %s\n", toy_last_error());
		return 1;
	}
	toy_local_addr(fd, &la);
	toy_peer_addr(fd, &pa);
	printf("connected to %s from %s\n", toy_addr_format(&pa, ps, sizeof(ps)),
	       toy_addr_format(&la, ls, sizeof(ls)));

	if (count) {
		rc = run_count(fd, count, size, window);
	} else if (optind + 1 < argc) {
		for (int i = optind + 1; i < argc && !rc; i++)
			rc = send_text(fd, argv[i], buf, sizeof(buf));
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while (!rc && (n = getline(&line, &cap, stdin)) > 0) {
			if (line[n - 1] == '\n')
				line[n - 1] = '\0';
			rc = send_text(fd, line, buf, sizeof(buf));
		}
		free(line);
	}

	if (info) {
		struct toy_info ti;

		if (toy_get_info(fd, &ti) < 0) {
			fprintf(stderr, "toy-echo-client: %s\n",
				toy_last_error());
			rc = 1;
		} else {
			printf("state %s mss %u srtt %u us rttvar %u us rto %u "
			       "us cwnd %u ssthresh %u retrans %u msgs %llu/%llu "
			       "bytes %llu/%llu (sent/received)\n",
			       toy_state_name(ti.toyi_state), ti.toyi_mss,
			       ti.toyi_rtt_us, ti.toyi_rttvar_us,
			       ti.toyi_rto_us, ti.toyi_snd_cwnd,
			       ti.toyi_snd_ssthresh, ti.toyi_retrans,
			       (unsigned long long)ti.toyi_msgs_sent,
			       (unsigned long long)ti.toyi_msgs_received,
			       (unsigned long long)ti.toyi_bytes_sent,
			       (unsigned long long)ti.toyi_bytes_received);
		}
	}
	if (close(fd) < 0) {
		perror("toy-echo-client: close");
		rc = 1;
	}
	return rc;
}
