/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TIME_WAIT's rules on reuse of a 4-tuple, kept pure for KUnit; the
 * socket side is conn.c's toy_timewait_kill(), called by the demux
 * (ipv4.c) and by connect() (table.c).
 */
#ifndef _TOY_TIMEWAIT_H
#define _TOY_TIMEWAIT_H

#include <linux/types.h>

#include "seq.h"

/*
 * RFC 6191 (and RFC 1122 4.2.2.13): a SYN for a 4-tuple in TIME_WAIT may
 * open a new connection if it cannot be an old duplicate: its sequence
 * number lies beyond the old connection's, or its timestamp is newer than
 * the last one the old connection saw.
 */
static inline bool toy_tw_syn_acceptable(u32 seq, u32 rcv_nxt, bool has_ts,
					 u32 tsval, u32 ts_recent)
{
	if (has_ts && ts_recent && (s32)(tsval - ts_recent) > 0)
		return true;
	return toy_seq_after(seq, rcv_nxt);
}

/*
 * The new connection's first sequence number: beyond anything the old one
 * sent, by more than a window, so no old duplicate of ours is taken for new
 * data (tcp_timewait_state_process()'s snd_nxt + 65535 + 2). Never 0, which
 * means "none".
 */
static inline u32 toy_tw_next_isn(u32 old_snd_nxt)
{
	return old_snd_nxt + 65535 + 2 ?: 1;
}

#endif /* _TOY_TIMEWAIT_H */
