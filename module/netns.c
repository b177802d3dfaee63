// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace setup: every namespace gets empty socket tables,
 * its own secrets, counters, settings and /proc files.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "netns.h"
#include "proc.h"
#include "timewait.h"

unsigned int toy_net_id __read_mostly;

static int toy_one = 1;
static int toy_port_max = 65535;
static int toy_ms_max = 600000;
static int toy_retries_max = 50;
static int toy_buf_min = 4096;
static int toy_buf_max = 64 << 20;
/* what the root of an unprivileged user namespace may ask for */
static int toy_buf_unpriv_max = 4 << 20;
static int toy_delack_max = 1000;
static int toy_challenge_max = 1000000;

#define TOY_SYSCTL(name, lo, hi) {				\
	.procname	= #name,				\
	.maxlen		= sizeof(int),				\
	.mode		= 0644,					\
	.proc_handler	= proc_dointvec_minmax,			\
	.extra1		= lo,					\
	.extra2		= hi,					\
}

/* Order matters: toy_sysctl_register() points .data at the same fields. */
static const struct ctl_table toy_sysctl_template[] = {
	TOY_SYSCTL(msl_ms, &toy_one, &toy_ms_max),
	TOY_SYSCTL(rto_min_ms, &toy_one, &toy_ms_max),
	TOY_SYSCTL(rto_max_ms, &toy_one, &toy_ms_max),
	TOY_SYSCTL(retries, &toy_one, &toy_retries_max),
	TOY_SYSCTL(syn_retries, &toy_one, &toy_retries_max),
	TOY_SYSCTL(delack_ms, SYSCTL_ZERO, &toy_delack_max),
	TOY_SYSCTL(rmem_default, &toy_buf_min, &toy_buf_max),
	TOY_SYSCTL(wmem_default, &toy_buf_min, &toy_buf_max),
	{
		.procname	= "port_range",
		.maxlen		= 2 * sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &toy_one,
		.extra2		= &toy_port_max,
	},
	TOY_SYSCTL(syncookies, SYSCTL_ZERO, SYSCTL_TWO),
	TOY_SYSCTL(challenge_ack_limit, SYSCTL_ZERO, &toy_challenge_max),
	TOY_SYSCTL(orphan_retries, &toy_one, &toy_retries_max),
	TOY_SYSCTL(invalid_ratelimit_ms, SYSCTL_ZERO, &toy_ms_max),
	TOY_SYSCTL(rmem_max, &toy_buf_min, &toy_buf_max),
	TOY_SYSCTL(max_tw_buckets, SYSCTL_ZERO, SYSCTL_INT_MAX),
	TOY_SYSCTL(gso, SYSCTL_ZERO, SYSCTL_ONE),
	{ }
};

static int toy_sysctl_register(struct net *net, struct toy_net *tn)
{
	struct ctl_table *t;

	t = kmemdup(toy_sysctl_template, sizeof(toy_sysctl_template),
		    GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t[0].data = &tn->msl_ms;
	t[1].data = &tn->rto_min_ms;
	t[2].data = &tn->rto_max_ms;
	t[3].data = &tn->retries;
	t[4].data = &tn->syn_retries;
	t[5].data = &tn->delack_ms;
	t[6].data = &tn->rmem_default;
	t[7].data = &tn->wmem_default;
	/*
	 * A namespace that an unprivileged user created (and so is root of)
	 * may not make every socket in it pin 64 MiB: as net.core.rmem_max
	 * bounds TCP's buffers, the initial user namespace sets the ceiling.
	 */
	if (net->user_ns != &init_user_ns) {
		t[6].extra2 = &toy_buf_unpriv_max;
		t[7].extra2 = &toy_buf_unpriv_max;
		t[13].extra2 = &toy_buf_unpriv_max;
	}
	t[8].data = tn->port_range;
	t[9].data = &tn->syncookies;
	t[10].data = &tn->challenge_ack_limit;
	t[11].data = &tn->orphan_retries;
	t[12].data = &tn->invalid_ratelimit_ms;
	t[13].data = &tn->rmem_max;
	t[14].data = &tn->max_tw_buckets;
	t[15].data = &tn->gso;

	/* the entries before the template's sentinel */
	tn->sysctl_hdr = toy_register_net_sysctl(net, "net/toy", t,
						 ARRAY_SIZE(toy_sysctl_template) - 1);
	if (!tn->sysctl_hdr) {
		kfree(t);
		return -ENOMEM;
	}
	return 0;
}

static void toy_sysctl_unregister(struct toy_net *tn)
{
	const struct ctl_table *t = tn->sysctl_hdr->ctl_table_arg;

	unregister_net_sysctl_table(tn->sysctl_hdr);
	kfree(t);
}

static void toy_net_defaults(struct toy_net *tn)
{
	tn->msl_ms = 30000;		/* TIME_WAIT 2 x 30 s, as Linux TCP */
	tn->rto_min_ms = 200;		/* as TCP_RTO_MIN */
	tn->rto_max_ms = 60000;		/* RFC 6298 2.5: at least 60 s */
	tn->retries = 15;		/* as tcp_retries2 */
	tn->syn_retries = 5;
	tn->delack_ms = 40;		/* as TCP_DELACK_MIN */
	tn->rmem_default = 2 << 20;	/* room for a 1 MiB message */
	tn->wmem_default = 2 << 20;
	tn->port_range[0] = 32768;	/* as net.ipv4.ip_local_port_range */
	tn->port_range[1] = 60999;
	tn->syncookies = 1;		/* as net.ipv4.tcp_syncookies */
	tn->challenge_ack_limit = 1000;	/* RFC 5961 7: a system-wide limit */
	tn->orphan_retries = 8;		/* as tcp_orphan_retries' 0 */
	tn->invalid_ratelimit_ms = 500;	/* as tcp_invalid_ratelimit */
	tn->rmem_max = 6 << 20;		/* as tcp_rmem[2] */
	tn->max_tw_buckets = 65536;
	tn->gso = 1;			/* super-segments where the route can */
}

static int __net_init toy_net_init(struct net *net)
{
	struct toy_net *tn = toy_pernet(net);
	unsigned int i;
	int err;

	spin_lock_init(&tn->table_lock);
	for (i = 0; i < TOY_HASH_SIZE; i++) {
		INIT_HLIST_HEAD(&tn->bind_hash[i]);
		/* a chain's end marker is its bucket number (table.c) */
		INIT_HLIST_NULLS_HEAD(&tn->conn_hash[i], i);
	}
	tn->hash_rnd = get_random_u32();
	get_random_bytes(&tn->isn_key, sizeof(tn->isn_key));
	get_random_bytes(&tn->cookie_key, sizeof(tn->cookie_key));
	toy_net_defaults(tn);

	tn->mib = alloc_percpu(struct toy_mib);
	if (!tn->mib)
		return -ENOMEM;

	err = toy_sysctl_register(net, tn);
	if (err)
		goto err_free_mib;

	err = toy_proc_init_net(net);
	if (err)
		goto err_unregister_sysctl;
	return 0;

err_unregister_sysctl:
	toy_sysctl_unregister(tn);
err_free_mib:
	free_percpu(tn->mib);
	return err;
}

static void __net_exit toy_net_exit(struct net *net)
{
	struct toy_net *tn = toy_pernet(net);

	toy_proc_exit_net(net);
	toy_sysctl_unregister(tn);
	/* timewait sockets hold no namespace: they go with it */
	toy_tw_purge(net);
	free_percpu(tn->mib);
}

struct pernet_operations toy_net_ops = {
	.init = toy_net_init,
	.exit = toy_net_exit,
	.id   = &toy_net_id,
	.size = sizeof(struct toy_net),
};
