// What a district's first link costs (reporting/figures_before_link.h): sending every leaf cell and
// village tally it counted before the link, once, while holding the rebuild lease (no counter
// moves meanwhile: the time the lease is held is the time the consumers wait).
//
//   wahana_figures_bench [--villages=300] [--months=36]
//
// Against a private redis-server (tests/support, the deployment's redis.conf): a district's
// counters as `villages` villages x `months` months x the 8 subjects with cells (the case pivot and
// the 7 counted record subjects), 6 fields a cell, and each village's case tally, written directly.
// Then, same run:
//   - the baseline: every one of those cells read with HGETALL, pipelined 1000 at a time (the
//     reads the snapshot cannot do without);
//   - the snapshot: SendFiguresBeforeLink, timed, with this process's CPU and Redis's (INFO cpu),
//     and the memory the outbox entries add to Redis (INFO memory used_memory).
// Prints "figures-baseline ..." and "figures ..." lines; exits 1 when the snapshot fails or does
// not send every cell.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "common/bus/bus_contract.h"
#include "cpu_usage.h"
#include "reporting/figures_before_link.h"
#include "reporting/record_contribution.h"
#include "reporting/reporting_keys.h"
#include "support/redis_server.h"

namespace {

constexpr char kRegion[] = "16.06";
constexpr size_t kPipeline = 1000;

int Flag(int argc, char** argv, const std::string& name, int fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    int value = 0;
    if (arg.rfind(prefix, 0) == 0 && absl::SimpleAtoi(arg.substr(prefix.size()), &value)) {
      return value;
    }
  }
  return fallback;
}

int64_t UsedMemory(wahana::RedisClient& redis) {
  auto info = redis.Command({"INFO", "memory"});
  if (!info.ok()) return 0;
  const std::string& text = info->str;
  const std::string field = "used_memory:";
  const size_t at = text.find(field);
  int64_t bytes = 0;
  if (at != std::string::npos) {
    (void)absl::SimpleAtoi(text.substr(at + field.size(), text.find('\r', at) - at - field.size()),
                           &bytes);
  }
  return bytes;
}

bool Run(std::vector<std::vector<std::string>>& commands, wahana::RedisClient& redis) {
  for (size_t i = 0; i < commands.size(); i += kPipeline) {
    std::vector<std::vector<std::string>> batch(
        commands.begin() + i, commands.begin() + std::min(commands.size(), i + kPipeline));
    if (!redis.Pipeline(batch).ok()) return false;
  }
  commands.clear();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const int villages = Flag(argc, argv, "villages", 300);
  const int months = Flag(argc, argv, "months", 36);
  wahana::testing::RedisServer server;
  std::unique_ptr<wahana::RedisClient> redis = server.Client();
  const std::string base = wahana::ReportingKeyBase(kRegion);

  std::vector<std::string> subjects = {"case"};
  for (wahana::CountedSubject subject : wahana::CelledSubjects()) {
    subjects.emplace_back(wahana::CountedSubjectName(subject));
  }
  std::vector<std::string> codes;
  for (int v = 0; v < villages; ++v) {
    codes.push_back(absl::StrFormat("16.06.%02d.%04d", 1 + v / 100, 2001 + v % 100));
  }
  std::vector<std::vector<std::string>> writes;
  std::vector<std::string> cell_keys;
  for (const std::string& subject : subjects) {
    for (int m = 0; m < months; ++m) {
      const std::string month = absl::StrFormat("%04d-%02d", 2024 + m / 12, m % 12 + 1);
      writes.push_back({"SADD", wahana::PivotMonthsKeyAt(base, subject), month});
      std::vector<std::string> members = {"SADD",
                                          wahana::PivotCellVillagesKeyAt(base, subject, month)};
      for (const std::string& code : codes) {
        members.push_back(code);
        const std::string key = wahana::PivotCellKeyAt(base, subject, month, code);
        cell_keys.push_back(key);
        writes.push_back({"HSET", key, "n", "3", "status:1", "1", "status:2", "2", "category:8",
                          "2", "category:12", "1", "kind:1", "3"});
      }
      writes.push_back(std::move(members));
    }
  }
  for (const std::string& code : codes) {
    writes.push_back(
        {"HSET", wahana::CaseCountsKey(kRegion, code), "1", "4", "2", "5", "total", "9"});
  }
  if (!Run(writes, *redis)) {
    std::fprintf(stderr, "figures bench: writing the counters failed\n");
    return 1;
  }

  // The baseline: every cell read, pipelined.
  double redis_cpu = wahana::bench::RedisCpuSeconds(*redis);
  auto start = std::chrono::steady_clock::now();
  std::vector<std::vector<std::string>> reads;
  for (const std::string& key : cell_keys) reads.push_back({"HGETALL", key});
  if (!Run(reads, *redis)) return 1;
  const double baseline_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double baseline_redis_cpu = wahana::bench::RedisCpuSeconds(*redis) - redis_cpu;
  std::printf(
      "figures-baseline cells=%zu hgetall_s=%.3f cells_per_s=%.0f redis_cpu_us_per_cell=%.2f\n",
      cell_keys.size(), baseline_s, cell_keys.size() / baseline_s,
      baseline_redis_cpu * 1e6 / cell_keys.size());

  const std::string outbox = wahana::OutboxStreamKey("reporting", kRegion);
  const int64_t memory = UsedMemory(*redis);
  const double process_cpu = wahana::bench::ProcessCpuSeconds(::getpid());
  redis_cpu = wahana::bench::RedisCpuSeconds(*redis);
  start = std::chrono::steady_clock::now();
  absl::StatusOr<wahana::FiguresBeforeLink> sent =
      wahana::SendFiguresBeforeLink(*redis, kRegion, outbox);
  const double snapshot_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!sent.ok()) {
    std::fprintf(stderr, "figures bench: %s\n", sent.status().ToString().c_str());
    return 1;
  }
  const double cells = static_cast<double>(sent->cells);
  std::printf(
      "figures cells=%d tallies=%d entries=%d lease_held_s=%.3f ratio_to_hgetall=%.2f "
      "process_cpu_us_per_cell=%.2f redis_cpu_us_per_cell=%.2f outbox_bytes_per_cell=%.0f\n",
      sent->cells, sent->tallies, sent->entries, snapshot_s, snapshot_s / baseline_s,
      (wahana::bench::ProcessCpuSeconds(::getpid()) - process_cpu) * 1e6 / cells,
      (wahana::bench::RedisCpuSeconds(*redis) - redis_cpu) * 1e6 / cells,
      static_cast<double>(UsedMemory(*redis) - memory) / cells);
  return sent->cells == static_cast<int>(cell_keys.size()) ? 0 : 1;
}
