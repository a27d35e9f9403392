#pragma once
/// The "what to train" half of the Experiments panel: a model from the registry with its
/// generated OptionForm, the run's name (unique: checked against the names the panel says
/// are taken), the seed, the thread count, the device (deep models), and, when the split has a
/// validation part, per-epoch validation on a chosen metric with early-stopping patience. "Queue
/// run" (Ctrl+Return) is enabled only while everything is valid; the reason is shown otherwise. It
/// produces ExperimentOptions; the panel adds the split. GUI thread only.

#include <QSet>
#include <QString>
#include <QWidget>

#include "core/training/experiment.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace reco::ui {

class OptionForm;

class RunSetupForm : public QWidget {
  Q_OBJECT

 public:
  explicit RunSetupForm(QWidget* parent = nullptr);

  /// Fills the model list from defaultRegistry() again when models joined it (the deep
  /// models, once the module is loaded in the background); cheap when nothing changed.
  void refreshModels();
  /// Selects a model by registry name; false when it is not registered.
  bool selectModel(const QString& name);
  QString modelName() const;

  /// Names that a new run may not take (stored runs and this session's queue).
  void setTakenNames(const QSet<QString>& names);
  /// Whether the chosen split has a validation part (enables the validation options), and
  /// whether there is a split at all (enables queueing).
  void setSplitState(bool hasSplit, bool hasValidation);

  /// The run as the form describes it. Meaningful when problem() is empty.
  reco::ExperimentOptions experimentOptions() const;
  /// Why the run cannot be queued yet; empty when it can.
  QString problem() const { return problem_; }

  OptionForm* optionForm() const { return options_; }
  QLineEdit* runNameEdit() const { return name_; }
  QCheckBox* validationCheck() const { return validate_; }
  QSpinBox* patienceSpin() const { return patience_; }
  QComboBox* validationMetricCombo() const { return metric_; }
  QPushButton* queueButton() const { return queue_; }

  /// Names the next run after the model again (base, base-2...), forgetting a typed name.
  void resetRunName();
  /// The first free name for `base`: base, base-2, base-3...
  QString freeName(const QString& base) const;

 signals:
  /// "Queue run" was pressed with a valid form.
  void queueRequested();

 private:
  void onModelChanged();
  void check();

  QComboBox* model_;
  QLabel* summary_;
  OptionForm* options_;
  QLineEdit* name_;
  QSpinBox* seed_;
  QSpinBox* threads_;
  QComboBox* device_;
  QCheckBox* validate_;
  QComboBox* metric_;
  QSpinBox* patience_;
  QLabel* validationNote_;
  QLabel* problemLabel_;
  QPushButton* queue_;
  QSet<QString> takenNames_;
  QString problem_;
  bool hasSplit_ = false;
  bool hasValidation_ = false;
  bool nameEdited_ = false;  // the user typed a name: model changes no longer replace it
};

}  // namespace reco::ui
