#include "common/grpc/worker_pool.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace wahana {

WorkerPool::WorkerPool(int threads, int max_queued) : max_queued_(max_queued) {
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

bool WorkerPool::Submit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(task));
  return true;
}

bool WorkerPool::HasTaskOrStopping() const { return stopping_ || !queue_.empty(); }

void WorkerPool::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WorkerPool::HasTaskOrStopping));
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    // Last-resort catch at the thread entry: a bug in one call must not end the process.
    try {
      task();
    } catch (const std::exception& e) {
      spdlog::error("worker task threw: {}", e.what());
    } catch (...) {
      spdlog::error("worker task threw a non-exception");
    }
  }
}

}  // namespace wahana
