#pragma once
/// The Compare panel's "Re-rank…" form: a base run, a method and its parameters (λ and the
/// similarity for MMR and calibration, β for the popularity penalty, depth, candidates),
/// business rules (exclude items listed in a file, exclude items by attribute key=value,
/// exclude categories chosen from the dataset's, boost a category or an attribute by a
/// factor, cap items per category, fall back to popularity), a name and optionally a sweep
/// over λ or β. The settings are checked as you type by the core's own reader
/// (RerankOptions::fromSettings, rerank/rerank_options.h): its Config message is shown and
/// OK stays disabled while something is wrong. It only collects the request; the panel
/// runs it in the background. GUI thread only.

#include <QDialog>
#include <QStringList>
#include <optional>

#include "core/models/model_options.h"
#include "ui/workers/rerank_job.h"

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace reco::ui {

class RerankDialog : public QDialog {
  Q_OBJECT

 public:
  /// `baseRuns`: the finished, not re-ranked runs of the split, `chosen` preselected when
  /// among them; `categories` the dataset's category names (for exclusions and boosts),
  /// `attributeKeys` its item attribute keys (shown as a hint).
  RerankDialog(const QStringList& baseRuns, const QString& chosen, const QStringList& categories,
               const QStringList& attributeKeys, QWidget* parent = nullptr);

  /// The settings the form describes, as `reco rerank --set` takes them (list rules only
  /// when not empty; numbers in the C locale).
  reco::OptionValues settings() const;
  /// The request when the form is valid; nullopt otherwise (problem() says why).
  std::optional<RerankRequest> request() const;
  /// Why the form cannot be accepted (the core's message where it comes from there); empty
  /// when it can.
  QString problem() const { return problem_; }

  /// Sweep values as typed ("0, 0.1, 0.3, 0.5"): numbers separated by ';', spaces, or ','
  /// where the display locale's decimal point is not ','. nullopt when one is not a number.
  static std::optional<std::vector<double>> parseValues(const QString& text);

 private:
  void onMethodChanged();
  void enableParameters();
  void check();
  /// The items of the exclusion file joined by ';' (one id per line, lines starting with '#'
  /// skipped, as `reco rerank --exclude-file` reads it); sets `error` when the file cannot
  /// be read or lists nothing.
  QString itemsFromFile(QString* error) const;

  QComboBox* base_;
  QComboBox* method_;
  QDoubleSpinBox* lambda_;
  QComboBox* by_;
  QDoubleSpinBox* beta_;
  QSpinBox* depth_;
  QSpinBox* candidates_;
  QLineEdit* itemsFile_;
  QLineEdit* excludeAttributes_;
  QListWidget* excludeCategories_;
  QLineEdit* boostCategories_;
  QLineEdit* boostAttributes_;
  QSpinBox* cap_;
  QCheckBox* fallback_;
  QGroupBox* sweep_;
  QLabel* sweepLabel_;
  QLineEdit* sweepValues_;
  QLineEdit* name_;
  QLabel* problemLabel_;
  QDialogButtonBox* buttons_;
  QString problem_;
};

}  // namespace reco::ui
