#pragma once
/// Files the plots export (a heatmap's PNG and CSV, an item map's PNG), written as every
/// export of the workbench is: never over the workspace nor a file SQLite keeps for one,
/// and never half-written (core/common/output_file.h). GUI thread or any; no state.

#include <QByteArray>
#include <QString>

namespace reco::ui {

/// Why an export must not write `target`, for a warning box; empty when it may.
/// reco::checkOutputTarget with the workspace at `workspacePath` (empty: none known) and its
/// -wal, -shm and -journal protected, applied to `target` and, when `target` is a symbolic
/// link, to the file the links finally name. That file need not exist: a link to a
/// workspace's -wal is refused also while the -wal is absent (SQLite would take a file
/// found there for its log).
QString exportTargetProblem(const QString& target, const QString& workspacePath);

/// Writes `bytes` to `target` after exportTargetProblem(): beside the target, then renamed
/// into place (reco::AtomicOutputFile), so a failure or a full disk leaves the previous file
/// as it was, and a link at `target` is replaced by the file, never written through.
/// Returns the error in words, empty on success.
QString writeExportFile(const QString& target, const QByteArray& bytes,
                        const QString& workspacePath);

}  // namespace reco::ui
