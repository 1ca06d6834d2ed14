#include "report/progress.h"

#include <unistd.h>

#include <cmath>

namespace report {

ProgressLine::ProgressLine(std::FILE* out, bool enabled, uint64_t total, std::string unit)
    : out_(out), enabled_(enabled), total_(total), unit_(std::move(unit)), start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

bool ProgressLine::StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

std::string ProgressLine::Text(const std::string& unit, uint64_t done, uint64_t total, uint64_t failures,
                               double elapsed_seconds) {
  char buf[160];
  double rate = elapsed_seconds > 0 ? done / elapsed_seconds : 0;
  std::string left = "?";
  if (rate > 0 && done <= total) {
    double s = (total - done) / rate;
    char t[32];
    if (s < 60) std::snprintf(t, sizeof t, "~%.0fs", std::ceil(s));
    else if (s < 3600) std::snprintf(t, sizeof t, "~%.0fm%02.0fs", std::floor(s / 60), std::fmod(std::ceil(s), 60));
    else std::snprintf(t, sizeof t, "~%.1fh", s / 3600);
    left = t;
  }
  std::snprintf(buf, sizeof buf, "%llu/%llu %s, %.1f/s, %llu failed, %s left", static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(total), unit.c_str(), rate, static_cast<unsigned long long>(failures),
                left.c_str());
  return buf;
}

void ProgressLine::Update(uint64_t done, uint64_t failures) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::fprintf(out_, "\r  %s\033[K", Text(unit_, done, total_, failures, elapsed).c_str());
  std::fflush(out_);
}

void ProgressLine::Clear() {
  if (!drawn_) return;
  std::fprintf(out_, "\r\033[K");
  std::fflush(out_);
  drawn_ = false;
}

void RunProgress::Emit(const sim::Event& e) {
  if (e.kind == sim::EventKind::kPlace) ++placed_;
  if (e.kind == sim::EventKind::kFail && !e.group.empty()) ++failures_;
  if (++events_ % 512 == 0) line_->Update(placed_, failures_);
}

}  // namespace report
