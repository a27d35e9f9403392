#include "ui/widgets/run_queue_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ui/workers/run_queue.h"

namespace reco::ui {

namespace {

/// A one-line label that elides its text at the right instead of asking for more width:
/// a run's name and status may be long, and the row must keep its width (the Experiments
/// panel's left column is fixed; a growing row clipped the Cancel button to "Canc").
class ElidedLabel : public QLabel {
 public:
  using QLabel::QLabel;
  QSize minimumSizeHint() const override { return {0, QLabel::minimumSizeHint().height()}; }
  QSize sizeHint() const override {
    return {std::min(QLabel::sizeHint().width(), 160), QLabel::sizeHint().height()};
  }

 protected:
  void paintEvent(QPaintEvent*) override {
    QPainter painter(this);
    const QRect area = contentsRect();
    painter.setPen(palette().color(foregroundRole()));
    painter.drawText(area, int(alignment()) | Qt::TextSingleLine,
                     fontMetrics().elidedText(text(), Qt::ElideRight, area.width()));
  }
};

}  // namespace

RunQueueView::RunQueueView(RunQueue* queue, QWidget* parent) : QWidget(parent), queue_(queue) {
  setObjectName(QStringLiteral("runQueueView"));
  parallel_ = new QSpinBox;
  parallel_->setObjectName(QStringLiteral("parallelRuns"));
  parallel_->setRange(1, 16);
  parallel_->setValue(queue_->maxParallel());
  parallel_->setToolTip(
      QStringLiteral("How many runs train at the same time. 1: one after another. Several runs "
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
  if (hours > 0)
    return QStringLiteral("%1:%2:%3")
        .arg(hours)
        .arg(minutes, 2, 10, QLatin1Char('0'))
        .arg(secs, 2, 10, QLatin1Char('0'));
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
  // Plain text, elided: the run's name is the user's text and may be long.
  row.name = new ElidedLabel(QStringLiteral("%1 · %2").arg(
      run->name(), QString::fromStdString(run->request.options.model)));
  row.name->setObjectName(QStringLiteral("queueName"));
  QFont bold = row.name->font();
  bold.setBold(true);
  row.name->setFont(bold);
  // The run's and the split's names are the user's text: escaped, never read as markup.
  row.name->setToolTip(Qt::convertFromPlainText(
      QStringLiteral("%1 on %2").arg(run->name(), run->request.splitLabel)));
  row.status = new ElidedLabel;
  row.status->setObjectName(QStringLiteral("queueStatus"));
  row.status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  row.progress = new QProgressBar;
  row.progress->setObjectName(QStringLiteral("runProgress"));
  row.progress->setRange(0, 1000);
  row.progress->setTextVisible(false);
  row.progress->setFixedHeight(10);
  row.eta = new ElidedLabel;
  row.eta->setObjectName(QStringLiteral("queueEta"));
  row.eta->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  row.eta->setToolTip(
      QStringLiteral("Estimated time left for the run: while it trains, the epochs left times the "
                     "mean time per epoch so far (validation included); a one-pass model's "
                     "training and the final evaluation, from their own progress"));
  row.cancel = new QPushButton(QStringLiteral("Cancel"));
  row.cancel->setObjectName(QStringLiteral("cancelRunButton"));
  row.cancel->setToolTip(
      QStringLiteral("Stop this run (it ends within an epoch) or take it off the queue; "
                     "nothing of it is stored"));
  connect(row.cancel, &QPushButton::clicked, this, [this, id] { queue_->cancel(id); });

  auto* grid = new QGridLayout(row.widget);
  grid->setContentsMargins(8, 6, 8, 6);
  grid->setHorizontalSpacing(8);
  grid->setVerticalSpacing(3);
  // Fixed shares of the row: the name and the bar take what the status, the ETA and the
  // button leave, whatever the status says.
  const int statusWidth =
      row.status->fontMetrics().horizontalAdvance(QStringLiteral("evaluating 100%")) + 4;
  row.status->setFixedWidth(statusWidth);
  row.eta->setFixedWidth(statusWidth);
  row.cancel->setMinimumWidth(row.cancel->sizeHint().width());
  grid->addWidget(row.name, 0, 0);
  grid->addWidget(row.status, 0, 1);
  grid->addWidget(row.cancel, 0, 2, 2, 1, Qt::AlignVCenter);
  grid->addWidget(row.progress, 1, 0);
  grid->addWidget(row.eta, 1, 1);
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
  row.status->setToolTip(run->stage.isEmpty()
                             ? run->statusLine()
                             : QStringLiteral("%1 (%2)").arg(run->statusLine(), run->stage));
  const double fraction = run->fraction();
  if (run->state == RunState::Running && fraction < 0) {
    row.progress->setRange(0, 0);  // busy: the stage does not say how far it is
  } else {
    row.progress->setRange(0, 1000);
    row.progress->setValue(fraction < 0 ? 0 : int(std::lround(fraction * 1000.0)));
  }
  row.eta->setText(run->etaSeconds ? QStringLiteral("ETA %1").arg(formatEta(*run->etaSeconds))
                                   : QString());
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

void RunQueueView::updateEmptyNote() {
  emptyNote_->setVisible(rows_.empty());
}

}  // namespace reco::ui
