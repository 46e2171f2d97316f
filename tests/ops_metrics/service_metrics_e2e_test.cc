// The services' /metrics endpoints, with the whole suite running as processes: each service serves
// its gRPC call counts and latency histogram and the lag of the consumer groups it runs on its own
// port (WAHANA_METRICS_PORT), and WAHANA_METRICS_PORT=0 serves nothing.

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/suite.h"

namespace wahana::testing {
namespace {

constexpr char kGetCaseCounts[] = "/wahana.reporting.v1.ReportingService/GetCaseCounts";
constexpr char kGetRegion[] = "/wahana.registry.v1.RegistryService/GetRegion";

// The value of the sample `series` (name and labels exactly as exposed) in `text`, or -1 when the
// text has no such line.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 &&
        line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return -1;
}

// Scrapes `port` until `series` reads `want` (the interceptor records a call as its status goes
// out, so right after a response the count may still be one short) or 10 s pass; the last text.
std::string ScrapeUntil(int port, const std::string& series, double want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    HttpResponse scraped = HttpCall(port, "GET", "/metrics");
    if ((scraped.status == 200 && Sample(scraped.body, series) == want) ||
        std::chrono::steady_clock::now() > deadline) {
      return scraped.body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The TCP ports a process listens on. The process is the one whose environment holds every entry
// of `environment` ("WAHANA_GRPC_PORT=5123"); its sockets (/proc/<pid>/fd) are matched with the
// listening sockets of /proc/net/tcp{,6}. Empty when no such process runs.
std::set<int> ListeningPorts(const std::vector<std::string>& environment) {
  std::string pid;
  if (DIR* proc = opendir("/proc")) {
    while (dirent* entry = readdir(proc)) {
      std::string name = entry->d_name;
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      std::string env = ReadFile("/proc/" + name + "/environ");
      std::set<std::string> entries;
      std::istringstream parts(env);
      for (std::string part; std::getline(parts, part, '\0');) entries.insert(part);
      bool all = true;
      for (const std::string& e : environment) all = all && entries.count(e) > 0;
      if (all) {
        pid = name;
        break;
      }
    }
    closedir(proc);
  }
  std::set<int> ports;
  if (pid.empty()) return ports;
  std::set<std::string> inodes;
  if (DIR* fds = opendir(("/proc/" + pid + "/fd").c_str())) {
    while (dirent* entry = readdir(fds)) {
      char target[256] = {};
      std::string link = "/proc/" + pid + "/fd/" + entry->d_name;
      ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
      std::string t(target, n > 0 ? static_cast<size_t>(n) : 0);
      if (t.rfind("socket:[", 0) == 0) inodes.insert(t.substr(8, t.size() - 9));
    }
    closedir(fds);
  }
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream lines(ReadFile(table));
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode;
      if (state != "0A" || inodes.count(inode) == 0) continue;  // 0A: LISTEN
      ports.insert(std::stoi(local.substr(local.find(':') + 1), nullptr, 16));
    }
  }
  return ports;
}

int GrpcPort(const Suite& suite, const std::string& service) {
  std::string address = suite.GrpcAddress(service);
  return std::stoi(address.substr(address.find(':') + 1));
}

TEST(ServiceMetricsE2eTest, EachServiceServesItsCallsAndItsConsumerGroups) {
  Suite suite;
  ASSERT_TRUE(suite.Start());

  // Calls through the gateway: two to reporting, one to the registry, and a registry write the
  // case service consumes from the registry stream.
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(suite.Call("GET", "/v1/reports/caseCounts?region=16.06").status, 200);
  }
  ASSERT_EQ(suite.Call("GET", "/v1/regions/16.06").status, 200);
  HttpResponse created =
      suite.Call("POST", "/v1/institutions?requestId=metrics-e2e-1",
                 R"({"kind":"PKK","name":"TP PKK Desa Sukarami","villageCode":"16.06.01.2001"})");
  ASSERT_EQ(created.status, 200) << created.body;

  const int reporting = suite.MetricsPort("reporting");
  const std::string calls =
      std::string(R"(wahana_grpc_server_calls_total{code="OK",method=")") + kGetCaseCounts + "\"}";
  std::string text = ScrapeUntil(reporting, calls, 2);
  EXPECT_EQ(Sample(text, calls), 2) << text;
  const std::string method_label = std::string(R"(method=")") + kGetCaseCounts + "\"}";
  EXPECT_EQ(Sample(text, "wahana_grpc_server_call_duration_seconds_count{" + method_label), 2)
      << text;
  EXPECT_EQ(
      Sample(text, std::string(R"(wahana_grpc_server_call_duration_seconds_bucket{method=")") +
                       kGetCaseCounts + R"(",le="+Inf"})"),
      2)
      << text;
  EXPECT_NE(text.find("# TYPE wahana_grpc_server_call_duration_seconds histogram"),
            std::string::npos)
      << text;
  // Reporting consumes the case stream as group "reporting"; nothing is waiting.
  EXPECT_EQ(
      Sample(text, R"(wahana_stream_group_lag{group="reporting",stream="case:{16.06}:stream"})"), 0)
      << text;
  EXPECT_EQ(
      Sample(text,
             R"(wahana_stream_group_pending{group="reporting",stream="case:{16.06}:stream"})"),
      0)
      << text;
  // The event service consumes the case stream too, as group "event" (the cases a mediation
  // event serves), and reports its own group's lag.
  const std::string event_text = HttpCall(suite.MetricsPort("event"), "GET", "/metrics").body;
  EXPECT_EQ(
      Sample(event_text, R"(wahana_stream_group_lag{group="event",stream="case:{16.06}:stream"})"),
      0)
      << event_text;
  EXPECT_EQ(Sample(event_text,
                   R"(wahana_stream_group_pending{group="event",stream="case:{16.06}:stream"})"),
            0)
      << event_text;
  // The registry's calls are counted by the registry alone.
  EXPECT_EQ(text.find(kGetRegion), std::string::npos) << "reporting counts only its own calls";
  std::string registry_text = ScrapeUntil(
      suite.MetricsPort("registry"),
      std::string(R"(wahana_grpc_server_calls_total{code="OK",method=")") + kGetRegion + "\"}", 1);
  EXPECT_EQ(
      Sample(registry_text, std::string(R"(wahana_grpc_server_calls_total{code="OK",method=")") +
                                kGetRegion + "\"}"),
      1)
      << registry_text;

  // The case service has read the institution's message from the registry stream (its group has
  // delivered at least one entry) and acknowledged it: lag and pending both 0.
  const std::string case_lag =
      R"(wahana_stream_group_lag{group="case",stream="registry:{16.06}:stream"})";
  const std::string case_pending =
      R"(wahana_stream_group_pending{group="case",stream="registry:{16.06}:stream"})";
  auto redis = suite.redis().Client();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string case_text;
  for (;;) {
    case_text = HttpCall(suite.MetricsPort("case"), "GET", "/metrics").body;
    auto groups = redis->Command({"XINFO", "GROUPS", "registry:{16.06}:stream"});
    bool read_one = false;
    if (groups.ok()) {
      for (const auto& group : groups->elements) {
        for (size_t i = 0; i + 1 < group.elements.size(); i += 2) {
          if (group.elements[i].str == "entries-read" && group.elements[i + 1].integer >= 1) {
            read_one = true;
          }
        }
      }
    }
    if ((read_one && Sample(case_text, case_lag) == 0 && Sample(case_text, case_pending) == 0) ||
        std::chrono::steady_clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Sample(case_text, case_lag), 0) << case_text;
  EXPECT_EQ(Sample(case_text, case_pending), 0) << case_text;

  // A case call leaves an audit entry: the case trail's script count moves, nothing failed.
  ASSERT_EQ(suite.Call("GET", "/v1/cases/01JD0000000000000000000000").status, 404);
  const std::string audit_scripts = R"(wahana_audit_scripts_total{trail="case"})";
  case_text = ScrapeUntil(suite.MetricsPort("case"), audit_scripts, 1);
  EXPECT_GE(Sample(case_text, audit_scripts), 1) << case_text;
  EXPECT_EQ(Sample(case_text, R"(wahana_audit_entries_failed_total{trail="case"})"), 0)
      << case_text;

  // Each service listens on exactly its gRPC port and its metrics port; only /metrics is served.
  for (const char* service : {"registry", "case", "event", "reporting"}) {
    std::set<int> ports =
        ListeningPorts({"WAHANA_GRPC_PORT=" + std::to_string(GrpcPort(suite, service)),
                        "WAHANA_REDIS_PORT=" + std::to_string(suite.redis().port())});
    EXPECT_EQ(ports, (std::set<int>{GrpcPort(suite, service), suite.MetricsPort(service)}))
        << service;
  }
  EXPECT_EQ(HttpCall(reporting, "GET", "/").status, 404);
}

TEST(ServiceMetricsE2eTest, PortZeroServesNothing) {
  Suite suite(std::map<std::string, std::string>{{"WAHANA_METRICS_PORT", "0"}});
  ASSERT_TRUE(suite.Start());
  for (const char* service : {"registry", "case", "event", "reporting"}) {
    EXPECT_EQ(suite.MetricsPort(service), 0);
    std::set<int> ports =
        ListeningPorts({"WAHANA_GRPC_PORT=" + std::to_string(GrpcPort(suite, service)),
                        "WAHANA_REDIS_PORT=" + std::to_string(suite.redis().port())});
    EXPECT_EQ(ports, std::set<int>{GrpcPort(suite, service)}) << service << ": gRPC alone";
  }
}

}  // namespace
}  // namespace wahana::testing
