// User stories (section "users"): per chosen user, the profile in a sentence and every run's
// list side by side, test hits highlighted, each item's category and the model's reason.
// The lists come from reco::runListForUser, the function `reco recommend` uses.
#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "core/common/error.h"
#include "core/report/report_context.h"
#include "core/storage/user_store.h"
#include "core/storage/workspace.h"
#include "core/training/run_lists.h"

namespace reco::report::sections {

namespace {

constexpr std::size_t kRunsPerTable = 5;

std::string profileText(ReportContext& context, std::int32_t user, const std::string& id) {
  const storage::UserHistory history =
      storage::loadUserHistory(context.workspace, context.dataset.id, user);
  const storage::UserProfile profile = storage::summarizeHistory(history);
  std::string text = "User " + id + ": " + std::to_string(history.entries.size()) +
                     " interactions with " + std::to_string(profile.distinctItems) +
                     " distinct items";
  if (profile.firstTime && profile.lastTime)
    text += ", " + utcDate(*profile.firstTime).substr(0, 10) + " to " +
            utcDate(*profile.lastTime).substr(0, 10);
  std::string categories;
  for (std::size_t c = 0; c < profile.categories.size() && c < 3; ++c) {
    const auto& share = profile.categories[c];
    categories += (c ? ", " : "") + (share.category.empty() ? "no category" : share.category) +
                  " (" + std::to_string(share.interactions) + ")";
  }
  if (!categories.empty()) text += "; most often " + categories;
  const storage::SplitInfo& split = context.splits.front();
  const auto parts = storage::loadUserSplitParts(context.workspace, split, user);
  text += ". In split " + split.name + ": " + std::to_string(parts.train.size()) +
          " training items, " + std::to_string(parts.test.size()) + " held out for the test.";
  return text;
}

void addUser(ReportContext& context, const std::string& id, const std::string& tableId,
             std::int32_t user, Section& section) {
  const std::size_t n = std::size_t(context.options.k);
  section.blocks.emplace_back(Heading{"User " + id, 3});
  section.blocks.emplace_back(Paragraph{profileText(context, user, id), false});

  // Each run's column first; then tables of at most kRunsPerTable runs side by side (more
  // columns than that cannot be read on a page).
  std::vector<std::vector<TableCell>> columns;
  std::string hits, problems;
  for (std::size_t run = 0; run < context.runs.size(); ++run) {
    const storage::RunInfo& info = context.runs[run];
    std::vector<TableCell> column(n, TableCell{"", "", false, false, false, true});
    const LoadedModel* model = context.model(run);
    std::string why;
    if (model) {
      try {
        const RunList list =
            runListForUser(context.workspace, info, *model, context.splits[run], user, n);
        std::size_t hitCount = 0;
        for (std::size_t r = 0; r < list.items.size(); ++r) {
          const RunListItem& item = list.items[r];
          TableCell& cell = column[r];
          cell.text = item.meta.title.empty() ? item.meta.externalId : item.meta.title;
          cell.detail = item.meta.category.empty() ? item.reason
                                                   : item.meta.category + " \u00b7 " + item.reason;
          cell.highlight = item.inTest;
          cell.muted = false;
          hitCount += item.inTest ? 1 : 0;
        }
        hits += (hits.empty() ? "" : ", ") + info.name + " " + std::to_string(hitCount);
      } catch (const Error& error) {
        if (error.kind() != ErrorKind::Config) throw;
        why = error.what();  // the user is not in the data this run was trained on
      }
    } else {
      why = context.models[run].error;
    }
    if (!why.empty()) {
      column.front().text = "n/a";
      problems += (problems.empty() ? "" : "; ") + info.name + ": " + why;
    }
    columns.push_back(std::move(column));
  }

  const std::size_t tables = (columns.size() + kRunsPerTable - 1) / kRunsPerTable;
  for (std::size_t t = 0; t < tables; ++t) {
    Table table;
    table.id = "user-" + tableId + (t == 0 ? std::string() : "-" + std::to_string(t + 1));
    if (t > 0) {
      table.continues = "user-" + tableId;  // one CSV of every run's list (csv_tables.h)
      table.keyColumns = 1;                 // rank
    }
    table.caption =
        "Top " + std::to_string(n) + " of each run for user " + id +
        (tables > 1 ? ", part " + std::to_string(t + 1) + " of " + std::to_string(tables)
                    : std::string());
    table.header = {"rank"};
    table.rows.resize(n);
    for (std::size_t r = 0; r < n; ++r)
      table.rows[r].push_back(TableCell{std::to_string(r + 1), "", true, false, false, false});
    const std::size_t end = std::min(columns.size(), (t + 1) * kRunsPerTable);
    for (std::size_t run = t * kRunsPerTable; run < end; ++run) {
      table.header.push_back(context.runs[run].name);
      for (std::size_t r = 0; r < n; ++r) table.rows[r].push_back(std::move(columns[run][r]));
    }
    section.blocks.emplace_back(std::move(table));
  }
  Table& last = std::get<Table>(section.blocks.back());
  last.notes.push_back(
      "Highlighted: an item in the user's held-out test part (a hit). Below each title: its "
      "category and the model's reason. The user's training items are never listed.");
  if (!hits.empty())
    last.notes.push_back("Test hits in the top " + std::to_string(n) + ": " + hits + ".");
  if (!problems.empty()) last.notes.push_back("No list: " + problems + ".");
}

}  // namespace

Section usersSection(ReportContext& context) {
  Section section{"users", "User stories", {}};
  const std::vector<std::int32_t>& indices = context.userIndices;
  for (std::size_t u = 0; u < indices.size(); ++u) {
    if (context.stop.stop_requested()) break;
    addUser(context, context.options.users[u], context.userTableIds[u], indices[u], section);
  }
  return section;
}

}  // namespace reco::report::sections
