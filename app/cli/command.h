#pragma once
/// The commands of `reco`. Each lives in its own command_<name>.cpp and is listed in the
/// table in main.cpp. A command returns its exit code; errors propagate as reco::Error
/// and main maps their kind to the exit code (the README lists them).

#include <stop_token>
#include <string>
#include <vector>

namespace reco {
struct LoadedModel;
}
namespace reco::storage {
class Workspace;
struct RunInfo;
struct SplitInfo;
}  // namespace reco::storage

namespace reco::cli {

struct CommandContext {
  std::string workspacePath;      ///< --workspace, default ./workspace.reco
  std::vector<std::string> args;  ///< the arguments after the command name
  std::stop_token stop;           ///< fires on Ctrl-C (SIGINT) or SIGTERM
  bool stderrIsTerminal = false;  ///< draw a progress bar on stderr
};

struct Command {
  const char* name;
  const char* summary;  ///< one line for `reco --help`
  const char* help;     ///< the full text for `reco COMMAND --help`
  int (*run)(CommandContext& context);
};

/// Every command, in the order `reco --help` lists them.
const std::vector<Command>& commands();

// One function per command_<name>.cpp; help texts are the kHelp* strings beside them.
int runImport(CommandContext& context);
int runDatasets(CommandContext& context);
int runStats(CommandContext& context);
int runGenSynthetic(CommandContext& context);
int runDerive(CommandContext& context);
int runBench(CommandContext& context);
int runSplit(CommandContext& context);
int runTrain(CommandContext& context);
int runEval(CommandContext& context);
int runRerank(CommandContext& context);
int runTune(CommandContext& context);
int runCompare(CommandContext& context);
int runRuns(CommandContext& context);
int runRecommend(CommandContext& context);
int runSimilar(CommandContext& context);
int runShown(CommandContext& context);
int runSimilarity(CommandContext& context);
int runEmbed(CommandContext& context);
int runExplain(CommandContext& context);
int runExport(CommandContext& context);
int runScenario(CommandContext& context);
int runStory(CommandContext& context);
int runReport(CommandContext& context);
class Args;
/// `reco recommend --history ...` (command_recommend_history.cpp), called by runRecommend
/// with its parsed arguments.
int runRecommendHistory(CommandContext& context, const Args& args);
/// `reco recommend --rerank key=value,...` (repeatable; command_rerank.cpp): wraps the
/// opened run's model in the re-ranker the settings describe (reco::rerankLoadedModel);
/// does nothing without --rerank.
void rerankIfAsked(const Args& args, storage::Workspace& workspace, const storage::RunInfo& run,
                   const storage::SplitInfo& split, LoadedModel& model);
/// `reco bench models ...` (command_bench_models.cpp), called by runBench.
int runBenchModels(const std::vector<std::string>& args);
/// `reco bench models --scale ...` (command_bench_scale.cpp), called by runBenchModels.
int runBenchScale(const std::vector<std::string>& args);
/// `reco bench deep ...` (command_bench_deep.cpp), called by runBench.
int runBenchDeep(const std::vector<std::string>& args);
/// `reco bench similarity ...` (command_bench_similarity.cpp), called by runBench.
int runBenchSimilarity(const std::vector<std::string>& args);
/// `reco bench quality ...` (command_bench_quality.cpp), called by runBench.
int runBenchQuality(const std::vector<std::string>& args);
/// `reco bench whatif ...` (command_bench_whatif.cpp), called by runBench.
int runBenchWhatIf(const std::vector<std::string>& args);
extern const char* const kHelpImport;
extern const char* const kHelpDatasets;
extern const char* const kHelpStats;
extern const char* const kHelpGenSynthetic;
extern const char* const kHelpDerive;
extern const char* const kHelpBench;
extern const char* const kHelpSplit;
extern const char* const kHelpTrain;
extern const char* const kHelpEval;
extern const char* const kHelpRerank;
extern const char* const kHelpTune;
extern const char* const kHelpCompare;
extern const char* const kHelpRuns;
extern const char* const kHelpRecommend;
extern const char* const kHelpSimilar;
extern const char* const kHelpShown;
extern const char* const kHelpSimilarity;
extern const char* const kHelpEmbed;
extern const char* const kHelpExplain;
extern const char* const kHelpExport;
extern const char* const kHelpScenario;
extern const char* const kHelpStory;
extern const char* const kHelpReport;

}  // namespace reco::cli
