// reco scenario list|save|delete: the named what-if histories (core/storage/scenario_store.h)
// that the Users panel saves and reloads, by the dataset's own ids.
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/item_id_list.h"
#include "app/cli/text_format.h"
#include "app/cli/workspace_writing.h"
#include "core/common/error.h"
#include "core/common/json.h"
#include "core/storage/scenario_store.h"
#include "core/storage/split_store.h"
#include "core/storage/user_store.h"

namespace reco::cli {

const char* const kHelpScenario =
    "usage: reco [--workspace FILE] scenario list [--dataset NAME] [--json]\n"
    "       reco [--workspace FILE] scenario save --name NAME --history ID,ID,... [--user ID]\n"
    "                                             [--dataset NAME]\n"
    "       reco [--workspace FILE] scenario delete --name NAME [--dataset NAME]\n"
    "\n"
    "Named what-if histories, as the Users panel saves them: item ids oldest first (\"\" for\n"
    "a new visitor), and the user the history started from. `reco recommend --run RUN\n"
    "--history IDS [--user ID]` shows a run's list for one. --dataset may be left out when\n"
    "the workspace holds one dataset.\n";

namespace {

const storage::Scenario& requireScenario(const std::vector<storage::Scenario>& all,
                                         const std::string& name, const std::string& dataset) {
  for (const auto& scenario : all)
    if (scenario.name == name) return scenario;
  throw Error(ErrorKind::Config,
              "no scenario '" + name + "' in dataset '" + dataset + "' (see reco scenario list)");
}

}  // namespace

int runScenario(CommandContext& context) {
  if (context.args.empty())
    throw Error(ErrorKind::Usage, "scenario expects list, save or delete (see --help)");
  const std::string action = context.args[0];
  const std::vector<std::string> rest(context.args.begin() + 1, context.args.end());
  if (action != "list" && action != "save" && action != "delete")
    throw Error(ErrorKind::Usage,
                "unknown scenario action '" + action + "': expected list, save or delete");
  const Args args(rest, {"dataset", "name", "history", "user"}, {"json"});
  storage::Workspace ws(context.workspacePath, storage::Workspace::OpenMode::OpenExisting);
  const DatasetInfo dataset = ws.resolveDataset(args.valueOr("dataset", ""));

  if (action == "save") {
    storage::Scenario scenario;
    scenario.datasetId = dataset.id;
    scenario.name = args.require("name");
    scenario.history =
        parseItemIdList(args.require("history"), storage::itemExternalIds(ws, dataset.id),
                        "--history", "dataset '" + dataset.name + "'");
    if (const auto user = args.value("user")) {
      scenario.user = storage::findUser(ws, dataset.id, *user);
      if (!scenario.user)
        throw Error(ErrorKind::Config,
                    "user '" + *user + "' is not in dataset '" + dataset.name + "'");
    }
    prepareForWriting(ws, context);
    storage::saveScenario(ws, scenario);
    std::printf("Saved scenario '%s' (%zu items) in dataset '%s'\n", scenario.name.c_str(),
                scenario.history.size(), dataset.name.c_str());
    return 0;
  }
  const auto all = storage::listScenarios(ws, dataset.id);
  if (action == "delete") {
    const auto& scenario = requireScenario(all, args.require("name"), dataset.name);
    prepareForWriting(ws, context);
    storage::deleteScenario(ws, scenario.id);
    std::printf("Deleted scenario '%s'\n", scenario.name.c_str());
    return 0;
  }

  const auto itemIds = storage::itemExternalIds(ws, dataset.id);
  const auto userIds = storage::userExternalIds(ws, dataset.id);
  const auto idOf = [](const std::vector<std::string>& ids, std::int32_t index) {
    return index >= 0 && std::size_t(index) < ids.size() ? ids[std::size_t(index)]
                                                         : std::to_string(index);
  };
  if (args.flag("json")) {
    JsonWriter json(true);
    json.beginArray();
    for (const auto& scenario : all) {
      json.beginObject().field("name", scenario.name).key("user");
      scenario.user ? json.value(idOf(userIds, *scenario.user)) : json.null();
      json.key("history").beginArray();
      for (const std::int32_t item : scenario.history) json.value(idOf(itemIds, item));
      json.endArray().field("created_at", scenario.createdAt).endObject();
    }
    std::printf("%s\n", json.endArray().str().c_str());
    return 0;
  }
  if (all.empty()) {
    std::printf("No scenarios in dataset '%s' yet: reco scenario save --name NAME --history ...\n",
                dataset.name.c_str());
    return 0;
  }
  std::printf("%-24s %-12s %-10s %s\n", "scenario", "user", "created", "history");
  for (const auto& scenario : all) {
    std::string history;
    for (const std::int32_t item : scenario.history)
      history += (history.empty() ? "" : ",") + idOf(itemIds, item);
    std::printf("%-24s %-12s %-10s %s\n", scenario.name.c_str(),
                scenario.user ? idOf(userIds, *scenario.user).c_str() : "(new visitor)",
                dateOrDash(scenario.createdAt).c_str(), history.c_str());
  }
  return 0;
}

}  // namespace reco::cli
