#pragma once
/// The Experiments panel's "Tune…" form: an equal-budget tuning study (core/training/
/// tuning_study.h) on the panel's dataset and split. The split must have a validation part
/// (every trial is scored there, never on test): without one the form says so and offers
/// nothing to run. Otherwise: a checkable list of the registry's models (the deep ones once
/// their module is loaded), the budget per model (trials, seconds or minutes), the search
/// (grid, random, smbo: a Tree-structured Parzen Estimator, the default), the metric to
/// maximise (ndcg@10) and the study's name (empty: "study", "study-2"...). "Start study" is
/// enabled only while the form is valid; the reason is shown otherwise. It only collects the
/// request; the panel runs it. GUI thread only.

#include <QDialog>
#include <QString>
#include <optional>

#include "core/storage/split_store.h"
#include "core/training/tuning_study.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;
class QSpinBox;
class QStandardItemModel;

namespace reco::ui {

class TuneDialog : public QDialog {
  Q_OBJECT

 public:
  /// `splitLabel` names the dataset and split ("shop / holdout"); `split` is the panel's
  /// chosen split (nullopt: none chosen). `studyRunning`: a study is running now, which
  /// starting this one cancels (the form says so).
  TuneDialog(const QString& splitLabel, const std::optional<reco::storage::SplitInfo>& split,
             bool studyRunning, QWidget* parent = nullptr);

  /// The study the form describes; meaningful when problem() is empty.
  reco::StudyOptions studyOptions() const;
  /// Why the study cannot start; empty when it can.
  QString problem() const { return problem_; }

  /// Checks or unchecks a model by registry name; false when it is not listed.
  bool setModelChecked(const QString& name, bool checked);
  QPushButton* startButton() const { return start_; }
  QSpinBox* budgetSpin() const { return budget_; }
  /// "trials", "seconds" or "minutes".
  QComboBox* budgetUnitCombo() const { return unit_; }
  QComboBox* searchCombo() const { return search_; }
  QComboBox* metricCombo() const { return metric_; }
  QLineEdit* nameEdit() const { return name_; }

 private:
  void check();

  bool hasValidation_ = false;
  QLabel* splitNote_;
  QStandardItemModel* models_;
  QListView* modelList_;
  QSpinBox* budget_;
  QComboBox* unit_;
  QComboBox* search_;
  QComboBox* metric_;
  QLineEdit* name_;
  QLabel* problemLabel_;
  QPushButton* start_;
  QString problem_;
};

}  // namespace reco::ui
