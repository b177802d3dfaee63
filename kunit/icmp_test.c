// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what an ICMP error means for a connection, and the MSS a path
 * MTU leaves (module/icmp.h). The errnos are written out from TCP's
 * answers (icmp_err_convert[] in net/ipv4/icmp.c, tcp_v4_err()), so the
 * rule is checked against an independent copy.
 */
#include <kunit/test.h>

#include "icmp.h"
#include "toy_kunit.h"

struct icmp_case {
	const char *name;
	int type, code;
	int action;		/* enum toy_icmp_action */
	int err;		/* for TOY_ICMP_ERROR */
	bool ends_child;
};

static const struct icmp_case icmp_cases[] = {
	{ "net_unreachable", ICMP_DEST_UNREACH, ICMP_NET_UNREACH,
	  TOY_ICMP_ERROR, ENETUNREACH, true },
	{ "host_unreachable", ICMP_DEST_UNREACH, ICMP_HOST_UNREACH,
	  TOY_ICMP_ERROR, EHOSTUNREACH, true },
	{ "protocol_unreachable_no_toy_there", ICMP_DEST_UNREACH,
	  ICMP_PROT_UNREACH, TOY_ICMP_ERROR, ENOPROTOOPT, false },
	{ "port_unreachable", ICMP_DEST_UNREACH, ICMP_PORT_UNREACH,
	  TOY_ICMP_ERROR, ECONNREFUSED, false },
	{ "fragmentation_needed_is_pmtu", ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
	  TOY_ICMP_PMTU, 0, false },
	{ "net_prohibited", ICMP_DEST_UNREACH, ICMP_NET_ANO,
	  TOY_ICMP_ERROR, ENETUNREACH, false },
	{ "host_prohibited", ICMP_DEST_UNREACH, ICMP_HOST_ANO,
	  TOY_ICMP_ERROR, EHOSTUNREACH, false },
	{ "admin_filtered", ICMP_DEST_UNREACH, ICMP_PKT_FILTERED,
	  TOY_ICMP_ERROR, EHOSTUNREACH, false },
	{ "last_unreachable_code", ICMP_DEST_UNREACH, NR_ICMP_UNREACH,
	  TOY_ICMP_ERROR, EHOSTUNREACH, false },
	{ "unreachable_code_beyond_table_ignored", ICMP_DEST_UNREACH,
	  NR_ICMP_UNREACH + 1, TOY_ICMP_IGNORE, 0, false },
	{ "time_exceeded", ICMP_TIME_EXCEEDED, ICMP_EXC_TTL,
	  TOY_ICMP_ERROR, EHOSTUNREACH, true },
	{ "parameter_problem", ICMP_PARAMETERPROB, 0,
	  TOY_ICMP_ERROR, EPROTO, true },
	{ "source_quench_ignored", ICMP_SOURCE_QUENCH, 0,
	  TOY_ICMP_IGNORE, 0, false },
	{ "redirect_ignored", ICMP_REDIRECT, ICMP_REDIR_HOST,
	  TOY_ICMP_IGNORE, 0, false },
	{ "echo_reply_ignored", ICMP_ECHOREPLY, 0, TOY_ICMP_IGNORE, 0, false },
};

TOY_PARAM_DESC_FN(icmp_case_desc, struct icmp_case)
KUNIT_ARRAY_PARAM(icmp_case, icmp_cases, icmp_case_desc);

static void toy_icmp_test_classify(struct kunit *test)
{
	const struct icmp_case *c = test->param_value;
	int err = 0;

	KUNIT_EXPECT_EQ(test, (int)toy_icmp_classify(c->type, c->code, &err),
			c->action);
	if (c->action == TOY_ICMP_ERROR)
		KUNIT_EXPECT_EQ(test, err, c->err);
	KUNIT_EXPECT_EQ(test, toy_icmp_ends_child(c->type, c->code),
			c->ends_child);
}

struct mss_case {
	const char *name;
	u32 mtu;
	u16 mss;
};

/* MTU - 20 (IPv4) - 20 (AF_TOY header) - 12 (timestamps) */
static const struct mss_case mss_cases[] = {
	{ "ethernet_1500", 1500, 1448 },
	{ "ipv6_minimum_link_1280", 1280, 1228 },
	{ "route_min_pmtu_552", 552, 500 },
	{ "ipv4_minimum_68_clamped", 68, TOY_MIN_MSS },
	{ "zero_clamped", 0, TOY_MIN_MSS },
	{ "jumbo_9000", 9000, 8948 },
	{ "loopback_65536", 65536, 65484 },
	{ "absurd_mtu_clamped", 0xffffffff, U16_MAX },
};

TOY_PARAM_DESC_FN(mss_case_desc, struct mss_case)
KUNIT_ARRAY_PARAM(mss_case, mss_cases, mss_case_desc);

static void toy_icmp_test_mss_from_mtu(struct kunit *test)
{
	const struct mss_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, toy_mtu_to_mss(c->mtu), c->mss);
}

static struct kunit_case toy_icmp_test_cases[] = {
	KUNIT_CASE_PARAM(toy_icmp_test_classify, icmp_case_gen_params),
	KUNIT_CASE_PARAM(toy_icmp_test_mss_from_mtu, mss_case_gen_params),
	{}
};

static struct kunit_suite toy_icmp_test_suite = {
	.name = "toy_icmp",
	.test_cases = toy_icmp_test_cases,
};

kunit_test_suite(toy_icmp_test_suite);
