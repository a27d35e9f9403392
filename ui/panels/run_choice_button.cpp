#include "ui/panels/run_choice_button.h"

#include <QAction>
#include <QMenu>
#include <algorithm>

#include "core/models/registry.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

RunChoiceButton::RunChoiceButton(QWidget* parent) : QToolButton(parent) {
  setPopupMode(QToolButton::InstantPopup);
  setToolButtonStyle(Qt::ToolButtonTextOnly);
  menu_ = new QMenu(this);
  setMenu(menu_);
  setToolTip(QStringLiteral("Choose up to %1 runs of the chosen split to show side by side")
                 .arg(kMaxRuns));
  rebuildMenu();
}

void RunChoiceButton::setAvailableRuns(std::vector<reco::storage::RunInfo> runs) {
  available_ = std::move(runs);
  std::vector<reco::storage::RunId> kept;
  if (!automaticChoice_)
    for (const auto id : chosen_)
      if (std::any_of(available_.begin(), available_.end(),
                      [id](const auto& r) { return r.id == id; }))
        kept.push_back(id);
  // Nothing chosen by hand (or none of it left): the first runs, again as more arrive;
  // baselines (pop, random) last, since they have no notion of similar items.
  if (kept.empty()) {
    automaticChoice_ = true;
    for (const bool baselines : {false, true})
      for (const auto& run : available_) {
        // defaultRegistry().find, not findModel: never a LibTorch load on the GUI thread.
        const reco::ModelInfo* info = reco::defaultRegistry().find(run.model);
        const bool baseline = info && info->family == "baselines";
        if (baseline == baselines && kept.size() < std::size_t(kDefaultRuns))
          kept.push_back(run.id);
      }
  }
  chosen_ = std::move(kept);
  rebuildMenu();
}

std::vector<reco::storage::RunInfo> RunChoiceButton::chosenRuns() const {
  std::vector<reco::storage::RunInfo> out;
  for (const auto& run : available_)
    if (std::find(chosen_.begin(), chosen_.end(), run.id) != chosen_.end()) out.push_back(run);
  return out;
}

void RunChoiceButton::setChosenRuns(const QStringList& names) {
  automaticChoice_ = false;
  chosen_.clear();
  for (const QString& name : names)
    for (const auto& run : available_)
      if (toQString(run.name) == name && chosen_.size() < std::size_t(kMaxRuns))
        chosen_.push_back(run.id);
  rebuildMenu();
  emit choiceChanged();
}

void RunChoiceButton::rebuildMenu() {
  menu_->clear();
  for (const auto& run : available_) {
    QAction* action =
        menu_->addAction(QStringLiteral("%1 (%2)").arg(toQString(run.name), toQString(run.model)));
    action->setCheckable(true);
    const bool checked = std::find(chosen_.begin(), chosen_.end(), run.id) != chosen_.end();
    action->setChecked(checked);
    action->setEnabled(checked || chosen_.size() < std::size_t(kMaxRuns));
    action->setToolTip(QStringLiteral("Trained %1").arg(formatDateTime(run.startedAt)));
    const reco::storage::RunId id = run.id;
    connect(action, &QAction::toggled, this, [this, id](bool on) {
      automaticChoice_ = false;
      if (on)
        chosen_.push_back(id);
      else
        std::erase(chosen_, id);
      // Rebuilt later: the menu is still handling this action's signal.
      QMetaObject::invokeMethod(
          this, [this] { rebuildMenu(); }, Qt::QueuedConnection);
      emit choiceChanged();
    });
  }
  if (available_.empty())
    menu_->addAction(QStringLiteral("No finished runs on this split"))->setEnabled(false);
  updateText();
}

void RunChoiceButton::updateText() {
  setText(available_.empty()
              ? QStringLiteral("Runs: none on this split")
              : QStringLiteral("Runs: %1 of %2 chosen").arg(chosen_.size()).arg(available_.size()));
  setMinimumWidth(fontMetrics().horizontalAdvance(text()) + 44);
}

}  // namespace reco::ui
