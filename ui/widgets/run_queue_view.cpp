#include "ui/widgets/run_queue_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>

#include <cmath>

#include "ui/workers/run_queue.h"

namespace reco::ui {

RunQueueView::RunQueueView(RunQueue* queue, QWidget* parent) : QWidget(parent), queue_(queue) {
  setObjectName(QStringLiteral("runQueueView"));
  parallel_ = new QSpinBox;
  parallel_->setObjectName(QStringLiteral("parallelRuns"));
  parallel_->setRange(1, 16);
  parallel_->setValue(queue_->maxParallel());
  parallel_->setToolTip(QStringLiteral("How many runs train at the same time. 1: one after another. Several runs "
                                       "share the cores: lower each run's threads when raising this."));
  connect(parallel_, &QSpinBox::valueChanged, queue_, &RunQueue::setMaxParallel);
  connect(queue_, &RunQueue::maxParallelChanged, parallel_, [this](int count) {
    const QSignalBlocker block(parallel_);
    parallel_->setValue(count);
  });
  auto* parallelRow = new QHBoxLayout;
  parallelRow->addWidget(new QLabel(QStringLiteral("Runs side by side")));
  parallelRow->addWidget(parallel_);
  parallelRow->addStretch(1);

  emptyNote_ = new QLabel(QStringLiteral("No runs queued. Choose a model and press Queue run."));
  emptyNote_->setObjectName(QStringLiteral("formNote"));
  emptyNote_->setWordWrap(true);
  rowsLayout_ = new QVBoxLayout;
  rowsLayout_->setContentsMargins(0, 0, 0, 0);
  rowsLayout_->setSpacing(6);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(parallelRow);
  layout->addWidget(emptyNote_);
  layout->addLayout(rowsLayout_);

  connect(queue_, &RunQueue::runAdded, this, &RunQueueView::addRow);
  connect(queue_, &RunQueue::runChanged, this, &RunQueueView::updateRow);
  connect(queue_, &RunQueue::runFinished, this, [this](int id) { removeRow(id); });
  connect(queue_, &RunQueue::runRemoved, this, &RunQueueView::removeRow);
  for (const int id : queue_->ids()) addRow(id);
  updateEmptyNote();
}

QString RunQueueView::formatEta(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("–");
  const long long total = std::llround(seconds);
  const long long hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60;
  if (hours > 0) return QStringLiteral("%1:%2:%3").arg(hours).arg(minutes, 2, 10, QLatin1Char('0')).arg(secs, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
}

QPushButton* RunQueueView::cancelButton(int id) const {
  const auto it = rows_.find(id);
  return it == rows_.end() ? nullptr : it->second.cancel;
}

void RunQueueView::addRow(int id) {
  const QueuedRun* run = queue_->run(id);
  if (!run || !run->isActive() || rows_.count(id)) return;
  Row row;
  row.widget = new QWidget(this);
  row.widget->setObjectName(QStringLiteral("queueRow"));
  row.name = new QLabel(QStringLiteral("<b>%1</b> · %2").arg(run->name().toHtmlEscaped(),
                                                               QString::fromStdString(run->request.options.model)));
  // The run's and the split's names are the user's text: escaped, never read as markup.
  row.name->setToolTip(Qt::convertFromPlainText(QStringLiteral("%1 on %2").arg(run->name(), run->request.splitLabel)));
  row.status = new QLabel;
  row.status->setObjectName(QStringLiteral("queueStatus"));
  row.status->setTextFormat(Qt::PlainText);
  row.progress = new QProgressBar;
  row.progress->setObjectName(QStringLiteral("runProgress"));
  row.progress->setRange(0, 1000);
  row.progress->setTextVisible(false);
  row.progress->setFixedHeight(10);
  row.eta = new QLabel;
  row.eta->setObjectName(QStringLiteral("queueEta"));
  row.eta->setToolTip(QStringLiteral("Estimated time left in the current stage (training or evaluation)"));
  row.cancel = new QPushButton(QStringLiteral("Cancel"));
  row.cancel->setObjectName(QStringLiteral("cancelRunButton"));
  row.cancel->setToolTip(QStringLiteral("Stop this run (it ends within an epoch) or take it off the queue; "
                                        "nothing of it is stored"));
  connect(row.cancel, &QPushButton::clicked, this, [this, id] { queue_->cancel(id); });

  auto* grid = new QGridLayout(row.widget);
  grid->setContentsMargins(8, 6, 8, 6);
  grid->setHorizontalSpacing(8);
  grid->setVerticalSpacing(3);
  grid->addWidget(row.name, 0, 0);
  grid->addWidget(row.status, 0, 1, Qt::AlignRight);
  grid->addWidget(row.cancel, 0, 2, 2, 1, Qt::AlignVCenter);
  grid->addWidget(row.progress, 1, 0);
  grid->addWidget(row.eta, 1, 1, Qt::AlignRight);
  grid->setColumnStretch(0, 1);
  rowsLayout_->addWidget(row.widget);
  rows_.emplace(id, row);
  updateRow(id);
  updateEmptyNote();
}

void RunQueueView::updateRow(int id) {
  const auto it = rows_.find(id);
  const QueuedRun* run = queue_->run(id);
  if (it == rows_.end() || !run) return;
  Row& row = it->second;
  row.status->setText(run->statusLine());
  const double fraction = run->fraction();
  if (run->state == RunState::Running && fraction < 0) {
    row.progress->setRange(0, 0);  // busy: the stage does not say how far it is
  } else {
    row.progress->setRange(0, 1000);
    row.progress->setValue(fraction < 0 ? 0 : int(std::lround(fraction * 1000.0)));
  }
  row.eta->setText(run->etaSeconds ? QStringLiteral("ETA %1").arg(formatEta(*run->etaSeconds)) : QString());
  row.cancel->setEnabled(!run->cancelRequested);
  row.widget->setProperty("running", run->state == RunState::Running);
}

void RunQueueView::removeRow(int id) {
  const auto it = rows_.find(id);
  if (it == rows_.end()) return;
  it->second.widget->hide();
  it->second.widget->deleteLater();
  rows_.erase(it);
  updateEmptyNote();
}

void RunQueueView::updateEmptyNote() { emptyNote_->setVisible(rows_.empty()); }

}  // namespace reco::ui
