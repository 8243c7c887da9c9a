/* rcrp-accessible.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rcrp-accessible.h"

typedef void (*Visit) (GtkWidget *widget,
                       gpointer   user_data);

static void
visit_tree (GtkWidget *root,
            Visit      visit,
            gpointer   user_data)
{
  visit (root, user_data);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    visit_tree (child, visit, user_data);
}

/* "_Lodge Appeal…" as it is said: "Lodge Appeal…". */
static char *
without_mnemonic (const char *label)
{
  GString *text = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] == '_')
        {
          g_string_append_c (text, '_');
          p++;
        }
      else if (*p != '_')
        g_string_append_c (text, *p);
    }

  return g_string_free (text, FALSE);
}

void
rcrp_accessible_name_once (GtkWidget  *widget,
                           const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (name != NULL);

  gtk_accessible_reset_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
strip_mnemonic (GtkWidget *widget,
                gpointer   user_data)
{
  const char *label = NULL;

  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget) && gtk_check_button_get_use_underline (GTK_CHECK_BUTTON (widget)))
    label = gtk_check_button_get_label (GTK_CHECK_BUTTON (widget));
  else if (GTK_IS_STACK (widget))
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          GtkStackPage *page = gtk_stack_get_page (GTK_STACK (widget), child);
          const char *title = page != NULL ? gtk_stack_page_get_title (page) : NULL;

          /* The shortcuts window titles its pages "_1", "_2"… */
          if (title != NULL && strchr (title, '_') != NULL)
            {
              g_autofree char *plain = without_mnemonic (title);

              gtk_stack_page_set_use_underline (page, FALSE);
              gtk_stack_page_set_title (page, plain);
            }
        }
    }

  if (label != NULL && strchr (label, '_') != NULL)
    {
      g_autofree char *plain = without_mnemonic (label);

      rcrp_accessible_name_once (widget, plain);
    }
}

void
rcrp_accessible_strip_mnemonics (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  visit_tree (root, strip_mnemonic, NULL);
}

typedef struct
{
  const char *icon_name;
  const char *name;
} IconName;

static void
name_icon_button (GtkWidget *widget,
                  gpointer   user_data)
{
  IconName *wanted = user_data;
  const char *icon = NULL;

  if (GTK_IS_BUTTON (widget))
    icon = gtk_button_get_icon_name (GTK_BUTTON (widget));
  else if (GTK_IS_MENU_BUTTON (widget))
    icon = gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget));

  /* A button may show its icon through an image of its own. */
  if (icon == NULL && GTK_IS_BUTTON (widget) && GTK_IS_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))))
    icon = gtk_image_get_icon_name (GTK_IMAGE (gtk_button_get_child (GTK_BUTTON (widget))));

  if (g_strcmp0 (icon, wanted->icon_name) != 0)
    return;

  rcrp_accessible_name_once (widget, wanted->name);
  /* A menu button's own button, inside it, is what takes the focus. */
  if (GTK_IS_MENU_BUTTON (widget))
    for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_BUTTON (child))
        rcrp_accessible_name_once (child, wanted->name);
}

void
rcrp_accessible_name_icon_buttons (GtkWidget  *root,
                                   const char *icon_name,
                                   const char *name)
{
  IconName wanted = { icon_name, name };

  g_return_if_fail (GTK_IS_WIDGET (root));

  visit_tree (root, name_icon_button, &wanted);
}

static void
name_search_entry (GtkWidget *widget,
                   gpointer   user_data)
{
  if (!GTK_IS_SEARCH_ENTRY (widget))
    return;

  /* Its clear icon is a button to a screen reader. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_IMAGE (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Clear the search"), -1);

  if (user_data != NULL)
    rcrp_accessible_name_once (widget, user_data);
}

void
rcrp_accessible_name_search_entries (GtkWidget  *root,
                                     const char *name)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  visit_tree (root, name_search_entry, (gpointer) name);
}

void
rcrp_accessible_name_drop_down (GtkDropDown *drop_down,
                                const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      rcrp_accessible_name_once (child, name);
}

static void
find_list_view (GtkWidget *widget,
                gpointer   user_data)
{
  GtkWidget **found = user_data;

  /* The chosen item's view, not the popover's list. */
  if (*found == NULL && GTK_IS_LIST_VIEW (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL)
    *found = widget;
}

static gboolean
name_chosen_item_cb (gpointer user_data)
{
  AdwComboRow *row = user_data;
  GObject *item = adw_combo_row_get_selected_item (row);
  GtkWidget *view = NULL;

  visit_tree (GTK_WIDGET (row), find_list_view, &view);
  if (view != NULL && GTK_IS_STRING_OBJECT (item))
    for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      gtk_string_object_get_string (GTK_STRING_OBJECT (item)), -1);

  g_object_unref (row);

  return G_SOURCE_REMOVE;
}

static void
on_combo_row_changed_cb (AdwComboRow *row)
{
  /* Once the row has shown the new choice. */
  g_idle_add (name_chosen_item_cb, g_object_ref (row));
}

void
rcrp_accessible_name_combo_row (AdwComboRow *row)
{
  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (row, "notify::selected", G_CALLBACK (on_combo_row_changed_cb), NULL);
  g_signal_connect (row, "notify::model", G_CALLBACK (on_combo_row_changed_cb), NULL);
  g_signal_connect (row, "map", G_CALLBACK (on_combo_row_changed_cb), NULL);
  on_combo_row_changed_cb (row);
}

static void
on_toggle_active_cb (GtkToggleButton *button)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (button),
                               GTK_ACCESSIBLE_STATE_PRESSED,
                               gtk_toggle_button_get_active (button) ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                                                     : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

void
rcrp_accessible_follow_toggle (GtkToggleButton *button)
{
  g_return_if_fail (GTK_IS_TOGGLE_BUTTON (button));

  g_signal_connect (button, "notify::active", G_CALLBACK (on_toggle_active_cb), NULL);
  on_toggle_active_cb (button);
}

/* A toast's button says its label twice ("Undo Undo"), mnemonic or not. */
static void
name_by_label (GtkWidget *widget,
               gpointer   user_data)
{
  const char *label = GTK_IS_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget)) : NULL;

  if (label != NULL && *label != '\0')
    {
      g_autofree char *plain = without_mnemonic (label);

      rcrp_accessible_name_once (widget, plain);
    }
}

static void
on_overlay_children_changed_cb (GListModel *children,
                                guint       position,
                                guint       removed,
                                guint       added,
                                gpointer    user_data)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) child = g_list_model_get_item (children, i);

      /* AdwToastWidget is private: known by its name. */
      if (g_str_equal (G_OBJECT_TYPE_NAME (child), "AdwToastWidget"))
        {
          visit_tree (child, name_by_label, NULL);
          rcrp_accessible_name_icon_buttons (child, "window-close-symbolic", _("Dismiss"));
        }
    }
}

void
rcrp_accessible_name_toasts (AdwToastOverlay *overlay)
{
  GListModel *children;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  children = gtk_widget_observe_children (GTK_WIDGET (overlay));
  g_signal_connect (children, "items-changed", G_CALLBACK (on_overlay_children_changed_cb), NULL);
  /* The list lives as long as the overlay, which keeps it. */
  g_object_set_data_full (G_OBJECT (overlay), "rcrp-accessible-children", children, g_object_unref);
}

static void
name_menu_button (GtkWidget *widget,
                  gpointer   user_data)
{
  if (!GTK_IS_MENU_BUTTON (widget))
    return;

  rcrp_accessible_name_once (widget, user_data);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      rcrp_accessible_name_once (child, user_data);
}

static void
on_shortcuts_mapped_cb (GtkWidget *window)
{
  /* Its pages are laid out anew each time it is shown. */
  rcrp_accessible_strip_mnemonics (window);
}

void
rcrp_accessible_name_shortcuts_window (GtkShortcutsWindow *window)
{
  g_return_if_fail (GTK_IS_SHORTCUTS_WINDOW (window));

  if (g_object_get_data (G_OBJECT (window), "rcrp-accessible-named") != NULL)
    return;
  g_object_set_data (G_OBJECT (window), "rcrp-accessible-named", GINT_TO_POINTER (TRUE));
  g_signal_connect (window, "map", G_CALLBACK (on_shortcuts_mapped_cb), NULL);
  rcrp_accessible_strip_mnemonics (GTK_WIDGET (window));
  rcrp_accessible_name_icon_buttons (GTK_WIDGET (window), "edit-find-symbolic", _("Search the shortcuts"));
  rcrp_accessible_name_search_entries (GTK_WIDGET (window), _("Search the shortcuts"));
  visit_tree (GTK_WIDGET (window), name_menu_button, (gpointer) _("Sections"));
}
