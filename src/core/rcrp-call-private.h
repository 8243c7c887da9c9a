/* rcrp-call-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rcrp-call.h"

G_BEGIN_DECLS

/* Setters used by the feed parser and the stores only. */

RcrpCall *_rcrp_call_new                     (void);
void      _rcrp_call_set_id                  (RcrpCall       *self,
                                              gint64          id);
void      _rcrp_call_set_cad_ref             (RcrpCall       *self,
                                              const char     *cad_ref);
void      _rcrp_call_set_received_at         (RcrpCall       *self,
                                              GDateTime      *received_at);
void      _rcrp_call_set_category            (RcrpCall       *self,
                                              RcrpCategory    category);
void      _rcrp_call_set_grade               (RcrpCall       *self,
                                              int             grade);
void      _rcrp_call_set_summary             (RcrpCall       *self,
                                              const char     *summary);
void      _rcrp_call_set_risks               (RcrpCall       *self,
                                              guint           risks);
void      _rcrp_call_set_status              (RcrpCall       *self,
                                              RcrpCallStatus  status);
void      _rcrp_call_set_version_count       (RcrpCall       *self,
                                              guint           count);
void      _rcrp_call_set_updated_at          (RcrpCall       *self,
                                              GDateTime      *updated_at);
void      _rcrp_call_set_on_hold             (RcrpCall       *self,
                                              gboolean        on_hold);
void      _rcrp_call_set_claim               (RcrpCall       *self,
                                              const char     *claimed_by,
                                              const char     *session,
                                              GDateTime      *seen);
void      _rcrp_call_set_outcome             (RcrpCall       *self,
                                              const char     *outcome,
                                              GDateTime      *decided_at);
void      _rcrp_call_set_location            (RcrpCall       *self,
                                              const char     *address,
                                              const char     *postcode);
void      _rcrp_call_set_caller              (RcrpCall       *self,
                                              const char     *name,
                                              const char     *phone,
                                              const char     *relationship);
void      _rcrp_call_set_subject             (RcrpCall       *self,
                                              const char     *name,
                                              int             age,
                                              const char     *sex,
                                              const char     *ethnicity,
                                              int             known_to_services);
void      _rcrp_call_set_setting             (RcrpCall       *self,
                                              const char     *name,
                                              GDateTime      *left_at,
                                              int             detained,
                                              const char     *mha_section,
                                              int             informal);
void      _rcrp_call_set_notes               (RcrpCall       *self,
                                              const char     *notes);
/* Takes the canonical JSON text and computes its hash. */
void      _rcrp_call_set_canonical_json      (RcrpCall       *self,
                                              const char     *json);

G_END_DECLS
