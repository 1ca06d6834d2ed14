#include "cli/scenario_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "scenario/scenario_json.h"

namespace cli {
namespace {

std::string KindOf(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

base::Status TooLarge(const std::string& path, uint64_t size, uint64_t max_bytes, bool at_least) {
  return base::Status::InvalidInput(path + ": " + (at_least ? "more than " : "") + SizeText(size) +
                                    ", over the limit of " + SizeText(max_bytes) +
                                    " for a scenario file (--max-input-size BYTES raises it)");
}

}  // namespace

std::string SizeText(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::string NotRegularFileKind(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return KindOf(st.st_mode);
}

base::Result<scenario::Scenario> LoadScenarioInput(const std::string& path, uint64_t max_bytes) {
  auto cannot_read = [&path](int error) {
    return base::Status::InvalidInput(path + ": cannot read file (" + std::strerror(error) + ")");
  };
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return cannot_read(errno);
  std::string kind = KindOf(st.st_mode);
  if (!kind.empty()) return base::Status::InvalidInput(path + ": " + kind + ", not a regular file");
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return TooLarge(path, st.st_size, max_bytes, false);
  // Non-blocking, and checked again once open: the path may have been swapped for a
  // FIFO since the stat.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return cannot_read(errno);
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  if (::fstat(fd, &st) != 0) return cannot_read(errno);
  if (!S_ISREG(st.st_mode)) return base::Status::InvalidInput(path + ": " + KindOf(st.st_mode) + ", not a regular file");
  // At most max_bytes + 1, whatever the file claims: it may grow while read.
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cannot_read(errno);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > max_bytes) return TooLarge(path, max_bytes, max_bytes, true);
  }
  return scenario::ParseScenario(text, path);
}

}  // namespace cli
