// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection state machine (module/state.c). The transitions
 * expected are written out here again, from RFC 793 figure 6 and what
 * AF_TOY adds to it, so that the table is checked against an independent
 * copy: every legal transition, every other (state, event) pair refused,
 * the classic paths through the diagram, and no way into CLOSE that
 * skips the clean-up.
 */
#include <kunit/test.h>

#include "state.h"
#include "toy_kunit.h"

struct fsm_case {
	const char *name;
	int state;
	int event;
	int next;
	int action;
};

#define C(s, e, n, a) { #s "_" #e, TOY_##s, TOY_EV_##e, TOY_##n, TOY_ACT_##a }

static const struct fsm_case fsm_cases[] = {
	/* RFC 793 figure 6 */
	C(CLOSE, LISTEN, LISTEN, NONE),			/* passive OPEN */
	C(CLOSE, CONNECT, SYN_SENT, NONE),		/* active OPEN, snd SYN */
	C(LISTEN, CLOSE, CLOSE, STOP_LISTEN),
	C(SYN_SENT, RCV_SYNACK, ESTABLISHED, CONNECTED),	/* snd ACK */
	C(SYN_SENT, CLOSE, CLOSE, DONE),
	C(SYN_RECV, RCV_ACK, ESTABLISHED, ACCEPT),
	C(ESTABLISHED, CLOSE, FIN_WAIT1, SEND_FIN),
	C(ESTABLISHED, RCV_FIN, CLOSE_WAIT, NONE),	/* snd ACK */
	C(FIN_WAIT1, FIN_ACKED, FIN_WAIT2, HALF_CLOSED),
	C(FIN_WAIT1, RCV_FIN, CLOSING, NONE),		/* snd ACK */
	C(FIN_WAIT2, RCV_FIN, TIME_WAIT, TIME_WAIT),	/* snd ACK */
	C(CLOSING, FIN_ACKED, TIME_WAIT, TIME_WAIT),
	C(CLOSE_WAIT, CLOSE, LAST_ACK, SEND_FIN),
	C(LAST_ACK, FIN_ACKED, CLOSE, DONE),
	C(TIME_WAIT, TIMEOUT, CLOSE, DONE),		/* 2 MSL */
	/* a child: LISTEN's "rcv SYN" happens to a new socket */
	C(CLOSE, RCV_SYN, SYN_RECV, NONE),
	C(CLOSE, RCV_COOKIE, ESTABLISHED, NONE),
	/* RFC 793 figure 8: simultaneous open, the SYNs cross */
	C(SYN_SENT, RCV_SYN, SYN_RECV, SYNACK),		/* snd SYN,ACK */
	C(SYN_RECV, RCV_SYNACK, ESTABLISHED, CONNECTED),
	/* RFC 793 3.9: a reset, or giving up, ends any synchronized state */
	C(SYN_SENT, ABORT, CLOSE, DONE),
	C(SYN_RECV, ABORT, CLOSE, DONE),
	C(ESTABLISHED, ABORT, CLOSE, DONE),
	C(FIN_WAIT1, ABORT, CLOSE, DONE),
	C(FIN_WAIT2, ABORT, CLOSE, DONE),
	C(CLOSE_WAIT, ABORT, CLOSE, DONE),
	C(CLOSING, ABORT, CLOSE, DONE),
	C(LAST_ACK, ABORT, CLOSE, DONE),
	C(TIME_WAIT, ABORT, CLOSE, DONE),
	/* an orphan does not wait forever in FIN_WAIT2 */
	C(FIN_WAIT2, TIMEOUT, CLOSE, DONE),
	/* RFC 793 3.9: a retransmitted FIN restarts the 2 MSL wait */
	C(TIME_WAIT, RCV_FIN, TIME_WAIT, TIME_WAIT),
	/* events that are legal and change nothing */
	C(LISTEN, LISTEN, LISTEN, NONE),		/* a new backlog */
	C(FIN_WAIT1, CLOSE, FIN_WAIT1, NONE),		/* shutdown twice */
	C(FIN_WAIT2, CLOSE, FIN_WAIT2, NONE),
	C(CLOSING, CLOSE, CLOSING, NONE),
	C(LAST_ACK, CLOSE, LAST_ACK, NONE),
	C(FIN_WAIT2, FIN_ACKED, FIN_WAIT2, NONE),	/* later ACKs */
	C(TIME_WAIT, FIN_ACKED, TIME_WAIT, NONE),
};

TOY_PARAM_DESC_FN(fsm_case_desc, struct fsm_case)
KUNIT_ARRAY_PARAM(fsm_case, fsm_cases, fsm_case_desc);

static const struct fsm_case *fsm_expected(int state, int event)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fsm_cases); i++)
		if (fsm_cases[i].state == state && fsm_cases[i].event == event)
			return &fsm_cases[i];
	return NULL;
}

static void toy_state_test_legal_transition(struct kunit *test)
{
	const struct fsm_case *c = test->param_value;
	const struct toy_transition *t = toy_state_next(c->state, c->event);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_STREQ(test, toy_state_name(t->next),
			   toy_state_name(c->next));
	KUNIT_EXPECT_STREQ(test, toy_action_name(t->action),
			   toy_action_name(c->action));
}

/* Every pair the list above does not name is refused. */
static void toy_state_test_every_other_event_refused(struct kunit *test)
{
	unsigned int legal = 0;
	int s, e;

	for (s = 1; s < TOY_MAX_STATES; s++) {
		for (e = 0; e < TOY_EV_MAX; e++) {
			const struct toy_transition *t = toy_state_next(s, e);

			if (fsm_expected(s, e)) {
				legal++;
				continue;
			}
			KUNIT_EXPECT_PTR_EQ_MSG(test, t, NULL,
						"%s in %s should be refused",
						toy_event_name(e),
						toy_state_name(s));
		}
	}
	KUNIT_EXPECT_EQ(test, legal, (unsigned int)ARRAY_SIZE(fsm_cases));
}

static void toy_state_test_out_of_range_refused(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, toy_state_next(0, TOY_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, toy_state_next(-1, TOY_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, toy_state_next(TOY_MAX_STATES, TOY_EV_CLOSE));
	KUNIT_EXPECT_NULL(test, toy_state_next(TOY_ESTABLISHED, -1));
	KUNIT_EXPECT_NULL(test, toy_state_next(TOY_ESTABLISHED, TOY_EV_MAX));
	KUNIT_EXPECT_STREQ(test, toy_state_name(0), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, toy_state_name(TOY_MAX_STATES), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, toy_event_name(TOY_EV_MAX), "UNKNOWN");
	KUNIT_EXPECT_STREQ(test, toy_action_name(TOY_ACT_MAX), "UNKNOWN");
}

struct fsm_path {
	const char *name;
	int events[8];
	int states[8];	/* the state after each event; 0 ends the path */
};

static const struct fsm_path fsm_paths[] = {
	{ "active_open_active_close",
	  { TOY_EV_CONNECT, TOY_EV_RCV_SYNACK, TOY_EV_CLOSE, TOY_EV_FIN_ACKED,
	    TOY_EV_RCV_FIN, TOY_EV_TIMEOUT },
	  { TOY_SYN_SENT, TOY_ESTABLISHED, TOY_FIN_WAIT1, TOY_FIN_WAIT2,
	    TOY_TIME_WAIT, TOY_CLOSE } },
	{ "passive_open_passive_close",
	  { TOY_EV_RCV_SYN, TOY_EV_RCV_ACK, TOY_EV_RCV_FIN, TOY_EV_CLOSE,
	    TOY_EV_FIN_ACKED },
	  { TOY_SYN_RECV, TOY_ESTABLISHED, TOY_CLOSE_WAIT, TOY_LAST_ACK,
	    TOY_CLOSE } },
	{ "simultaneous_close",
	  { TOY_EV_RCV_COOKIE, TOY_EV_CLOSE, TOY_EV_RCV_FIN, TOY_EV_FIN_ACKED,
	    TOY_EV_TIMEOUT },
	  { TOY_ESTABLISHED, TOY_FIN_WAIT1, TOY_CLOSING, TOY_TIME_WAIT,
	    TOY_CLOSE } },
	{ "simultaneous_open",
	  { TOY_EV_CONNECT, TOY_EV_RCV_SYN, TOY_EV_RCV_SYNACK, TOY_EV_CLOSE,
	    TOY_EV_RCV_FIN, TOY_EV_FIN_ACKED, TOY_EV_TIMEOUT },
	  { TOY_SYN_SENT, TOY_SYN_RECV, TOY_ESTABLISHED, TOY_FIN_WAIT1,
	    TOY_CLOSING, TOY_TIME_WAIT, TOY_CLOSE } },
	{ "simultaneous_open_reset",
	  { TOY_EV_CONNECT, TOY_EV_RCV_SYN, TOY_EV_ABORT },
	  { TOY_SYN_SENT, TOY_SYN_RECV, TOY_CLOSE } },
	{ "listen_and_stop",
	  { TOY_EV_LISTEN, TOY_EV_LISTEN, TOY_EV_CLOSE },
	  { TOY_LISTEN, TOY_LISTEN, TOY_CLOSE } },
	{ "connect_refused",
	  { TOY_EV_CONNECT, TOY_EV_ABORT },
	  { TOY_SYN_SENT, TOY_CLOSE } },
	{ "fin_retransmitted_in_time_wait",
	  { TOY_EV_CONNECT, TOY_EV_RCV_SYNACK, TOY_EV_CLOSE, TOY_EV_FIN_ACKED,
	    TOY_EV_RCV_FIN, TOY_EV_RCV_FIN, TOY_EV_TIMEOUT },
	  { TOY_SYN_SENT, TOY_ESTABLISHED, TOY_FIN_WAIT1, TOY_FIN_WAIT2,
	    TOY_TIME_WAIT, TOY_TIME_WAIT, TOY_CLOSE } },
};

TOY_PARAM_DESC_FN(fsm_path_desc, struct fsm_path)
KUNIT_ARRAY_PARAM(fsm_path, fsm_paths, fsm_path_desc);

static void toy_state_test_path(struct kunit *test)
{
	const struct fsm_path *p = test->param_value;
	int state = TOY_CLOSE;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(p->states) && p->states[i]; i++) {
		const struct toy_transition *t = toy_state_next(state,
							       p->events[i]);

		KUNIT_ASSERT_NOT_NULL_MSG(test, t, "step %u: %s in %s", i,
					  toy_event_name(p->events[i]),
					  toy_state_name(state));
		KUNIT_EXPECT_STREQ(test, toy_state_name(t->next),
				   toy_state_name(p->states[i]));
		state = t->next;
	}
	KUNIT_EXPECT_EQ(test, state, TOY_CLOSE);
}

/* Every state is reachable from CLOSE, and CLOSE from every state. */
static void toy_state_test_no_island_no_dead_end(struct kunit *test)
{
	unsigned long from_close = BIT(TOY_CLOSE), to_close = BIT(TOY_CLOSE);
	unsigned long all = GENMASK(TOY_MAX_STATES - 1, 1);
	bool grew = true;
	int s, e;

	while (grew) {
		grew = false;
		for (s = 1; s < TOY_MAX_STATES; s++) {
			for (e = 0; e < TOY_EV_MAX; e++) {
				const struct toy_transition *t;

				t = toy_state_next(s, e);
				if (!t)
					continue;
				if ((from_close & BIT(s)) &&
				    !(from_close & BIT(t->next))) {
					from_close |= BIT(t->next);
					grew = true;
				}
				if ((to_close & BIT(t->next)) &&
				    !(to_close & BIT(s))) {
					to_close |= BIT(s);
					grew = true;
				}
			}
		}
	}
	KUNIT_EXPECT_EQ(test, from_close, all);
	KUNIT_EXPECT_EQ(test, to_close, all);
}

/*
 * Nothing lands in CLOSE without the clean-up (ACT_DONE, or a listener's
 * ACT_STOP_LISTEN), and the clean-up never runs in another state.
 */
static void toy_state_test_close_only_through_cleanup(struct kunit *test)
{
	int s, e;

	for (s = 1; s < TOY_MAX_STATES; s++) {
		for (e = 0; e < TOY_EV_MAX; e++) {
			const struct toy_transition *t = toy_state_next(s, e);
			bool cleanup;

			if (!t)
				continue;
			cleanup = t->action == TOY_ACT_DONE ||
				  t->action == TOY_ACT_STOP_LISTEN;
			KUNIT_EXPECT_EQ_MSG(test, t->next == TOY_CLOSE, cleanup,
					    "%s in %s", toy_event_name(e),
					    toy_state_name(s));
			if (t->action == TOY_ACT_STOP_LISTEN)
				KUNIT_EXPECT_EQ(test, s, TOY_LISTEN);
		}
	}
}

/* A reset (RFC 793 3.4) or giving up ends every state that has a peer. */
static void toy_state_test_abort_from_every_synchronized_state(struct kunit *test)
{
	int s;

	for (s = 1; s < TOY_MAX_STATES; s++) {
		const struct toy_transition *t = toy_state_next(s, TOY_EV_ABORT);

		if (s == TOY_CLOSE || s == TOY_LISTEN) {
			KUNIT_EXPECT_NULL(test, t);
			continue;
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, t, "%s", toy_state_name(s));
		KUNIT_EXPECT_EQ(test, t->next, TOY_CLOSE);
		KUNIT_EXPECT_EQ(test, t->action, TOY_ACT_DONE);
	}
}

/* Names as /proc and the trace show them: all there, all different. */
static void toy_state_test_names_distinct(struct kunit *test)
{
	int a, b;

	for (a = 1; a < TOY_MAX_STATES; a++) {
		KUNIT_EXPECT_STRNEQ(test, toy_state_name(a), "UNKNOWN");
		for (b = a + 1; b < TOY_MAX_STATES; b++)
			KUNIT_EXPECT_STRNEQ(test, toy_state_name(a),
					    toy_state_name(b));
	}
	for (a = 0; a < TOY_EV_MAX; a++) {
		KUNIT_EXPECT_STRNEQ(test, toy_event_name(a), "UNKNOWN");
		for (b = a + 1; b < TOY_EV_MAX; b++)
			KUNIT_EXPECT_STRNEQ(test, toy_event_name(a),
					    toy_event_name(b));
	}
	for (a = 0; a < TOY_ACT_MAX; a++) {
		KUNIT_EXPECT_STRNEQ(test, toy_action_name(a), "UNKNOWN");
		for (b = a + 1; b < TOY_ACT_MAX; b++)
			KUNIT_EXPECT_STRNEQ(test, toy_action_name(a),
					    toy_action_name(b));
	}
	KUNIT_EXPECT_STREQ(test, toy_state_name(TOY_CLOSE_WAIT), "CLOSE_WAIT");
}

static struct kunit_case toy_state_cases[] = {
	KUNIT_CASE_PARAM(toy_state_test_legal_transition, fsm_case_gen_params),
	KUNIT_CASE(toy_state_test_every_other_event_refused),
	KUNIT_CASE(toy_state_test_out_of_range_refused),
	KUNIT_CASE_PARAM(toy_state_test_path, fsm_path_gen_params),
	KUNIT_CASE(toy_state_test_no_island_no_dead_end),
	KUNIT_CASE(toy_state_test_close_only_through_cleanup),
	KUNIT_CASE(toy_state_test_abort_from_every_synchronized_state),
	KUNIT_CASE(toy_state_test_names_distinct),
	{}
};

static struct kunit_suite toy_state_suite = {
	.name = "toy_state",
	.test_cases = toy_state_cases,
};

kunit_test_suite(toy_state_suite);
