// SPDX-License-Identifier: GPL-2.0
/*
 * toy_kunit.ko: the suites register themselves through kunit_test_suite()
 * in their own files (collected from the .kunit_test_suites section when
 * the module loads); this file only carries the module metadata.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests for AF_TOY's pure protocol logic");
MODULE_LICENSE("GPL");
