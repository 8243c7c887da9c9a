/* rcrp-accessible.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* What a screen reader hears from the widgets the toolkit builds for us:
 * each control named, once, without its mnemonic underscore, and a
 * toggle that says whether it is pressed.
 *
 * HACK: GTK 4.8 and libadwaita 1.2. A button with a mnemonic label is
 * named by its label twice over ("_Export Export", "Cancel Cancel"), a
 * drop down's button, a toast's dismiss button and a search bar's close
 * button have no name, and a toggle button never says it is pressed.
 * Newer versions name most of these themselves.
 */

/* Names @widget @name, and only that (no label it is "labelled by"). */
void rcrp_accessible_name_once            (GtkWidget       *widget,
                                           const char      *name);
/* Every button and check button under @root with a mnemonic label is
 * named by that label, without the underscore; stack pages' titles too. */
void rcrp_accessible_strip_mnemonics      (GtkWidget       *root);
/* The icon-only buttons under @root showing @icon_name get @name. */
void rcrp_accessible_name_icon_buttons    (GtkWidget       *root,
                                           const char      *icon_name,
                                           const char      *name);
/* The search entries under @root that have no name get @name. */
void rcrp_accessible_name_search_entries  (GtkWidget       *root,
                                           const char      *name);
/* The button that opens @drop_down's list gets @name. */
void rcrp_accessible_name_drop_down       (GtkDropDown     *drop_down,
                                           const char      *name);
/* The item @row shows as chosen is named by what it says. */
void rcrp_accessible_name_combo_row       (AdwComboRow     *row);
/* @button says whether it is pressed, as it changes. */
void rcrp_accessible_follow_toggle        (GtkToggleButton *button);
/* Each toast @overlay shows: its buttons named once, its dismiss button
 * "Dismiss". */
void rcrp_accessible_name_toasts          (AdwToastOverlay *overlay);

/* The shortcuts window's search button and entry and its sections menu. */
void rcrp_accessible_name_shortcuts_window (GtkShortcutsWindow *window);

G_END_DECLS
