#include "cli/run_estimate.h"

#include <algorithm>
#include <cstdio>

#include "base/duration.h"

namespace cli {
namespace {

// Measured on the project's 2-core machine with generated orders (1,000,000 orders:
// 300 s of CPU, 303 s wall; 100,000: 256 MB of state); a run's cost grows about
// linearly with its orders. A busy disk makes the wall time longer, never shorter.
constexpr double kOrdersPerSecond = 3300.0;
constexpr double kStateBytesPerOrder = 2600.0;
constexpr double kPersistsPerSecond = 1e6;  // offset persists of a run that changes nothing
// Below these a run is ordinary and gets no note.
constexpr double kNoteSeconds = 60.0;
constexpr double kNoteBytes = 512.0 * 1024 * 1024;

std::string AboutTime(double seconds) {
  char buf[64];
  if (seconds < 120) std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else if (seconds < 2 * 3600) std::snprintf(buf, sizeof buf, "%.0f min", seconds / 60);
  else if (seconds < 3 * 86400) std::snprintf(buf, sizeof buf, "%.0f h", seconds / 3600);
  else std::snprintf(buf, sizeof buf, "%.0f days", seconds / 86400);
  return buf;
}

std::string AboutBytes(double bytes) {
  char buf[64];
  if (bytes < 1024.0 * 1024 * 1024) std::snprintf(buf, sizeof buf, "%.0f MB", bytes / (1024.0 * 1024));
  else std::snprintf(buf, sizeof buf, "%.1f GB", bytes / (1024.0 * 1024 * 1024));
  return buf;
}

}  // namespace

std::string WithThousands(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string LargeRunNote(const scenario::Scenario& sc, uint64_t runs, int jobs) {
  uint64_t orders = sc.orders.size();
  for (const scenario::GeneratedOrders& g : sc.generated) orders += static_cast<uint64_t>(g.count);
  const double parallel = static_cast<double>(std::clamp<uint64_t>(static_cast<uint64_t>(jobs), 1, runs));
  const double total_runs = static_cast<double>(runs);
  double seconds = static_cast<double>(orders) / kOrdersPerSecond * total_runs / parallel;
  double bytes = static_cast<double>(orders) * kStateBytesPerOrder * parallel;
  std::string what = WithThousands(orders) + " orders";
  if (runs > 1) what = WithThousands(runs) + " seeds of " + what;
  std::string note;
  if (seconds >= kNoteSeconds || bytes >= kNoteBytes)
    note = "note: " + what + ": this will take about " + AboutTime(seconds) + " and about " + AboutBytes(bytes) +
           " of temporary state";
  // A persist timer never keeps a run going, but a run kept busy until `until` (a
  // blocked orderly queue, a send that always fails) fires it all the way there.
  if (sc.until_ms) {
    double persists = static_cast<double>(*sc.until_ms) / static_cast<double>(sc.broker.offset_persist_interval_ms);
    if (persists / kPersistsPerSecond * total_runs / parallel >= kNoteSeconds) {
      if (!note.empty()) note += "\n";
      note += "note: until " + base::FormatDuration(*sc.until_ms) + " with offsetPersistInterval " +
              base::FormatDuration(sc.broker.offset_persist_interval_ms) + ": up to " +
              WithThousands(static_cast<uint64_t>(persists)) + " offset persists if the run is still busy then, " +
              "about " + AboutTime(persists / kPersistsPerSecond * total_runs / parallel);
    }
  }
  if (!note.empty()) note += "\n      (rough figures from a 2-core machine; Ctrl-C stops it and cleans up)";
  return note;
}

}  // namespace cli
