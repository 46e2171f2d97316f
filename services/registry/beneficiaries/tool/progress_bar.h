#pragma once
// A one-line progress bar on a terminal: "[#########.........]  45.2%  452,000 rows  98,760
// rows/s". Draws only when the file descriptor is a terminal, at most ten times a second. Not
// thread-safe.

#include <chrono>
#include <cstdint>
#include <string>

namespace wahana::registry {

class ProgressBar {
 public:
  // `enabled` false draws nothing (--quiet); otherwise draws when `fd` is a terminal.
  ProgressBar(int fd, bool enabled);

  // `done` of `total` (bytes of the file) and the rows so far.
  void Update(uint64_t done, uint64_t total, int64_t rows);
  // Erases the bar.
  void Clear();

  // The bar's text (without the leading carriage return), for tests.
  static std::string Render(uint64_t done, uint64_t total, int64_t rows, double seconds,
                            int width = 30);

 private:
  int fd_;
  bool active_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_;
};

// 1234567 -> "1,234,567".
std::string WithThousands(int64_t n);

}  // namespace wahana::registry
