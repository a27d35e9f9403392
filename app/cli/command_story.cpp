// reco story list|add|move|rename|delete|demo: the presenter's story
// (core/storage/story_store.h), the bookmarks the workbench steps through in presenter mode.
// Steps are numbered from 1, as the presenter's banner shows them.
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/storage/story_store.h"
#include "core/training/demo_story.h"

namespace reco::cli {

const char* const kHelpStory =
    "usage: reco [--workspace FILE] story list [--json]\n"
    "       reco [--workspace FILE] story add --kind compare|user|item --title TEXT --state JSON\n"
    "       reco [--workspace FILE] story move --step N --to M\n"
    "       reco [--workspace FILE] story rename --step N --title TEXT\n"
    "       reco [--workspace FILE] story delete --step N\n"
    "       reco [--workspace FILE] story demo [--split NAME]\n"
    "\n"
    "The story that the workbench's presenter mode (F11) steps through: bookmarked views of\n"
    "the Compare, Users and Items screens, in order. Steps are numbered from 1. --state is the\n"
    "view as a JSON object, as `story list --json` shows it (written by View > Add to story).\n"
    "`demo` writes the demo story when the story is empty: the comparison of the finished\n"
    "runs of split NAME (default demo-holdout) at K = 10, its most active test user, a test\n"
    "user with a short history and the most popular item.\n";

namespace {

// The bookmark at 1-based step `text` of `story`.
const storage::Bookmark& bookmarkAt(const std::vector<storage::Bookmark>& story,
                                    const std::string& text, const char* option) {
  int step = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), step);
  if (ec != std::errc() || end != text.data() + text.size() || step < 1 || step > int(story.size()))
    throw Error(ErrorKind::Usage, std::string(option) + " '" + text +
                                      "': expected a step from 1 to " +
                                      std::to_string(story.size()) + " (see reco story list)");
  return story[std::size_t(step - 1)];
}

}  // namespace

int runStory(CommandContext& context) {
  if (context.args.empty())
    throw Error(ErrorKind::Usage,
                "story expects list, add, move, rename, delete or demo (see --help)");
  const std::string action = context.args[0];
  const std::vector<std::string> rest(context.args.begin() + 1, context.args.end());
  const Args args(rest, {"kind", "title", "state", "step", "to", "split"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const auto story = storage::listBookmarks(ws);

  if (action == "add") {
    storage::Bookmark bookmark;
    bookmark.kind = storage::parseBookmarkKind(args.require("kind"));
    bookmark.title = args.require("title");
    bookmark.stateJson = args.require("state");
    prepareForWriting(ws, context);
    storage::addBookmark(ws, bookmark);
    std::printf("Added step %zu: %s\n", story.size() + 1, bookmark.title.c_str());
    return 0;
  }
  if (action == "move") {
    const auto& bookmark = bookmarkAt(story, args.require("step"), "--step");
    const auto& target = bookmarkAt(story, args.require("to"), "--to");
    prepareForWriting(ws, context);
    storage::moveBookmark(ws, bookmark.id, target.position);
    std::printf("Moved '%s' to step %d\n", bookmark.title.c_str(), target.position + 1);
    return 0;
  }
  if (action == "rename") {
    const auto& bookmark = bookmarkAt(story, args.require("step"), "--step");
    const std::string title = args.require("title");
    prepareForWriting(ws, context);
    storage::renameBookmark(ws, bookmark.id, title);
    std::printf("Renamed step %d to '%s'\n", bookmark.position + 1, title.c_str());
    return 0;
  }
  if (action == "delete") {
    const auto& bookmark = bookmarkAt(story, args.require("step"), "--step");
    prepareForWriting(ws, context);
    storage::deleteBookmark(ws, bookmark.id);
    std::printf("Deleted step %d: %s\n", bookmark.position + 1, bookmark.title.c_str());
    return 0;
  }
  if (action == "demo") {
    const std::string split = args.valueOr("split", "demo-holdout");
    prepareForWriting(ws, context);
    const int added = addDemoStoryIfEmpty(ws, split);
    if (added > 0)
      std::printf("Wrote the demo story: %d steps\n", added);
    else if (!story.empty())
      std::printf("The story has %zu steps already; it was left as it is\n", story.size());
    else
      throw Error(ErrorKind::Config, "no split '" + split +
                                         "' with at least two finished runs: train the demo "
                                         "runs first (reco train --split " +
                                         split + ")");
    return 0;
  }
  if (action != "list")
    throw Error(ErrorKind::Usage, "unknown story action '" + action +
                                      "': expected list, add, move, rename, delete or demo");
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginArray();
    for (const auto& bookmark : story)
      json.beginObject()
          .field("step", bookmark.position + 1)
          .field("kind", std::string(storage::bookmarkKindName(bookmark.kind)))
          .field("title", bookmark.title)
          .key("state")
          .raw(bookmark.stateJson)
          .field("created_at", bookmark.createdAt)
          .endObject();
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (story.empty()) {
    std::printf(
        "The story is empty: View > Add to story (Ctrl+B) in the workbench, or reco "
        "story demo\n");
    return 0;
  }
  std::printf("%-5s %-8s %-10s %s\n", "step", "kind", "created", "title");
  for (const auto& bookmark : story)
    std::printf("%-5d %-8s %-10s %s\n", bookmark.position + 1,
                std::string(storage::bookmarkKindName(bookmark.kind)).c_str(),
                dateOrDash(bookmark.createdAt).c_str(), bookmark.title.c_str());
  return 0;
}

}  // namespace reco::cli
