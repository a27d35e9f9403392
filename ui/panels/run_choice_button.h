#pragma once
/// A button with a menu of the chosen split's finished runs, of which up to kMaxRuns can be
/// ticked (the Items screen's run choice, made as the Users screen's Runs button is): with
/// nothing chosen by hand, the first kDefaultRuns are chosen (baselines last: they know no
/// similar items), again whenever the runs change, and a choice made by hand is kept while its
/// runs are there. GUI thread only.

#include <QToolButton>
#include <vector>

#include "core/storage/run_store.h"

class QMenu;

namespace reco::ui {

class RunChoiceButton : public QToolButton {
  Q_OBJECT

 public:
  static constexpr int kMaxRuns = 4;
  static constexpr int kDefaultRuns = 3;

  explicit RunChoiceButton(QWidget* parent = nullptr);

  /// The runs that can be chosen; keeps the runs chosen by hand that are still there.
  void setAvailableRuns(std::vector<reco::storage::RunInfo> runs);
  const std::vector<reco::storage::RunInfo>& availableRuns() const { return available_; }
  /// The chosen runs, in the order of the available ones.
  std::vector<reco::storage::RunInfo> chosenRuns() const;
  /// Chooses runs by name (at most kMaxRuns; unknown names are ignored). Emits choiceChanged.
  void setChosenRuns(const QStringList& names);

 signals:
  /// The chosen runs changed (by hand or through setChosenRuns).
  void choiceChanged();

 private:
  void rebuildMenu();
  void updateText();

  std::vector<reco::storage::RunInfo> available_;
  std::vector<reco::storage::RunId> chosen_;
  bool automaticChoice_ = true;  // chosen_ is the default, not the user's choice
  QMenu* menu_;
};

}  // namespace reco::ui
