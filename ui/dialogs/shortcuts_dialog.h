#pragma once
/// Help › Keyboard shortcuts: every shortcut of the window, read from the objects that
/// carry them (the menus' QActions, each panel's QShortcuts, QActions and buttons with a
/// shortcut), so that the list cannot drift from what the keys do. Mnemonics (Alt and an
/// underlined letter) are summarised in one line instead of being listed. GUI thread only.

#include <QDialog>
#include <QList>
#include <QPair>
#include <QString>

class QMenuBar;
class QStandardItemModel;

namespace reco::ui {

/// One line of the list.
struct ShortcutEntry {
  QString keys;         ///< as shown to the user, e.g. "Ctrl+Shift+E"
  QString description;  ///< what it does; empty when the object says nothing (a defect)
  QString where;        ///< "Everywhere" (menus) or the panel's title
};

/// The shortcuts of `menuBar` (everywhere) and of each panel (title, widget), in that
/// order, without mnemonics.
QList<ShortcutEntry> collectShortcuts(const QMenuBar* menuBar,
                                      const QList<QPair<QString, const QWidget*>>& panels);

class ShortcutsDialog : public QDialog {
  Q_OBJECT

 public:
  ShortcutsDialog(const QList<ShortcutEntry>& entries, QWidget* parent = nullptr);

  /// The table's model (Shortcut, Action, Where); for tests.
  const QStandardItemModel* model() const { return model_; }

 private:
  QStandardItemModel* model_;
};

}  // namespace reco::ui
