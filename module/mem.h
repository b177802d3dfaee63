/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Memory for AF_TOY as a whole, as TCP keeps it: pages charged by every
 * socket's queues (memory_allocated, limited by net.toy.mem, and to the
 * socket's memory cgroup), memory pressure, and the sockets allocated.
 */
#ifndef _TOY_MEM_H
#define _TOY_MEM_H

#include <linux/percpu_counter.h>
#include <net/sock.h>

extern atomic_long_t toy_memory_allocated;
extern struct percpu_counter toy_orphan_count;
extern int sysctl_toy_max_orphans;
extern struct percpu_counter toy_sockets_allocated;
extern unsigned long toy_memory_pressure;
extern long sysctl_toy_mem[3];
extern int sysctl_toy_rmem[3];
extern int sysctl_toy_wmem[3];
DECLARE_PER_CPU(int, toy_memory_per_cpu_fw_alloc);

int toy_mem_init(void);
void toy_mem_exit(void);
void toy_enter_memory_pressure(struct sock *sk);
void toy_leave_memory_pressure(struct sock *sk);
bool toy_orphans_full(void);

/* A segment joins the write queue: it counts against SO_SNDBUF and mem. */
static inline void toy_wmem_charge(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
}

/* A segment leaves the write queue (acknowledged, or the end). */
static inline void toy_wmem_free(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
	kfree_skb(skb);
}

#endif /* _TOY_MEM_H */
