// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookie encoding and checking; the layout is in cookie.h. Pure
 * functions: the caller supplies the key and the tick.
 */
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "cookie.h"
#include "wire.h"

#define TOY_COOKIE_TICK_BITS	2
#define TOY_COOKIE_MAC_BITS	(32 - TOY_COOKIE_TICK_BITS - TOY_COOKIE_DATA_BITS)
#define TOY_COOKIE_DATA_SHIFT	TOY_COOKIE_MAC_BITS
#define TOY_COOKIE_TICK_FIELD	(32 - TOY_COOKIE_TICK_BITS)
#define TOY_COOKIE_TICK_MASK	GENMASK(TOY_COOKIE_TICK_BITS - 1, 0)
#define TOY_COOKIE_DATA_MASK	GENMASK(TOY_COOKIE_DATA_BITS - 1, 0)
#define TOY_COOKIE_MAC_MASK	GENMASK(TOY_COOKIE_MAC_BITS - 1, 0)

/*
 * Segment sizes a cookie can remember: the route MTUs one meets, less the
 * 52 bytes of IPv4, AF_TOY and timestamp headers (1280, 1450 for VXLAN,
 * 1492 for PPPoE, 1500, 9000, 65536 for loopback), the RFC 879 default
 * and the least a SYN may offer. The peer gets the largest entry
 * not above what it offered.
 */
static const u16 toy_cookie_msstab[] = {
	TOY_MIN_MSS, 536, 1228, 1398, 1440, 1448, 8948, 65484,
};

static_assert(ARRAY_SIZE(toy_cookie_msstab) == TOY_COOKIE_NR_MSS);

/* The mask hides the tick and data fields: key, 4-tuple, peer's ISN. */
static u32 toy_cookie_mask(const siphash_key_t *key,
			   const struct toy_cookie_tuple *t, u32 peer_isn,
			   u64 *a, u64 *b)
{
	*a = (u64)(__force u32)t->saddr << 32 | (__force u32)t->daddr;
	*b = (u64)(__force u16)t->sport << 48 |
	     (u64)(__force u16)t->dport << 32 | peer_isn;
	return (u32)siphash_2u64(*a, *b, key);
}

static u32 toy_cookie_mac(const siphash_key_t *key, u64 a, u64 b, u32 tick,
			  u32 data)
{
	return siphash_3u64(a, b, (u64)tick << 32 | data, key) &
	       TOY_COOKIE_MAC_MASK;
}

/**
 * toy_cookie_make - the initial sequence number of a stateless SYN-ACK
 * @key: the secret
 * @t: the SYN's addresses and ports
 * @peer_isn: the SYN's sequence number
 * @tick: the coarse clock now
 * @data: what to remember, below TOY_COOKIE_NR_MSS (higher bits are lost)
 */
u32 toy_cookie_make(const siphash_key_t *key,
		    const struct toy_cookie_tuple *t, u32 peer_isn, u32 tick,
		    u32 data)
{
	u64 a, b;
	u32 mask = toy_cookie_mask(key, t, peer_isn, &a, &b);

	data &= TOY_COOKIE_DATA_MASK;
	return mask ^ ((tick & TOY_COOKIE_TICK_MASK) << TOY_COOKIE_TICK_FIELD |
		       data << TOY_COOKIE_DATA_SHIFT |
		       toy_cookie_mac(key, a, b, tick, data));
}

/**
 * toy_cookie_check - is @cookie one toy_cookie_make() gave out lately?
 * @key: the secret
 * @t: the ACK's addresses and ports (the same direction as the SYN's)
 * @peer_isn: the ACK's sequence number less one
 * @tick: the coarse clock now
 * @cookie: the ACK's acknowledgment number less one
 *
 * Returns the data the cookie carries, -ETIME if it was made neither in
 * this tick nor in the previous one, -EBADMSG if it was not made for these
 * arguments or with this key.
 */
int toy_cookie_check(const siphash_key_t *key,
		     const struct toy_cookie_tuple *t, u32 peer_isn, u32 tick,
		     u32 cookie)
{
	u64 a, b;
	u32 field = cookie ^ toy_cookie_mask(key, t, peer_isn, &a, &b);
	u32 age = (tick - (field >> TOY_COOKIE_TICK_FIELD)) &
		  TOY_COOKIE_TICK_MASK;
	u32 data = (field >> TOY_COOKIE_DATA_SHIFT) & TOY_COOKIE_DATA_MASK;

	if (age > 1)
		return -ETIME;
	if ((field & TOY_COOKIE_MAC_MASK) !=
	    toy_cookie_mac(key, a, b, tick - age, data))
		return -EBADMSG;
	return data;
}

/* The index of the largest table entry not above @peer_mss. */
u32 toy_cookie_mss_index(u16 peer_mss)
{
	u32 i = TOY_COOKIE_NR_MSS - 1;

	while (i && toy_cookie_msstab[i] > peer_mss)
		i--;
	return i;
}

u16 toy_cookie_mss(u32 index)
{
	return toy_cookie_msstab[index & TOY_COOKIE_DATA_MASK];
}
