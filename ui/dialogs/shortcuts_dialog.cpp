#include "ui/dialogs/shortcuts_dialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QDialogButtonBox>
#include <QHash>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QShortcut>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace reco::ui {

namespace {

QString keysText(const QKeySequence& keys) {
  return keys.toString(QKeySequence::NativeText);
}

/// Alt and one letter or digit: a mnemonic ("&Browse…"), summarised rather than listed.
bool isMnemonic(const QKeySequence& keys) {
  if (keys.count() != 1) return false;
  const QKeyCombination combination = keys[0];
  const Qt::Key key = combination.key();
  return combination.keyboardModifiers() == Qt::AltModifier &&
         ((key >= Qt::Key_A && key <= Qt::Key_Z) || (key >= Qt::Key_0 && key <= Qt::Key_9));
}

/// "&New workspace…" -> "New workspace".
QString plainText(QString text) {
  text.remove(QRegularExpression(QStringLiteral("&(?!&)")));
  text.replace(QStringLiteral("&&"), QStringLiteral("&"));
  text.remove(QChar(0x2026));  // …
  return text.trimmed();
}

/// A tooltip as a description: its first sentence, without the "(Ctrl+E)" that names the
/// shortcut the list shows anyway.
QString fromToolTip(QString tip) {
  tip.remove(QRegularExpression(QStringLiteral("\\s*\\([^()]*\\)\\s*$")));
  const qsizetype stop = tip.indexOf(QStringLiteral(". "));
  if (stop > 0) tip.truncate(stop);
  tip.remove(QRegularExpression(QStringLiteral("[.:;]\\s*$")));
  return tip.trimmed();
}

/// What the panels' QShortcuts do while their code does not say it (whatsThis): keyed by
/// panel and keys in the portable form. A shortcut found in neither place is listed with
/// an empty description, which test_shortcuts fails on.
QString knownDescription(const QString& panel, const QKeySequence& keys) {
  static const QHash<QString, QString> known = {
      {QStringLiteral("Experiments|Ctrl+Shift+N"),
       QStringLiteral("New split of the chosen dataset")},
      {QStringLiteral("Experiments|Ctrl+."), QStringLiteral("Cancel the selected run")},
      {QStringLiteral("Experiments|Del"),
       QStringLiteral("Delete the selected run (in the runs table)")},
      {QStringLiteral("Experiments|Ctrl+Return"),
       QStringLiteral("Queue the run set up in the form")},
      {QStringLiteral("Users|Ctrl+F"), QStringLiteral("Search the users")},
      {QStringLiteral("Users|Ctrl+R"), QStringLiteral("Choose the runs whose lists are shown")},
      {QStringLiteral("Users|Ctrl+L"), QStringLiteral("Go to the user list")},
  };
  return known.value(panel + QLatin1Char('|') + keys.toString(QKeySequence::PortableText));
}

void addMenu(const QMenu* menu, const QString& path, QList<ShortcutEntry>& out) {
  for (const QAction* action : menu->actions()) {
    if (action->menu()) {
      addMenu(action->menu(), path + plainText(action->menu()->title()) + QStringLiteral(" › "),
              out);
      continue;
    }
    for (const QKeySequence& keys : action->shortcuts()) {
      if (keys.isEmpty()) continue;
      out.push_back(
          {keysText(keys), path + plainText(action->text()), QStringLiteral("Everywhere")});
    }
  }
}

}  // namespace

QList<ShortcutEntry> collectShortcuts(const QMenuBar* menuBar,
                                      const QList<QPair<QString, const QWidget*>>& panels) {
  QList<ShortcutEntry> entries;
  if (menuBar) {
    for (const QAction* action : menuBar->actions())
      if (action->menu())
        addMenu(action->menu(), plainText(action->menu()->title()) + QStringLiteral(" › "),
                entries);
  }
  for (const auto& [title, panel] : panels) {
    // QShortcuts say what they do in their whatsThis, set where they are made.
    for (const QShortcut* shortcut : panel->findChildren<QShortcut*>()) {
      if (shortcut->key().isEmpty() || isMnemonic(shortcut->key())) continue;
      const QString description = shortcut->whatsThis().isEmpty()
                                      ? knownDescription(title, shortcut->key())
                                      : shortcut->whatsThis();
      entries.push_back({keysText(shortcut->key()), description, title});
    }
    for (const QAction* action : panel->findChildren<QAction*>()) {
      if (action->shortcut().isEmpty() || isMnemonic(action->shortcut())) continue;
      const QString description =
          action->toolTip().isEmpty() ? plainText(action->text()) : fromToolTip(action->toolTip());
      entries.push_back({keysText(action->shortcut()), description, title});
    }
    for (const QAbstractButton* button : panel->findChildren<QAbstractButton*>()) {
      if (button->shortcut().isEmpty() || isMnemonic(button->shortcut())) continue;
      const QString description =
          button->toolTip().isEmpty() ? plainText(button->text()) : fromToolTip(button->toolTip());
      entries.push_back({keysText(button->shortcut()), description, title});
    }
  }
  return entries;
}

ShortcutsDialog::ShortcutsDialog(const QList<ShortcutEntry>& entries, QWidget* parent)
    : QDialog(parent) {
  setObjectName(QStringLiteral("shortcutsDialog"));
  setWindowTitle(QStringLiteral("Keyboard shortcuts"));

  model_ = new QStandardItemModel(0, 3, this);
  model_->setHorizontalHeaderLabels(
      {QStringLiteral("Keys"), QStringLiteral("Action"), QStringLiteral("Where")});
  for (const ShortcutEntry& entry : entries) {
    QList<QStandardItem*> row{new QStandardItem(entry.keys), new QStandardItem(entry.description),
                              new QStandardItem(entry.where)};
    for (QStandardItem* item : row) item->setEditable(false);
    model_->appendRow(row);
  }

  auto* intro = new QLabel(
      QStringLiteral("Shortcuts marked with a panel act while that panel is shown and the keyboard "
                     "focus is in it (Ctrl+1 to Ctrl+5 put it there). Alt and an underlined letter "
                     "press a button or go to a field or tab."),
      this);
  intro->setObjectName(QStringLiteral("noteLabel"));
  intro->setWordWrap(true);
  auto* view = new QTableView(this);
  view->setObjectName(QStringLiteral("shortcutTable"));
  view->setModel(model_);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setAlternatingRowColors(true);
  view->setShowGrid(false);
  view->setWordWrap(false);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setHighlightSections(false);
  view->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  view->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
  view->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(view, 1);
  layout->addWidget(buttons);
  view->verticalHeader()->setDefaultSectionSize(26);
  resize(760, 660);
}

}  // namespace reco::ui
