#include "ui/widgets/story_model.h"

#include <QJsonDocument>

#include "core/common/error.h"
#include "core/storage/workspace.h"
#include "core/training/demo_story.h"
#include "ui/convert/qt_convert.h"
#include "ui/workers/background_task.h"

namespace reco::ui {

using reco::storage::Bookmark;

StoryModel::StoryModel(JobTracker* jobs, QObject* parent) : QObject(parent), jobs_(jobs) {}

void StoryModel::setWorkspace(const QString& path) {
  path_ = path;
  ++generation_;
  pending_.clear();
  bookmarks_.clear();
  emit storyChanged();
  if (!path.isEmpty()) reload();
}

void StoryModel::reload() {
  enqueue(QStringLiteral("Reading the story"), nullptr);
}

QJsonObject StoryModel::state(int row) const {
  if (row < 0 || row >= count()) return {};
  return QJsonDocument::fromJson(QByteArray::fromStdString(bookmarks_[std::size_t(row)].stateJson))
      .object();
}

void StoryModel::add(reco::storage::BookmarkKind kind, const QString& title,
                     const QJsonObject& state) {
  Bookmark bookmark;
  bookmark.kind = kind;
  bookmark.title = toStdString(title);
  bookmark.stateJson = QJsonDocument(state).toJson(QJsonDocument::Compact).toStdString();
  enqueue(QStringLiteral("Adding “%1” to the story").arg(title),
          [bookmark](reco::storage::Workspace& ws) { reco::storage::addBookmark(ws, bookmark); });
}

void StoryModel::move(std::int64_t id, int position) {
  enqueue(QStringLiteral("Reordering the story"), [id, position](reco::storage::Workspace& ws) {
    reco::storage::moveBookmark(ws, id, position);
  });
}

void StoryModel::rename(std::int64_t id, const QString& title) {
  enqueue(QStringLiteral("Renaming a bookmark"), [id, title = toStdString(title)](auto& ws) {
    reco::storage::renameBookmark(ws, id, title);
  });
}

void StoryModel::remove(std::int64_t id) {
  enqueue(QStringLiteral("Deleting a bookmark"),
          [id](reco::storage::Workspace& ws) { reco::storage::deleteBookmark(ws, id); });
}

void StoryModel::addDemoStoryIfEmpty() {
  enqueue(QStringLiteral("Writing the demo story"),
          [](reco::storage::Workspace& ws) { reco::addDemoStoryIfEmpty(ws); });
}

void StoryModel::enqueue(const QString& label, Write write) {
  if (path_.isEmpty()) return;
  pending_.emplace_back(label, std::move(write));
  if (!running_) startNext();
}

void StoryModel::startNext() {
  if (pending_.empty()) {
    emit idle();
    return;
  }
  running_ = true;
  // Named copies, not a structured binding: a lambda cannot capture one in clang 14.
  const QString label = pending_.front().first;
  Write write = std::move(pending_.front().second);
  pending_.pop_front();
  const int generation = generation_;
  runBackgroundTask<std::vector<Bookmark>>(
      this, write ? jobs_ : nullptr, label,
      [path = toStdString(path_), write = std::move(write)] {
        reco::storage::Workspace ws(path, reco::storage::Workspace::OpenMode::OpenExisting);
        if (write) {
          ws.prepareForWriting();
          write(ws);
        }
        return std::make_shared<const std::vector<Bookmark>>(reco::storage::listBookmarks(ws));
      },
      [this, generation, label](const TaskResult<std::vector<Bookmark>>& result) {
        running_ = false;
        if (generation != generation_) {
          startNext();
          return;
        }
        if (result.value) {
          bookmarks_ = *result.value;
          emit storyChanged();
        } else {
          try {
            std::rethrow_exception(result.error);
          } catch (const std::exception& error) {
            emit failed(
                QStringLiteral("%1 failed: %2").arg(label, QString::fromUtf8(error.what())));
          }
        }
        startNext();
      });
}

}  // namespace reco::ui
