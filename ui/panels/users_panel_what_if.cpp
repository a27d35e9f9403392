// The Users panel's what-if (issue 14): the "Edit history" mode and the new visitor. The
// editor edits values; every edit re-scores each chosen run in the background
// (WhatIfLoader: a newer edit stops the older one), so the GUI thread only shows results.
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTimer>

#include "ui/convert/qt_convert.h"
#include "ui/models/edited_history_model.h"
#include "ui/panels/history_editor.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/users_panel.h"
#include "ui/panels/what_if_lists_view.h"
#include "ui/workers/what_if_loader.h"

namespace reco::ui {

QWidget* UsersPanel::createWhatIfPage() {
  whatIf_ = new WhatIfLoader(nullptr, loader_->modelCache(), this);
  editor_ = new HistoryEditor;
  whatIfLists_ = new WhatIfListsView;
  // Edits made in one turn of the event loop (a drop of several items) re-score once.
  rescoreTimer_ = new QTimer(this);
  rescoreTimer_->setSingleShot(true);
  rescoreTimer_->setInterval(0);
  connect(rescoreTimer_, &QTimer::timeout, this, &UsersPanel::rescoreWhatIf);
  screenshotWhatIf_ = qEnvironmentVariable("RECO_SCREENSHOT_WHATIF").toLower();

  connect(editor_, &HistoryEditor::historyChanged, rescoreTimer_, qOverload<>(&QTimer::start));
  connect(editor_, &HistoryEditor::saveRequested, this, &UsersPanel::saveScenario);
  connect(editor_, &HistoryEditor::openScenarioRequested, this,
          [this](const reco::storage::Scenario& scenario) {
            beginWhatIf(scenario.user, scenario.history);
          });
  connect(editor_, &HistoryEditor::deleteScenarioRequested, this, [this](std::int64_t id) {
    if (const auto dataset = currentDataset()) whatIf_->deleteScenario(path_, dataset->id, id);
  });
  const auto requestItem = [this](std::int32_t item) {
    const auto dataset = currentDataset();
    const auto split = currentSplit();
    if (dataset) emit itemRequested(dataset->id, split ? split->id : 0, item);
  };
  connect(editor_, &HistoryEditor::itemActivated, this, requestItem);
  connect(whatIfLists_, &WhatIfListsView::itemActivated, this, requestItem);
  connect(whatIfLists_, &WhatIfListsView::fallbackChanged, this, &UsersPanel::rescoreWhatIf);
  connect(whatIfLists_, &WhatIfListsView::runToggled, this,
          [this](reco::storage::RunId id, bool on) {
            QStringList names;
            for (const auto& run : lists_->chosenRuns())
              if (run.id != id) names << toQString(run.name);
            if (on)
              for (const auto& run : lists_->availableRuns())
                if (run.id == id) names << toQString(run.name);
            lists_->setChosenRuns(names);  // choiceChanged: both views follow
          });

  connect(whatIf_, &WhatIfLoader::baseLoaded, this, [this](WhatIfBasePtr base) {
    const auto dataset = currentDataset();
    if (!isEditing() || !dataset || dataset->id != base->dataset) return;
    // The heading names whose history is edited (a new visitor is nobody in the list).
    userHeading_->setText(base->user ? QStringLiteral("What if the history of user <b>%1</b> "
                                                      "changed")
                                           .arg(toQString(base->userId).toHtmlEscaped())
                                     : QStringLiteral("What a <b>new visitor</b> sees"));
    editor_->setBase(std::move(base));
    if (screenshotWhatIf_ == QStringLiteral("edit-remove")) {
      screenshotWhatIf_.clear();
      editor_->historyModel()->removeShownRows({0, 1, 2});
    }
  });
  connect(whatIf_, &WhatIfLoader::baseFailed, this, [this](const QString& message) {
    editor_->showMessage(QStringLiteral("The history could not be read.\n\n%1").arg(message), true);
  });
  connect(whatIf_, &WhatIfLoader::columnLoaded, this,
          [this](int generation, int slot, const WhatIfColumnPtr& column) {
            if (generation != whatIfGeneration_ || !isEditing()) return;
            whatIfLists_->setColumn(slot, column);
            if (whatIfLists_->allShown()) emit whatIfShown();
          });
  connect(whatIf_, &WhatIfLoader::catalogueLoaded, this,
          [this](reco::DatasetId dataset, ItemCataloguePtr items) {
            const auto current = currentDataset();
            if (!current || current->id != dataset) return;
            whatIfLists_->setCategories(items->items.categories);
            editor_->setCatalogue(std::move(items));
          });
  connect(whatIf_, &WhatIfLoader::scenariosLoaded, this,
          [this](reco::DatasetId dataset, ScenarioListPtr scenarios) {
            const auto current = currentDataset();
            if (current && current->id == dataset) editor_->setScenarios(std::move(scenarios));
          });
  connect(whatIf_, &WhatIfLoader::scenarioSaved, this, [this](const QString& name) {
    editor_->showStatus(QStringLiteral("Saved as the scenario “%1”.").arg(name));
  });
  connect(whatIf_, &WhatIfLoader::scenarioFailed, this,
          [this](const QString& message) { editor_->showStatus(message, true); });

  auto* page = new QSplitter(Qt::Horizontal);
  page->setObjectName(QStringLiteral("whatIfPage"));
  page->setChildrenCollapsible(false);
  page->addWidget(editor_);
  page->addWidget(whatIfLists_);
  page->setStretchFactor(0, 0);
  page->setStretchFactor(1, 1);
  editor_->setMinimumWidth(260);
  page->setSizes({290, 900});
  return page;
}

bool UsersPanel::isEditing() const {
  return rightPages_->currentIndex() == 1;
}

void UsersPanel::setEditing(bool on) {
  if (on) {
    enterWhatIf(user_);
    return;
  }
  {
    const QSignalBlocker block(editButton_);
    editButton_->setChecked(false);
    editButton_->setText(QStringLiteral("Edit history"));
  }
  if (!isEditing()) return;
  rescoreTimer_->stop();
  whatIf_->cancelAll();
  ++whatIfGeneration_;  // results still on their way are not shown
  rightPages_->setCurrentIndex(0);
  userPane_->show();
  const QString id = userHeading_->property("userId").toString();
  userHeading_->setText(id.isEmpty() ? QStringLiteral("No user selected")
                                     : QStringLiteral("User <b>%1</b>").arg(id.toHtmlEscaped()));
}

void UsersPanel::startNewVisitor() {
  enterWhatIf(std::nullopt);
}

void UsersPanel::enterWhatIf(std::optional<std::int32_t> user) {
  {
    const QSignalBlocker block(editButton_);
    editButton_->setChecked(true);
    editButton_->setText(QStringLiteral("Done editing"));
  }
  rightPages_->setCurrentIndex(1);
  // The user is fixed while the history is edited: the list gives its room to the lists.
  userPane_->hide();
  const auto dataset = currentDataset();
  if (!dataset) {
    editor_->showMessage(QStringLiteral("Choose a dataset first."));
    return;
  }
  if (!editor_->catalogue() || editor_->catalogue()->dataset != dataset->id)
    whatIf_->loadCatalogue(path_, dataset->id);
  whatIf_->loadScenarios(path_, dataset->id);
  beginWhatIf(user);
}

void UsersPanel::beginWhatIf(std::optional<std::int32_t> user,
                             std::optional<std::vector<std::int32_t>> edited) {
  const auto dataset = currentDataset();
  const auto split = currentSplit();
  if (!dataset) return;
  if (!split) {
    const QString text = QStringLiteral(
        "This dataset has no split yet: create one and train models in Experiments to see "
        "what they recommend for an edited history.");
    editor_->showMessage(text);
    whatIfLists_->showMessage(text);
    return;
  }
  editor_->showMessage(user ? QStringLiteral("Reading the history to edit…")
                            : QStringLiteral("Starting a new visitor…"));
  whatIf_->loadBase(path_, dataset->id, user, *split, std::move(edited));
}

void UsersPanel::rescoreWhatIf() {
  rescoreTimer_->stop();
  const auto split = currentSplit();
  if (!isEditing() || !editor_->base() || !split) return;
  const auto runs = lists_->chosenRuns();
  whatIfLists_->beginColumns(runs);
  if (runs.empty()) return;
  reco::WhatIfRequest request;
  request.user = editor_->base()->user;
  request.history = editor_->historyModel()->history();
  request.n = std::size_t(lists_->listLength());
  whatIfGeneration_ =
      whatIf_->rescore(path_, runs, *split, request, whatIfLists_->fallbackChoice());
}

void UsersPanel::updateWhatIfRuns() {
  whatIfLists_->setRuns(lists_->availableRuns(), lists_->chosenRuns());
}

void UsersPanel::saveScenario(const QString& name) {
  const auto dataset = currentDataset();
  if (!dataset || !editor_->base()) return;
  reco::storage::Scenario scenario;
  scenario.datasetId = dataset->id;
  scenario.name = toStdString(name);
  scenario.user = editor_->base()->user;
  scenario.history = editor_->historyModel()->history();
  editor_->showStatus(QStringLiteral("Saving “%1”…").arg(name));
  whatIf_->saveScenario(path_, scenario);
}

// RECO_SCREENSHOT_WHATIF (tools/screenshots.sh): "visitor" shows a new visitor; "edit" edits
// the history of the user RECO_SCREENSHOT_USER (default: the first one listed) with its
// three newest items removed.
void UsersPanel::applyScreenshotWhatIf() {
  if (screenshotWhatIf_.isEmpty() || !choices_ || !currentDataset()) return;
  if (screenshotWhatIf_ == QStringLiteral("visitor")) {
    screenshotWhatIf_.clear();
    startNewVisitor();
    return;
  }
  if (screenshotWhatIf_ != QStringLiteral("edit")) return;
  const QString wanted = qEnvironmentVariable("RECO_SCREENSHOT_USER");
  if (!user_) {
    if (!wanted.isEmpty()) openUser(currentDataset()->id, wanted);
    return;
  }
  if (!wanted.isEmpty() && userHeading_->property("userId").toString() != wanted) return;
  screenshotWhatIf_ = QStringLiteral("edit-remove");
  setEditing(true);
}

}  // namespace reco::ui
