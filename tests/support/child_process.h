#pragma once
// A child process for end-to-end tests: started with extra environment variables, its output
// appended to a log file, stopped with SIGTERM (then SIGKILL after a grace period).

#include <map>
#include <string>
#include <vector>

namespace wahana::testing {

class ChildProcess {
 public:
  ChildProcess(std::string binary, std::map<std::string, std::string> env, std::string log_path);
  ~ChildProcess();  // Stop()
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool running();
  // SIGTERM, wait up to `grace_ms`, then SIGKILL. Returns the exit code (128+signal if killed),
  // or -1 when it was not running.
  int Stop(int grace_ms = 10000);
  // SIGKILL at once (a crash: no shutdown of its own) and waits for the process to be gone.
  void Kill();
  const std::string& log_path() const { return log_path_; }
  std::string LogTail(size_t bytes = 4000) const;

 private:
  std::string log_path_;
  int pid_ = -1;
};

// Runs `command` with /bin/sh, waits for it, and returns its exit code (-1 when it could not run
// or was killed by a signal); its standard output goes to `output` (add 2>&1 for errors too).
int RunCommand(const std::string& command, std::string* output);

}  // namespace wahana::testing
