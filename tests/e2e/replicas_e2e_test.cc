// Two replicas of the case service behind one gateway, as real processes: the gateway's calls reach
// both (each replica's own /metrics counts the calls it served), both consume the registry's
// stream in the one "case" group under names of their own, and when one is killed (SIGKILL, a
// crash) every call goes on through the other.

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "common/redis/redis_client.h"
#include "nlohmann/json.hpp"
#include "support/suite.h"

namespace wahana::testing {
namespace {

constexpr char kGetCaseServed[] =
    "wahana_grpc_server_calls_total{code=\"OK\",method=\"/wahana.cases.v1.CaseService/GetCase\"}";

// GetCase calls replica `replica` of the case service answered OK, from its /metrics (0 before
// its first).
double GetCaseServed(const Suite& suite, int replica) {
  HttpResponse scraped = HttpCall(suite.MetricsPort("case", replica), "GET", "/metrics");
  std::istringstream lines(scraped.body);
  const std::string prefix = std::string(kGetCaseServed) + " ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stod(line.substr(prefix.size()));
  }
  return 0;
}

// GetCase served by both replicas together, once it reaches `want` (a replica counts a call as
// its answer goes out, so just after the answer the count may be one short) or 10 s pass.
double GetCaseServedByAll(const Suite& suite, double want) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    double served = GetCaseServed(suite, 0) + GetCaseServed(suite, 1);
    if (served >= want || std::chrono::steady_clock::now() > deadline) return served;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string CreateCase(const Suite& suite, const std::string& request_id) {
  nlohmann::json intake = {{"villageCode", "16.06.01.2001"},
                           {"category", "LANJUT_USIA_TELANTAR"},
                           {"kind", "INDIVIDUAL"},
                           {"summary", "Nenek tinggal sendiri, dilaporkan Karang Taruna"}};
  HttpResponse created = suite.Call("POST", "/v1/cases?requestId=" + request_id, intake.dump());
  EXPECT_EQ(created.status, 200) << created.body;
  return Suite::Json(created).value("id", "");
}

// GETs the case `calls` times through the gateway; the answers that were not 200, one a line.
std::string FailedReads(const Suite& suite, const std::string& id, int calls) {
  std::string failed;
  for (int i = 0; i < calls; ++i) {
    HttpResponse read = suite.Call("GET", "/v1/cases/" + id);
    if (read.status != 200) failed += std::to_string(read.status) + " " + read.body + "\n";
  }
  return failed;
}

TEST(ReplicasE2eTest, CallsReachEveryReplicaAndGoOnWhenOneIsKilled) {
  Suite suite;
  suite.SetReplicas("case", 2);
  ASSERT_TRUE(suite.Start()) << "suite not ready within 60 s";
  const std::string id = CreateCase(suite, "replicas-before");
  ASSERT_FALSE(id.empty());

  constexpr int kReads = 20;
  EXPECT_EQ(FailedReads(suite, id, kReads), "");
  EXPECT_EQ(GetCaseServedByAll(suite, kReads), kReads);
  // round_robin: each replica gets its turn, not the first that answered every call.
  const double first = GetCaseServed(suite, 0);
  const double second = GetCaseServed(suite, 1);
  EXPECT_GE(first, kReads / 4) << "replica 1 served " << first << " of " << kReads;
  EXPECT_GE(second, kReads / 4) << "replica 2 served " << second << " of " << kReads;

  // Both replicas are consumers of the case group on the registry's stream, named apart.
  auto consumers =
      suite.redis().Client()->Command({"XINFO", "CONSUMERS", "registry:{16.06}:stream", "case"});
  ASSERT_TRUE(consumers.ok()) << consumers.status();
  std::set<std::string> names;
  for (const RedisReply& consumer : consumers->elements) names.insert(consumer.elements.at(1).str);
  EXPECT_EQ(names.size(), 2u) << consumers->elements.size() << " consumers";

  // The second replica crashes: the gateway's next calls, reads and a write, all succeed.
  suite.KillReplica("case", 1);
  EXPECT_EQ(FailedReads(suite, id, kReads), "");
  const std::string after = CreateCase(suite, "replicas-after");
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(FailedReads(suite, after, kReads), "");
  // The survivor served them all.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (GetCaseServed(suite, 0) < first + 2 * kReads &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(GetCaseServed(suite, 0), first + 2 * kReads);
}

}  // namespace
}  // namespace wahana::testing
