#include "ui/plots/export_file.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/common/error.h"
#include "core/common/output_file.h"
#include "ui/convert/qt_convert.h"

namespace reco::ui {

namespace {

namespace fs = std::filesystem;

/// The path the links at `path` finally name (relative targets taken from each link's
/// folder), or `path` itself when it is no link; nullopt for a loop or a chain too long.
std::optional<fs::path> linkTarget(const fs::path& path) {
  constexpr int kMostLinks = 40;  // as the kernel's ELOOP limit
  fs::path at = fs::absolute(path);
  for (int hop = 0; hop < kMostLinks; ++hop) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(at, ec))) return at;
    const fs::path next = fs::read_symlink(at, ec);
    if (ec) return std::nullopt;
    at = next.is_absolute() ? next : at.parent_path() / next;
  }
  return std::nullopt;
}

}  // namespace

QString exportTargetProblem(const QString& target, const QString& workspacePath) {
  const std::vector<std::string> protectedPaths =
      workspacePath.isEmpty() ? std::vector<std::string>()
                              : reco::workspaceFiles(toStdString(workspacePath));
  try {
    const std::string path = toStdString(target);
    reco::checkOutputTarget(path, protectedPaths);
    std::error_code ec;
    if (path.empty() || !fs::is_symlink(fs::symlink_status(path, ec))) return {};
    const auto resolved = linkTarget(path);
    if (!resolved)
      return QStringLiteral("Cannot write %1: its symbolic links go round in a loop.").arg(target);
    reco::checkOutputTarget(resolved->lexically_normal().string(), protectedPaths);
  } catch (const std::exception& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

QString writeExportFile(const QString& target, const QByteArray& bytes,
                        const QString& workspacePath) {
  if (QString problem = exportTargetProblem(target, workspacePath); !problem.isEmpty())
    return problem;
  try {
    reco::AtomicOutputFile file(toStdString(target),
                                workspacePath.isEmpty()
                                    ? std::vector<std::string>()
                                    : reco::workspaceFiles(toStdString(workspacePath)));
    file.write(std::string_view(bytes.constData(), std::size_t(bytes.size())));
    file.commit();
  } catch (const std::exception& error) {
    return QString::fromUtf8(error.what());
  }
  return {};
}

}  // namespace reco::ui
