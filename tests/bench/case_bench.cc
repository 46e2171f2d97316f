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
#include "bench_cases.h"
#include "bench_client.h"
#include "wahana/cases/v1/case.grpc.pb.h"
#include "wahana/registry/v1/beneficiary.grpc.pb.h"
#include "wahana/registry/v1/worker.grpc.pb.h"

namespace {

namespace pb = wahana::cases::v1;
namespace reg = wahana::registry::v1;

using wahana::bench::Describe;
using wahana::bench::kBenchSubdistrict;
using wahana::bench::kBenchVillage;

constexpr int kWorkerCaseloadCap = 100;
// One worker per slot, numbered into the NIK's four serial digits from 9000.
constexpr int kMaxConcurrency = 999;

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

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm day{};
  gmtime_r(&now, &day);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &day);
  return text;
}

std::unique_ptr<grpc::ClientContext> SetupContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
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
  w->set_village_code(kBenchVillage);
  w->add_subdistrict_codes(kBenchSubdistrict);
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

  void Run() { loop_.Run(); }

  void Print() {
    const char* name = options_.mode == Mode::kCreate      ? "case-create"
                       : options_.mode == Mode::kLifecycle ? "case-lifecycle"
                                                           : "case-history";
    std::printf("%s %s", name, loop_.Figures().c_str());
    if (options_.mode == Mode::kLifecycle) {
      std::printf(" calls_per_s=%.0f", calls_ / loop_.elapsed_s());
    }
    if (options_.mode == Mode::kHistory) std::printf(" actions=%d", options_.history_actions);
    std::printf("\n");
    if (loop_.errors() > 0) {
      std::fprintf(stderr, "first error: %s\n", Describe(loop_.first_error()).c_str());
    }
  }

 private:
  using Finish = wahana::bench::ClosedLoop::Finish;

  // `status`, its message led by the step that answered it (the first error's label).
  static grpc::Status Labelled(const grpc::Status& status, const std::string& what) {
    return status.ok() ? status
                       : grpc::Status(status.error_code(), what + ": " + status.error_message());
  }

  // Sends one call; `done(status, response)` runs on a gRPC thread when it finishes.
  template <typename Request, typename Response, typename Done>
  void Send(wahana::bench::AsyncMethod<CaseAsync, Request, Response> method, Request request,
            Done done) {
    wahana::bench::SendAsync(stub_->async(), method, std::move(request), std::move(done));
  }

  // One operation of `slot`; `finish` ends it.
  bool Start(int slot, Finish finish) {
    switch (options_.mode) {
      case Mode::kCreate:
        Send(&CaseAsync::CreateCase, NewCase(), [finish](const grpc::Status& status, pb::Case&) {
          finish(Labelled(status, "create"));
        });
        break;
      case Mode::kLifecycle:
        Advance(slot, std::move(finish), 0, pb::Case());
        break;
      case Mode::kHistory: {
        pb::GetCaseHistoryRequest request;
        request.set_id(history_case_id_);
        request.set_page_size(options_.history_actions);
        Send(&CaseAsync::GetCaseHistory, std::move(request),
             [this, finish](const grpc::Status& status, pb::CaseHistory& history) {
               if (status.ok() && history.actions_size() != options_.history_actions) {
                 finish(grpc::Status(
                     grpc::StatusCode::INTERNAL,
                     "history: holds " + std::to_string(history.actions_size()) + " actions"));
                 return;
               }
               finish(Labelled(status, "history"));
             });
        break;
      }
    }
    return true;
  }

  pb::CreateCaseRequest NewCase() {
    return wahana::bench::ElderlyCase(beneficiary_ids_[next_subject_++ % beneficiary_ids_.size()]);
  }

  // Step `step` of a lifecycle of `slot`, on the case as the previous step returned it.
  void Advance(int slot, Finish finish, int step, const pb::Case& c) {
    auto next = [this, slot, finish, step](const grpc::Status& status, pb::Case& updated) {
      ++calls_;
      if (!status.ok() || step + 1 == kLifecycleLength) {
        finish(Labelled(status, kLifecycleSteps[step]));
        return;
      }
      Advance(slot, finish, step + 1, updated);
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

  std::unique_ptr<pb::CaseService::Stub> stub_;
  const Options options_;
  const std::vector<std::string> beneficiary_ids_;
  std::atomic<size_t> next_subject_{0};
  const std::vector<std::string> worker_ids_;
  const std::string history_case_id_;
  const std::string today_;
  std::atomic<long> calls_{0};
  wahana::bench::ClosedLoop loop_{
      options_.concurrency, options_.seconds,
      [this](int slot, Finish finish) { return Start(slot, std::move(finish)); }};
};

// The history case: a create and notes until it holds `actions` actions, checked by one read.
grpc::Status PrepareHistoryCase(pb::CaseService::Stub& stub, const std::string& beneficiary_id,
                                int actions, std::string* id) {
  pb::CreateCaseRequest create;
  pb::Case* in = create.mutable_case_();
  in->set_category(wahana::common::v1::LANJUT_USIA_TELANTAR);
  in->set_kind(pb::INDIVIDUAL);
  in->set_village_code(kBenchVillage);
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

int Fail(const char* what, const std::string& message) {
  std::fprintf(stderr, "case_bench: %s: %s\n", what, message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  wahana::bench::Flags flags(
      argc, argv, {"method", "target", "registry", "concurrency", "seconds", "history-actions"});
  Options options;
  const std::string method = flags.String("method");
  options.target = flags.String("target");
  options.registry = flags.String("registry");
  options.concurrency = flags.Int("concurrency", options.concurrency, 1, kMaxConcurrency);
  options.seconds = flags.Int("seconds", options.seconds, 1, 24 * 3600);
  options.history_actions = flags.Int("history-actions", options.history_actions, 1, 500);
  const bool mode_known =
      method == "create-case" || method == "case-lifecycle" || method == "case-history";
  options.mode = method == "case-lifecycle" ? Mode::kLifecycle
                 : method == "case-history" ? Mode::kHistory
                                            : Mode::kCreate;
  if (!flags.Finish().ok() || !mode_known || options.target.empty() || options.registry.empty()) {
    if (!flags.Finish().ok()) std::fprintf(stderr, "%s\n", flags.Finish().ToString().c_str());
    std::fprintf(stderr,
                 "--method=create-case|case-lifecycle|case-history --target=H:P --registry=H:P "
                 "[--concurrency=1..999] [--seconds=10] "
                 "[--history-actions=1..500]\n");
    return 2;
  }

  absl::StatusOr<std::shared_ptr<const wahana::TokenSource>> tokens =
      wahana::bench::AdminTokens("case");
  if (!tokens.ok()) return Fail("authentication", std::string(tokens.status().message()));

  auto registry = wahana::bench::Connect(options.registry, *tokens);
  auto beneficiaries = reg::BeneficiaryService::NewStub(registry);
  std::vector<std::string> beneficiary_ids;
  grpc::Status status = wahana::bench::EnsureBeneficiaries(
      *beneficiaries, wahana::bench::kCaseBenchSubjects, &beneficiary_ids);
  if (!status.ok()) return Fail("creating a beneficiary", Describe(status));

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

  auto channel = wahana::bench::Connect(options.target, *tokens);
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
