// SPDX-License-Identifier: GPL-2.0
/*
 * AF_TOY's memory as a whole. Every socket charges the pages its queues
 * hold to toy_memory_allocated through the kernel's sk_mem_* accounting
 * (and so to its memory cgroup), as TCP charges tcp_memory_allocated:
 * below net.toy.mem[0] pages all is well, above [1] the protocol is under
 * pressure, and above [2] a socket gets no more memory than its minimum,
 * so segments are dropped and sends fail. Orphans, connections their
 * process closed, are at most net.toy.max_orphans (tcp_max_orphans).
 * Global, not per namespace, as tcp_mem: memory is the machine's, and
 * only the initial namespace may change it.
 */
#include <linux/mm.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "mem.h"

atomic_long_t toy_memory_allocated ____cacheline_aligned_in_smp;
struct percpu_counter toy_sockets_allocated;
/* sockets closed by their process that still finish a connection */
struct percpu_counter toy_orphan_count;
int sysctl_toy_max_orphans __read_mostly = 65536;
unsigned long toy_memory_pressure __read_mostly;
long sysctl_toy_mem[3] __read_mostly;
DEFINE_PER_CPU(int, toy_memory_per_cpu_fw_alloc);
/* under pressure a socket still gets its first page, as with tcp_rmem[0] */
int sysctl_toy_rmem[3] __read_mostly = { PAGE_SIZE, 131072, 6 << 20 };
int sysctl_toy_wmem[3] __read_mostly = { PAGE_SIZE, 16384, 4 << 20 };

static struct ctl_table_header *toy_mem_sysctl;

static struct ctl_table toy_mem_table[] = {
	{
		.procname	= "mem",
		.data		= &sysctl_toy_mem,
		.maxlen		= sizeof(sysctl_toy_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
	},
	{
		.procname	= "max_orphans",
		.data		= &sysctl_toy_max_orphans,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{ }
};

void toy_enter_memory_pressure(struct sock *sk)
{
	if (!READ_ONCE(toy_memory_pressure))
		WRITE_ONCE(toy_memory_pressure, 1);
}

void toy_leave_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(toy_memory_pressure))
		WRITE_ONCE(toy_memory_pressure, 0);
}

/*
 * Would one more orphan be too many? As tcp_too_many_orphans(): the
 * cheap estimate first, then the exact sum.
 */
bool toy_orphans_full(void)
{
	int max = READ_ONCE(sysctl_toy_max_orphans);

	return percpu_counter_read_positive(&toy_orphan_count) >= max &&
	       percpu_counter_sum_positive(&toy_orphan_count) >= max;
}

int toy_mem_init(void)
{
	/* as tcp_init_mem(): a sixteenth of the buffer pages is pressure */
	unsigned long limit = nr_free_buffer_pages() / 16;
	int err;

	limit = max(limit, 128UL);
	sysctl_toy_mem[0] = limit / 4 * 3;
	sysctl_toy_mem[1] = limit;
	sysctl_toy_mem[2] = sysctl_toy_mem[0] * 2;

	err = percpu_counter_init(&toy_sockets_allocated, 0, GFP_KERNEL);
	if (err)
		return err;
	err = percpu_counter_init(&toy_orphan_count, 0, GFP_KERNEL);
	if (err)
		goto err_sockets;
	toy_mem_sysctl = toy_register_net_sysctl(&init_net, "net/toy",
						 toy_mem_table,
						 ARRAY_SIZE(toy_mem_table) - 1);
	if (!toy_mem_sysctl) {
		err = -ENOMEM;
		goto err_counter;
	}
	return 0;

err_counter:
	percpu_counter_destroy(&toy_orphan_count);
err_sockets:
	percpu_counter_destroy(&toy_sockets_allocated);
	return err;
}

void toy_mem_exit(void)
{
	unregister_net_sysctl_table(toy_mem_sysctl);
	percpu_counter_destroy(&toy_orphan_count);
	percpu_counter_destroy(&toy_sockets_allocated);
}
