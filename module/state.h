/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The connection state machine: states are uapi's TOY_* (numbered like
 * TCP's), events and actions are here, the table is state.c's.
 */
#ifndef _TOY_STATE_H
#define _TOY_STATE_H

#include <linux/toy.h>
#include <linux/types.h>

/* What can move a connection from one state to another. */
enum toy_event {
	TOY_EV_CONNECT,		/* connect(): active open, our SYN queued */
	TOY_EV_LISTEN,		/* listen(): passive open */
	TOY_EV_RCV_SYN,		/* a SYN made this child, or crossed ours */
	TOY_EV_RCV_COOKIE,	/* an ACK at a listener returned a SYN cookie */
	TOY_EV_RCV_SYNACK,	/* our (active) SYN is acknowledged */
	TOY_EV_RCV_ACK,		/* the ACK of a child's SYN-ACK */
	TOY_EV_CLOSE,		/* close() or shutdown(SHUT_WR) */
	TOY_EV_RCV_FIN,		/* the peer's FIN, in sequence */
	TOY_EV_FIN_ACKED,	/* the ACK of our FIN */
	TOY_EV_TIMEOUT,		/* 2 x MSL ran out */
	TOY_EV_ABORT,		/* a reset, sent or received, or giving up */
	TOY_EV_MAX
};

/* What entering the new state does, beyond setting it (conn.c). */
enum toy_action {
	TOY_ACT_NONE,
	TOY_ACT_SEND_FIN,	/* queue our FIN behind the data, push */
	TOY_ACT_CONNECTED,	/* ACK the SYN-ACK, wake connect() */
	TOY_ACT_SYNACK,		/* SYNs crossed: our SYN goes again as SYN-ACK */
	TOY_ACT_ACCEPT,		/* onto the listener's accept queue */
	TOY_ACT_HALF_CLOSED,	/* our direction is done; bound an orphan */
	TOY_ACT_TIME_WAIT,	/* stop the timers, (re)start 2 x MSL */
	TOY_ACT_STOP_LISTEN,	/* reset every child nobody accepted */
	TOY_ACT_DONE,		/* leave the tables, drop what is unsent */
	TOY_ACT_MAX
};

struct toy_transition {
	u8 next;		/* TOY_* state; 0: the event is illegal here */
	u8 action;		/* enum toy_action */
};

const struct toy_transition *toy_state_next(int state, int event);
const char *toy_state_name(int state);
const char *toy_event_name(int event);
const char *toy_action_name(int action);

#endif /* _TOY_STATE_H */
