#include "ui/dialogs/import_options_page.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimeZone>
#include <QVBoxLayout>
#include <algorithm>
#include <optional>

#include "core/common/error.h"
#include "ui/convert/qt_convert.h"
#include "ui/dialogs/import_columns_page.h"
#include "ui/dialogs/import_preview_worker.h"
#include "ui/dialogs/import_wizard.h"

namespace reco::ui {

namespace {

using reco::io::DuplicatePolicy;

constexpr int kMaxCore = 100000;

QString defaultWeightsText() {
  return QStringLiteral("view=1, cart=3, addtocart=3, purchase=5, transaction=5");
}

QDateTimeEdit* makeDateEdit(QWidget* parent, const QDateTime& value, const QString& tip) {
  auto* edit = new QDateTimeEdit(parent);
  edit->setTimeSpec(Qt::UTC);
  edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
  edit->setCalendarPopup(true);
  edit->setDateTime(value);
  edit->setToolTip(tip);
  return edit;
}

}  // namespace

ImportOptionsPage::ImportOptionsPage(QWidget* parent) : QWizardPage(parent) {
  setTitle(QStringLiteral("Options"));
  setSubTitle(
      QStringLiteral("What to keep and how to weigh it. The defaults keep every usable row. "
                     "Press Import to start; you can cancel while it runs."));
  setButtonText(QWizard::NextButton, QStringLiteral("&Import"));

  weights_ = new QLineEdit(defaultWeightsText(), this);
  weights_->setObjectName(QStringLiteral("eventWeights"));
  weights_->setToolTip(QStringLiteral(
      "For files with an event column: the value stored for each event type, as "
      "NAME=WEIGHT pairs. A purchase usually says more than a view. Rows whose event "
      "is not listed are rejected (\"unknown event type\"); a weight of 0 keeps the "
      "row with value 0."));

  useThreshold_ = new QCheckBox(QStringLiteral("Keep only rows with a value of at least"), this);
  useThreshold_->setObjectName(QStringLiteral("useRatingThreshold"));
  threshold_ = new QDoubleSpinBox(this);
  threshold_->setObjectName(QStringLiteral("ratingThreshold"));
  threshold_->setRange(-1e9, 1e9);
  threshold_->setDecimals(2);
  threshold_->setValue(4.0);
  const QString thresholdTip = QStringLiteral(
      "Rows whose value (the rating, the quantity or the event's weight) is below this are "
      "rejected as "
      "\"below the rating threshold\". With ratings, 4 keeps only what users liked, which turns "
      "ratings into implicit positive feedback.");
  useThreshold_->setToolTip(thresholdTip);
  threshold_->setToolTip(thresholdTip);
  auto* thresholdRow = new QHBoxLayout;
  thresholdRow_ = thresholdRow;
  thresholdRow->addWidget(useThreshold_);
  thresholdRow->addWidget(threshold_);
  thresholdRow->addStretch(1);

  // The dates start at the file's first rows' range once the preview is read
  // (initializePage); unticked, they filter nothing.
  const QDateTime today(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), QTimeZone::utc());
  useSince_ = new QCheckBox(QStringLiteral("From"), this);
  since_ = makeDateEdit(
      this, today,
      QStringLiteral(
          "Keep rows at or after this time (UTC). Rows without a time are then rejected."));
  since_->setObjectName(QStringLiteral("sinceDate"));
  useUntil_ = new QCheckBox(QStringLiteral("before"), this);
  until_ = makeDateEdit(this, today, QStringLiteral("Keep rows strictly before this time (UTC)."));
  until_->setObjectName(QStringLiteral("untilDate"));
  useSince_->setToolTip(since_->toolTip());
  useUntil_->setToolTip(until_->toolTip());
  auto* dateRow = new QHBoxLayout;
  dateRow_ = dateRow;
  dateRow->addWidget(useSince_);
  dateRow->addWidget(since_);
  dateRow->addSpacing(12);
  dateRow->addWidget(useUntil_);
  dateRow->addWidget(until_);
  dateRow->addStretch(1);

  const QString coreTip = QStringLiteral(
      "k-core filtering: users with fewer distinct items than the first number and items with "
      "fewer "
      "distinct users than the second are removed, repeatedly, until every remaining user and item "
      "has enough. Dense cores make collaborative filtering and evaluation more reliable. 0 or 1: "
      "no filter.");
  minUser_ = new QSpinBox(this);
  minUser_->setObjectName(QStringLiteral("minUserInteractions"));
  minItem_ = new QSpinBox(this);
  minItem_->setObjectName(QStringLiteral("minItemInteractions"));
  for (QSpinBox* box : {minUser_, minItem_}) {
    box->setRange(0, kMaxCore);
    box->setToolTip(coreTip);
  }
  auto* coreRow = new QHBoxLayout;
  coreRow->addWidget(new QLabel(QStringLiteral("items per user ≥"), this));
  coreRow->addWidget(minUser_);
  coreRow->addSpacing(12);
  coreRow->addWidget(new QLabel(QStringLiteral("users per item ≥"), this));
  coreRow->addWidget(minItem_);
  coreRow->addStretch(1);

  duplicates_ = new QComboBox(this);
  duplicates_->setObjectName(QStringLiteral("duplicatesChoice"));
  duplicates_->addItem(QStringLiteral("Keep every row"), int(DuplicatePolicy::Keep));
  duplicates_->addItem(QStringLiteral("Sum the values (quantities bought)"),
                       int(DuplicatePolicy::Sum));
  duplicates_->addItem(QStringLiteral("Keep the largest value"), int(DuplicatePolicy::Max));
  duplicates_->addItem(QStringLiteral("Keep the latest row"), int(DuplicatePolicy::Last));
  duplicates_->setToolTip(QStringLiteral(
      "Several rows of the same user and item (repeat views, repeat purchases): keep "
      "them all, or merge them into one row with the sum of the values, the largest "
      "value, or the latest row by time."));

  problem_ = new QLabel(this);
  problem_->setObjectName(QStringLiteral("wizardProblem"));
  problem_->setWordWrap(true);
  problem_->setTextFormat(Qt::PlainText);  // quotes the typed event weights

  auto* form = new QFormLayout;
  form_ = form;
  form->setVerticalSpacing(14);
  form->addRow(QStringLiteral("&Event weights:"), weights_);
  form->addRow(QStringLiteral("Threshold:"), thresholdRow);
  form->addRow(QStringLiteral("Date range (UTC):"), dateRow);
  form->addRow(QStringLiteral("Minimum interactions:"), coreRow);
  form->addRow(QStringLiteral("&Duplicates:"), duplicates_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(problem_);
  layout->addStretch(1);

  connect(weights_, &QLineEdit::textChanged, this, &ImportOptionsPage::validate);
  for (QCheckBox* box : {useThreshold_, useSince_, useUntil_})
    connect(box, &QCheckBox::toggled, this, &ImportOptionsPage::validate);
  connect(threshold_, &QDoubleSpinBox::valueChanged, this, &ImportOptionsPage::validate);
  connect(since_, &QDateTimeEdit::dateTimeChanged, this, &ImportOptionsPage::validate);
  connect(until_, &QDateTimeEdit::dateTimeChanged, this, &ImportOptionsPage::validate);
  connect(minUser_, &QSpinBox::valueChanged, this, &ImportOptionsPage::validate);
  connect(minItem_, &QSpinBox::valueChanged, this, &ImportOptionsPage::validate);
  validate();
}

void ImportOptionsPage::initializePage() {
  // What the Columns page read tells which options apply; without a preview every option
  // stays shown.
  const auto* owner = qobject_cast<const ImportWizard*>(wizard());
  const ImportPreviewPtr preview = owner ? owner->columnsPage()->shownPreview() : nullptr;
  if (owner)
    connect(owner->columnsPage(), &ImportColumnsPage::fileTimeRangeKnown, this,
            &ImportOptionsPage::showFileTimeRange, Qt::UniqueConnection);
  if (preview && preview->recordsError.isEmpty()) {
    const reco::io::Feedback feedback = preview->records.feedback;
    weightsApply_ = feedback == reco::io::Feedback::Event;
    thresholdApplies_ = feedback == reco::io::Feedback::Rating;
    std::optional<std::int64_t> first, last;
    for (const reco::io::PreviewRecord& record : preview->records.records) {
      if (record.time == reco::io::kNoTime) continue;
      first = std::min(first.value_or(record.time), record.time);
      last = std::max(last.value_or(record.time), record.time);
    }
    datesApply_ = first.has_value();
    // The whole file's range once the columns page has read it, else the first rows'.
    if (const auto whole = owner->columnsPage()->fileTimeRange()) {
      first = whole->first;
      last = whole->second;
    }
    if (first) showDateRange(*first, *last);
  } else {
    weightsApply_ = thresholdApplies_ = datesApply_ = true;
  }
  if (!weightsApply_) weights_->setText(defaultWeightsText());
  if (!thresholdApplies_) useThreshold_->setChecked(false);
  if (!datesApply_) {
    useSince_->setChecked(false);
    useUntil_->setChecked(false);
  }
  form_->setRowVisible(weights_, weightsApply_);
  form_->setRowVisible(thresholdRow_, thresholdApplies_);
  form_->setRowVisible(dateRow_, datesApply_);
  validate();
}

void ImportOptionsPage::showFileTimeRange() {
  const auto* owner = qobject_cast<const ImportWizard*>(wizard());
  if (!owner || !datesApply_) return;
  if (const auto range = owner->columnsPage()->fileTimeRange())
    showDateRange(range->first, range->second);
}

void ImportOptionsPage::showDateRange(std::int64_t first, std::int64_t last) {
  if (useSince_->isChecked() || useUntil_->isChecked()) return;  // the user's own choice stays
  // From the day of the earliest row to the day after the latest: ticking either box
  // then keeps every row until the date is moved.
  const QDate from = QDateTime::fromSecsSinceEpoch(first, QTimeZone::utc()).date();
  const QDate to = QDateTime::fromSecsSinceEpoch(last, QTimeZone::utc()).date().addDays(1);
  since_->setDateTime(QDateTime(from, QTime(0, 0), QTimeZone::utc()));
  until_->setDateTime(QDateTime(to, QTime(0, 0), QTimeZone::utc()));
}

QDateTime ImportOptionsPage::sinceDate() const {
  return since_->dateTime();
}
QDateTime ImportOptionsPage::untilDate() const {
  return until_->dateTime();
}

bool ImportOptionsPage::isComplete() const {
  return problem_->text().isEmpty();
}
QString ImportOptionsPage::problem() const {
  return problem_->text();
}

void ImportOptionsPage::apply(reco::io::ImportOptions& options) const {
  // Options that do not apply (hidden) keep their defaults.
  options.eventWeights = reco::io::defaultEventWeights();
  if (weightsApply_) {
    try {
      options.eventWeights =
          reco::io::parseEventWeights(toStdString(weights_->text().remove(QLatin1Char(' '))));
    } catch (const reco::Error&) {
      // validate() reports the text
    }
  }
  options.ratingThreshold.reset();
  if (thresholdApplies_ && useThreshold_->isChecked())
    options.ratingThreshold = threshold_->value();
  options.since.reset();
  options.until.reset();
  if (datesApply_ && useSince_->isChecked()) options.since = since_->dateTime().toSecsSinceEpoch();
  if (datesApply_ && useUntil_->isChecked()) options.until = until_->dateTime().toSecsSinceEpoch();
  options.minUserInteractions = minUser_->value();
  options.minItemInteractions = minItem_->value();
  options.duplicates = DuplicatePolicy(duplicates_->currentData().toInt());
}

void ImportOptionsPage::setEventWeights(const QString& text) {
  weights_->setText(text);
}

void ImportOptionsPage::setMinimumInteractions(int perUser, int perItem) {
  minUser_->setValue(perUser);
  minItem_->setValue(perItem);
}

void ImportOptionsPage::setDuplicates(reco::io::DuplicatePolicy policy) {
  duplicates_->setCurrentIndex(std::max(0, duplicates_->findData(int(policy))));
}

void ImportOptionsPage::validate() {
  threshold_->setEnabled(useThreshold_->isChecked());
  since_->setEnabled(useSince_->isChecked());
  until_->setEnabled(useUntil_->isChecked());
  QString problem;
  try {
    if (weightsApply_)
      reco::io::parseEventWeights(toStdString(weights_->text().remove(QLatin1Char(' '))));
    reco::io::ImportOptions options;
    apply(options);
    options.validate();
  } catch (const reco::Error& error) {
    problem = toQString(error.what());
    problem[0] = problem[0].toUpper();
  }
  problem_->setText(problem);
  emit completeChanged();
}

}  // namespace reco::ui
