#include "ui/widgets/column_chooser.h"

#include <QHeaderView>
#include <QMenu>
#include <QSettings>
#include <QTableView>
#include <algorithm>

namespace reco::ui {

ColumnChooser::ColumnChooser(QTableView* view, QString settingsKey,
                             std::function<QString(int column)> keyOf,
                             QSet<QString> hiddenByDefault, QObject* parent)
    : QObject(parent), view_(view), settingsKey_(std::move(settingsKey)), keyOf_(std::move(keyOf)) {
  QSettings settings;
  if (settings.contains(settingsKey_)) {
    const QStringList stored = settings.value(settingsKey_).toStringList();
    hidden_ = QSet<QString>(stored.begin(), stored.end());
  } else {
    hidden_ = std::move(hiddenByDefault);
  }
  QHeaderView* header = view_->horizontalHeader();
  header->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(header, &QHeaderView::customContextMenuRequested, this, &ColumnChooser::showMenu);
}

void ColumnChooser::apply() {
  if (!view_->model()) return;
  for (int column = 0; column < view_->model()->columnCount(); ++column) {
    const QString key = keyOf_(column);
    view_->setColumnHidden(column, !key.isEmpty() && hidden_.contains(key));
  }
}

int ColumnChooser::hiddenCount() const {
  int count = 0;
  if (!view_->model()) return 0;
  for (int column = 0; column < view_->model()->columnCount(); ++column)
    count += view_->isColumnHidden(column) ? 1 : 0;
  return count;
}

void ColumnChooser::setHidden(const QString& key, bool hidden) {
  if (hidden) {
    hidden_.insert(key);
  } else {
    hidden_.remove(key);
  }
  QStringList stored(hidden_.begin(), hidden_.end());
  stored.sort();
  QSettings().setValue(settingsKey_, stored);
  apply();
  emit changed();
}

void ColumnChooser::showMenu(const QPoint& at) {
  if (!view_->model()) return;
  QMenu menu(view_);
  menu.addSection(QStringLiteral("Columns"));
  QStringList keys;
  for (int column = 0; column < view_->model()->columnCount(); ++column) {
    const QString key = keyOf_(column);
    if (!key.isEmpty() && !keys.contains(key)) keys << key;
  }
  for (const QString& key : keys) {
    QAction* action = menu.addAction(key);
    action->setCheckable(true);
    action->setChecked(!hidden_.contains(key));
    connect(action, &QAction::toggled, this, [this, key](bool shown) { setHidden(key, !shown); });
  }
  menu.addSeparator();
  QAction* all = menu.addAction(QStringLiteral("Show all"));
  connect(all, &QAction::triggered, this, [this] {
    for (const QString& key : QStringList(hidden_.begin(), hidden_.end())) hidden_.remove(key);
    setHidden(QString(), false);  // stores the now empty set, applies and announces it
  });
  menu.exec(view_->horizontalHeader()->mapToGlobal(at));
}

}  // namespace reco::ui
