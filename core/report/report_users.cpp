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

/// One run's column of one user's table: the list, or why there is none.
struct RunColumn {
  std::vector<TableCell> cells;
  bool listed = false;   ///< the list was made (hits counts)
  std::size_t hits = 0;  ///< test items in the list
  std::string why;       ///< no list: why not
};

/// Every chosen user's column of run `run`, with the run's model read once (and released by
/// the caller before the next run's is read).
std::vector<RunColumn> runColumns(ReportContext& context, std::size_t run) {
  const std::size_t n = std::size_t(context.options.k);
  const storage::RunInfo& info = context.runs[run];
  const LoadedModel* model = context.model(run);
  std::vector<RunColumn> out;
  for (const std::int32_t user : context.userIndices) {
    RunColumn column;
    column.cells.assign(n, TableCell{"", "", false, false, false, true});
    if (model) {
      try {
        const RunList list =
            runListForUser(context.workspace, info, *model, context.splits[run], user, n);
        for (std::size_t r = 0; r < list.items.size(); ++r) {
          const RunListItem& item = list.items[r];
          TableCell& cell = column.cells[r];
          cell.text = item.meta.title.empty() ? item.meta.externalId : item.meta.title;
          cell.detail = item.meta.category.empty() ? item.reason
                                                   : item.meta.category + " \u00b7 " + item.reason;
          cell.highlight = item.inTest;
          cell.muted = false;
          column.hits += item.inTest ? 1 : 0;
        }
        column.listed = true;
      } catch (const Error& error) {
        if (error.kind() != ErrorKind::Config) throw;
        column.why = error.what();  // the user is not in the data this run was trained on
      }
    } else {
      column.why = context.models[run].error;
    }
    if (!column.why.empty()) column.cells.front().text = "n/a";
    out.push_back(std::move(column));
  }
  return out;
}

/// The user's story from `runs` (every run's column of this user, in the report's order).
void addUser(ReportContext& context, const std::string& id, const std::string& tableId,
             std::int32_t user, std::vector<RunColumn> runs, Section& section) {
  const std::size_t n = std::size_t(context.options.k);
  section.blocks.emplace_back(Heading{"User " + id, 3});
  section.blocks.emplace_back(Paragraph{profileText(context, user, id), false});

  // Each run's column first; then tables of at most kRunsPerTable runs side by side (more
  // columns than that cannot be read on a page).
  std::vector<std::vector<TableCell>> columns;
  std::string hits, problems;
  for (std::size_t run = 0; run < runs.size(); ++run) {
    const storage::RunInfo& info = context.runs[run];
    if (runs[run].listed)
      hits += (hits.empty() ? "" : ", ") + info.name + " " + std::to_string(runs[run].hits);
    if (!runs[run].why.empty())
      problems += (problems.empty() ? "" : "; ") + info.name + ": " + runs[run].why;
    columns.push_back(std::move(runs[run].cells));
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
  // Run by run, so each model is read once and released before the next is read; then user
  // by user, in the order asked.
  std::vector<std::vector<RunColumn>> byUser(indices.size());
  for (std::size_t run = 0; run < context.runs.size(); ++run) {
    if (context.stop.stop_requested()) break;
    std::vector<RunColumn> columns = runColumns(context, run);
    for (std::size_t u = 0; u < indices.size(); ++u) byUser[u].push_back(std::move(columns[u]));
  }
  context.releaseModel();
  for (std::size_t u = 0; u < indices.size(); ++u) {
    if (context.stop.stop_requested()) break;
    addUser(context, context.options.users[u], context.userTableIds[u], indices[u],
            std::move(byUser[u]), section);
  }
  return section;
}

}  // namespace reco::report::sections
