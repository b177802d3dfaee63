/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SYN cookies: when a listener answers a SYN without keeping state, its
 * initial sequence number carries what it must remember, under a keyed
 * hash, so that the ACK completing the handshake can rebuild the
 * connection (the idea of D. J. Bernstein's cookies and of Linux TCP's
 * net/ipv4/syncookies.c, with a layout of our own).
 *
 * 32 bits, before they are hidden by a mask:
 *
 *   31 30 29  27 26                                                0
 *  +-----+------+---------------------------------------------------+
 *  |tick |  data|            MAC, 27 bits                           |
 *  +-----+------+---------------------------------------------------+
 *
 * tick: the low 2 bits of a coarse clock the caller supplies; a cookie is
 *       valid during its tick and the next one, never before or later.
 * data: TOY_COOKIE_DATA_BITS of what the SYN negotiated: the index of the
 *       peer's MSS in a small table (toy_cookie_mss_index()).
 * MAC:  SipHash of the key, the 4-tuple, the peer's ISN, the full tick
 *       and the data.
 * The cookie is that word XOR a SipHash of the key, the 4-tuple and the
 * peer's ISN, so it looks random to whoever does not hold the key.
 *
 * These are pure functions of their arguments (no socket, no clock).
 */
#ifndef _TOY_COOKIE_H
#define _TOY_COOKIE_H

#include <linux/bits.h>
#include <linux/siphash.h>
#include <linux/types.h>

#define TOY_COOKIE_TICK_SHIFT	6	/* a tick is 2^6 = 64 seconds */
#define TOY_COOKIE_DATA_BITS	3
#define TOY_COOKIE_NR_MSS	BIT(TOY_COOKIE_DATA_BITS)

/* The segment's own addresses and ports: the peer's are the source. */
struct toy_cookie_tuple {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

u32 toy_cookie_make(const siphash_key_t *key,
		    const struct toy_cookie_tuple *t, u32 peer_isn, u32 tick,
		    u32 data);
int toy_cookie_check(const siphash_key_t *key,
		     const struct toy_cookie_tuple *t, u32 peer_isn, u32 tick,
		     u32 cookie);
u32 toy_cookie_mss_index(u16 peer_mss);
u16 toy_cookie_mss(u32 index);

#endif /* _TOY_COOKIE_H */
