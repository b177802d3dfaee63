// SPDX-License-Identifier: GPL-2.0
/*
 * The connection state machine of AF_TOY: RFC 793's figure 6, which the
 * tutorials draw too, as one table. Every state change of a socket is an
 * event looked up here (conn.c, toy_state_event()). An event with no entry
 * for the current state changes nothing: a second FIN from a peer that
 * sent past its first, say, in CLOSE_WAIT.
 *
 * Each arrow is labelled EVENT / ACTION (state.h); NONE is left out.
 *
 *                      +-------+
 *         +----------->| CLOSE |<------------------------------------+
 *         |            +-------+                                     |
 *         |       LISTEN |    | CONNECT (our SYN is queued)          |
 *         |              v    +----------------------+               |
 *         |         +--------+                       v               |
 *         +---------| LISTEN |                 +----------+  CLOSE   |
 *    CLOSE /        +--------+                 | SYN_SENT |----------+
 *    STOP_LISTEN         |                     +----------+  / DONE
 *                        | RCV_SYN                 |          |
 *                        | (a child, sends         |          |
 *                        v  SYN-ACK)               |          |
 *                  +----------+  RCV_SYN / SYNACK  |          |
 *                  | SYN_RECV |<-------------------+          |
 *                  +----------+  (SYNs crossed)               |
 *   RCV_ACK / ACCEPT  |    | RCV_SYNACK / CONNECTED           | RCV_SYNACK /
 *   (a child)         v    v (after SYNs crossed)             v CONNECTED
 *                  +-----------------------------------------+
 *   RCV_COOKIE --->|               ESTABLISHED               |
 *   (a child)      +-----------------------------------------+
 *                        | CLOSE /                   | RCV_FIN
 *                        v SEND_FIN                  v
 *                  +-----------+               +------------+
 *                  | FIN_WAIT1 |               | CLOSE_WAIT |
 *                  +-----------+               +------------+
 *      FIN_ACKED /    |     | RCV_FIN                | CLOSE /
 *      HALF_CLOSED    v     v                        v SEND_FIN
 *         +-----------+     +---------+        +----------+
 *         | FIN_WAIT2 |     | CLOSING |        | LAST_ACK |
 *         +-----------+     +---------+        +----------+
 *    RCV_FIN /  |               | FIN_ACKED /        | FIN_ACKED /
 *    TIME_WAIT  v               v TIME_WAIT          v DONE
 *             +-------------------+               CLOSE
 *             |     TIME_WAIT     |--- TIMEOUT / DONE ---> CLOSE
 *             +-------------------+
 *
 * Not drawn: ABORT (a reset sent or received, a connection given up)
 * leads from every state but LISTEN and CLOSE to CLOSE; TIMEOUT also ends
 * an orphan's FIN_WAIT2; a retransmitted FIN restarts TIME_WAIT. RFC 793
 * figure 8, simultaneous open: a SYN that crosses ours in SYN_SENT moves to
 * SYN_RECV, our SYN goes again as a SYN-ACK, and the peer's SYN-ACK (or
 * ACK) completes the open; close() in that SYN_RECV resets (ABORT).
 * Figure 13, simultaneous close, is FIN_WAIT1 -> CLOSING -> TIME_WAIT.
 * TIME_WAIT's row is kept by a timewait socket (timewait.c): the socket
 * that enters it closes, as TCP's does.
 * Socket-free, so that KUnit can walk the table.
 */
#include <linux/kernel.h>

#include "state.h"

#define T(state, act) { .next = TOY_##state, .action = TOY_ACT_##act }

static const struct toy_transition toy_fsm[TOY_MAX_STATES][TOY_EV_MAX] = {
	[TOY_CLOSE] = {
		[TOY_EV_CONNECT]	= T(SYN_SENT, NONE),
		[TOY_EV_LISTEN]		= T(LISTEN, NONE),
		[TOY_EV_RCV_SYN]	= T(SYN_RECV, NONE),
		[TOY_EV_RCV_COOKIE]	= T(ESTABLISHED, NONE),
	},
	[TOY_LISTEN] = {
		[TOY_EV_LISTEN]		= T(LISTEN, NONE),
		[TOY_EV_CLOSE]		= T(CLOSE, STOP_LISTEN),
	},
	[TOY_SYN_SENT] = {
		[TOY_EV_RCV_SYN]	= T(SYN_RECV, SYNACK),
		[TOY_EV_RCV_SYNACK]	= T(ESTABLISHED, CONNECTED),
		[TOY_EV_CLOSE]		= T(CLOSE, DONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_SYN_RECV] = {
		[TOY_EV_RCV_SYNACK]	= T(ESTABLISHED, CONNECTED),
		[TOY_EV_RCV_ACK]	= T(ESTABLISHED, ACCEPT),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_ESTABLISHED] = {
		[TOY_EV_CLOSE]		= T(FIN_WAIT1, SEND_FIN),
		[TOY_EV_RCV_FIN]	= T(CLOSE_WAIT, NONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_FIN_WAIT1] = {
		[TOY_EV_CLOSE]		= T(FIN_WAIT1, NONE),
		[TOY_EV_FIN_ACKED]	= T(FIN_WAIT2, HALF_CLOSED),
		[TOY_EV_RCV_FIN]	= T(CLOSING, NONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_FIN_WAIT2] = {
		[TOY_EV_CLOSE]		= T(FIN_WAIT2, NONE),
		[TOY_EV_FIN_ACKED]	= T(FIN_WAIT2, NONE),
		[TOY_EV_RCV_FIN]	= T(TIME_WAIT, TIME_WAIT),
		[TOY_EV_TIMEOUT]	= T(CLOSE, DONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_CLOSE_WAIT] = {
		[TOY_EV_CLOSE]		= T(LAST_ACK, SEND_FIN),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_CLOSING] = {
		[TOY_EV_CLOSE]		= T(CLOSING, NONE),
		[TOY_EV_FIN_ACKED]	= T(TIME_WAIT, TIME_WAIT),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_LAST_ACK] = {
		[TOY_EV_CLOSE]		= T(LAST_ACK, NONE),
		[TOY_EV_FIN_ACKED]	= T(CLOSE, DONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
	[TOY_TIME_WAIT] = {
		[TOY_EV_FIN_ACKED]	= T(TIME_WAIT, NONE),
		[TOY_EV_RCV_FIN]	= T(TIME_WAIT, TIME_WAIT),
		[TOY_EV_TIMEOUT]	= T(CLOSE, DONE),
		[TOY_EV_ABORT]		= T(CLOSE, DONE),
	},
};

/**
 * toy_state_next - look up what @event does in @state
 * @state: TOY_ESTABLISHED ... TOY_CLOSING
 * @event: enum toy_event
 *
 * Return: the transition (its next state may be @state itself: the event
 * is legal and changes nothing but what its action does), or NULL if
 * @event cannot happen in @state.
 */
const struct toy_transition *toy_state_next(int state, int event)
{
	const struct toy_transition *t;

	if (state <= 0 || state >= TOY_MAX_STATES ||
	    event < 0 || event >= TOY_EV_MAX)
		return NULL;
	t = &toy_fsm[state][event];
	return t->next ? t : NULL;
}

static const char * const toy_state_names[TOY_MAX_STATES] = {
	[TOY_ESTABLISHED]	= "ESTABLISHED",
	[TOY_SYN_SENT]		= "SYN_SENT",
	[TOY_SYN_RECV]		= "SYN_RECV",
	[TOY_FIN_WAIT1]		= "FIN_WAIT1",
	[TOY_FIN_WAIT2]		= "FIN_WAIT2",
	[TOY_TIME_WAIT]		= "TIME_WAIT",
	[TOY_CLOSE]		= "CLOSE",
	[TOY_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TOY_LAST_ACK]		= "LAST_ACK",
	[TOY_LISTEN]		= "LISTEN",
	[TOY_CLOSING]		= "CLOSING",
};

const char *toy_state_name(int state)
{
	if (state <= 0 || state >= TOY_MAX_STATES)
		return "UNKNOWN";
	return toy_state_names[state];
}

static const char * const toy_event_names[TOY_EV_MAX] = {
	[TOY_EV_CONNECT]	= "CONNECT",
	[TOY_EV_LISTEN]		= "LISTEN",
	[TOY_EV_RCV_SYN]	= "RCV_SYN",
	[TOY_EV_RCV_COOKIE]	= "RCV_COOKIE",
	[TOY_EV_RCV_SYNACK]	= "RCV_SYNACK",
	[TOY_EV_RCV_ACK]	= "RCV_ACK",
	[TOY_EV_CLOSE]		= "CLOSE",
	[TOY_EV_RCV_FIN]	= "RCV_FIN",
	[TOY_EV_FIN_ACKED]	= "FIN_ACKED",
	[TOY_EV_TIMEOUT]	= "TIMEOUT",
	[TOY_EV_ABORT]		= "ABORT",
};

const char *toy_event_name(int event)
{
	if (event < 0 || event >= TOY_EV_MAX)
		return "UNKNOWN";
	return toy_event_names[event];
}

static const char * const toy_action_names[TOY_ACT_MAX] = {
	[TOY_ACT_NONE]		= "NONE",
	[TOY_ACT_SEND_FIN]	= "SEND_FIN",
	[TOY_ACT_CONNECTED]	= "CONNECTED",
	[TOY_ACT_SYNACK]	= "SYNACK",
	[TOY_ACT_ACCEPT]	= "ACCEPT",
	[TOY_ACT_HALF_CLOSED]	= "HALF_CLOSED",
	[TOY_ACT_TIME_WAIT]	= "TIME_WAIT",
	[TOY_ACT_STOP_LISTEN]	= "STOP_LISTEN",
	[TOY_ACT_DONE]		= "DONE",
};

const char *toy_action_name(int action)
{
	if (action < 0 || action >= TOY_ACT_MAX)
		return "UNKNOWN";
	return toy_action_names[action];
}
