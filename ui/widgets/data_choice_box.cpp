#include "ui/widgets/data_choice_box.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <cmath>

#include "ui/convert/qt_convert.h"
#include "ui/widgets/split_form_dialog.h"
#include "ui/workers/split_job.h"

namespace reco::ui {

namespace {

constexpr int kSplitNameRole = Qt::UserRole + 1;  // a split combo item's split name

QString share(double value) {
  return QStringLiteral("%1%").arg(formatNumber(value * 100.0, value * 100.0 < 10 ? 1 : 0));
}

QString splitDetails(const reco::storage::SplitInfo& split) {
  return QStringLiteral("%1\n%2 training · %3 validation · %4 test pairs (%5 test users)")
      .arg(DataChoiceBox::protocolSummary(split.options), formatCount(split.trainPairs),
           formatCount(split.validPairs), formatCount(split.testPairs),
           formatCount(split.testUsers));
}

}  // namespace

QString DataChoiceBox::protocolSummary(const reco::SplitOptions& o, bool brief) {
  QStringList parts;
  parts << QString::fromLatin1(reco::splitProtocolName(o.protocol));
  const bool counts = o.protocol == reco::SplitProtocol::LeaveLast;
  if (o.protocol == reco::SplitProtocol::Temporal && o.cutoff) {
    parts << QStringLiteral("test from %1").arg(formatDate(*o.cutoff));
  } else {
    parts << (counts ? QStringLiteral("last %1 per user").arg(formatStatistic(o.test))
                     : QStringLiteral("test %1").arg(share(o.test)));
  }
  if (brief) return parts.join(QStringLiteral(" · "));
  if (o.valid > 0) {
    parts << (counts ? QStringLiteral("%1 per user to validation").arg(formatStatistic(o.valid))
                     : QStringLiteral("validation %1").arg(share(o.valid)));
  } else {
    parts << QStringLiteral("no validation");
  }
  parts << QStringLiteral("seed %1").arg(qulonglong(o.seed));
  if (o.ratingThreshold)
    parts << QStringLiteral("ratings ≥ %1").arg(formatStatistic(*o.ratingThreshold));
  parts << QStringLiteral("%1 weights").arg(toQString(o.weighting));
  return parts.join(QStringLiteral(" · "));
}

DataChoiceBox::DataChoiceBox(JobTracker* jobs, QWidget* parent)
    : QGroupBox(QStringLiteral("Data"), parent) {
  setObjectName(QStringLiteral("dataChoiceBox"));
  splitJob_ = new SplitJob(jobs, this);
  datasetCombo_ = new QComboBox;
  datasetCombo_->setObjectName(QStringLiteral("datasetCombo"));
  datasetCombo_->setToolTip(
      QStringLiteral("The dataset to train on (imported in the Datasets panel)"));
  splitCombo_ = new QComboBox;
  splitCombo_->setObjectName(QStringLiteral("splitCombo"));
  splitCombo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  splitCombo_->setMinimumContentsLength(12);
  splitCombo_->view()->setMinimumWidth(380);  // the list shows the protocols in full
  splitCombo_->setToolTip(
      QStringLiteral("How the dataset's user-item pairs are divided into training, validation "
                     "and test parts; every run on a split is tested on the same pairs"));
  newSplitButton_ = new QPushButton(QStringLiteral("New split…"));
  newSplitButton_->setObjectName(QStringLiteral("newSplitButton"));
  newSplitButton_->setToolTip(
      QStringLiteral("Draw a new split of the chosen dataset from a protocol (Ctrl+Shift+N)"));
  splitSummary_ = new QLabel;
  splitSummary_->setObjectName(QStringLiteral("splitSummary"));
  splitSummary_->setWordWrap(true);
  splitSummary_->setTextFormat(Qt::PlainText);

  splitProgressRow_ = new QWidget;
  splitProgress_ = new QProgressBar;
  splitProgress_->setObjectName(QStringLiteral("splitProgress"));
  splitProgress_->setTextVisible(false);
  splitProgress_->setFixedHeight(10);
  splitStatus_ = new QLabel;
  splitStatus_->setObjectName(QStringLiteral("formNote"));
  splitStatus_->setTextFormat(Qt::PlainText);  // names the split: the user's text
  splitCancel_ = new QPushButton(QStringLiteral("Cancel"));
  splitCancel_->setObjectName(QStringLiteral("cancelSplitButton"));
  splitCancel_->setToolTip(QStringLiteral("Stop drawing the split; nothing is stored"));
  auto* progressLayout = new QGridLayout(splitProgressRow_);
  progressLayout->setContentsMargins(0, 0, 0, 0);
  progressLayout->addWidget(splitStatus_, 0, 0);
  progressLayout->addWidget(splitProgress_, 1, 0);
  progressLayout->addWidget(splitCancel_, 0, 1, 2, 1, Qt::AlignVCenter);
  progressLayout->setColumnStretch(0, 1);
  splitProgressRow_->hide();

  auto* newSplitRow = new QHBoxLayout;
  newSplitRow->addStretch(1);
  newSplitRow->addWidget(newSplitButton_);
  auto* form = new QFormLayout(this);
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(QStringLiteral("Dataset"), datasetCombo_);
  form->addRow(QStringLiteral("Split"), splitCombo_);
  form->addRow(splitSummary_);
  form->addRow(newSplitRow);
  form->addRow(splitProgressRow_);

  connect(datasetCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) fillSplits();
  });
  connect(splitCombo_, &QComboBox::currentIndexChanged, this, [this] {
    if (!filling_) onSplitChosen();
  });
  connect(newSplitButton_, &QPushButton::clicked, this, &DataChoiceBox::openSplitForm);
  connect(splitCancel_, &QPushButton::clicked, splitJob_, &SplitJob::cancel);

  connect(splitJob_, &SplitJob::progressed, this, [this](const QString& stage, double fraction) {
    splitStatus_->setText(stage);
    if (fraction < 0) {
      splitProgress_->setRange(0, 0);
    } else {
      splitProgress_->setRange(0, 1000);
      splitProgress_->setValue(int(std::lround(fraction * 1000.0)));
    }
  });
  connect(splitJob_, &SplitJob::completed, this, [this](const reco::storage::SplitInfo& split) {
    onSplitFinished();
    wantedSplit_ = toQString(split.name);
    emit splitCreated(wantedSplit_);
  });
  connect(splitJob_, &SplitJob::cancelled, this, [this] {
    onSplitFinished();
    emit splitCancelled();
  });
  connect(splitJob_, &SplitJob::failed, this, [this](const QString& message) {
    onSplitFinished();
    emit splitFailed(message);
  });
}

void DataChoiceBox::setWorkspace(const QString& path) {
  path_ = path;
  wantedSplit_.clear();
  setSnapshot(nullptr);
}

void DataChoiceBox::setSnapshot(ExperimentsSnapshotPtr snapshot) {
  snapshot_ = std::move(snapshot);
  fillDatasets();
}

void DataChoiceBox::fillDatasets() {
  const qlonglong current = datasetCombo_->currentData().toLongLong();
  filling_ = true;
  datasetCombo_->clear();
  if (snapshot_) {
    for (const auto& dataset : snapshot_->datasets) {
      datasetCombo_->addItem(toQString(dataset.name), qlonglong(dataset.id));
      datasetCombo_->setItemData(
          datasetCombo_->count() - 1,
          QStringLiteral("%1 users · %2 items · %3 interactions (%4)")
              .arg(formatCount(dataset.users), formatCount(dataset.items),
                   formatCount(dataset.interactions), toQString(dataset.feedback)),
          Qt::ToolTipRole);
    }
  }
  const int row = datasetCombo_->findData(current);
  datasetCombo_->setCurrentIndex(row >= 0 ? row : (datasetCombo_->count() > 0 ? 0 : -1));
  filling_ = false;
  datasetCombo_->setEnabled(datasetCombo_->count() > 0);
  newSplitButton_->setEnabled(datasetCombo_->count() > 0 && !splitJob_->isRunning());
  fillSplits();
}

void DataChoiceBox::fillSplits() {
  const QString current =
      wantedSplit_.isEmpty() ? splitCombo_->currentData(kSplitNameRole).toString() : wantedSplit_;
  const std::optional<reco::DatasetInfo> dataset = currentDataset();
  filling_ = true;
  splitCombo_->clear();
  if (snapshot_ && dataset) {
    for (const auto& split : snapshot_->splits) {
      if (split.datasetId != dataset->id) continue;
      // The list shows each split with its protocol; the name alone is the key.
      splitCombo_->addItem(QStringLiteral("%1  ·  %2")
                               .arg(toQString(split.name), protocolSummary(split.options, true)),
                           qlonglong(split.id));
      splitCombo_->setItemData(splitCombo_->count() - 1, toQString(split.name), kSplitNameRole);
      splitCombo_->setItemData(splitCombo_->count() - 1, splitDetails(split), Qt::ToolTipRole);
    }
  }
  int row = splitCombo_->findData(current, kSplitNameRole);
  if (row >= 0 && current == wantedSplit_) wantedSplit_.clear();
  if (row < 0) row = splitCombo_->count() > 0 ? 0 : -1;
  splitCombo_->setCurrentIndex(row);
  filling_ = false;
  splitCombo_->setEnabled(splitCombo_->count() > 0);
  onSplitChosen();
}

void DataChoiceBox::onSplitChosen() {
  const std::optional<reco::storage::SplitInfo> split = currentSplit();
  if (split) {
    splitSummary_->setText(splitDetails(*split));
  } else if (currentDataset()) {
    splitSummary_->setText(
        QStringLiteral("This dataset has no split yet: press New split… to draw one."));
  } else {
    splitSummary_->setText(QString());
  }
  emit splitChosen();
}

std::optional<reco::DatasetInfo> DataChoiceBox::currentDataset() const {
  if (!snapshot_ || datasetCombo_->currentIndex() < 0) return std::nullopt;
  const qlonglong id = datasetCombo_->currentData().toLongLong();
  for (const auto& dataset : snapshot_->datasets)
    if (dataset.id == id) return dataset;
  return std::nullopt;
}

std::optional<reco::storage::SplitInfo> DataChoiceBox::currentSplit() const {
  if (!snapshot_ || splitCombo_->currentIndex() < 0) return std::nullopt;
  const qlonglong id = splitCombo_->currentData().toLongLong();
  for (const auto& split : snapshot_->splits)
    if (split.id == id) return split;
  return std::nullopt;
}

bool DataChoiceBox::selectDataset(reco::DatasetId id) {
  const int row = datasetCombo_->findData(qlonglong(id));
  if (row < 0) return false;
  datasetCombo_->setCurrentIndex(row);  // lists its splits
  return true;
}

bool DataChoiceBox::selectSplit(const QString& name) {
  const int row = splitCombo_->findData(name, kSplitNameRole);
  if (row < 0) return false;
  splitCombo_->setCurrentIndex(row);
  return true;
}

void DataChoiceBox::openSplitForm() {
  const std::optional<reco::DatasetInfo> dataset = currentDataset();
  if (!dataset || splitJob_->isRunning()) return;
  QStringList taken;
  for (const auto& split : snapshot_->splits)
    if (split.datasetId == dataset->id) taken << toQString(split.name);
  auto* dialog =
      new SplitFormDialog(toQString(dataset->name), taken, dataset->feedback == "rating", this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  const reco::DatasetInfo chosen = *dataset;
  connect(dialog, &QDialog::accepted, this,
          [this, dialog, chosen] { startSplit(chosen, dialog->splitName(), dialog->options()); });
  dialog->open();
}

bool DataChoiceBox::startSplit(const reco::DatasetInfo& dataset, const QString& name,
                               const reco::SplitOptions& options) {
  if (!splitJob_->start(path_, dataset, name, options)) return false;
  splitStatus_->setText(QStringLiteral("Drawing split %1…").arg(name));
  splitProgress_->setRange(0, 0);
  splitProgressRow_->show();
  newSplitButton_->setEnabled(false);
  return true;
}

bool DataChoiceBox::isSplitRunning() const {
  return splitJob_->isRunning();
}

void DataChoiceBox::onSplitFinished() {
  splitProgressRow_->hide();
  splitStatus_->clear();
  newSplitButton_->setEnabled(datasetCombo_->count() > 0);
}

}  // namespace reco::ui
