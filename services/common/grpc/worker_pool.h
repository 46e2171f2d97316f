#pragma once
// A bounded pool of threads for blocking work (Redis round trips) so gRPC's callback reactors never
// block. When the queue is full, Submit refuses instead of queueing without bound: the caller
// answers RESOURCE_EXHAUSTED and the client may retry later.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

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

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace wahana
