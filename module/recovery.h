/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loss recovery on the sender: what is lost, when, and whether a
 * reduction of cwnd was needless. RACK (RFC 8985) with its reordering
 * window and tail loss probe, RFC 6675 DupThresh on the SACK scoreboard,
 * D-SACK driven undo. The rules themselves are socket-free (rack.c).
 */
#ifndef _TOY_RECOVERY_H
#define _TOY_RECOVERY_H

#include <linux/types.h>

struct sock;
struct sk_buff;
struct toy_sack_block;
struct toy_sock;

/* RFC 5681: three duplicate ACKs, or three segments SACKed above a hole */
#define TOY_DUPTHRESH	3

/* RFC 8985: forgive reordering within a quarter RTT, and at least this */
#define TOY_REO_WND_MIN_US	1000
/* RFC 8985 7.2: D-SACKs widen the window a quarter RTT at a time, up to */
#define TOY_REO_STEPS_MAX	4
/* ... and after this many recoveries without one it shrinks back */
#define TOY_REO_DECAY		16
/* lost segments resent per ACK, so one ACK cannot release a burst */
#define TOY_RECOVER_BURST	2

/* The sender's recovery state, all of it. */
struct toy_recovery {
	u32 sacked_out;			/* segments SACKed, not yet ACKed */
	/* RACK: the newest delivered segment */
	u32 rack_us;			/* its send time */
	u32 rack_rtt_us;		/* and its round trip */
	/* tail loss probe */
	u32 tlp_high;			/* snd.max when it went out */
	/* reordering (RFC 8985 6.2, 7.2) */
	u32 fack;			/* highest end_seq delivered */
	u32 reo_low;			/* lowest delivered by this ACK, sent once */
	u32 dsack_round;		/* one widening per round trip */
	/* undo of a needless reduction */
	u32 undo_marker;		/* snd.una at that reduction */
	u32 undo_retrans;		/* its resends not yet reported spurious */
	u32 dsack_dups;			/* segments D-SACKed: at most those resent */
	u8 dupacks;			/* RFC 5681 duplicate ACKs in a row */
	u8 reo_steps;			/* reordering window in quarter RTTs */
	u8 reo_decay;			/* recoveries left before both reset */
	bool rack_valid;
	bool tlp_out;			/* a tail loss probe is unanswered */
	bool reord_seen;		/* a segment sent once was overtaken */
	bool fack_valid;
	bool reo_low_valid;
	bool undo_valid;		/* a reduction may still be undone */
};

/* rack.c: pure */
bool toy_rack_lost(u32 sent_us, u32 rack_us, u32 reo_us);
u32 toy_rack_left_us(u32 sent_us, u32 rack_us, u32 horizon_us, u32 reo_us);
u32 toy_rack_reo_wnd(u32 srtt_us, unsigned int steps, bool reord_seen,
		     bool recovering);
unsigned int toy_dupthresh_for(unsigned int outstanding);

/* recovery.c */
unsigned int toy_dupthresh(struct sock *sk);
void toy_rack_delivered(struct toy_sock *ts, u32 sent_us, u32 now_us);
void toy_delivered_seq(struct toy_sock *ts, u32 end_seq, bool sent_once);
void toy_reorder_check(struct sock *sk, u32 prior_fack, bool prior_valid);
void toy_dsack_rcv(struct sock *sk, const struct toy_sack_block *b);
void toy_undo_mark(struct sock *sk);
void toy_recover_lost(struct sock *sk);
void toy_fast_retransmit(struct sock *sk);
void toy_sack_forget(struct sock *sk);
void toy_send_tlp(struct sock *sk);

#endif /* _TOY_RECOVERY_H */
