#pragma once
// A private redis-server for one test: a free port, a fresh temp dir, AOF on (as in production),
// stopped and removed when the object dies. Tests never touch a shared Redis.

#include <memory>
#include <string>

#include "common/redis/redis_client.h"

namespace wahana::testing {

class RedisServer {
 public:
  // Starts redis-server and waits until it answers PING; aborts the test binary (with a clear
  // message) if it cannot.
  RedisServer();
  ~RedisServer();  // SIGTERM, wait, remove the temp dir

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }
  RedisOptions options() const;  // host 127.0.0.1, this port
  // A fresh client on this server.
  std::unique_ptr<RedisClient> Client() const;

  // Stops the server abruptly (SIGKILL) / gracefully (SIGTERM, wait). No-ops when not running.
  void Kill();
  void Stop();
  // Stops the server if it runs (SIGTERM), then starts it again on the same port and dir (AOF
  // replayed). Clients see UNAVAILABLE on connections broken by the restart and reconnect after.
  void Restart();

 private:
  void Launch();     // aborts when redis-server does not come up
  bool TryLaunch();  // false when it exited or did not answer PING within 10 s
  int port_ = 0;
  std::string dir_;
  int pid_ = -1;
};

// A TCP port free on 127.0.0.1 at the time of the call.
int FreePort();

}  // namespace wahana::testing
