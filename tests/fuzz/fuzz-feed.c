/* fuzz-feed.c: libFuzzer harness for the C&C feed parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-feed.h"
#include "rcrp-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) document = g_bytes_new_static (data, size);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;

  calls = rcrp_feed_parse_bytes (document, "fuzz.json", &error);

  /* All or nothing, and a refusal always says where. */
  if ((calls == NULL) == (error == NULL))
    g_error ("the parser returned %s with %s", calls != NULL ? "calls" : "nothing",
             error != NULL ? "an error" : "no error");
  if (error != NULL && !g_str_has_prefix (error->message, "fuzz.json"))
    g_error ("a refusal that does not name its source: %s", error->message);

  return 0;
}
