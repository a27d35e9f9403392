#include "core/common/error.h"

#include <locale.h>
#include <string.h>

namespace reco {

const char* errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "usage error";
    case ErrorKind::Config: return "bad option";
    case ErrorKind::Io: return "file error";
    case ErrorKind::Data: return "data error";
    case ErrorKind::Workspace: return "workspace error";
    case ErrorKind::Sqlite: return "database error";
    case ErrorKind::Model: return "model error";
    case ErrorKind::Internal: return "internal error";
  }
  return "error";
}

int exitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage:
    case ErrorKind::Config: return 2;
    case ErrorKind::Io:
    case ErrorKind::Data: return 3;
    case ErrorKind::Workspace:
    case ErrorKind::Sqlite: return 4;
    case ErrorKind::Model:
    case ErrorKind::Internal: return 1;
  }
  return 1;
}

std::string describeLocation(const std::string& file, std::size_t line, std::size_t column) {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace detail {
void failCheck(ErrorKind kind, const char* condition, const std::string& message,
               const char* sourceFile, int sourceLine) {
  if (kind == ErrorKind::Internal) {
    throw Error(kind, message + " (check '" + condition + "' failed at " + sourceFile + ":" +
                          std::to_string(sourceLine) + ")");
  }
  throw Error(kind, message);
}
}  // namespace detail

std::string errnoText(int error) {
  static const locale_t english = newlocale(LC_ALL_MASK, "C", locale_t(0));
  return english ? strerror_l(error, english) : "error " + std::to_string(error);
}

std::string errorCodeText(const std::error_code& code) {
  if (code.category() == std::system_category() || code.category() == std::generic_category())
    return errnoText(code.value());
  return code.message();
}

}  // namespace reco
