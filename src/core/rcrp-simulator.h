/* rcrp-simulator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define RCRP_TYPE_SIMULATOR (rcrp_simulator_get_type ())

G_DECLARE_FINAL_TYPE (RcrpSimulator, rcrp_simulator, RCRP, SIMULATOR, GObject)

/* Realistic synthetic calls of every category that follow the feed
 * contract, for demos, training and benchmarks. The same @seed and @now
 * give the same calls; cad_refs are unique within one simulator and, with
 * different seeds, practically unique across simulators.
 */
RcrpSimulator *rcrp_simulator_new          (guint32        seed,
                                            GDateTime     *now);

/* Returns: (transfer full): one call object received at @received_at. */
JsonNode      *rcrp_simulator_next_call    (RcrpSimulator *self,
                                            GDateTime     *received_at);

/* Returns: (transfer full): a feed document (a JSON array) of @count calls
 * received over the @spread microseconds before the simulator's @now, in
 * order of receipt, the last at @now. */
char          *rcrp_simulator_generate     (RcrpSimulator *self,
                                            guint          count,
                                            GTimeSpan      spread);

G_END_DECLS
