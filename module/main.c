// SPDX-License-Identifier: GPL-2.0
/*
 * AF_TOY: a reliable, message-oriented transport over IPv4, written to be
 * read. Module entry and exit: protocol memory, the protocol, the
 * per-namespace state, the IPv4 handler and the address family, in that
 * order and back.
 */
#include <linux/module.h>
#include <net/protocol.h>
#include <net/sock.h>

#include "icmp.h"
#include "input.h"
#include "mem.h"
#include "netns.h"
#include "offload.h"
#include "sock.h"
#include "timewait.h"

extern const struct net_proto_family toy_family_ops;

static const struct net_protocol toy_protocol = {
	.handler	= toy_v4_rcv,
	.err_handler	= toy_v4_err,
	.no_policy	= 1,
};

static int __init toy_init(void)
{
	int err;

	err = toy_mem_init();
	if (err)
		return err;
	err = toy_tw_init();
	if (err)
		goto err_mem;

	err = proto_register(&toy_prot, 1);
	if (err)
		goto err_tw;

	err = register_pernet_subsys(&toy_net_ops);
	if (err)
		goto err_proto;

	err = inet_add_protocol(&toy_protocol, IPPROTO_TOY);
	if (err) {
		pr_err("IP protocol %d is taken\n", IPPROTO_TOY);
		goto err_pernet;
	}

	err = toy_offload_init();
	if (err)
		goto err_inet;

	err = sock_register(&toy_family_ops);
	if (err) {
		pr_err("address family %d is taken\n", AF_TOY);
		goto err_offload;
	}
	pr_info("AF_TOY (family %d, IP protocol %d) ready\n", AF_TOY,
		IPPROTO_TOY);
	return 0;

err_offload:
	toy_offload_exit();
err_inet:
	inet_del_protocol(&toy_protocol, IPPROTO_TOY);
	synchronize_net();
err_pernet:
	unregister_pernet_subsys(&toy_net_ops);
err_proto:
	proto_unregister(&toy_prot);
err_tw:
	toy_tw_exit();
err_mem:
	toy_mem_exit();
	return err;
}

static void __exit toy_exit(void)
{
	sock_unregister(PF_TOY);
	toy_offload_exit();
	inet_del_protocol(&toy_protocol, IPPROTO_TOY);
	synchronize_net();
	unregister_pernet_subsys(&toy_net_ops);
	proto_unregister(&toy_prot);
	/* every namespace's timewait sockets went with it */
	toy_tw_exit();
	toy_mem_exit();
}

module_init(toy_init);
module_exit(toy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AF_TOY: a reliable datagram transport over IPv4");
MODULE_AUTHOR("AF_TOY developers");
MODULE_ALIAS_NETPROTO(PF_TOY);
