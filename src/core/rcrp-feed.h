/* rcrp-feed.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rcrp-call.h"
#include "rcrp-file.h"

G_BEGIN_DECLS

#define RCRP_FEED_ERROR (rcrp_feed_error_quark ())

typedef enum
{
  RCRP_FEED_ERROR_TOO_LARGE,   /* over RCRP_FEED_MAX_BYTES */
  RCRP_FEED_ERROR_ENCODING,    /* not UTF-8 */
  RCRP_FEED_ERROR_SYNTAX,      /* not strict RFC 8259 JSON, or nested too deep */
  RCRP_FEED_ERROR_INVALID,     /* a field breaks the contract */
  RCRP_FEED_ERROR_IO,          /* the file could not be read */
} RcrpFeedError;

#define RCRP_FEED_MAX_BYTES  (8 * 1024 * 1024)
/* Calls nest three levels at most; anything deeper than this is not a call. */
#define RCRP_FEED_MAX_DEPTH  32

GQuark     rcrp_feed_error_quark  (void);

/* Parses a whole feed document: one call object or an array of them. The
 * result is all or nothing: on any departure from the contract it returns
 * NULL and @error says where, as "SOURCE:LINE:COLUMN: message" for syntax and
 * encoding faults, or "SOURCE: calls[INDEX].FIELD: message" for a field (for
 * a single object, "SOURCE: FIELD: message").
 *
 * Returns: (transfer full) (element-type RcrpCall): the calls in file order.
 */
GPtrArray *rcrp_feed_parse_bytes  (GBytes      *document,
                                   const char  *source,
                                   GError     **error);

/* Reads @file (refusing it before reading if larger than the limit) and
 * parses it as rcrp_feed_parse_bytes() does; @source defaults to the path.
 * On success @out_document holds the raw bytes read, for the store to keep.
 */
GPtrArray *rcrp_feed_parse_file   (GFile       *file,
                                   const char  *source,
                                   GBytes     **out_document,
                                   GError     **error);
/* As rcrp_feed_parse_file(), with RCRP_READ_FILE_NO_FOLLOW for a folder that
 * others write, where a symbolic link is refused rather than followed. */
GPtrArray *rcrp_feed_parse_file_full (GFile              *file,
                                      const char         *source,
                                      RcrpReadFileFlags   flags,
                                      GBytes            **out_document,
                                      GError            **error);

/* Validates one call object; @path is the prefix for messages ("calls[3]" or
 * "" for a lone object).
 */
RcrpCall  *rcrp_feed_parse_call   (JsonObject  *object,
                                   const char  *path,
                                   GError     **error);

G_END_DECLS
