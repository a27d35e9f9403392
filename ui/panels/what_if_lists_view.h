#pragma once
/// The what-if lists of the Users panel (issue 14): one column per chosen run with the list
/// for the edited history. Each column says how the run re-scored ("fold-in · 3.2 ms") or,
/// when it cannot fold a history in, says so instead of a list; its items carry their move
/// against the unedited list (new, ↑3, ↓1), their reason ("fallback: popular" for items the
/// fallback ranked), and the items that left are listed below it, greyed, with their old
/// rank. Items can be dragged into the history editor. Shows snapshots only (WhatIfLoader
/// makes them). GUI thread only.

#include <QWidget>
#include <optional>
#include <vector>

#include "core/training/what_if.h"
#include "ui/workers/what_if_loader.h"

class QComboBox;
class QHBoxLayout;
class QLabel;
class QMenu;
class QTableView;
class QToolButton;

namespace reco::ui {

class WhatIfListModel;

class WhatIfListsView : public QWidget {
  Q_OBJECT

 public:
  static constexpr int kMaxLists = 4;

  explicit WhatIfListsView(QWidget* parent = nullptr);

  /// The runs that can be chosen and those chosen (the Runs button's menu).
  void setRuns(const std::vector<reco::storage::RunInfo>& available,
               const std::vector<reco::storage::RunInfo>& chosen);
  /// One column per run, each saying it is re-scoring; the lists shown stay until the new
  /// ones arrive when the runs are the same.
  void beginColumns(const std::vector<reco::storage::RunInfo>& runs);
  /// Shows the run's column at `slot` (its position in beginColumns()' runs).
  void setColumn(int slot, const WhatIfColumnPtr& column);
  /// Shows `text` instead of the columns.
  void showMessage(const QString& text);

  /// The fallback chosen above the lists: popularity in the split's training part, all of
  /// it or its last 30 or 7 days, in any category or one; nullopt for no fallback.
  std::optional<reco::PopularityFallbackOptions> fallbackChoice() const;
  /// The categories the fallback can keep to (the dataset's); keeps the chosen one when
  /// it is still there.
  void setCategories(const std::vector<std::string>& categories);

  /// True when every column of the latest beginColumns() has its list (or its note).
  bool allShown() const;
  int columnCount() const { return int(runs_.size()); }
  WhatIfColumnPtr column(int slot) const;
  WhatIfListModel* listModel(int slot) const;
  WhatIfListModel* leftModel(int slot) const;
  QTableView* listTable(int slot) const;
  /// The line under a column's title: the method and latency, the note, or the error.
  QString statusText(int slot) const;

 signals:
  /// The user chose (`on`) or dropped a run with the Runs button.
  void runToggled(reco::storage::RunId run, bool on);
  /// An item was double-clicked (or Enter pressed on it): its dataset index.
  void itemActivated(std::int32_t item);
  /// The fallback choice changed: the lists must be made again.
  void fallbackChanged();

 private:
  struct Column {
    QWidget* box = nullptr;
    QLabel* title = nullptr;
    QLabel* status = nullptr;
    QTableView* table = nullptr;
    WhatIfListModel* model = nullptr;
    QLabel* leftTitle = nullptr;
    QTableView* leftTable = nullptr;
    WhatIfListModel* left = nullptr;
    bool shown = false;  // the latest request's list (or note) arrived
  };
  Column makeColumn(int slot);
  void setStatus(Column& column, const QString& text, bool isError);
  /// A column with a list takes an equal share of the row; one with only a note, less.
  void setHasList(Column& column, bool hasList);

  std::vector<reco::storage::RunInfo> runs_;
  std::vector<Column> columns_;
  QToolButton* runButton_;
  QMenu* runMenu_;
  QComboBox* fallbackBox_;
  QComboBox* categoryBox_;
  QLabel* message_;
  QHBoxLayout* row_;
};

}  // namespace reco::ui
