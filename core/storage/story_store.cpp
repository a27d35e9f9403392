#include "core/storage/story_store.h"

#include "core/common/clock.h"
#include "core/common/error.h"
#include "core/common/json.h"

namespace reco::storage {
namespace {

int bookmarkCount(Database& db) {
  return int(db.queryInt("SELECT count(*) FROM bookmarks").value_or(0));
}

int positionOf(Database& db, std::int64_t id) {
  Statement select(db, "SELECT position FROM bookmarks WHERE id = ?");
  select.bind(1, id);
  if (!select.step())
    throw Error(ErrorKind::Config, "bookmark " + std::to_string(id) + " is not in the story");
  return int(select.columnInt(0));
}

}  // namespace

std::string_view bookmarkKindName(BookmarkKind kind) {
  switch (kind) {
    case BookmarkKind::Compare: return "compare";
    case BookmarkKind::User: return "user";
    case BookmarkKind::Item: return "item";
  }
  return "compare";
}

BookmarkKind parseBookmarkKind(std::string_view name) {
  for (const BookmarkKind kind : {BookmarkKind::Compare, BookmarkKind::User, BookmarkKind::Item})
    if (bookmarkKindName(kind) == name) return kind;
  throw Error(ErrorKind::Config,
              "bookmark kind '" + std::string(name) + "': expected compare, user or item");
}

std::vector<Bookmark> listBookmarks(Workspace& workspace) {
  Statement select(workspace.db(),
                   "SELECT id, position, kind, title, state, created_at FROM bookmarks "
                   "ORDER BY position, id");
  std::vector<Bookmark> out;
  while (select.step()) {
    Bookmark bookmark;
    bookmark.id = select.columnInt(0);
    bookmark.position = int(select.columnInt(1));
    bookmark.kind = parseBookmarkKind(select.columnText(2));
    bookmark.title = select.columnText(3);
    bookmark.stateJson = select.columnText(4);
    bookmark.createdAt = select.columnInt(5);
    out.push_back(std::move(bookmark));
  }
  return out;
}

std::int64_t addBookmark(Workspace& workspace, const Bookmark& bookmark) {
  RECO_CHECK(!bookmark.title.empty(), ErrorKind::Config, "a bookmark needs a title");
  // The state is what the GUI wrote; `reco story list --json` prints it as is, so it must
  // be one JSON object.
  if (const std::string problem = jsonObjectProblem(bookmark.stateJson); !problem.empty())
    throw Error(ErrorKind::Config, "bookmark '" + bookmark.title +
                                       "': the state is not a JSON object: " + problem +
                                       " (state '" + bookmark.stateJson.substr(0, 60) + "')");
  Database& db = workspace.db();
  Transaction tx(db);
  Statement insert(db,
                   "INSERT INTO bookmarks (position, kind, title, state, created_at) "
                   "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, bookmarkCount(db))
      .bind(2, bookmarkKindName(bookmark.kind))
      .bind(3, bookmark.title)
      .bind(4, bookmark.stateJson)
      .bind(5, bookmark.createdAt != 0 ? bookmark.createdAt : unixNow())
      .run();
  const std::int64_t id = db.lastInsertRowId();
  tx.commit();
  return id;
}

void moveBookmark(Workspace& workspace, std::int64_t id, int position) {
  Database& db = workspace.db();
  Transaction tx(db);
  const int from = positionOf(db, id);
  const int count = bookmarkCount(db);
  RECO_CHECK(position >= 0 && position < count, ErrorKind::Config,
             "bookmark " + std::to_string(id) + ": position " + std::to_string(position) +
                 " is outside the story (0.." + std::to_string(count - 1) + ")");
  if (position == from) return;
  // The ones between the old and the new place shift by one towards the gap.
  Statement shift(db, position > from ? "UPDATE bookmarks SET position = position - 1 "
                                        "WHERE position > ? AND position <= ?"
                                      : "UPDATE bookmarks SET position = position + 1 "
                                        "WHERE position < ? AND position >= ?");
  shift.bind(1, from).bind(2, position).run();
  Statement place(db, "UPDATE bookmarks SET position = ? WHERE id = ?");
  place.bind(1, position).bind(2, id).run();
  tx.commit();
}

void renameBookmark(Workspace& workspace, std::int64_t id, const std::string& title) {
  RECO_CHECK(!title.empty(), ErrorKind::Config, "a bookmark needs a title");
  Statement update(workspace.db(), "UPDATE bookmarks SET title = ? WHERE id = ?");
  update.bind(1, title).bind(2, id).run();
  RECO_CHECK(workspace.db().changes() > 0, ErrorKind::Config,
             "bookmark " + std::to_string(id) + " is not in the story");
}

void deleteBookmark(Workspace& workspace, std::int64_t id) {
  Database& db = workspace.db();
  Transaction tx(db);
  const int from = positionOf(db, id);
  Statement remove(db, "DELETE FROM bookmarks WHERE id = ?");
  remove.bind(1, id).run();
  Statement shift(db, "UPDATE bookmarks SET position = position - 1 WHERE position > ?");
  shift.bind(1, from).run();
  tx.commit();
}

}  // namespace reco::storage
