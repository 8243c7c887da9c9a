/* rcrp-queue-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes a database of @n_calls synthetic calls at @path, in seconds rather
 * than the hours ingesting them would take: the store creates the schema,
 * then the calls and their search index are written by bulk SQL.
 *
 * Call i (1 … @n_calls) is "CAD-%08u", grade 1 + i % 4, received 30 s × i
 * after 2024-01-01 00:00 UTC, without risks; the last 201 (i + 200 ≥
 * @n_calls) are still open, the others decided ("signposted") ten minutes
 * after they came in. In queue order that is the open calls by grade and
 * arrival, then the decided ones from call @n_calls − 201 down to call 1.
 *
 * For tests and benchmarks only: it is not how the product makes calls.
 */
void rcrp_queue_fixture_make_database (const char *path,
                                       guint       n_calls);

G_END_DECLS
