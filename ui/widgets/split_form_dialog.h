#pragma once
/// The "New split" form: a name, the protocol (random per-user holdout, global temporal
/// cut-off, leave-last-n per user), the test part (a fraction, or a count for leave-last),
/// an optional validation part, the seed, an optional rating threshold and the weighting.
/// Checked as you type with SplitOptions::validate() (the core's own check) and a unique
/// name; OK stays disabled while something is wrong and the reason is shown. It only
/// collects the options: the panel draws the split in the background. GUI thread only.

#include <QDialog>
#include <QStringList>

#include "core/data/split.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace reco::ui {

class SplitFormDialog : public QDialog {
  Q_OBJECT

 public:
  /// `datasetName` for the title; `takenNames` are the dataset's split names.
  SplitFormDialog(const QString& datasetName, const QStringList& takenNames, bool hasRatings,
                  QWidget* parent = nullptr);

  QString splitName() const;
  reco::SplitOptions options() const;
  /// Why the form cannot be accepted; empty when it can.
  QString problem() const { return problem_; }

  /// Sets the fields (for tests and the demo): protocol name, test, valid, seed.
  void setValues(const QString& name, const QString& protocol, double test, double valid,
                 std::uint64_t seed);

 private:
  void onProtocolChanged();
  void check();

  QStringList takenNames_;
  QLineEdit* name_;
  QComboBox* protocol_;
  QLabel* testLabel_;
  QDoubleSpinBox* test_;
  QDoubleSpinBox* valid_;
  QSpinBox* seed_;
  QCheckBox* thresholdOn_;
  QDoubleSpinBox* threshold_;
  QComboBox* weighting_;
  QLabel* problemLabel_;
  QDialogButtonBox* buttons_;
  QString problem_;
};

}  // namespace reco::ui
