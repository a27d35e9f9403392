// UsersPanel's story bookmarks (issue 15): the view as a JSON object and back.
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>

#include "ui/convert/qt_convert.h"
#include "ui/models/user_list_model.h"
#include "ui/panels/recommendation_lists_view.h"
#include "ui/panels/users_panel.h"

namespace reco::ui {

QJsonObject UsersPanel::bookmarkState() const {
  const auto dataset = currentDataset();
  const QString userId = userHeading_->property("userId").toString();
  if (!dataset || !user_ || userId.isEmpty()) return {};
  QJsonArray runs;
  for (const auto& run : lists_->chosenRuns()) runs.append(toQString(run.name));
  QJsonObject state;
  state[QStringLiteral("dataset")] = toQString(dataset->name);
  if (const auto split = currentSplit()) state[QStringLiteral("split")] = toQString(split->name);
  state[QStringLiteral("user")] = userId;
  state[QStringLiteral("userIndex")] = *user_;
  state[QStringLiteral("runs")] = runs;
  return state;
}

void UsersPanel::showBookmark(const QJsonObject& state) {
  pendingBookmark_ = state;
  if (choices_) applyBookmark();
}

void UsersPanel::applyBookmark() {
  if (pendingBookmark_.isEmpty() || !choices_) return;
  const QJsonObject state = std::exchange(pendingBookmark_, {});
  const QString name = state.value(QStringLiteral("dataset")).toString();
  for (const auto& dataset : choices_->datasets) {
    if (toQString(dataset.name) != name) continue;
    if (isEditing()) setEditing(false);  // a bookmark shows the stored history
    // Choosing another dataset refills the splits and the runs at once; the user is
    // selected when the dataset's list arrives.
    const QString user = state.value(QStringLiteral("user")).toString();
    bookmarkUser_ = user;
    openUser(dataset.id, user);
    if (wantedUserId_.isEmpty()) {
      bookmarkUser_.clear();  // shown at once
    } else if (datasetBox_->currentData().toLongLong() == qlonglong(dataset.id) &&
               users_->summaries() && !users_->isUpdating() && search_->text().isEmpty()) {
      // The dataset's whole list is shown and lacks them: no list will arrive to select them.
      wantedUserId_.clear();
      bookmarkUser_.clear();
      emit bookmarkMissing(QStringLiteral("the customer %1 is gone").arg(user));
    }
    selectSplit(state.value(QStringLiteral("split")).toString());
    QStringList runs;
    for (const auto& run : state.value(QStringLiteral("runs")).toArray()) runs << run.toString();
    if (!runs.isEmpty()) lists_->setChosenRuns(runs);
    tabs_->setCurrentWidget(lists_);
    return;
  }
  emit bookmarkMissing(QStringLiteral("the dataset %1 is gone").arg(name));
}

}  // namespace reco::ui
