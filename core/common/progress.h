#pragma once
/// Progress reporting and cancellation for long work. Every long core function takes
/// options, a JobObserver* (may be null) and a std::stop_token; stopping is an Outcome,
/// not an error. Observers are called on the worker's thread: adapters (GUI signals,
/// CLI progress bar) must be thread-safe and cheap.

#include <cstdint>
#include <stop_token>
#include <string>

namespace reco {

/// How a long job ended when it did not throw.
enum class Outcome { Completed, Stopped };

struct Progress {
  std::string stage;        ///< short phrase: "reading u.data", "k-core filtering"
  std::uint64_t done = 0;   ///< units done (bytes, rows, epochs)
  std::uint64_t total = 0;  ///< units in all; 0 when unknown
  double fraction() const { return total == 0 ? -1.0 : double(done) / double(total); }
};

class JobObserver {
 public:
  virtual ~JobObserver() = default;
  /// Called at most every few milliseconds' worth of work.
  virtual void onProgress(const Progress& progress) = 0;
  /// A one-line note for the log ("k-core pass 2 removed 31 users").
  virtual void onMessage(const std::string& message) {}
};

/// report() and note() live in a namespace of their own that a using-directive brings into
/// reco: every caller in reco still writes report(observer, ...), and the name reco::report
/// stays free for the stakeholder report's namespace (core/report; a namespace and a
/// function may not share a name). Code that sees both calls progress::report.
namespace progress {
/// Calls observer->onProgress when observer is set.
inline void report(JobObserver* observer, const Progress& progress) {
  if (observer) observer->onProgress(progress);
}
inline void note(JobObserver* observer, const std::string& message) {
  if (observer) observer->onMessage(message);
}
}  // namespace progress
using namespace progress;

}  // namespace reco
