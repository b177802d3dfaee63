// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the retransmission timer serves three deadlines (timeout,
 * reordering wait, tail loss probe) and is set for the earliest armed one,
 * in jiffies that wrap.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>

#include "timer.h"

static void toy_timer_test_one_armed_is_the_timer(struct kunit *test)
{
	unsigned long due[TOY_XMIT_EVENTS] = { 0 };

	due[TOY_XMIT_TLP] = 5000;
	KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, BIT(TOY_XMIT_TLP)), 5000UL);
}

static void toy_timer_test_earliest_wins_in_any_slot(struct kunit *test)
{
	unsigned long due[TOY_XMIT_EVENTS];
	u8 all = BIT(TOY_XMIT_RTO) | BIT(TOY_XMIT_REO) | BIT(TOY_XMIT_TLP);
	unsigned int i;

	for (i = 0; i < TOY_XMIT_EVENTS; i++) {
		due[TOY_XMIT_RTO] = 3000;
		due[TOY_XMIT_REO] = 3000;
		due[TOY_XMIT_TLP] = 3000;
		due[i] = 1200;
		KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, all), 1200UL);
	}
}

static void toy_timer_test_disarmed_deadline_is_ignored(struct kunit *test)
{
	unsigned long due[TOY_XMIT_EVENTS];

	/* a reordering wait that fired stays in due[] but no longer counts */
	due[TOY_XMIT_RTO] = 9000;
	due[TOY_XMIT_REO] = 10;
	due[TOY_XMIT_TLP] = 7000;
	KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, BIT(TOY_XMIT_RTO) |
						  BIT(TOY_XMIT_TLP)), 7000UL);
	KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, BIT(TOY_XMIT_RTO)), 9000UL);
}

static void toy_timer_test_earliest_across_jiffies_wrap(struct kunit *test)
{
	unsigned long due[TOY_XMIT_EVENTS];

	/* the timeout lies past the wrap, the probe just before it */
	due[TOY_XMIT_RTO] = 40;
	due[TOY_XMIT_REO] = ULONG_MAX - 3;
	due[TOY_XMIT_TLP] = ULONG_MAX - 10;
	KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, BIT(TOY_XMIT_RTO) |
						  BIT(TOY_XMIT_TLP)),
			ULONG_MAX - 10);
	KUNIT_EXPECT_EQ(test, toy_xmit_earliest(due, BIT(TOY_XMIT_RTO) |
						  BIT(TOY_XMIT_REO)),
			ULONG_MAX - 3);
}

static struct kunit_case toy_timer_test_cases[] = {
	KUNIT_CASE(toy_timer_test_one_armed_is_the_timer),
	KUNIT_CASE(toy_timer_test_earliest_wins_in_any_slot),
	KUNIT_CASE(toy_timer_test_disarmed_deadline_is_ignored),
	KUNIT_CASE(toy_timer_test_earliest_across_jiffies_wrap),
	{}
};

static struct kunit_suite toy_timer_test_suite = {
	.name = "toy_timer",
	.test_cases = toy_timer_test_cases,
};

kunit_test_suite(toy_timer_test_suite);
