#include "registry/beneficiaries/tool/progress_bar.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wahana::registry {

std::string WithThousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

ProgressBar::ProgressBar(int fd, bool enabled)
    : fd_(fd),
      active_(enabled && isatty(fd) == 1),
      started_(std::chrono::steady_clock::now()),
      last_(started_ - std::chrono::seconds(1)) {}

std::string ProgressBar::Render(uint64_t done, uint64_t total, int64_t rows, double seconds,
                                int width) {
  const double fraction = total == 0 ? 1.0 : std::min(1.0, static_cast<double>(done) / total);
  const int filled = static_cast<int>(fraction * width);
  const double rate = seconds > 0 ? rows / seconds : 0;
  return absl::StrFormat("[%s%s] %5.1f%%  %s rows  %s rows/s", std::string(filled, '#'),
                         std::string(width - filled, '.'), fraction * 100, WithThousands(rows),
                         WithThousands(static_cast<int64_t>(rate)));
}

void ProgressBar::Update(uint64_t done, uint64_t total, int64_t rows) {
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  std::string line = absl::StrCat("\r", Render(done, total, rows, seconds), "\x1b[K");
  drawn_ = write(fd_, line.data(), line.size()) > 0 || drawn_;
}

void ProgressBar::Clear() {
  if (!active_ || !drawn_) return;
  const char erase[] = "\r\x1b[K";
  if (write(fd_, erase, sizeof(erase) - 1) < 0) return;
  drawn_ = false;
}

}  // namespace wahana::registry
