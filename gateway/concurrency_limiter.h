#pragma once
// The cap on requests the gateway works on at once. Beyond it a request is shed at once (503 with
// Retry-After: 1) instead of queueing: under overload, answering some quickly beats answering all
// late, and a queue would only hold memory and sockets for answers that arrive after the client
// has given up.

#include <atomic>

namespace wahana {

class ConcurrencyLimiter {
 public:
  // `max_in_flight` <= 0: no cap.
  explicit ConcurrencyLimiter(int max_in_flight) : max_(max_in_flight) {}

  // True, counting the request, when fewer than the cap are in flight; false (nothing counted)
  // otherwise. Every true must be paired with one Release(). Thread-safe, lock-free.
  bool TryAcquire() {
    int now = in_flight_.fetch_add(1, std::memory_order_acq_rel) + 1;
    if (max_ > 0 && now > max_) {
      in_flight_.fetch_sub(1, std::memory_order_acq_rel);
      return false;
    }
    return true;
  }
  void Release() { in_flight_.fetch_sub(1, std::memory_order_acq_rel); }

  int in_flight() const { return in_flight_.load(std::memory_order_relaxed); }
  int max_in_flight() const { return max_; }

 private:
  const int max_;
  std::atomic<int> in_flight_{0};
};

}  // namespace wahana
