#pragma once
/// The workspace's story (core/storage/story_store.h) as the GUI holds it: the bookmarks
/// last read, and the changes to them (add, move, rename, delete, the demo story), each
/// written in the background, one at a time in the order asked, followed by a fresh read.
/// The GUI never waits on the workspace; storyChanged() says when the list is new.
/// GUI thread only.

#include <QJsonObject>
#include <QObject>
#include <QString>
#include <deque>
#include <functional>
#include <vector>

#include "core/storage/story_store.h"

namespace reco::ui {

class JobTracker;

class StoryModel : public QObject {
  Q_OBJECT

 public:
  /// `jobs` (may be null) hears about the writes.
  explicit StoryModel(JobTracker* jobs, QObject* parent = nullptr);

  /// Reads the story of the workspace at `path` (empty: none, an empty story).
  void setWorkspace(const QString& path);
  const QString& workspace() const { return path_; }
  /// Reads the story again.
  void reload();

  /// The bookmarks last read, in story order.
  const std::vector<reco::storage::Bookmark>& bookmarks() const { return bookmarks_; }
  int count() const { return int(bookmarks_.size()); }
  /// The state of bookmark `row` as a JSON object (empty when it does not parse).
  QJsonObject state(int row) const;
  /// True while a write or read is under way or waiting.
  bool isBusy() const { return running_ || !pending_.empty(); }

  /// Appends a bookmark of `kind` with `state`, titled `title`.
  void add(reco::storage::BookmarkKind kind, const QString& title, const QJsonObject& state);
  void move(std::int64_t id, int position);
  void rename(std::int64_t id, const QString& title);
  void remove(std::int64_t id);
  /// Writes the demo story (core/training/demo_story.h) when the story is empty.
  void addDemoStoryIfEmpty();

 signals:
  /// A fresh read of the story is in bookmarks().
  void storyChanged();
  /// A write or read failed; `message` says which and why.
  void failed(const QString& message);
  /// Nothing is being written or read any more.
  void idle();

 private:
  /// A write on the workspace (null: only the read), then a read of the story.
  using Write = std::function<void(reco::storage::Workspace&)>;
  void enqueue(const QString& label, Write write);
  void startNext();

  JobTracker* jobs_;
  QString path_;
  std::vector<reco::storage::Bookmark> bookmarks_;
  std::deque<std::pair<QString, Write>> pending_;
  bool running_ = false;
  int generation_ = 0;  // numbers the workspaces: a result for an older one is dropped
};

}  // namespace reco::ui
