/* fuzz-agencies.c: libFuzzer harness for the agency directory parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rcrp-agency.h"
#include "rcrp-fuzz.h"

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GPtrArray) agencies = NULL;
  g_autoptr(GError) error = NULL;

  agencies = rcrp_agency_directory_parse_bytes (bytes, "fuzz.json", &error);

  if ((agencies == NULL) == (error == NULL))
    g_error ("the parser returned %s with %s", agencies != NULL ? "agencies" : "nothing",
             error != NULL ? "an error" : "no error");
  if (error != NULL && !g_str_has_prefix (error->message, "fuzz.json"))
    g_error ("a refusal that does not name its source: %s", error->message);

  return 0;
}
