// SPDX-License-Identifier: GPL-2.0
/* The one unit that creates AF_TOY's trace events (trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"
