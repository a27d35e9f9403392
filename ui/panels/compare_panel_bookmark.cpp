// ComparePanel's story bookmarks (issue 15): the view as a JSON object and back.
#include <QComboBox>
#include <QJsonArray>
#include <QStandardItemModel>
#include <QTabWidget>

#include "ui/panels/compare_panel.h"

namespace reco::ui {
namespace {

// The chart tabs by the names a bookmark uses, in tab order.
const QStringList kTabNames{QStringLiteral("bars"), QStringLiteral("time"),
                            QStringLiteral("segments"), QStringLiteral("tradeoff")};

}  // namespace

QJsonObject ComparePanel::bookmarkState() const {
  if (!catalog_ || !currentSplit()) return {};
  QJsonArray runs;
  for (int r = 0; r < runModel_->rowCount(); ++r)
    if (runModel_->item(r)->checkState() == Qt::Checked) runs.append(runModel_->item(r)->text());
  QJsonObject state;
  state[QStringLiteral("dataset")] = datasetCombo_->currentText();
  state[QStringLiteral("split")] = splitCombo_->currentText();
  state[QStringLiteral("runs")] = runs;
  state[QStringLiteral("k")] = k();
  state[QStringLiteral("baseline")] = baselineName();
  const QString metric = chartMetric();
  state[QStringLiteral("metric")] = metric.isEmpty() ? QStringLiteral("ndcg@%1").arg(k()) : metric;
  state[QStringLiteral("tab")] = kTabNames.value(tabs_->currentIndex(), kTabNames.front());
  return state;
}

void ComparePanel::showBookmark(const QJsonObject& state) {
  pendingBookmark_ = state;
  if (catalog_ && !catalog_->runs.empty()) applyBookmark();
}

void ComparePanel::applyBookmark() {
  if (pendingBookmark_.isEmpty() || !catalog_ || catalog_->runs.empty()) return;
  const QJsonObject state = std::exchange(pendingBookmark_, {});
  // Each choice refills the ones below it at once (dataset → splits → runs).
  const QString dataset = state.value(QStringLiteral("dataset")).toString();
  selectDataset(dataset);
  if (datasetCombo_->currentText() != dataset) {
    emit bookmarkMissing(QStringLiteral("the dataset %1 is gone").arg(dataset));
    return;
  }
  selectSplit(state.value(QStringLiteral("split")).toString());
  QStringList wanted;
  for (const auto& run : state.value(QStringLiteral("runs")).toArray()) wanted << run.toString();
  const QStringList present = runNames();
  for (const QString& name : present) setRunChecked(name, wanted.contains(name));
  QStringList gone;
  for (const QString& name : wanted)
    if (!present.contains(name)) gone << name;
  if (!gone.isEmpty()) {
    emit bookmarkMissing(QStringLiteral("%1 of this step's runs %2 gone: %3")
                             .arg(gone.size())
                             .arg(gone.size() == 1 ? QStringLiteral("is") : QStringLiteral("are"),
                                  gone.join(QStringLiteral(", "))));
  }
  setK(state.value(QStringLiteral("k")).toInt(10));
  setBaseline(state.value(QStringLiteral("baseline")).toString());
  const QString metric = state.value(QStringLiteral("metric")).toString();
  // The metric list is the comparison's: chosen now if it is there, else once it is shown.
  if (!metric.isEmpty() && (!comparison_ || !setChartMetric(metric))) wantedChartMetric_ = metric;
  const int tab = kTabNames.indexOf(state.value(QStringLiteral("tab")).toString());
  if (tab >= 0) tabs_->setCurrentIndex(tab);
}

}  // namespace reco::ui
