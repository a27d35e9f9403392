#pragma once
// Test support for the study suites of the window (ui_test_tuning_study,
// ui_test_studies_dialog): a small random-search study, and screenshots on request.

#include <QCoreApplication>
#include <QDir>
#include <QString>
#include <QWidget>
#include <string>
#include <utility>
#include <vector>

#include "core/training/tuning_study.h"

namespace reco::testing {

/// A random search of `trials` trials per model over `models`' default spaces, 2 threads.
inline StudyOptions smallStudy(const std::string& name, std::vector<std::string> models,
                               int trials) {
  StudyOptions options;
  options.name = name;
  for (auto& model : models) options.models.push_back({std::move(model), {}, {}, {}});
  options.budget.trials = trials;
  options.search = SearchKind::Random;
  options.compute.threads = 2;
  return options;
}

/// Saves `widget` as `name` in the folder named by the environment variable `folderVariable`
/// (nothing when it is unset); `settle` first handles the pending events (queued replots
/// and layouts), which a caller inside a slot of the study must not do.
inline void saveStudyShot(const char* folderVariable, QWidget& widget, const QString& name,
                          bool settle = true) {
  const QString folder = qEnvironmentVariable(folderVariable);
  if (folder.isEmpty()) return;
  QDir().mkpath(folder);
  if (settle) QCoreApplication::processEvents();
  widget.grab().save(QDir(folder).filePath(name));
}

}  // namespace reco::testing
