#pragma once
/// The part every one-shot background loader shares (WorkspaceLoader, ComparisonLoader,
/// UserLoader, ExperimentsLoader): run a task in backgroundPool() (background_pool.h) with
/// QtConcurrent::run, show it as a job in the JobTracker while it runs, carry any exception
/// back as a value, and hand the outcome to the owner on the owner's thread. Which results
/// are still wanted (superseded requests) stays with each loader. Header only: the
/// functions are templates over the task's result.

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <exception>
#include <memory>
#include <utility>

#include <QtConcurrent/QtConcurrentRun>

#include "ui/workers/background_pool.h"
#include "ui/workers/job_tracker.h"

namespace reco::ui {

/// What a background task hands back: a snapshot, or the error that stopped it (then
/// `value` is null).
template <class T>
struct TaskResult {
  std::shared_ptr<const T> value;
  std::exception_ptr error;
};

/// Runs `work` (callable with no arguments, returning something convertible to
/// std::shared_ptr<const T>; it may throw anything) in backgroundPool() (not the global pool:
/// background_pool.h says why). `jobs` (may
/// be null) shows a job labelled `label` until the task ends. When it ends, on `owner`'s
/// thread: the job finishes, then `finished(const TaskResult<T>&)` runs. The watcher is a
/// child of `owner`: when the owner is destroyed first, the task still runs to its end in
/// the pool, unseen, so `work` must hold only values (paths, ids, stop tokens).
template <class T, class Work, class Finished>
void runBackgroundTask(QObject* owner, JobTracker* jobs, const QString& label, Work work,
                       Finished finished) {
  const int job = jobs ? jobs->start(label) : 0;
  auto* watcher = new QFutureWatcher<TaskResult<T>>(owner);
  QPointer<JobTracker> tracker = jobs;
  QObject::connect(watcher, &QFutureWatcherBase::finished, owner,
                   [watcher, job, tracker, finished = std::move(finished)]() {
                     watcher->deleteLater();
                     if (tracker) tracker->finish(job);
                     finished(watcher->result());
                   });
  watcher->setFuture(
      QtConcurrent::run(&backgroundPool(), [work = std::move(work)]() -> TaskResult<T> {
        // Nothing may escape a task: the error travels back as a value.
        try {
          return {work(), nullptr};
        } catch (...) {
          return {nullptr, std::current_exception()};
        }
      }));
}

/// runBackgroundTask for a loader that wants only the latest request of each kind.
/// `Owner` (a QObject) has `bool isBusy() const` and a signal `busyChanged(bool)`;
/// `lastGeneration` numbers its requests and `wanted` (a member of `owner`) holds the
/// number of the request of this kind still wanted (0: none). A newer request, or the
/// owner setting `wanted` to 0 (cancel), drops this one's result unseen; otherwise
/// `deliver(value, error)` runs. busyChanged(true) goes out when the owner was idle,
/// busyChanged(false) when a delivered result leaves it idle.
template <class T, class Owner, class Work, class Deliver>
void runLatestTask(Owner* owner, JobTracker* jobs, const QString& label, int& lastGeneration,
                   int& wanted, Work work, Deliver deliver) {
  const bool wasBusy = owner->isBusy();
  const int generation = ++lastGeneration;
  wanted = generation;
  runBackgroundTask<T>(
      owner, jobs, label, std::move(work),
      [owner, generation, &wanted, deliver = std::move(deliver)](const TaskResult<T>& result) {
        if (wanted != generation) return;  // superseded by a newer request
        wanted = 0;
        deliver(result.value, result.error);
        if (!owner->isBusy()) emit owner->busyChanged(false);
      });
  if (!wasBusy) emit owner->busyChanged(true);
}

}  // namespace reco::ui
