#include "ui/panels/users_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/convert/qt_convert.h"
#include "ui/models/edited_history_model.h"
#include "ui/models/user_list_model.h"
#include "ui/panels/choice_boxes.h"
#include "ui/panels/history_editor.h"
#include "ui/panels/panel_support.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/user_profile_view.h"
#include "ui/panels/what_if_lists_view.h"
#include "ui/workers/what_if_loader.h"

namespace reco::ui {

namespace {
constexpr int kUserRowPixels = 26;
constexpr int kSearchDelayMs = 200;
}  // namespace

UsersPanel::UsersPanel(JobTracker* jobs, std::shared_ptr<RunModelCache> models, QWidget* parent)
    : QWidget(parent) {
  setObjectName(QStringLiteral("usersPanel"));
  loader_ = new UserLoader(jobs, std::move(models), this);
  users_ = new UserListModel(this);

  // Heading: title, dataset and split choice, busy indicator.
  auto* heading = new QLabel(QStringLiteral("Users"), this);
  heading->setObjectName(QStringLiteral("panelHeading"));
  datasetBox_ = new QComboBox(this);
  datasetBox_->setObjectName(QStringLiteral("usersDataset"));
  datasetBox_->setMinimumContentsLength(16);
  datasetBox_->setToolTip(QStringLiteral("The dataset whose users to inspect"));
  splitBox_ = new QComboBox(this);
  splitBox_->setObjectName(QStringLiteral("usersSplit"));
  splitBox_->setMinimumContentsLength(12);
  // Its run count changes as runs finish ("(5 runs)" was clipped to "(5 runs").
  splitBox_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  splitBox_->setToolTip(QStringLiteral(
      "The split whose runs are compared and whose held-out test items are marked ★"));
  auto* datasetLabel = new QLabel(QStringLiteral("&Dataset"), this);
  datasetLabel->setBuddy(datasetBox_);
  auto* splitLabel = new QLabel(QStringLiteral("S&plit"), this);
  splitLabel->setBuddy(splitBox_);
  busy_ = createBusyIndicator(this);
  busyLabel_ = createBusyLabel(QStringLiteral("Loading…"), this);
  // Summarising a million users or loading a large run's model takes seconds.
  cancelButton_ =
      createCancelButton(QStringLiteral("cancelUsersButton"),
                         QStringLiteral("Stop reading the users, the history and the lists"), this);
  connect(cancelButton_, &QPushButton::clicked, this, &UsersPanel::cancelReading);
  auto* headingRow = new QHBoxLayout;
  headingRow->addWidget(heading);
  headingRow->addSpacing(20);
  headingRow->addWidget(datasetLabel);
  headingRow->addWidget(datasetBox_);
  headingRow->addSpacing(12);
  headingRow->addWidget(splitLabel);
  headingRow->addWidget(splitBox_);
  addBusyIndicator(headingRow, busy_, busyLabel_);
  headingRow->addWidget(cancelButton_, 0, Qt::AlignVCenter);

  pages_ = new QStackedWidget(this);
  placeholder_ = createPlaceholderLabel(QStringLiteral("placeholder"));
  pages_->addWidget(placeholder_);

  // Left: the searchable user list.
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("userSearch"));
  search_->setPlaceholderText(QStringLiteral("Search user id or top category  (Ctrl+F)"));
  search_->setClearButtonEnabled(true);
  search_->setToolTip(QStringLiteral("Shows the users whose id or top category contains the text"));
  count_ = new QLabel;
  count_->setObjectName(QStringLiteral("userCount"));
  count_->setTextFormat(Qt::PlainText);  // error messages name files and datasets
  // Wrapped, never wider than the list: "Summarising 1,000,000 users…" or an error must not
  // widen the splitter's left side, and with it the window, past 1024 px.
  count_->setWordWrap(true);
  userTable_ = new QTableView;
  userTable_->setObjectName(QStringLiteral("userTable"));
  userTable_->setModel(users_);
  // The indicator first: enabling sorting sorts by whatever the header shows.
  userTable_->horizontalHeader()->setSortIndicator(users_->sortColumn(), users_->sortOrder());
  userTable_->setSortingEnabled(true);
  setUpRecordTable(userTable_, kUserRowPixels);
  userTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  userTable_->horizontalHeader()->setStretchLastSection(true);
  // The top category may shrink to a few letters (its tooltip has it) before the list
  // scrolls sideways.
  userTable_->horizontalHeader()->setMinimumSectionSize(48);
  // Wide enough for the headers and a date; ids wider than that are elided (tooltip: the cell).
  const QFontMetrics metrics(font());
  const int padding = 28;
  userTable_->setColumnWidth(UserListModel::IdColumn,
                             metrics.horizontalAdvance(QStringLiteral("U0000000")) + padding);
  userTable_->setColumnWidth(UserListModel::InteractionsColumn,
                             metrics.horizontalAdvance(QStringLiteral("Interactions")) + padding);
  userTable_->setColumnWidth(UserListModel::LastActiveColumn,
                             metrics.horizontalAdvance(QStringLiteral("0000-00-00")) + padding);
  auto* left = new QWidget;
  userPane_ = left;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 0, 0);
  leftLayout->setSpacing(6);
  leftLayout->addWidget(search_);
  leftLayout->addWidget(userTable_, 1);
  leftLayout->addWidget(count_);

  // Right: the selected user's recommendations and profile.
  userHeading_ = new QLabel;
  userHeading_->setObjectName(QStringLiteral("userHeading"));
  profile_ = new UserProfileView;
  lists_ = new RecommendationListsView;
  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("userTabs"));
  tabs_->addTab(lists_, QStringLiteral("&Recommendations"));
  tabs_->addTab(profile_, QStringLiteral("P&rofile"));
  tabs_->setTabToolTip(
      0, QStringLiteral("What each chosen run recommends to this user, side by side (Alt+R)"));
  tabs_->setTabToolTip(
      1, QStringLiteral("The user's history, categories, activity and prices (Alt+R / Alt+P)"));
  if (qEnvironmentVariable("RECO_SCREENSHOT_USERS_TAB")
          .compare(QStringLiteral("profile"), Qt::CaseInsensitive) == 0)
    tabs_->setCurrentWidget(profile_);
  // The what-if: "Edit history" swaps the tabs for the history editor and the runs' lists
  // for the edited history; "New visitor" does so for an empty history.
  visitorButton_ = new QPushButton(QStringLiteral("New visitor"));
  visitorButton_->setObjectName(QStringLiteral("newVisitorButton"));
  visitorButton_->setToolTip(
      QStringLiteral("What every run shows a visitor with no history (then add items to it)"));
  editButton_ = new QPushButton(QStringLiteral("Edit history"));
  editButton_->setObjectName(QStringLiteral("editHistoryButton"));
  editButton_->setCheckable(true);
  editButton_->setToolTip(QStringLiteral(
      "What-if: remove or add items of the user's history and see every run's list change "
      "(Ctrl+H). Nothing is written unless you save a scenario."));
  connect(editButton_, &QPushButton::toggled, this, &UsersPanel::setEditing);
  connect(visitorButton_, &QPushButton::clicked, this, &UsersPanel::startNewVisitor);
  auto* userRow = new QHBoxLayout;
  userRow->addWidget(userHeading_, 1);
  userRow->addWidget(visitorButton_);
  userRow->addWidget(editButton_);
  rightPages_ = new QStackedWidget;
  rightPages_->addWidget(tabs_);
  rightPages_->addWidget(createWhatIfPage());
  auto* right = new QWidget;
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(6, 0, 0, 0);
  rightLayout->setSpacing(4);
  rightLayout->addLayout(userRow);
  rightLayout->addWidget(rightPages_, 1);

  auto* splitter = new QSplitter(Qt::Horizontal);
  splitter->setChildrenCollapsible(false);
  splitter->addWidget(left);
  splitter->addWidget(right);
  splitter->setStretchFactor(0, 0);
  splitter->setStretchFactor(1, 1);
  // The list needs its four columns; the rest goes to the lists, three of them side by side
  // at 1320 px.
  splitter->setSizes({420, 900});
  pages_->addWidget(splitter);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 12, 16, 8);
  layout->setSpacing(10);
  layout->addLayout(headingRow);
  layout->addWidget(pages_, 1);

  // Shortcuts act while the focus is inside this panel.
  auto* find = new QShortcut(QKeySequence::Find, this);
  find->setContext(Qt::WidgetWithChildrenShortcut);
  connect(find, &QShortcut::activated, this, [this] {
    search_->setFocus();
    search_->selectAll();
  });
  auto* runs = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this);
  runs->setContext(Qt::WidgetWithChildrenShortcut);
  connect(runs, &QShortcut::activated, this, [this] {
    tabs_->setCurrentWidget(lists_);
    lists_->showRunMenu();
  });
  auto* edit = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_H), this);
  edit->setContext(Qt::WidgetWithChildrenShortcut);
  edit->setWhatsThis(QStringLiteral("Edit history: what the runs show for an edited history"));
  connect(edit, &QShortcut::activated, editButton_, &QPushButton::toggle);
  auto* list = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_L), this);
  list->setContext(Qt::WidgetWithChildrenShortcut);
  connect(list, &QShortcut::activated, userTable_, qOverload<>(&QWidget::setFocus));

  // Filtering a million users takes a moment: wait until the typing pauses.
  auto* searchDelay = new QTimer(this);
  searchDelay->setSingleShot(true);
  searchDelay->setInterval(kSearchDelayMs);
  connect(search_, &QLineEdit::textChanged, searchDelay, qOverload<>(&QTimer::start));
  connect(searchDelay, &QTimer::timeout, this, [this] { users_->setFilter(search_->text()); });
  connect(search_, &QLineEdit::returnPressed, this, [this, searchDelay] {
    searchDelay->stop();
    users_->setFilter(search_->text());
  });
  connect(users_, &UserListModel::viewUpdated, this, &UsersPanel::onViewUpdated);
  connect(userTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &UsersPanel::onUserChanged);
  connect(datasetBox_, &QComboBox::currentIndexChanged, this, &UsersPanel::onDatasetChanged);
  connect(splitBox_, &QComboBox::currentIndexChanged, this, &UsersPanel::onSplitChanged);
  connect(lists_, &RecommendationListsView::choiceChanged, this, &UsersPanel::loadLists);
  connect(lists_, &RecommendationListsView::choiceChanged, this, [this] {
    updateWhatIfRuns();
    if (isEditing()) rescoreWhatIf();
  });
  const auto requestItem = [this](std::int32_t item) {
    const auto dataset = currentDataset();
    const auto split = currentSplit();
    if (dataset) emit itemRequested(dataset->id, split ? split->id : 0, item);
  };
  connect(profile_, &UserProfileView::itemActivated, this, requestItem);
  connect(lists_, &RecommendationListsView::itemActivated, this, requestItem);

  connect(loader_, &UserLoader::choicesLoaded, this, &UsersPanel::onChoicesLoaded);
  connect(loader_, &UserLoader::choicesFailed, this,
          [this](const QString& path, const QString& message) {
            if (path != path_) return;
            showPlaceholder(
                QStringLiteral(
                    "<p style='font-size:13pt'>The workspace could not be read.</p><p>%1</p>")
                    .arg(message.toHtmlEscaped()),
                true);
          });
  connect(loader_, &UserLoader::summariesLoaded, this,
          [this](reco::DatasetId id, UserSummariesPtr summaries) {
            const auto dataset = currentDataset();
            if (!dataset || dataset->id != id) return;
            if (summaries->partial) {
              // The ids and counts, while the whole summaries are read: shown only until
              // those come (and never after them), never cached.
              if (users_->summaries()) return;
              users_->setSummaries(summaries);
              return;
            }
            summaries_[id] = {dataset->contentHash, summaries};
            users_->setSummaries(summaries);
          });
  connect(loader_, &UserLoader::summariesFailed, this,
          [this](reco::DatasetId id, const QString& message) {
            if (!currentDataset() || currentDataset()->id != id) return;
            count_->setText(QStringLiteral("The users could not be read: %1").arg(message));
            count_->setProperty("error", true);
            count_->style()->unpolish(count_);
            count_->style()->polish(count_);
          });
  connect(loader_, &UserLoader::profileLoaded, this,
          [this](std::int32_t user, UserProfilePtr profile) {
            if (user_ != user) return;
            profile_->setProfile(profile);
            emit profileShown(toQString(profile->history.externalId));
          });
  connect(loader_, &UserLoader::profileFailed, this,
          [this](std::int32_t user, const QString& message) {
            if (user_ != user) return;
            profile_->showMessage(
                QStringLiteral("The history could not be read.\n\n%1").arg(message), true);
          });
  connect(loader_, &UserLoader::listLoaded, this, [this](int slot, RecommendationListPtr list) {
    if (!list || user_ != list->user) return;
    lists_->setList(slot, list);
    if (lists_->allFinal()) emit listsShown(userHeading_->property("userId").toString());
  });
  const auto showBusy = [this] {
    const bool busy = loader_->isBusy() || whatIf_->isBusy();
    const bool shown = busy || users_->isUpdating();
    busy_->setVisible(shown);
    busyLabel_->setVisible(shown);
    cancelButton_->setVisible(busy);
  };
  const auto onBusyChanged = [this, showBusy] {
    showBusy();
    if (!isBusy()) emit settled();
  };
  connect(loader_, &UserLoader::busyChanged, this, onBusyChanged);
  connect(whatIf_, &WhatIfLoader::busyChanged, this, onBusyChanged);
  // The list's order may be the last thing to arrive (the whole summaries refine the list
  // after every loader has finished): the indicator must go with it.
  connect(users_, &UserListModel::viewUpdated, this, showBusy);

  setWorkspace(QString());
}

bool UsersPanel::isBusy() const {
  return loader_->isBusy() || whatIf_->isBusy() || users_->isUpdating();
}

void UsersPanel::setWorkspace(const QString& path) {
  path_ = path;
  setEditing(false);
  loader_->cancelAll();
  whatIf_->cancelAll();
  whatIf_->clearCaches();
  loader_->clearModelCache();
  choices_.reset();
  summaries_.clear();
  shownDataset_.reset();
  user_.reset();
  wantedUser_.reset();
  users_->setSummaries(nullptr);
  profile_->setProfile(nullptr);
  lists_->setAvailableRuns({});
  lists_->clearLists(QStringLiteral("Select a user to see what each run recommends."));
  {
    const QSignalBlocker blockDatasets(datasetBox_), blockSplits(splitBox_);
    datasetBox_->clear();
    splitBox_->clear();
  }
  if (path.isEmpty()) {
    showPlaceholder(noWorkspaceOpenText(), false);
    emit settled();
    return;
  }
  showPlaceholder(QStringLiteral("Opening %1…").arg(path.toHtmlEscaped()), false);
  loader_->loadChoices(path);
}

void UsersPanel::reload() {
  if (path_.isEmpty()) return;
  loader_->loadChoices(path_);
}

void UsersPanel::cancelReading() {
  if (whatIf_->isBusy()) {
    whatIf_->cancelAll();
    if (isEditing())
      whatIfLists_->showMessage(
          QStringLiteral("Re-scoring was cancelled. Edit the history to re-score it again."));
  }
  if (!loader_->isBusy()) return;
  const UserLoader::Pending pending = loader_->pending();
  loader_->cancelAll();
  // Each part that was still loading says so; F5 (File ▸ Reload) reads everything again.
  if (pending.choices && !choices_) {
    showPlaceholder(
        QStringLiteral(
            "Reading the workspace was cancelled. Press F5 (File ▸ Reload) to read it again."),
        false);
    return;
  }
  if (pending.summaries)
    count_->setText(
        QStringLiteral("Listing the users was cancelled. Press F5 to list them again."));
  if (pending.profile)
    profile_->showMessage(
        QStringLiteral("Reading the history was cancelled. Press F5 to read it again."));
  if (pending.lists)
    lists_->clearLists(
        QStringLiteral("Making the lists was cancelled. Press F5 to make them again."));
}

void UsersPanel::showPlaceholder(const QString& text, bool isError) {
  setPlaceholderText(placeholder_, text, isError);
  pages_->setCurrentIndex(0);
}

std::optional<reco::DatasetInfo> UsersPanel::currentDataset() const {
  return chosenDataset(datasetBox_, choices_.get());
}

std::optional<reco::storage::SplitInfo> UsersPanel::currentSplit() const {
  return chosenSplit(splitBox_, choices_.get());
}

void UsersPanel::onChoicesLoaded(const QString& path, UsersChoicesPtr choices) {
  if (path != path_) return;
  const std::optional<reco::DatasetId> keep = wantedDataset_ ? wantedDataset_ : shownDataset_;
  wantedDataset_.reset();
  choices_ = std::move(choices);
  fillDatasetBox(
      datasetBox_, *choices_,
      [](const reco::DatasetInfo& dataset) {
        return QStringLiteral("%1  (%2 users)")
            .arg(toQString(dataset.name), formatCount(dataset.users));
      },
      keep);
  if (choices_->datasets.empty()) {
    showPlaceholder(
        QStringLiteral(
            "<p style='font-size:13pt'>This workspace has no datasets yet.</p>"
            "<p>Import one in the Datasets panel, then train a model in Experiments.</p>"),
        false);
    emit settled();
    return;
  }
  pages_->setCurrentIndex(1);
  onDatasetChanged();
  applyScreenshotWhatIf();
  applyBookmark();
}

void UsersPanel::fillSplits() {
  const std::optional<reco::storage::SplitInfo> previous = currentSplit();
  const auto dataset = currentDataset();
  if (!dataset) {
    const QSignalBlocker block(splitBox_);
    splitBox_->clear();
    return;
  }
  fillSplitBox(splitBox_, *choices_, dataset->id,
               {previous ? std::optional(previous->id) : std::nullopt});
}

void UsersPanel::onDatasetChanged() {
  const auto dataset = currentDataset();
  fillSplits();
  if (!dataset) return;
  const auto cached = summaries_.find(dataset->id);
  const bool fresh = cached != summaries_.end() && cached->second.first == dataset->contentHash;
  if (shownDataset_ != dataset->id || !fresh) {
    if (shownDataset_ != dataset->id) {
      setEditing(false);
      user_.reset();
      wantedUser_.reset();
      profile_->setProfile(nullptr);
    } else if (user_) {
      wantedUser_ = user_;
    }
    shownDataset_ = dataset->id;
    count_->setText(QStringLiteral("Summarising %1 users…").arg(formatCount(dataset->users)));
    count_->setProperty("error", false);
    count_->style()->unpolish(count_);
    count_->style()->polish(count_);
    if (fresh) {
      users_->setSummaries(cached->second.second);
    } else {
      users_->setSummaries(nullptr);
      loader_->loadSummaries(path_, dataset->id, toQString(dataset->name));
    }
  }
  onSplitChanged();
}

void UsersPanel::onSplitChanged() {
  const auto split = currentSplit();
  std::vector<reco::storage::RunInfo> runs;
  if (split && choices_)
    for (const auto& run : choices_->runs)
      if (run.splitId == split->id) runs.push_back(run);
  lists_->setAvailableRuns(std::move(runs));
  updateWhatIfRuns();
  loadProfile();
  loadLists();
  // The what-if of another split: its training history and its runs.
  if (isEditing() && editor_->base()) {
    const auto* history = editor_->historyModel();
    beginWhatIf(editor_->base()->user,
                history->isEdited() ? std::optional(history->history()) : std::nullopt);
  }
}

void UsersPanel::onViewUpdated() {
  updateCount();
  if (!users_->summaries()) return;
  if (!wantedUserId_.isEmpty()) {
    const auto& summaries = *users_->summaries();
    const std::string wanted = toStdString(wantedUserId_);
    wantedUserId_.clear();
    bool found = false;
    for (std::size_t row = 0; row < summaries.size(); ++row) {
      if (summaries.externalId(row) != wanted) continue;
      wantedUser_ = summaries.users[row];
      found = true;
    }
    if (!found && toQString(wanted) == bookmarkUser_)
      emit bookmarkMissing(QStringLiteral("the customer %1 is gone").arg(bookmarkUser_));
    bookmarkUser_.clear();
  }
  const std::optional<std::int32_t> target = wantedUser_ ? wantedUser_ : user_;
  int row = target ? users_->rowOfUser(*target) : -1;
  // No user yet: the first row. The shown user filtered out: a sole match takes its place,
  // and otherwise nobody is shown (the detail pane never shows a user the list hides).
  if (row < 0 && (!target || users_->matchingRows() == 1) && users_->rowCount() > 0) row = 0;
  if (row >= 0) {
    userTable_->selectRow(row);
    userTable_->scrollTo(users_->index(row, 0));
  } else if (target) {
    clearUser();
  }
  wantedUser_.reset();
  emit usersListed(users_->matchingRows());
  if (!users_->summaries()->partial) emit usersShown(users_->matchingRows());
  if (!isBusy()) emit settled();
}

void UsersPanel::updateCount() {
  count_->setProperty("error", false);
  const auto& summaries = users_->summaries();
  if (!summaries) return;
  const int matching = users_->matchingRows();
  count_->setText(
      users_->filter().isEmpty()
          ? QStringLiteral("%1 users").arg(formatCount(matching))
          : QStringLiteral("%1 of %2 users match")
                .arg(formatCount(matching), formatCount(std::int64_t(summaries->size()))));
}

void UsersPanel::clearUser() {
  userTable_->selectionModel()->clear();
  user_.reset();
  loader_->cancelLists();
  userHeading_->setProperty("userId", QString());
  userHeading_->setText(users_->matchingRows() == 0 ? QStringLiteral("No user matches the search")
                                                    : QStringLiteral("No user selected"));
  profile_->showMessage(
      QStringLiteral("Select a user in the list to see their history and profile."));
  lists_->clearLists(QStringLiteral("Select a user in the list to see what each run recommends."));
}

void UsersPanel::onUserChanged() {
  const QModelIndex current = userTable_->selectionModel()->currentIndex();
  if (!current.isValid()) return;
  const std::int32_t user = users_->userAt(current.row());
  if (user < 0 || user_ == user) return;
  user_ = user;
  // A user chosen now supersedes one still waiting for the list to show it (the newest
  // request wins); the list's next order keeps this one selected (onViewUpdated).
  wantedUser_.reset();
  const QString id = current.siblingAtColumn(UserListModel::IdColumn).data().toString();
  userHeading_->setProperty("userId", id);
  // While a history is edited the heading names that history (users_panel_what_if.cpp).
  if (!isEditing()) userHeading_->setText(QStringLiteral("User <b>%1</b>").arg(id.toHtmlEscaped()));
  loadProfile();
  loadLists();
  // A user chosen elsewhere (the Items panel's audiences) while a user's history is edited;
  // a new visitor stays.
  if (isEditing() && editor_->base() && editor_->base()->user) beginWhatIf(user_);
  applyScreenshotWhatIf();
}

void UsersPanel::loadProfile() {
  const auto dataset = currentDataset();
  if (!user_ || !dataset) {
    profile_->setProfile(nullptr);
    return;
  }
  profile_->showMessage(QStringLiteral("Reading the history of user %1…")
                            .arg(userHeading_->property("userId").toString()));
  loader_->loadProfile(path_, dataset->id, *user_, currentSplit());
}

void UsersPanel::loadLists() {
  const auto split = currentSplit();
  loader_->cancelLists();
  if (!user_) {
    lists_->clearLists(QStringLiteral("Select a user to see what each run recommends."));
    return;
  }
  if (!split) {
    lists_->clearLists(
        QStringLiteral("This dataset has no split yet: create one and train models in Experiments "
                       "to see their recommendations here."));
    return;
  }
  lists_->beginLists();
  const auto runs = lists_->chosenRuns();
  if (runs.empty()) return;
  loader_->loadLists(path_, *user_, runs, *split, lists_->listLength());
}

bool UsersPanel::selectDataset(const QString& name) {
  if (!choices_) return false;
  for (const auto& dataset : choices_->datasets) {
    if (toQString(dataset.name) != name) continue;
    datasetBox_->setCurrentIndex(datasetBox_->findData(qlonglong(dataset.id)));
    return true;
  }
  return false;
}

bool UsersPanel::selectSplit(const QString& name) {
  const auto dataset = currentDataset();
  if (!choices_ || !dataset) return false;
  for (const auto& split : choices_->splits) {
    if (split.datasetId != dataset->id || toQString(split.name) != name) continue;
    splitBox_->setCurrentIndex(splitBox_->findData(qlonglong(split.id)));
    return true;
  }
  return false;
}

void UsersPanel::openUser(reco::DatasetId dataset, const QString& userId) {
  wantedUserId_ = userId;
  if (!choices_) {
    wantedDataset_ = dataset;  // the workspace is still being read
    return;
  }
  const int index = datasetBox_->findData(qlonglong(dataset));
  if (index < 0) {
    wantedUserId_.clear();
    return;
  }
  // Another dataset: its list arrives and selects the user (onViewUpdated).
  if (index != datasetBox_->currentIndex()) {
    datasetBox_->setCurrentIndex(index);
    return;
  }
  if (users_->summaries() && !users_->isUpdating() && selectUser(userId)) {
    wantedUserId_.clear();
    return;
  }
  // Hidden by the search: the list without it selects the user.
  if (!search_->text().isEmpty()) {
    search_->clear();
    users_->setFilter(QString());
  }
}

bool UsersPanel::selectUser(const QString& externalId) {
  const auto& summaries = users_->summaries();
  if (!summaries) return false;
  const std::string wanted = toStdString(externalId);
  for (std::size_t row = 0; row < summaries->size(); ++row) {
    if (summaries->externalId(row) != wanted) continue;
    const int viewRow = users_->rowOfUser(summaries->users[row]);
    if (viewRow < 0) return false;
    userTable_->selectRow(viewRow);
    userTable_->scrollTo(users_->index(viewRow, 0));
    return true;
  }
  return false;
}

}  // namespace reco::ui
