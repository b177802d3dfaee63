// SPDX-License-Identifier: GPL-2.0
/*
 * toy-libtest: checks of libtoy's pure functions (address parsing and
 * formatting, state names, error messages). Needs no AF_TOY module, so it
 * runs on the build host (make test) as well as in the VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "toy.h"

static int failed, passed;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("# libtoy: line %d: ", __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

static void parse_ok(const char *s, const char *ip, unsigned int port)
{
	struct sockaddr_toy a;
	struct in_addr want;
	char buf[TOY_ADDRSTRLEN];

	memset(&a, 0x55, sizeof(a));
	inet_pton(AF_INET, ip, &want);
	CHECK(toy_addr_parse(s, &a) == 0, "parse \"%s\" failed: %s", s,
	      toy_last_error());
	CHECK(a.stoy_family == AF_TOY, "\"%s\": family %u", s, a.stoy_family);
	CHECK(ntohs(a.stoy_port) == port, "\"%s\": port %u, want %u", s,
	      ntohs(a.stoy_port), port);
	CHECK(a.stoy_addr.s_addr == want.s_addr, "\"%s\": wrong address", s);
	CHECK(!memcmp(a.stoy_zero, "\0\0\0\0\0\0\0\0", 8),
	      "\"%s\": padding not zeroed", s);
	toy_addr_format(&a, buf, sizeof(buf));
	{
		char exp[64];

		snprintf(exp, sizeof(exp), "%s:%u", ip, port);
		CHECK(!strcmp(buf, exp), "format of \"%s\" is \"%s\", want "
		      "\"%s\"", s, buf, exp);
	}
}

static void parse_bad(const char *s, const char *msg_part)
{
	struct sockaddr_toy a;
	int rc;

	errno = 0;
	rc = toy_addr_parse(s, &a);
	CHECK(rc == -1 && errno == EINVAL, "parse \"%s\" should fail with "
	      "EINVAL (rc %d errno %d)", s ? s : "(null)", rc, errno);
	CHECK(strstr(toy_last_error(), msg_part) != NULL,
	      "error for \"%s\" is \"%s\", should mention \"%s\"",
	      s ? s : "(null)", toy_last_error(), msg_part);
}

int main(void)
{
	char buf[TOY_ADDRSTRLEN], small[8];
	struct sockaddr_toy a;

	parse_ok("10.0.0.2:7000", "10.0.0.2", 7000);
	parse_ok("0.0.0.0:0", "0.0.0.0", 0);
	parse_ok("255.255.255.255:65535", "255.255.255.255", 65535);
	parse_ok("*:80", "0.0.0.0", 80);
	parse_ok(":80", "0.0.0.0", 80);
	parse_ok("localhost:1", "127.0.0.1", 1);

	parse_bad("10.0.0.2", "no ':'");
	parse_bad("10.0.0.2:", "no port");
	parse_bad("10.0.0:7000", "not a dotted-quad IPv4");
	parse_bad("10.0.0.256:7000", "not a dotted-quad IPv4");
	parse_bad("example.com:7000", "not a dotted-quad IPv4");
	parse_bad("[::1]:7000", "IPv4");
	parse_bad("10.0.0.2:70000", "out of range");
	parse_bad("10.0.0.2:000070000", "out of range");
	parse_bad("10.0.0.2:-1", "not a decimal number");
	parse_bad("10.0.0.2:7000x", "not a decimal number");
	parse_bad("10.0.0.2: 7000", "not a decimal number");
	parse_bad(NULL, "NULL");

	/* formatting: exact fit, short buffers, other families */
	toy_addr_parse("255.255.255.255:65535", &a);
	CHECK(strlen(toy_addr_format(&a, buf, sizeof(buf))) ==
	      TOY_ADDRSTRLEN - 1, "TOY_ADDRSTRLEN does not fit the longest");
	toy_addr_format(&a, small, sizeof(small));
	CHECK(strlen(small) == sizeof(small) - 1, "short buffer overrun");
	a.stoy_family = AF_INET;
	CHECK(!strcmp(toy_addr_format(&a, buf, sizeof(buf)), "<family 2>"),
	      "foreign family formatted as \"%s\"", buf);

	/* state names match /proc/net/toy and round-trip */
	CHECK(!strcmp(toy_state_name(TOY_ESTABLISHED), "ESTABLISHED"),
	      "state 1");
	CHECK(!strcmp(toy_state_name(TOY_TIME_WAIT), "TIME_WAIT"), "TIME_WAIT");
	CHECK(!strcmp(toy_state_name(TOY_CLOSING), "CLOSING"), "CLOSING");
	CHECK(!strcmp(toy_state_name(0), "UNKNOWN"), "state 0");
	CHECK(!strcmp(toy_state_name(TOY_MAX_STATES), "UNKNOWN"), "state max");
	CHECK(!strcmp(toy_state_name(-3), "UNKNOWN"), "state -3");
	for (int s = 1; s < TOY_MAX_STATES; s++)
		CHECK(toy_state_from_name(toy_state_name(s)) == s,
		      "round trip of state %d", s);
	CHECK(toy_state_from_name("BOGUS") == -1, "unknown state name");

	/* errors say what they mean for AF_TOY */
	CHECK(strstr(toy_strerror(EAFNOSUPPORT), "toy module") != NULL,
	      "EAFNOSUPPORT message: %s", toy_strerror(EAFNOSUPPORT));
	CHECK(strstr(toy_strerror(ECONNREFUSED), "nothing listens") != NULL,
	      "ECONNREFUSED message");
	CHECK(strstr(toy_strerror(EMSGSIZE), "SO_SNDBUF") != NULL,
	      "EMSGSIZE message");
	CHECK(strlen(toy_strerror(ENOENT)) > 0, "fallback message");

	/* without the module, socket creation names the cause */
	if (!toy_available()) {
		CHECK(toy_connect("127.0.0.1:7", 100) == -1 &&
		      errno == EAFNOSUPPORT, "connect without AF_TOY");
		CHECK(strstr(toy_last_error(), "is the toy module loaded") !=
		      NULL, "no-module message: %s", toy_last_error());
	}
	CHECK(toy_connect("nonsense", 100) == -1 && errno == EINVAL,
	      "connect to a bad address string");

	/* one-line TOY_INFO summaries */
	{
		struct toy_info ti = {
			.toyi_state = TOY_ESTABLISHED, .toyi_mss = 1460,
			.toyi_rtt_us = 41234, .toyi_rttvar_us = 850,
			.toyi_rto_us = 240000, .toyi_snd_cwnd = 14600,
			.toyi_snd_ssthresh = 8760, .toyi_retrans = 3,
			.toyi_lost = 1, .toyi_msgs_sent = 10,
			.toyi_bytes_sent = 12000, .toyi_msgs_received = 9,
			.toyi_bytes_received = 900,
		};
		char line[TOY_INFO_STRLEN], tiny[12];
		const char *want = "ESTABLISHED mss 1460 srtt 41.2 ms rttvar "
			"850 us rto 240.0 ms cwnd 14600 ssthresh 8760 retrans 3 "
			"timeouts 1 sent 10 msgs 12000 B received 9 msgs 900 B";

		toy_info_format(&ti, line, sizeof(line));
		CHECK(!strcmp(line, want), "toy_info_format: \"%s\"", line);
		ti.toyi_ca_state = 2;
		toy_info_format(&ti, line, sizeof(line));
		CHECK(strstr(line, " ca loss retrans 3") != NULL,
		      "toy_info_format in loss state: \"%s\"", line);
		toy_info_format(&ti, tiny, sizeof(tiny));
		CHECK(strlen(tiny) == sizeof(tiny) - 1, "toy_info_format cut");
		CHECK(!strcmp(toy_ca_state_name(1), "recovery") &&
		      !strcmp(toy_ca_state_name(9), "unknown"), "ca names");
	}

	/* time limits without a module: bad descriptors fail cleanly */
	CHECK(toy_wait_readable(-1, 10) == -1, "wait on fd -1");
	CHECK(toy_set_timeouts(-1, 10, 10) == -1 && errno == EBADF,
	      "timeouts on fd -1");
	CHECK(toy_get_mss(-1) == -1 && errno == EBADF, "mss of fd -1");

	printf("# libtoy: %d checks passed, %d failed\n", passed, failed);
	printf("%s: libtoy: unit checks\n", failed ? "FAIL" : "PASS");
	return failed != 0;
}
