// Issue 14's goal, measured: "a backlog of 1,000,000 federation messages after an outage drains at
// >= 50,000 messages/s, and the province ends with the same numbers as if they had arrived live".
//
//   wahana_federation_bench [--messages=1000000] [--batch-sizes=2000,5000] [--setup-threads=8]
//       [--consumers=4]
//
// Everything runs in this process against two private redis-servers (tests/support, the
// deployment's redis.conf), a district's ("16.06") and its province's ("16"). For each batch size:
//   1. the outage's backlog: `messages` case counter changes applied through the district's
//      RedisCaseCountsStore with its outbox (federation_backlog.h), from `setup-threads` threads;
//   2. the baselines on the district's Redis, same run: XRANGE of the whole outbox in chunks of
//      2000, and pipelined XADD (2000 a pipeline) of as many entries of the same size;
//   3. the province: FederationService (BatchReceiver) on a gRPC server on 127.0.0.1 and
//      `consumers` reporting consumers of its federation stream (ApplyDeliveredAggregates), as
//      wahana-federation and wahana-reporting run them;
//   4. the drain, timed: OutboxRelay with a GrpcFederationPeer, from Start() until the outbox is
//      empty (every entry acknowledged and trimmed) and the province's reporting group has applied
//      everything (lag and pending 0). CPU per message: this process's (relay, gRPC both ways,
//      receiver, consumers) and each Redis's (INFO cpu) over the drain;
//   5. the check: the province's case counters equal the district's
//      (delivered_counters_match.h).
// Prints one line per step ("federation-setup", "federation-baseline", "federation") and exits 1
// when the numbers differ or a step fails. Before each drain it writes "draining (pid <pid>)" to
// stderr, for a profiler to attach to.

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench_client.h"
#include "common/bus/bus_contract.h"
#include "common/bus/consumer_setup.h"
#include "common/bus/group_progress.h"
#include "common/crypto/ed25519_key.h"
#include "common/grpc/worker_pool.h"
#include "common/status/status_macros.h"
#include "cpu_usage.h"
#include "delivered_counters_match.h"
#include "federation/batch_receiver.h"
#include "federation/federation_grpc_service.h"
#include "federation/federation_peer.h"
#include "federation/outbox_relay.h"
#include "federation/registered_districts.h"
#include "federation_backlog.h"
#include "nlohmann/json.hpp"
#include "reporting/delivered_aggregates.h"
#include "reporting/redis_case_counts_store.h"
#include "support/redis_server.h"

namespace {

using wahana::RedisClient;
using wahana::RedisReply;
using wahana::bench::Clock;

constexpr char kDistrict[] = "16.06";
constexpr char kProvince[] = "16";
constexpr int kChunk = 2000;  // the baselines' XRANGE and XADD pipeline sizes
constexpr auto kDrainLimit = std::chrono::minutes(30);
constexpr auto kPollEvery = std::chrono::milliseconds(5);

struct Options {
  long messages = 1000000;
  std::vector<int> batch_sizes;
  int setup_threads = 8;
  int consumers = 4;
};

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::unique_ptr<RedisClient> Connect(const wahana::testing::RedisServer& server, int pool) {
  wahana::RedisOptions options = server.options();
  options.pool_size = pool;
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Connect(options);
  if (!client.ok()) {
    std::fprintf(stderr, "federation_bench: %s\n", client.status().ToString().c_str());
    std::exit(1);
  }
  return *std::move(client);
}

// The province's side, as wahana-federation and wahana-reporting run it: Deliver on a gRPC
// server (no token: the batch's signature authenticates it), and the reporting consumers of the
// federation stream.
class Province {
 public:
  static absl::StatusOr<std::unique_ptr<Province>> Start(RedisClient& redis,
                                                         const wahana::Ed25519PrivateKey& district,
                                                         int consumers) {
    nlohmann::json registered = nlohmann::json::array(
        {{{"region", kDistrict}, {"publicKey", district.PublicKey().PemOf()}}});
    WAHANA_ASSIGN_OR_RETURN(wahana::RegisteredDistricts districts,
                            wahana::RegisteredDistricts::Parse(registered.dump(), kProvince));
    std::unique_ptr<Province> province(new Province(redis));
    auto shared_districts = std::make_shared<wahana::RegisteredDistricts>(std::move(districts));
    province->service_ = std::make_unique<wahana::FederationGrpcService>(
        std::make_shared<wahana::BatchReceiver>(redis, kProvince, shared_districts),
        /*lookup=*/nullptr, /*answerer=*/nullptr, /*status=*/nullptr, province->pool_);
    const int port = wahana::testing::FreePort();
    province->address_ = absl::StrCat("127.0.0.1:", port);
    grpc::ServerBuilder builder;
    int bound = 0;
    builder.AddListeningPort(province->address_, grpc::InsecureServerCredentials(), &bound);
    builder.RegisterService(province->service_.get());
    province->server_ = builder.BuildAndStart();
    if (province->server_ == nullptr || bound == 0) {
      return absl::UnavailableError(absl::StrCat("cannot listen on ", province->address_));
    }
    wahana::ServiceConfig config;
    config.region = kProvince;
    for (int n = 0; n < consumers; ++n) {
      province->consumers_.push_back(wahana::MakeBusConsumer(
          redis, config, wahana::kReportingReadsFederation,
          [counts = province->counts_](const wahana::common::v1::Envelope& envelope,
                                       const std::string&) {
            return wahana::ApplyDeliveredAggregates(*counts, envelope);
          },
          absl::StrCat("reporting-bench-", n)));
      WAHANA_RETURN_IF_ERROR(province->consumers_.back()->Start());
    }
    return province;
  }

  ~Province() {
    for (auto& consumer : consumers_) consumer->Stop();
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }

  const std::string& address() const { return address_; }

 private:
  explicit Province(RedisClient& redis)
      : pool_(8, 1000), counts_(std::make_shared<wahana::RedisCaseCountsStore>(redis, kProvince)) {}

  wahana::WorkerPool pool_;
  std::shared_ptr<wahana::RedisCaseCountsStore> counts_;
  std::unique_ptr<wahana::FederationGrpcService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
  std::vector<std::unique_ptr<wahana::StreamConsumer>> consumers_;
};

// Entries per second of XRANGE over the whole of `stream`, kChunk at a time; sets `*read`.
absl::StatusOr<double> XrangeRate(RedisClient& redis, const std::string& stream, long* read) {
  *read = 0;
  std::string from = "-";
  const Clock::time_point start = Clock::now();
  for (;;) {
    WAHANA_ASSIGN_OR_RETURN(RedisReply page, redis.Command({"XRANGE", stream, from, "+", "COUNT",
                                                            std::to_string(kChunk)}));
    if (page.elements.empty()) break;
    *read += static_cast<long>(page.elements.size());
    from = absl::StrCat("(", page.elements.back().elements[0].str);
  }
  return *read / SecondsSince(start);
}

// Entries per second of pipelined XADD (kChunk a pipeline) of `count` copies of the first entry of
// `stream` to a scratch stream, deleted after; sets `*entry_bytes` to that entry's field bytes.
absl::StatusOr<double> XaddRate(RedisClient& redis, const std::string& stream, long count,
                                size_t* entry_bytes) {
  WAHANA_ASSIGN_OR_RETURN(RedisReply first,
                          redis.Command({"XRANGE", stream, "-", "+", "COUNT", "1"}));
  if (first.elements.empty()) return absl::FailedPreconditionError("the outbox is empty");
  std::vector<std::string> xadd = {"XADD", "bench:{16.06}:xadd", "*"};
  *entry_bytes = 0;
  for (const RedisReply& field : first.elements[0].elements[1].elements) {
    xadd.push_back(field.str);
    *entry_bytes += field.str.size();
  }
  const Clock::time_point start = Clock::now();
  for (long done = 0; done < count;) {
    std::vector<std::vector<std::string>> pipeline;
    for (; done < count && pipeline.size() < kChunk; ++done) pipeline.push_back(xadd);
    WAHANA_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis.Pipeline(pipeline));
    for (const RedisReply& reply : replies) {
      if (reply.is_error()) return absl::InternalError(absl::StrCat("XADD: ", reply.str));
    }
  }
  const double rate = count / SecondsSince(start);
  WAHANA_RETURN_IF_ERROR(redis.Command({"DEL", xadd[1]}).status());
  return rate;
}

struct Drain {
  double relay_s = 0;    // until the outbox was empty
  double applied_s = 0;  // until the province had applied everything too
  double process_cpu_s = 0, district_redis_cpu_s = 0, province_redis_cpu_s = 0;
};

// Relays the district's outbox to the province in batches of `batch_size`, timed as the header
// says.
absl::StatusOr<Drain> RunDrain(RedisClient& district, RedisClient& province,
                               const std::shared_ptr<const wahana::Ed25519PrivateKey>& key,
                               const std::string& province_address, int batch_size) {
  wahana::RelayOptions options;
  options.region = kDistrict;
  options.peer = kProvince;
  options.outbox = wahana::OutboxStreamKey("reporting", kDistrict);
  options.batch_size = batch_size;
  wahana::OutboxRelay relay(district, options, key,
                            std::make_shared<wahana::GrpcFederationPeer>(province_address));
  wahana::RedisGroupProgressReader progress(province);
  const std::string federation_stream = wahana::FederationStreamKey(kProvince);

  std::fprintf(stderr, "federation_bench: draining batches of %d (pid %d)\n", batch_size,
               static_cast<int>(::getpid()));
  Drain drain;
  const double process_cpu = wahana::bench::ProcessCpuSeconds(::getpid());
  const double district_cpu = wahana::bench::RedisCpuSeconds(district);
  const double province_cpu = wahana::bench::RedisCpuSeconds(province);
  const Clock::time_point start = Clock::now();
  WAHANA_RETURN_IF_ERROR(relay.Start());
  for (;;) {
    std::this_thread::sleep_for(kPollEvery);
    if (drain.relay_s == 0) {
      WAHANA_ASSIGN_OR_RETURN(RedisReply length, district.Command({"XLEN", options.outbox}));
      if (length.integer == 0) drain.relay_s = SecondsSince(start);
    }
    if (drain.relay_s > 0) {
      WAHANA_ASSIGN_OR_RETURN(
          wahana::GroupProgress applied,
          progress.Read(federation_stream, wahana::kReportingReadsFederation.group));
      if (applied.lag == 0 && applied.pending == 0) break;
    }
    if (Clock::now() - start > kDrainLimit) {
      return absl::DeadlineExceededError("the backlog did not drain within 30 minutes");
    }
  }
  drain.applied_s = SecondsSince(start);
  drain.process_cpu_s = wahana::bench::ProcessCpuSeconds(::getpid()) - process_cpu;
  drain.district_redis_cpu_s = wahana::bench::RedisCpuSeconds(district) - district_cpu;
  drain.province_redis_cpu_s = wahana::bench::RedisCpuSeconds(province) - province_cpu;
  relay.Stop();
  return drain;
}

// One batch size, from an empty pair of Redis servers: setup, baselines, drain, check. False when
// the numbers differ or a step failed (said on stderr).
bool MeasureBatchSize(RedisClient& district, RedisClient& province, const Options& options,
                      int batch_size) {
  auto fail = [](const std::string& step, const absl::Status& status) {
    std::fprintf(stderr, "federation_bench: %s: %s\n", step.c_str(), status.ToString().c_str());
    return false;
  };
  for (RedisClient* redis : {&district, &province}) {
    absl::Status flushed = redis->Command({"FLUSHALL"}).status();
    if (!flushed.ok()) return fail("FLUSHALL", flushed);
  }
  absl::StatusOr<wahana::Ed25519PrivateKey> generated = wahana::Ed25519PrivateKey::Generate();
  if (!generated.ok()) return fail("key", generated.status());
  auto key = std::make_shared<const wahana::Ed25519PrivateKey>(*std::move(generated));
  const std::string outbox = wahana::OutboxStreamKey("reporting", kDistrict);

  Clock::time_point start = Clock::now();
  absl::Status wrote = wahana::bench::WriteBacklog(district, kDistrict, outbox, options.messages,
                                                   options.setup_threads);
  if (!wrote.ok()) return fail("backlog", wrote);
  const double setup_s = SecondsSince(start);
  absl::StatusOr<RedisReply> length = district.Command({"XLEN", outbox});
  if (!length.ok()) return fail("XLEN", length.status());
  std::printf(
      "federation-setup messages=%ld outbox=%lld threads=%d setup_s=%.1f setup_per_s=%.0f\n",
      options.messages, static_cast<long long>(length->integer), options.setup_threads, setup_s,
      options.messages / setup_s);

  long read = 0;
  size_t entry_bytes = 0;
  absl::StatusOr<double> xrange = XrangeRate(district, outbox, &read);
  if (!xrange.ok()) return fail("XRANGE baseline", xrange.status());
  absl::StatusOr<double> xadd = XaddRate(district, outbox, options.messages, &entry_bytes);
  if (!xadd.ok()) return fail("XADD baseline", xadd.status());
  std::printf(
      "federation-baseline xrange_per_s=%.0f xrange_entries=%ld xadd_per_s=%.0f "
      "entry_bytes=%zu\n",
      *xrange, read, *xadd, entry_bytes);
  std::fflush(stdout);

  absl::StatusOr<std::unique_ptr<Province>> serving =
      Province::Start(province, *key, options.consumers);
  if (!serving.ok()) return fail("province", serving.status());
  absl::StatusOr<Drain> drain =
      RunDrain(district, province, key, (*serving)->address(), batch_size);
  serving->reset();
  if (!drain.ok()) return fail("drain", drain.status());

  absl::StatusOr<wahana::bench::CountersMatch> match =
      wahana::bench::CompareDeliveredCounters(district, kDistrict, province, kProvince);
  if (!match.ok()) return fail("comparing the counters", match.status());
  const double n = static_cast<double>(options.messages);
  const double rate = n / drain->applied_s;
  std::printf(
      "federation batch=%d messages=%ld drain_s=%.2f rate=%.0f relay_s=%.2f relay_rate=%.0f "
      "process_cpu_us=%.1f district_redis_cpu_us=%.1f province_redis_cpu_us=%.1f "
      "ratio_to_xrange=%.3f ratio_to_xadd=%.3f hashes=%ld zero_fields_only=%ld district_total=%lld "
      "province_total=%lld same_numbers=%s%s%s\n",
      batch_size, options.messages, drain->applied_s, rate, drain->relay_s, n / drain->relay_s,
      drain->process_cpu_s * 1e6 / n, drain->district_redis_cpu_s * 1e6 / n,
      drain->province_redis_cpu_s * 1e6 / n, rate / *xrange, rate / *xadd, match->hashes_compared,
      match->differ_in_zeros, static_cast<long long>(match->district_total),
      static_cast<long long>(match->province_total), match->same() ? "yes" : "no",
      match->same() ? "" : " first_mismatch=", match->first_mismatch.c_str());
  std::fflush(stdout);
  return match->same();
}

absl::StatusOr<Options> ParseOptions(int argc, char** argv) {
  wahana::bench::Flags flags(argc, argv, {"messages", "batch-sizes", "setup-threads", "consumers"});
  Options options;
  options.messages = flags.Int("messages", 1000000, 1, 100000000);
  options.setup_threads = flags.Int("setup-threads", 8, 1, 64);
  options.consumers = flags.Int("consumers", 4, 1, 64);
  for (absl::string_view text : absl::StrSplit(flags.String("batch-sizes", "2000,5000"), ',')) {
    int size = 0;
    if (!absl::SimpleAtoi(text, &size) || size < 1 || size > 100000) {
      return absl::InvalidArgumentError(
          absl::StrCat("--batch-sizes: \"", text, "\" is not a batch size (1..100000)"));
    }
    options.batch_sizes.push_back(size);
  }
  WAHANA_RETURN_IF_ERROR(flags.Finish());
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<Options> options = ParseOptions(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "federation_bench: %s\n", options.status().ToString().c_str());
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  wahana::testing::RedisServer district_server, province_server;
  std::unique_ptr<RedisClient> district = Connect(district_server, options->setup_threads + 2);
  std::unique_ptr<RedisClient> province = Connect(province_server, options->consumers + 12);
  bool same = true;
  for (int batch_size : options->batch_sizes) {
    same = MeasureBatchSize(*district, *province, *options, batch_size) && same;
  }
  return same ? 0 : 1;
}
