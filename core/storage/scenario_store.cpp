#include "core/storage/scenario_store.h"

#include <charconv>

#include "core/common/clock.h"
#include "core/common/error.h"

namespace reco::storage {
namespace {

// The history column: "[12,7,301]".
std::string historyText(const std::vector<std::int32_t>& history) {
  std::string text = "[";
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(history[i]);
  }
  return text + "]";
}

std::vector<std::int32_t> parseHistory(const std::string& text, std::int64_t id) {
  const auto corrupt = [&] {
    return Error(ErrorKind::Workspace, "scenario " + std::to_string(id) +
                                           ": the history is not a list of item indices: '" +
                                           text.substr(0, 60) + "'");
  };
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') throw corrupt();
  std::vector<std::int32_t> history;
  const char* at = text.data() + 1;
  const char* end = text.data() + text.size() - 1;
  while (at < end) {
    std::int32_t item = 0;
    const auto [next, ec] = std::from_chars(at, end, item);
    if (ec != std::errc() || item < 0) throw corrupt();
    history.push_back(item);
    at = next;
    if (at < end && *at++ != ',') throw corrupt();
  }
  return history;
}

}  // namespace

std::int64_t saveScenario(Workspace& workspace, const Scenario& scenario) {
  RECO_CHECK(!scenario.name.empty(), ErrorKind::Config, "a scenario needs a name");
  const auto dataset = workspace.findDataset(scenario.datasetId);
  RECO_CHECK(dataset.has_value(), ErrorKind::Config,
             "dataset " + std::to_string(scenario.datasetId) + " is not in the workspace");
  Database& db = workspace.db();
  Transaction tx(db);
  {
    Statement exists(db, "SELECT 1 FROM scenarios WHERE dataset_id = ? AND name = ?");
    exists.bind(1, scenario.datasetId).bind(2, scenario.name);
    if (exists.step())
      throw Error(ErrorKind::Config, "scenario '" + scenario.name + "' exists in dataset '" +
                                         dataset->name + "'; choose another name");
  }
  {
    Statement item(db, "SELECT 1 FROM items WHERE dataset_id = ? AND idx = ?");
    for (std::size_t i = 0; i < scenario.history.size(); ++i) {
      item.reset();
      item.bind(1, scenario.datasetId).bind(2, scenario.history[i]);
      if (!item.step())
        throw Error(ErrorKind::Config, "scenario '" + scenario.name + "': history item " +
                                           std::to_string(i + 1) + " (index " +
                                           std::to_string(scenario.history[i]) +
                                           ") is not an item of dataset '" + dataset->name + "'");
    }
  }
  if (scenario.user) {
    Statement user(db, "SELECT 1 FROM users WHERE dataset_id = ? AND idx = ?");
    user.bind(1, scenario.datasetId).bind(2, *scenario.user);
    if (!user.step())
      throw Error(ErrorKind::Config, "scenario '" + scenario.name + "': user index " +
                                         std::to_string(*scenario.user) +
                                         " is not a user of dataset '" + dataset->name + "'");
  }
  Statement insert(db,
                   "INSERT INTO scenarios (dataset_id, name, user_idx, history, created_at) "
                   "VALUES (?, ?, ?, ?, ?)");
  const std::optional<std::int64_t> user =
      scenario.user ? std::optional<std::int64_t>(*scenario.user) : std::nullopt;
  insert.bind(1, scenario.datasetId)
      .bind(2, scenario.name)
      .bind(3, user)
      .bind(4, historyText(scenario.history))
      .bind(5, scenario.createdAt != 0 ? scenario.createdAt : unixNow())
      .run();
  const std::int64_t id = db.lastInsertRowId();
  tx.commit();
  return id;
}

std::vector<Scenario> listScenarios(Workspace& workspace, DatasetId dataset) {
  Statement select(workspace.db(),
                   "SELECT id, name, user_idx, history, created_at FROM scenarios "
                   "WHERE dataset_id = ? ORDER BY name");
  select.bind(1, dataset);
  std::vector<Scenario> out;
  while (select.step()) {
    Scenario scenario;
    scenario.id = select.columnInt(0);
    scenario.datasetId = dataset;
    scenario.name = select.columnText(1);
    if (const auto user = select.columnOptionalInt(2)) scenario.user = std::int32_t(*user);
    scenario.history = parseHistory(select.columnText(3), scenario.id);
    scenario.createdAt = select.columnInt(4);
    out.push_back(std::move(scenario));
  }
  return out;
}

void deleteScenario(Workspace& workspace, std::int64_t id) {
  Statement remove(workspace.db(), "DELETE FROM scenarios WHERE id = ?");
  remove.bind(1, id).run();
  RECO_CHECK(workspace.db().changes() > 0, ErrorKind::Config,
             "scenario " + std::to_string(id) + " is not in the workspace");
}

}  // namespace reco::storage
