/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TOY_KUNIT_H
#define _TOY_KUNIT_H

#include <kunit/test.h>

/* "name" as the parameter description of a KUNIT_ARRAY_PARAM table. */
#define TOY_PARAM_DESC_FN(fn, type)					\
	static void fn(const type *p, char *desc)			\
	{								\
		strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);		\
	}

#endif
