#pragma once
/// The import wizard's options: event weights, rating threshold, date range, k-core
/// filtering and the duplicates policy (reco::io::ImportOptions), each explained in its
/// tooltip and checked as it is typed. Only the options that apply to what the Columns
/// page's preview read are shown: event weights for event feedback, the threshold for
/// ratings, the date range when the rows have times (its dates start at the first rows'
/// range; it filters only when ticked). Its Next button starts the import. GUI thread only.

#include <QDateTime>
#include <QWizardPage>
#include <cstdint>

#include "core/io/import_options.h"

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace reco::ui {

class ImportOptionsPage : public QWizardPage {
  Q_OBJECT

 public:
  explicit ImportOptionsPage(QWidget* parent = nullptr);

  void initializePage() override;
  bool isComplete() const override;
  /// Writes this page's options into `options` (an unparseable event-weights text leaves
  /// the defaults; isComplete() is false then).
  void apply(reco::io::ImportOptions& options) const;

  /// For tests: the event weights text ("view=1,cart=3"), the k-core minima and the policy.
  void setEventWeights(const QString& text);
  void setMinimumInteractions(int perUser, int perItem);
  void setDuplicates(reco::io::DuplicatePolicy policy);
  /// Why the options are not valid; empty when they are.
  QString problem() const;
  /// Whether the event weights, the threshold and the date range are shown (they apply).
  bool showsEventWeights() const { return weightsApply_; }
  bool showsThreshold() const { return thresholdApplies_; }
  bool showsDateRange() const { return datesApply_; }
  /// The dates the range starts from (unticked: no filter).
  QDateTime sinceDate() const;
  QDateTime untilDate() const;

 private:
  void validate();
  /// Puts [first day, day after last] in the date edits unless the user ticked a box.
  void showDateRange(std::int64_t first, std::int64_t last);
  /// The Columns page finished reading the whole file's time range.
  void showFileTimeRange();

  QLineEdit* weights_;
  QCheckBox* useThreshold_;
  QDoubleSpinBox* threshold_;
  QCheckBox* useSince_;
  QDateTimeEdit* since_;
  QCheckBox* useUntil_;
  QDateTimeEdit* until_;
  QSpinBox* minUser_;
  QSpinBox* minItem_;
  QComboBox* duplicates_;
  QLabel* problem_;
  QFormLayout* form_;
  QHBoxLayout* thresholdRow_;
  QHBoxLayout* dateRow_;
  bool weightsApply_ = true;
  bool thresholdApplies_ = true;
  bool datesApply_ = true;
};

}  // namespace reco::ui
