#include "ui/workers/thread_pool_warm_up.h"

#include <QThreadPool>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

namespace reco::ui {

namespace {
/// Where the no-ops meet: each waits until all have started, so that each holds a thread of
/// its own (a no-op that returned at once would let the next one reuse its thread).
struct Meeting {
  std::mutex mutex;
  std::condition_variable allThere;
  int arrived = 0;
  int expected = 0;
  /// One deadline for all: with some threads busy, the no-ops that do not get a thread of
  /// their own queue and run one after another on the idle ones, and a wait of its own for
  /// each would add up (200 ms each).
  std::chrono::steady_clock::time_point deadline;
};
constexpr auto kMostWait = std::chrono::milliseconds(200);
}  // namespace

void startEveryThread(QThreadPool& pool) {
  auto meeting = std::make_shared<Meeting>();
  meeting->expected = pool.maxThreadCount();
  meeting->deadline = std::chrono::steady_clock::now() + kMostWait;
  for (int i = 0; i < meeting->expected; ++i) {
    pool.start([meeting] {
      std::unique_lock lock(meeting->mutex);
      ++meeting->arrived;
      meeting->allThere.notify_all();
      meeting->allThere.wait_until(lock, meeting->deadline,
                                   [&] { return meeting->arrived >= meeting->expected; });
    });
  }
}

}  // namespace reco::ui
