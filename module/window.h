/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sliding-window arithmetic (RFC 793 3.7, RFC 1122 4.2.3.3), kept pure so
 * KUnit can check every edge.
 */
#ifndef _TOY_WINDOW_H
#define _TOY_WINDOW_H

#include <linux/minmax.h>

#include "seq.h"

/*
 * Bytes the sender may still put on the wire: the smaller of the peer's
 * window (flow control) and cwnd (congestion control), less what is in
 * flight already.
 */
static inline u32 toy_wnd_send_room(u32 snd_una, u32 snd_nxt, u32 snd_wnd,
				    u32 cwnd)
{
	u32 limit = min(snd_wnd, cwnd);
	u32 flight = snd_nxt - snd_una;

	return flight >= limit ? 0 : limit - flight;
}

/*
 * Window to advertise: the free part of the receive capacity, but never
 * less than what was already promised, so the right edge (rcv_wup +
 * rcv_wnd) never moves back (RFC 793: shrinking is strongly discouraged).
 */
static inline u32 toy_wnd_select(u32 capacity, u32 used, u32 rcv_nxt,
				 u32 rcv_wup, u32 rcv_wnd)
{
	u32 free = used >= capacity ? 0 : capacity - used;
	s32 promised = (s32)(rcv_wup + rcv_wnd - rcv_nxt);

	if (promised > 0 && (u32)promised > free)
		return promised;
	return free;
}

/*
 * RFC 793 acceptability: a segment [seq, end_seq) is of interest if any of
 * it falls in [rcv_nxt, rcv_nxt + wnd). A zero-length segment is accepted
 * at rcv_nxt exactly, or anywhere in a non-zero window.
 */
static inline bool toy_wnd_acceptable(u32 seq, u32 end_seq, u32 rcv_nxt,
				      u32 wnd)
{
	u32 right = rcv_nxt + wnd;

	if (seq == end_seq)
		return wnd ? toy_seq_between(seq, rcv_nxt, right - 1) :
			     seq == rcv_nxt;
	if (!wnd)
		return false;
	return toy_seq_before(seq, right) && toy_seq_after(end_seq, rcv_nxt);
}

/*
 * Should a segment of its own go out to say the reader freed space? Only
 * when the sender may be held back: the window it knows is down to half
 * the capacity or less and would at least double (as Linux's
 * __tcp_cleanup_rbuf()), and it grows by a segment or by half the
 * capacity (RFC 1122 receiver silly window syndrome avoidance). Otherwise
 * the next ACK carries the new window anyway.
 */
/* Payload per byte of receive memory, in 1/65536ths, until measured. */
#define TOY_RATIO_ONE		65536
#define TOY_RATIO_DEFAULT	(TOY_RATIO_ONE / 2)

/*
 * How much payload a received segment of @len bytes brought per byte of
 * memory it pins (@truesize), averaged over recent segments (1/8 weight
 * for the newest). Tiny segments make it small, and the window with it.
 */
static inline u32 toy_rcv_ratio(u32 ratio, u32 len, u32 truesize)
{
	u32 now = truesize ? min_t(u64, (u64)len * TOY_RATIO_ONE / truesize,
				   TOY_RATIO_ONE) : TOY_RATIO_ONE;

	return ratio - ratio / 8 + now / 8;
}

/*
 * As tcp_win_from_space(): the payload that @space bytes of receive
 * memory hold at @ratio (payload per byte, in 1/65536ths).
 */
static inline u32 toy_win_from_space(u32 space, u32 ratio)
{
	return (u64)space * ratio / TOY_RATIO_ONE;
}

/*
 * RFC 5961 5.2: an ACK is acceptable only in [snd_una - max_wnd, snd_max],
 * where max_wnd is the largest window the peer ever offered; any other is
 * a blind guess, and the segment carrying it is dropped whatever it holds.
 */
static inline bool toy_ack_acceptable(u32 ack, u32 snd_una, u32 snd_max,
				      u32 max_wnd)
{
	return !toy_seq_after(ack, snd_max) &&
	       !toy_seq_before(ack, snd_una - max_wnd);
}

static inline bool toy_wnd_update_worth(u32 old_wnd, u32 new_wnd, u32 mss,
					u32 capacity)
{
	if (new_wnd <= old_wnd || old_wnd > capacity / 2 ||
	    new_wnd < 2 * old_wnd)
		return false;
	return new_wnd - old_wnd >= min(mss, capacity / 2);
}

/*
 * Receive-buffer autotuning, in the spirit of tcp_rcv_space_adjust(): the
 * buffer a reader needs that took @copied bytes in the last round trip, so
 * that the window (half the buffer) covers twice that, plus 16 segments,
 * for a sender whose rate still grows; never more than @max.
 */
static inline u32 toy_rcvbuf_for_rate(u32 copied, u16 mss, u32 max)
{
	u64 want = 2 * (2 * (u64)copied + 16 * (u64)mss);

	return min_t(u64, want, max);
}

/*
 * The receiver's round-trip estimate, from the timestamps our ACKs sent
 * and the data echoes (as tcp_rcv_rtt_update()): a lower sample is taken
 * at once (the sender was not window-limited then), a higher one by 1/8.
 */
static inline u32 toy_rcv_rtt_update(u32 rtt_us, u32 sample_us)
{
	if (!rtt_us || sample_us < rtt_us)
		return sample_us ?: 1;
	return rtt_us + (sample_us - rtt_us) / 8;
}

#endif /* _TOY_WINDOW_H */
