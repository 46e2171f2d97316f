#pragma once
// A bounded pool of threads for blocking work (Redis round trips) so gRPC's callback reactors never
// block. When the queue is full, Submit refuses instead of queueing without bound: the caller
// answers RESOURCE_EXHAUSTED and the client may retry later.

#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace wahana {

class WorkerPool {
 public:
  WorkerPool(int threads, int max_queued);
  // Runs every task already queued, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when `max_queued` tasks are already waiting (or the pool is stopping).
  bool Submit(std::function<void()> task);

 private:
  void Loop();
  // The condition a worker awaits (absl::Mutex::Await re-checks it on every unlock of mu_, so no
  // notify can be forgotten).
  bool HasTaskOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_queued_;
  mutable absl::Mutex mu_;
  std::deque<std::function<void()>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace wahana
