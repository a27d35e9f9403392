#pragma once
/// The history editor of the Users panel's what-if (issue 14): the edited history as a list
/// (newest on top, added items marked), with an "Add item" search box that completes titles
/// and ids over the dataset's items, Remove (button, Delete key, context menu), "Start empty",
/// "Reset" (back to the stored history; nothing is written), items dropped in from a run's
/// list, and the saved scenarios: "Save as scenario…", a list to open one, and Delete. It
/// edits values only; the panel re-scores on historyChanged() and does the storage work.
/// GUI thread only.

#include <QWidget>
#include <vector>

#include "ui/workers/what_if_loader.h"

class QComboBox;
class QCompleter;
class QLabel;
class QLineEdit;
class QPushButton;
class QStringListModel;
class QTableView;

namespace reco::ui {

class EditedHistoryModel;

class HistoryEditor : public QWidget {
  Q_OBJECT

 public:
  explicit HistoryEditor(QWidget* parent = nullptr);

  /// Starts editing `base` (its edited history when it has one, else its stored one).
  void setBase(WhatIfBasePtr base);
  const WhatIfBasePtr& base() const { return base_; }
  /// The items the search box completes over (null: only exact ids of nothing).
  void setCatalogue(ItemCataloguePtr catalogue);
  const ItemCataloguePtr& catalogue() const { return catalogue_; }
  /// The dataset's saved scenarios.
  void setScenarios(ScenarioListPtr scenarios);
  const ScenarioListPtr& scenarios() const { return scenarios_; }
  /// Shows a line under the editor (`isError`: in the error colour); empty hides it.
  void showStatus(const QString& text, bool isError = false);
  /// Shows `text` in place of the editor (while the base is read, or why it cannot be).
  void showMessage(const QString& text, bool isError = false);

  EditedHistoryModel* historyModel() const { return history_; }
  QTableView* historyTable() const { return table_; }
  QLineEdit* searchField() const { return search_; }
  QComboBox* scenarioBox() const { return scenarioBox_; }
  QString statusText() const;
  QString headingText() const;

  /// Adds the catalogue's item for `text` (a completion's label or an exact id); false
  /// (and says why) when there is none or it is in the history already.
  bool addItemByText(const QString& text);
  /// Removes the selected items.
  void removeSelected();
  /// Delete: asks (a warning box named "confirmDeleteScenario", Cancel by default), then
  /// emits deleteScenarioRequested for the chosen scenario.
  void askToDeleteScenario();
  /// "Start empty" and "Reset".
  void startEmpty();
  void resetHistory();

 signals:
  /// The edited history changed: re-score.
  void historyChanged();
  /// "Save as scenario…" gave a name.
  void saveRequested(const QString& name);
  void openScenarioRequested(const reco::storage::Scenario& scenario);
  void deleteScenarioRequested(std::int64_t id);
  /// An item was double-clicked (the Items panel opens it).
  void itemActivated(std::int32_t item);

 private:
  void askScenarioName();
  void updateHeading();
  const reco::storage::Scenario* chosenScenario() const;

  WhatIfBasePtr base_;
  ItemCataloguePtr catalogue_;
  ScenarioListPtr scenarios_;
  EditedHistoryModel* history_;
  QStringListModel* completions_;
  QCompleter* completer_;
  QLabel* heading_;
  QLabel* message_;
  QWidget* editor_;
  QLineEdit* search_;
  QTableView* table_;
  QPushButton* removeButton_;
  QPushButton* emptyButton_;
  QPushButton* resetButton_;
  QPushButton* saveButton_;
  QComboBox* scenarioBox_;
  QPushButton* openButton_;
  QPushButton* deleteButton_;
  QLabel* status_;
};

}  // namespace reco::ui
