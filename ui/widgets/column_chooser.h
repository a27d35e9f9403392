#pragma once
/// Lets the user hide and show a table's columns from its header's context menu. A column
/// is named by a key (a metric without its "@K": "ndcg", "gini"); columns whose key is
/// empty always show. The hidden keys are remembered in QSettings under `settingsKey`, so
/// a choice survives K, runs and restarts; `hiddenByDefault` applies until the user chooses.
/// The view's model must map its columns one to one to keyOf's (a sort proxy does).

#include <QObject>
#include <QSet>
#include <QString>
#include <functional>

class QTableView;

namespace reco::ui {

class ColumnChooser : public QObject {
  Q_OBJECT

 public:
  ColumnChooser(QTableView* view, QString settingsKey, std::function<QString(int column)> keyOf,
                QSet<QString> hiddenByDefault, QObject* parent = nullptr);

  /// Hides and shows the view's columns by the hidden keys; call after the model changed.
  void apply();
  /// Columns hidden now.
  int hiddenCount() const;
  /// Shows (hidden = false) or hides the columns of `key`, remembers it, applies it.
  void setHidden(const QString& key, bool hidden);
  bool isHidden(const QString& key) const { return hidden_.contains(key); }

 signals:
  /// The user (or setHidden) changed which columns show.
  void changed();

 private:
  void showMenu(const QPoint& at);

  QTableView* view_;
  QString settingsKey_;
  std::function<QString(int)> keyOf_;
  QSet<QString> hidden_;
};

}  // namespace reco::ui
