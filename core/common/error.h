#pragma once
/// Errors of the core. Every failure the user can cause is a reco::Error with a kind
/// (which the CLI maps to an exit code) and a message that says what was expected,
/// what was found and where (file, line, column).

#include <cstddef>
#include <stdexcept>
#include <string>
#include <system_error>

namespace reco {

enum class ErrorKind {
  Usage,      ///< bad command line: exit 2
  Config,     ///< bad option value: exit 2
  Io,         ///< a file that cannot be opened or read: exit 3
  Data,       ///< input data that cannot be imported: exit 3
  Workspace,  ///< not a workspace, newer schema, locked, corrupt: exit 4
  Sqlite,     ///< any other SQLite failure: exit 4
  Model,      ///< a model failed (NaN loss, divergence): exit 1
  Internal,   ///< a broken invariant: exit 1
};

/// Name of a kind, for messages ("data error", "workspace error", ...).
const char* errorKindName(ErrorKind kind);

/// Exit code of the `reco` command line for an error of this kind (the README lists them).
int exitCodeFor(ErrorKind kind);

/// Exit code of a job that the user cancelled (Ctrl-C).
inline constexpr int kExitCancelled = 130;

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

/// The English text of an errno value ("No such file or directory"), whatever the C
/// locale: messages stay in one language when the window runs in, say, de_DE.
std::string errnoText(int error);
/// The same for a std::error_code from <filesystem> (system or generic category).
std::string errorCodeText(const std::error_code& code);

/// A location in an input file, for messages: "u.data:12:3" (line and column 1-based;
/// 0 leaves them out).
std::string describeLocation(const std::string& file, std::size_t line = 0, std::size_t column = 0);

namespace detail {
[[noreturn]] void failCheck(ErrorKind kind, const char* condition, const std::string& message,
                            const char* sourceFile, int sourceLine);
}  // namespace detail

}  // namespace reco

/// Throws reco::Error(kind, message) when cond is false; Internal errors also name the
/// source file and line of the check, since they are bugs, not user input.
#define RECO_CHECK(cond, kind, message)                                                   \
  do {                                                                                    \
    if (!(cond)) ::reco::detail::failCheck((kind), #cond, (message), __FILE__, __LINE__); \
  } while (false)
