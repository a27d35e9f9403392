#pragma once
/// The presenter's story (issue 15): an ordered list of bookmarked views of the workspace
/// (a comparison at K, a customer with chosen runs, a product's tab), stepped through in
/// presenter mode. Workspace-wide, not per dataset: a story may visit several datasets.
/// Positions are always 0..n-1 in story order; every change that moves them is one
/// transaction. What a view holds is the GUI's business: the store keeps it as a JSON object
/// (text) and checks only that it is one.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/storage/workspace.h"

namespace reco::storage {

enum class BookmarkKind { Compare, User, Item };

/// "compare", "user", "item": the kind column's values.
std::string_view bookmarkKindName(BookmarkKind kind);
/// The kind named `name`; throws Config ("bookmark kind 'x': expected compare, user or
/// item") for any other.
BookmarkKind parseBookmarkKind(std::string_view name);

struct Bookmark {
  std::int64_t id = 0;
  int position = 0;  ///< 0-based place in the story
  BookmarkKind kind = BookmarkKind::Compare;
  std::string title;             ///< shown in the story list and the presenter's banner
  std::string stateJson = "{}";  ///< the view to restore, a JSON object
  std::int64_t createdAt = 0;    ///< Unix seconds
};

/// The story, in position order.
std::vector<Bookmark> listBookmarks(Workspace& workspace);
/// Appends a bookmark at the end of the story and returns its id; `id` and `position` are
/// ignored, `createdAt` 0 means now. Throws Config when the title is empty or the state is
/// not a JSON object. The caller has called Workspace::prepareForWriting.
std::int64_t addBookmark(Workspace& workspace, const Bookmark& bookmark);
/// Moves bookmark `id` to `position` (0-based); the ones between shift by one so that the
/// positions stay 0..n-1. Throws Config when there is no such bookmark or the position is
/// outside 0..n-1.
void moveBookmark(Workspace& workspace, std::int64_t id, int position);
/// Throws Config when there is no such bookmark or the title is empty.
void renameBookmark(Workspace& workspace, std::int64_t id, const std::string& title);
/// Deletes bookmark `id`, closing the gap in the positions. Throws Config when there is none.
void deleteBookmark(Workspace& workspace, std::int64_t id);

}  // namespace reco::storage
