/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loss recovery on the sender: what is lost, when, and whether a
 * reduction of cwnd was needless. RACK (RFC 8985) with its reordering
 * window and tail loss probe, RFC 6675 DupThresh on the SACK scoreboard,
 * D-SACK driven undo. The rules themselves are socket-free (rack.c).
 */
#ifndef _TOY_RECOVERY_H
#define _TOY_RECOVERY_H

#include <linux/skbuff.h>
#include <linux/types.h>

#include "wire.h"

struct sock;
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

/*
 * The resent segments, in the order of their last resend, linked through
 * their toy_skb_cb (as Linux's tsorted_sent_queue, for resends only: first
 * transmissions leave in sequence order, so the write queue is already
 * sorted by send time for them). RACK's lost-scan stops at the first one
 * not yet overdue instead of walking the queue. First: resent longest ago.
 */
struct toy_rtx_list {
	struct list_head list;
};

static inline void toy_rtx_init(struct toy_rtx_list *l)
{
	INIT_LIST_HEAD(&l->list);
}

/*
 * What marking keeps from one ACK to the next, so that its work follows
 * what the ACK changed (as tcp_sacktag_write_queue()'s recv_sack_cache):
 * a block the last ACK also carried is marked already, up to that
 * block's end; and the walk starts at the segment where it stopped last.
 */
struct toy_sack_board {
	struct sk_buff *hint;		/* where the last walk stopped; NULL: none */
	struct toy_sack_block cache[TOY_SACK_MAX_BLOCKS];
	u8 nr_cache;			/* valid blocks of the last ACK */
};

/* The sender's recovery state, all of it. */
struct toy_recovery {
	struct toy_rtx_list rtx;	/* resent segments, by resend time */
	struct toy_sack_board board;	/* SACK marking's memory */
	/* below it every segment is SACKed or resent; NULL: the queue's head */
	struct sk_buff *lost_hint;
	u32 sacked_out;			/* segments SACKed, not yet ACKed */
	u32 sacked_bytes;		/* and their sequence space */
	u32 sack_high;			/* highest end_seq SACKed (sacked_out > 0) */
	/* RFC 6675 pipe: SACKed bytes below pipe_nxt, kept as snd.nxt moves */
	u32 pipe_nxt;
	u32 pipe_sacked;
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

/*
 * One lost-scan (scoreboard.c): what it is given, what it finds. A
 * segment below @nxt with a SACKed one above it (below @high) is lost
 * when it was sent once and @thresh segments above it are SACKed (RFC
 * 6675), or when RACK finds it overdue (RFC 8985).
 */
struct toy_lost_scan {
	u32 nxt;			/* snd.nxt */
	u32 high;			/* toy_recovery.sack_high */
	unsigned int thresh;		/* DupThresh; UINT_MAX: none */
	bool rack_valid;
	u32 rack_us;			/* RACK: newest delivered send time */
	u32 horizon_us;			/* now less its round trip */
	u32 reo_us;			/* the reordering window */
	/* found: the lowest lost segments, ascending, at most a burst */
	struct sk_buff *lost[TOY_RECOVER_BURST];
	bool by_rack[TOY_RECOVER_BURST];	/* else by DupThresh */
	unsigned int nr_lost;
	u32 wait_us;			/* until the next may be overdue; U32_MAX */
	unsigned int visited;		/* segments looked at */
};

/* scoreboard.c: pure */
void toy_rtx_unlink(struct sk_buff *skb);
void toy_rtx_append(struct toy_rtx_list *l, struct sk_buff *skb);
void toy_rtx_split(struct sk_buff *skb,
		   struct sk_buff *nskb);
void toy_lost_scan(struct sk_buff_head *q, const struct toy_rtx_list *rtx,
		   struct sk_buff **hint, struct toy_lost_scan *ls);

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
u32 toy_pipe_sacked(struct sock *sk);
void toy_rec_unlink(struct toy_sock *ts, struct sk_buff *skb);
void toy_rec_split(struct toy_sock *ts, struct sk_buff *skb,
		   struct sk_buff *nskb);
void toy_rec_purged(struct toy_sock *ts);

#endif /* _TOY_RECOVERY_H */
