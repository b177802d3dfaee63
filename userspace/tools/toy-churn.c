// SPDX-License-Identifier: GPL-2.0
/*
 * toy-churn: many short AF_TOY connections, to count how many get through
 * (e.g. during a SYN flood, scripts/tests/65-synflood.sh).
 *
 *	toy-churn 10.0.0.2:7000 --count 1000 --parallel 20 --timeout 2000
 *
 * Each connection: connect, send one message, read it back from an echo
 * server (toy-echo-server), compare, close. --parallel worker processes
 * share --count connections; each step waits at most --timeout ms.
 * Prints "toy-churn: S of N connections completed (...)" and per-failure
 * reasons; exit 0 if all completed, 1 if some did not, 2 usage.
 * Uses only <linux/toy.h> and libc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/toy.h>

#define MSG_LEN 64

enum {
	CH_OK, CH_SOCKET, CH_CONNECT_TIMEOUT, CH_CONNECT, CH_SEND,
	CH_RECV_TIMEOUT, CH_RECV, CH_MISMATCH, CH_NREASONS
};
static const char *const reason_names[CH_NREASONS] = {
	"completed", "socket failed", "connect timed out", "connect failed",
	"send failed", "no echo in time", "recv failed", "echo differs",
};

static const char *prog = "toy-churn";

/* wait until @fd has @events; 0, or -1 with errno (ETIMEDOUT) */
static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

static int connect_timeout(int fd, const struct sockaddr_toy *sa,
			   int timeout_ms)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		return 0;
	if (errno != EINPROGRESS)
		return -1;
	if (wait_fd(fd, POLLOUT, timeout_ms))
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return -1;
	errno = err;
	return err ? -1 : 0;
}

/* one connection: connect, one message echoed, close */
static int churn_one(const struct sockaddr_toy *sa, unsigned int n,
		     int timeout_ms)
{
	char msg[MSG_LEN], back[MSG_LEN + 1];
	int fd, r = CH_OK;
	ssize_t got;

	fd = socket(AF_TOY, SOCK_SEQPACKET | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return CH_SOCKET;
	snprintf(msg, sizeof(msg), "toy-churn %u %d", n, (int)getpid());
	if (connect_timeout(fd, sa, timeout_ms)) {
		r = errno == ETIMEDOUT ? CH_CONNECT_TIMEOUT : CH_CONNECT;
		goto out;
	}
	if (wait_fd(fd, POLLOUT, timeout_ms) ||
	    send(fd, msg, strlen(msg), 0) != (ssize_t)strlen(msg)) {
		r = CH_SEND;
		goto out;
	}
	if (wait_fd(fd, POLLIN, timeout_ms)) {
		r = errno == ETIMEDOUT ? CH_RECV_TIMEOUT : CH_RECV;
		goto out;
	}
	got = recv(fd, back, sizeof(back), 0);
	if (got < 0)
		r = CH_RECV;
	else if ((size_t)got != strlen(msg) || memcmp(back, msg, got))
		r = CH_MISMATCH;
out:
	close(fd);
	return r;
}

/* fault injection for this process and the workers it forks */
static int make_it_fail(void)
{
	FILE *f = fopen("/proc/self/make-it-fail", "w");

	if (!f || fputs("1\n", f) == EOF || fclose(f)) {
		fprintf(stderr, "%s: /proc/self/make-it-fail: %s\n", prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* a worker: connections first..first+n-1; per-reason counts to @out */
static void worker(const struct sockaddr_toy *sa, unsigned int first,
		   unsigned int n, int timeout_ms, int out, int fail)
{
	unsigned int counts[CH_NREASONS] = { 0 };

	/* after the fork: what should fail is the connections, not it */
	if (fail && make_it_fail())
		_exit(3);
	for (unsigned int i = 0; i < n; i++)
		counts[churn_one(sa, first + i, timeout_ms)]++;
	if (write(out, counts, sizeof(counts)) != sizeof(counts))
		_exit(3);
	_exit(0);
}

static bool parse_addr(const char *s, struct sockaddr_toy *sa)
{
	char buf[64], *colon, *end;
	unsigned long port;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (!colon)
		return false;
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (*end || end == colon + 1 || !port || port > 65535)
		return false;
	memset(sa, 0, sizeof(*sa));
	sa->stoy_family = AF_TOY;
	sa->stoy_port = htons((uint16_t)port);
	return inet_pton(AF_INET, buf, &sa->stoy_addr) == 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: toy-churn ADDR:PORT [--count N] [--parallel P] [--timeout MS]\n"
"\n"
"N short connections to an AF_TOY echo server (connect, one message\n"
"echoed and compared, close), spread over P worker processes; each step\n"
"waits at most MS milliseconds. Defaults: 1000, 10, 2000.\n"
"  --make-it-fail   each worker sets /proc/self/make-it-fail (fault\n"
"                   injection, failslab's task-filter) before connecting\n"
"exit: 0 all completed, 1 some did not, 2 usage\n");
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "parallel", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "make-it-fail", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int count = 1000, par = 10, total[CH_NREASONS] = { 0 };
	int timeout_ms = 2000, c, pfd[2], status, bad = 0, fail = 0;
	struct sockaddr_toy sa;
	struct timespec t0, t1;
	double secs;

	while ((c = getopt_long(argc, argv, "n:p:t:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'n': count = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'p': par = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 't': timeout_ms = atoi(optarg); break;
		case 'f': fail = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc || !parse_addr(argv[optind], &sa) || !par ||
	    par > 1000 || timeout_ms <= 0) {
		usage(stderr);
		return 2;
	}
	if (par > count)
		par = count ? count : 1;
	if (pipe(pfd)) {
		fprintf(stderr, "%s: pipe: %s\n", prog, strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int w = 0, first = 0; w < par; w++) {
		unsigned int n = count / par + (w < count % par);
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
			return 1;
		}
		if (!pid) {
			close(pfd[0]);
			worker(&sa, first, n, timeout_ms, pfd[1], fail);
		}
		first += n;
	}
	close(pfd[1]);
	for (;;) {
		unsigned int counts[CH_NREASONS];
		ssize_t got = read(pfd[0], counts, sizeof(counts));

		if (got < 0 && errno == EINTR)
			continue;
		if (got != sizeof(counts))
			break;
		for (int r = 0; r < CH_NREASONS; r++)
			total[r] += counts[r];
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s: %u of %u connections completed (connect, echo, close)"
	       " in %.1f s, %u workers\n", prog, total[CH_OK], count, secs, par);
	for (int r = 1; r < CH_NREASONS; r++)
		if (total[r])
			printf("%s: %u %s\n", prog, total[r], reason_names[r]);
	if (bad)
		printf("%s: a worker died: the counts are incomplete\n", prog);
	return total[CH_OK] == count && !bad ? 0 : 1;
}
