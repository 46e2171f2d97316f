// The case service's load generator (issue 5, "Measure"): the same closed loop as echo_bench.cc
// (each of `concurrency` slots starts its next operation when the previous one finishes, every
// call on one channel through gRPC's callback API), so its figures compare with the echo's.
//
//   wahana_case_bench --method=create-case --target=H:P --registry=H:P [common flags]
//       CreateCase of a new INDIVIDUAL case (village 16.06.01.2001, a registry beneficiary as
//       subject: the first case of each asks the registry, later ones find it among the case
//       service's known subjects, services/case/known_subjects.h); prints
//       "case-create rate=<cases/s> p50_us=... p99_us=... errors=<n>"
//   wahana_case_bench --method=case-lifecycle --target=H:P --registry=H:P [common flags]
//       a whole lifecycle per operation: create -> :assign -> :assess -> :plan -> :approvePlan ->
//       :recordService -> :terminate -> :close, each step with the etag the previous one returned;
//       latencies are per lifecycle; prints
//       "case-lifecycle rate=<lifecycles/s> p50_us=... p99_us=... errors=<n> calls_per_s=<...>"
//   wahana_case_bench --method=case-history --target=H:P --registry=H:P [--history-actions=100]
//       prepares one case with `history-actions` actions (the create and notes), then reads its
//       history (GetCaseHistory, one page holding every action); prints
//       "case-history rate=<reads/s> p50_us=... p99_us=... errors=<n> actions=<n>"
//
// Common flags: --concurrency=50 --seconds=10. Authentication as echo_bench's: every call
// carries a token signed with WAHANA_TOKEN_SECRET_FILE (required), here for an ADMIN of
// WAHANA_REGION (the steps need more than the SYSTEM role echo_bench's load uses: SYSTEM may not
// update cases).
//
// Setup, over gRPC before the clock starts: 200 beneficiaries (the cases' subjects, in turn) and,
// for the lifecycle, one TKSK worker serving kecamatan 16.06.01 per slot (caseload cap 100), so no
// slot's assignment meets another's caseload. Their creates carry fixed request ids, so a second
// run against the same Redis reuses them. The first error of a run goes to stderr.

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/auth/auth_settings.h"
#include "common/auth/bearer_channel.h"
#include "common/auth/principal.h"
#include "common/config/env_reader.h"
#include "wahana/cases/v1/case.grpc.pb.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace {

namespace pb = wahana::cases::v1;
namespace reg = wahana::registry::v1;

constexpr char kSubdistrict[] = "16.06.01";
constexpr char kVillage[] = "16.06.01.2001";
constexpr auto kCallDeadline = std::chrono::seconds(5);
constexpr int kWorkerCaseloadCap = 100;
// One worker per slot, numbered into the NIK's four serial digits from 9000.
constexpr int kMaxConcurrency = 999;
// Subjects, taken in turn: a real beneficiary has a few cases, and the case store's lookup by
// beneficiary keeps one hash field of ids per beneficiary, rewritten whole on every create (so a
// single subject for every case would measure that field's growth, not a create).
constexpr int kBeneficiaries = 200;

enum class Mode { kCreate, kLifecycle, kHistory };

struct Options {
  Mode mode = Mode::kCreate;
  std::string target;
  std::string registry;
  int concurrency = 50;
  int seconds = 10;
  int history_actions = 100;
};

// The lifecycle's steps, in order; the names are the first error's label.
constexpr const char* kLifecycleSteps[] = {"create",     ":assign",      ":assess",
                                           ":plan",      ":approvePlan", ":recordService",
                                           ":terminate", ":close"};
constexpr int kLifecycleLength = sizeof(kLifecycleSteps) / sizeof(kLifecycleSteps[0]);

using CaseAsync = class pb::CaseService::Stub::async;

// A callback-API method of CaseService: (context, request, response, on-done).
template <typename Request, typename Response>
using CaseMethod = void (CaseAsync::*)(grpc::ClientContext*, const Request*, Response*,
                                       std::function<void(grpc::Status)>);

// One call in flight: owns its context, request and response until its callback has run.
template <typename Request, typename Response>
struct Pending {
  grpc::ClientContext context;
  Request request;
  Response response;
};

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm day{};
  gmtime_r(&now, &day);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &day);
  return text;
}

std::string Describe(const grpc::Status& status) {
  return std::to_string(status.error_code()) + " " + status.error_message();
}

std::unique_ptr<grpc::ClientContext> SetupContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

// The n-th subject: a man born n days after 1950-01-01 in the bench village. NIK serial 9999
// stays clear of echo_bench's serials (5000-7499) and of the importer's (counting up from 0001
// per kecamatan and day).
grpc::Status EnsureBeneficiary(reg::BeneficiaryService::Stub& stub, int n, std::string* id) {
  std::time_t t = static_cast<std::time_t>(-7305 + n) * 86400;  // 1950-01-01 is day -7305
  std::tm day{};
  gmtime_r(&t, &day);
  char nik[32], birth[16];
  std::snprintf(nik, sizeof nik, "160601%02d%02d%02d9999", day.tm_mday, day.tm_mon + 1,
                day.tm_year % 100);
  std::strftime(birth, sizeof birth, "%Y-%m-%d", &day);
  std::string suffix;  // letters only: a unique name, so no duplicate-candidate flags
  for (int k = n; suffix.empty() || k > 0; k /= 26) suffix += static_cast<char>('a' + k % 26);
  suffix[0] = static_cast<char>(suffix[0] - 'a' + 'A');
  reg::CreateBeneficiaryRequest request;
  request.set_request_id("case-bench-beneficiary-" + std::to_string(n));
  reg::Beneficiary* b = request.mutable_beneficiary();
  b->set_nik(nik);
  b->set_full_name("Ahmad Kasus " + suffix);
  b->set_sex(reg::Beneficiary::MALE);
  b->set_birth_date(birth);
  b->set_village_code(kVillage);
  b->add_ppks_categories(wahana::common::v1::LANJUT_USIA_TELANTAR);
  reg::Beneficiary created;
  auto context = SetupContext();
  grpc::Status status = stub.CreateBeneficiary(context.get(), request, &created);
  *id = created.id();
  return status;
}

// The n-th bench worker: a TKSK of kecamatan 16.06.01 (NIK: a man born 17.08.1979, serial
// 9000 + n, unique among workers).
grpc::Status EnsureWorker(reg::WorkerService::Stub& stub, int n, std::string* id) {
  reg::CreateWorkerRequest request;
  request.set_request_id("case-bench-worker-" + std::to_string(n));
  reg::Worker* w = request.mutable_worker();
  char nik[32];
  std::snprintf(nik, sizeof nik, "160601170879%04d", 9000 + n);
  w->set_kind(reg::Worker::TKSK);
  w->set_nik(nik);
  w->set_full_name("Pekerja Bench " + std::to_string(n));
  w->set_village_code(kVillage);
  w->add_subdistrict_codes(kSubdistrict);
  w->set_caseload_cap(kWorkerCaseloadCap);
  reg::Worker created;
  auto context = SetupContext();
  grpc::Status status = stub.CreateWorker(context.get(), request, &created);
  *id = created.id();
  return status;
}

class CaseBench {
 public:
  CaseBench(std::shared_ptr<grpc::Channel> channel, const Options& options,
            std::vector<std::string> beneficiary_ids, std::vector<std::string> worker_ids,
            std::string case_id)
      : stub_(pb::CaseService::NewStub(std::move(channel))),
        options_(options),
        beneficiary_ids_(std::move(beneficiary_ids)),
        worker_ids_(std::move(worker_ids)),
        history_case_id_(std::move(case_id)),
        today_(Today()) {}

  void Run() {
    start_ = std::chrono::steady_clock::now();
    end_ = start_ + std::chrono::seconds(options_.seconds);
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = options_.concurrency;
    }
    for (int slot = 0; slot < options_.concurrency; ++slot) Start(slot);
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &CaseBench::Drained));
    elapsed_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  void Print() {
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto pct = [&](double p) {
      return latencies_us_.empty()
                 ? 0.0
                 : latencies_us_[static_cast<size_t>(p * (latencies_us_.size() - 1))];
    };
    const char* name = options_.mode == Mode::kCreate      ? "case-create"
                       : options_.mode == Mode::kLifecycle ? "case-lifecycle"
                                                           : "case-history";
    std::printf("%s rate=%.0f p50_us=%.0f p99_us=%.0f errors=%d", name,
                latencies_us_.size() / elapsed_s_, pct(0.50), pct(0.99), errors_);
    if (options_.mode == Mode::kLifecycle) std::printf(" calls_per_s=%.0f", calls_ / elapsed_s_);
    if (options_.mode == Mode::kHistory) std::printf(" actions=%d", options_.history_actions);
    std::printf("\n");
    if (!first_error_.empty()) std::fprintf(stderr, "first error: %s\n", first_error_.c_str());
  }

 private:
  using Clock = std::chrono::steady_clock;

  // Sends one call; `done(status, response)` runs on a gRPC thread when it finishes.
  template <typename Request, typename Response, typename Done>
  void Send(CaseMethod<Request, Response> method, Request request, Done done) {
    auto* call = new Pending<Request, Response>();
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    call->request = std::move(request);
    (stub_->async()->*method)(&call->context, &call->request, &call->response,
                              [call, done = std::move(done)](grpc::Status status) {
                                // The call is gone before `done` may end the run: main must not
                                // return while a context of ours is alive.
                                Response response = std::move(call->response);
                                delete call;
                                done(status, response);
                              });
  }

  void Start(int slot) {
    const Clock::time_point started = Clock::now();
    switch (options_.mode) {
      case Mode::kCreate:
        Send(&CaseAsync::CreateCase, NewCase(),
             [this, slot, started](const grpc::Status& status, pb::Case&) {
               Finish(slot, started, status, "create");
             });
        break;
      case Mode::kLifecycle:
        Advance(slot, started, 0, pb::Case());
        break;
      case Mode::kHistory: {
        pb::GetCaseHistoryRequest request;
        request.set_id(history_case_id_);
        request.set_page_size(options_.history_actions);
        Send(&CaseAsync::GetCaseHistory, std::move(request),
             [this, slot, started](const grpc::Status& status, pb::CaseHistory& history) {
               if (status.ok() && history.actions_size() != options_.history_actions) {
                 Finish(slot, started,
                        grpc::Status(
                            grpc::StatusCode::INTERNAL,
                            "history holds " + std::to_string(history.actions_size()) + " actions"),
                        "history");
                 return;
               }
               Finish(slot, started, status, "history");
             });
        break;
      }
    }
  }

  pb::CreateCaseRequest NewCase() {
    pb::CreateCaseRequest request;
    pb::Case* c = request.mutable_case_();
    c->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
    c->set_kind(pb::INDIVIDUAL);
    c->set_village_code(kVillage);
    c->set_summary("Lansia tinggal sendiri, tidak ada yang merawat; dilaporkan kader PKK.");
    c->set_beneficiary_id(beneficiary_ids_[next_subject_++ % beneficiary_ids_.size()]);
    c->mutable_reporter()->set_kind(pb::Reporter::PUBLIC);
    c->mutable_reporter()->set_name("Kader PKK Dusun II");
    c->set_urgency(pb::HIGH);
    return request;
  }

  // Step `step` of a lifecycle of `slot`, on the case as the previous step returned it.
  void Advance(int slot, Clock::time_point started, int step, const pb::Case& c) {
    auto next = [this, slot, started, step](const grpc::Status& status, pb::Case& updated) {
      {
        absl::MutexLock lock(&mu_);
        ++calls_;
      }
      if (!status.ok() || step + 1 == kLifecycleLength) {
        Finish(slot, started, status, kLifecycleSteps[step]);
        return;
      }
      Advance(slot, started, step + 1, updated);
    };
    switch (step) {
      case 0:
        Send(&CaseAsync::CreateCase, NewCase(), next);
        return;
      case 1: {
        pb::AssignCaseRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        r.set_worker_id(worker_ids_[slot]);
        Send(&CaseAsync::AssignCase, std::move(r), next);
        return;
      }
      case 2: {
        pb::AssessCaseRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        r.set_problem("Tinggal sendiri, makan tidak teratur, tidak mampu berobat.");
        r.set_needs("Permakanan, pemeriksaan kesehatan, pendampingan.");
        r.set_strengths("Tetangga peduli, rumah sendiri.");
        r.set_risk_score(70);
        r.set_needs_outside_panti_rehabilitation(true);
        Send(&CaseAsync::AssessCase, std::move(r), next);
        return;
      }
      case 3: {
        pb::PlanCaseRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        pb::PlanGoal* g = r.add_goals();
        g->set_goal("Kebutuhan makan harian terpenuhi");
        g->set_services("permakanan");
        g->set_responsible("TKSK");
        Send(&CaseAsync::PlanCase, std::move(r), next);
        return;
      }
      case 4: {
        pb::ApprovePlanRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        Send(&CaseAsync::ApprovePlan, std::move(r), next);
        return;
      }
      case 5: {
        pb::RecordServiceRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        pb::ServiceRecord* s = r.mutable_service();
        s->set_spm_service(pb::SPM_LANJUT_USIA_TELANTAR);
        s->set_component("permakanan");
        s->set_date(today_);
        s->set_provider("Dinas Sosial");
        Send(&CaseAsync::RecordService, std::move(r), next);
        return;
      }
      case 6: {
        pb::TerminateCaseRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        r.set_termination_reason(pb::GOAL_REACHED);
        Send(&CaseAsync::TerminateCase, std::move(r), next);
        return;
      }
      default: {
        pb::CaseStepRequest r;
        r.set_id(c.id());
        r.set_etag(c.etag());
        Send(&CaseAsync::CloseCase, std::move(r), next);
        return;
      }
    }
  }

  // The end of one operation of `slot`: counts it, and starts the next while time remains.
  void Finish(int slot, Clock::time_point started, const grpc::Status& status, const char* what) {
    const Clock::time_point now = Clock::now();
    const bool again = now < end_;
    {
      absl::MutexLock lock(&mu_);
      if (status.ok()) {
        latencies_us_.push_back(std::chrono::duration<double, std::micro>(now - started).count());
      } else if (errors_++ == 0) {
        first_error_ = std::string(what) + ": " + Describe(status);
      }
      // A slot that goes on stays in flight (see echo_bench.cc).
      if (!again) --in_flight_;
    }
    if (again) {
      Start(slot);
    }
  }

  std::unique_ptr<pb::CaseService::Stub> stub_;
  const Options options_;
  const std::vector<std::string> beneficiary_ids_;
  std::atomic<size_t> next_subject_{0};
  const std::vector<std::string> worker_ids_;
  const std::string history_case_id_;
  const std::string today_;
  Clock::time_point start_, end_;
  bool Drained() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; }

  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  int errors_ = 0;
  long calls_ = 0;
  std::string first_error_;
  std::vector<double> latencies_us_;
  double elapsed_s_ = 1;
};

// The history case: a create and notes until it holds `actions` actions, checked by one read.
grpc::Status PrepareHistoryCase(pb::CaseService::Stub& stub, const std::string& beneficiary_id,
                                int actions, std::string* id) {
  pb::CreateCaseRequest create;
  pb::Case* in = create.mutable_case_();
  in->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  in->set_kind(pb::INDIVIDUAL);
  in->set_village_code(kVillage);
  in->set_summary("Kasus riwayat panjang (benchmark)");
  in->set_beneficiary_id(beneficiary_id);
  pb::Case c;
  auto context = SetupContext();
  grpc::Status status = stub.CreateCase(context.get(), create, &c);
  if (!status.ok()) return status;
  for (int n = 2; n <= actions; ++n) {
    pb::AddCaseNoteRequest note;
    note.set_id(c.id());
    note.set_etag(c.etag());
    note.set_text("Kunjungan rumah ke-" + std::to_string(n - 1) +
                  ": kondisi stabil, makan teratur, obat diminum.");
    note.set_confidential(n % 10 == 0);
    context = SetupContext();
    status = stub.AddCaseNote(context.get(), note, &c);
    if (!status.ok()) return status;
  }
  pb::GetCaseHistoryRequest read;
  read.set_id(c.id());
  read.set_page_size(actions);
  pb::CaseHistory history;
  context = SetupContext();
  status = stub.GetCaseHistory(context.get(), read, &history);
  if (!status.ok()) return status;
  if (history.actions_size() != actions || !history.next_page_token().empty()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "the prepared case's history holds " +
                                                        std::to_string(history.actions_size()) +
                                                        " actions on its first page");
  }
  *id = c.id();
  return grpc::Status::OK;
}

// Tokens of an ADMIN of the deployment's region, signed with the deployment's secret (both from
// the environment, as the services read them); INVALID_ARGUMENT naming the bad setting.
absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> AdminTokens() {
  wahana::EnvReader env;
  std::string region = env.RegionCode("WAHANA_REGION");
  wahana::AuthSettings settings = wahana::ReadAuthSettings(env);
  absl::Status read = env.Finish();
  if (!read.ok()) return read;
  absl::StatusOr<wahana::AuthKeys> keys = wahana::LoadAuthKeys(settings);
  if (!keys.ok()) return keys.status();
  wahana::Principal admin;
  admin.subject = "bench:case";
  admin.display_name = "wahana_case_bench";
  admin.role = wahana::Role::kAdmin;
  admin.region_scope = region;
  if (keys->issuer == nullptr) {
    std::cerr << "case_bench: WAHANA_TOKEN_SIGNING_KEY_FILE is required (an ADMIN token)\n";
    std::exit(2);
  }
  return std::make_shared<const wahana::TokenSource>(keys->issuer, std::move(admin));
}

std::shared_ptr<grpc::Channel> Connect(const std::string& target,
                                       std::shared_ptr<const wahana::TokenSource> tokens) {
  return wahana::CreateAuthorizedChannel(target, grpc::ChannelArguments(), std::move(tokens));
}

int Fail(const char* what, const std::string& message) {
  std::fprintf(stderr, "case_bench: %s: %s\n", what, message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  bool mode_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* prefix) { return arg.substr(std::strlen(prefix)); };
    auto has = [&](const char* prefix) { return arg.rfind(prefix, 0) == 0; };
    if (has("--method=")) {
      const std::string method = value("--method=");
      mode_set = true;
      if (method == "create-case")
        options.mode = Mode::kCreate;
      else if (method == "case-lifecycle")
        options.mode = Mode::kLifecycle;
      else if (method == "case-history")
        options.mode = Mode::kHistory;
      else
        mode_set = false;
    } else if (has("--target="))
      options.target = value("--target=");
    else if (has("--registry="))
      options.registry = value("--registry=");
    else if (has("--concurrency="))
      options.concurrency = std::stoi(value("--concurrency="));
    else if (has("--seconds="))
      options.seconds = std::stoi(value("--seconds="));
    else if (has("--history-actions="))
      options.history_actions = std::stoi(value("--history-actions="));
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (!mode_set || options.target.empty() || options.registry.empty() || options.concurrency < 1 ||
      options.concurrency > kMaxConcurrency || options.seconds < 1 || options.history_actions < 1 ||
      options.history_actions > 500) {
    std::fprintf(stderr,
                 "--method=create-case|case-lifecycle|case-history --target=H:P --registry=H:P "
                 "[--concurrency=1..999] [--seconds=10] "
                 "[--history-actions=1..500]\n");
    return 2;
  }

  absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> tokens = AdminTokens();
  if (!tokens.ok()) return Fail("authentication", std::string(tokens.status().message()));

  auto registry = Connect(options.registry, *tokens);
  auto beneficiaries = reg::BeneficiaryService::NewStub(registry);
  std::vector<std::string> beneficiary_ids;
  grpc::Status status;
  for (int n = 0; n < kBeneficiaries; ++n) {
    std::string id;
    status = EnsureBeneficiary(*beneficiaries, n, &id);
    if (!status.ok()) return Fail("creating a beneficiary", Describe(status));
    beneficiary_ids.push_back(std::move(id));
  }

  std::vector<std::string> worker_ids;
  if (options.mode == Mode::kLifecycle) {
    auto workers = reg::WorkerService::NewStub(registry);
    for (int n = 0; n < options.concurrency; ++n) {
      std::string id;
      status = EnsureWorker(*workers, n, &id);
      if (!status.ok()) return Fail("creating a worker", Describe(status));
      worker_ids.push_back(std::move(id));
    }
  }

  auto channel = Connect(options.target, *tokens);
  std::string history_case_id;
  if (options.mode == Mode::kHistory) {
    auto stub = pb::CaseService::NewStub(channel);
    status = PrepareHistoryCase(*stub, beneficiary_ids.front(), options.history_actions,
                                &history_case_id);
    if (!status.ok()) return Fail("preparing the history case", Describe(status));
  }

  CaseBench bench(channel, options, std::move(beneficiary_ids), std::move(worker_ids),
                  std::move(history_case_id));
  bench.Run();
  bench.Print();
  return 0;
}
