// The access matrix of issue 4 through the whole suite as processes: every route the gateway
// serves x {no credentials, a principal of another region, a too-low role, the right principal}
// answers the expected code, and no refused answer carries a record's data.
//
// The routes come from the same descriptors the gateway routes by (RouteTable::Build over the
// gateway's backend table), so a route added to a proto without a scenario here fails
// EveryRouteHasAScenario until one is written. The records live in Sekayu (16.06.01); the
// principals are tokens signed with the suite's secret:
//   right     ADMIN of 16.06.01            -> 2xx
//   other     ADMIN of 16.06.02            -> reads and changes of a record 404 (it is invisible,
//                                             as if absent); creates in 16.06.01 and lists of
//                                             16.06.01 403
//   low read  PROVINCE_VIEWER of 16        -> reads 404, lists 403 (aggregates only)
//   low write VIEWER of 16.06              -> every write 403
//
// And every custom step (the `:verb` routes that change one record, and a case's notes) x every
// role, as the policy's step table says (access_policy.h Step; README "Who may do what"): a
// principal the step allows, sent with a stale etag, gets 409 (its access passed, the etag did
// not); one it refuses gets 403 (or 404 where it may not even read the record) with the record
// unchanged; then the principal the row names takes the step for real (200).

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gateway/gateway_config.h"
#include "gateway/route_table.h"
#include "support/suite.h"
#include "support/test_auth.h"

namespace wahana::testing {
namespace {

using nlohmann::json;

constexpr char kVillage[] = "16.06.01.2001";
constexpr char kOtherVillageInScope[] = "16.06.01.2002";
constexpr char kSubdistrict[] = "16.06.01";

// What a route does, which decides the expected codes.
enum class Kind {
  kRead,       // one record by id (or by NIK)
  kList,       // a list, asked for the records' subdistrict
  kCreate,     // a new record in the records' subdistrict
  kWrite,      // a change of one existing record
  kReference,  // reference data every principal reads (regions)
  kReport,     // aggregates, asked for the records' subdistrict
  kKeyList,    // the API keys in the caller's scope (no region asked)
};

struct Request {
  std::string target;  // path and query
  std::string body;
};

struct Scenario {
  Scenario(std::string method, Kind kind, std::function<Request()> request, int low_status = 0,
           int other_status = 0, std::string other_body_has = "", int right_status = 200)
      : method(std::move(method)),
        kind(kind),
        request(std::move(request)),
        low_status(low_status),
        other_status(other_status),
        other_body_has(std::move(other_body_has)),
        right_status(right_status) {}

  std::string method;  // "wahana.cases.v1.CaseService.AssignCase"
  Kind kind;
  // Built when its turn comes (etags move as the scenarios run).
  std::function<Request()> request;
  // The low role's and the other region's answers when they are not the kind's (0: the kind's).
  int low_status = 0;
  int other_status = 0;
  // Text the other region's answer must hold (when it is not a plain refusal).
  std::string other_body_has;
  // The right principal's answer: 200, unless the route is not this deployment's to serve.
  int right_status = 200;
};

class RouteMatrixE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    suite_ = new Suite();
    started_ = suite_->Start();
    if (started_) CreateRecords();
  }
  static void TearDownTestSuite() {
    delete suite_;
    suite_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << "the suite did not start"; }

  static std::map<std::string, std::string> Bearer(const Principal& principal) {
    return {{"Authorization", "Bearer " + TestToken(principal)}};
  }
  // As the bootstrap ADMIN of the region.
  static json Admin(const std::string& method, const std::string& target, const json& body) {
    HttpResponse r = suite_->Call(method, target, body.is_null() ? "" : body.dump());
    EXPECT_EQ(r.status, 200) << method << " " << target << ": " << r.body;
    return Suite::Json(r);
  }
  static std::string Etag(const std::string& record_path) {
    return Admin("GET", record_path, nullptr).value("etag", "");
  }
  // Visits are recorded once a network is LEGALIZED: the steps up to it (a board, then the
  // village head's decree), once.
  static void LegalizeNetwork() {
    const std::string path = "/v1/networks/" + network_;
    if (Admin("GET", path, nullptr).value("stage", "") != "SOCIALIZED") return;
    Admin("POST", path + ":advance",
          {{"etag", Etag(path)}, {"stage", "BOARD_FORMED"}, {"date", "2026-01-20"}});
    Admin(
        "PATCH", path + "?updateMask=decree",
        {{"etag", Etag(path)},
         {"decree",
          {{"number", "141/12/SK/SKR/2026"}, {"date", "2026-01-22"}, {"issuer", "Kepala Desa"}}}});
    Admin("POST", path + ":advance",
          {{"etag", Etag(path)}, {"stage", "LEGALIZED"}, {"date", "2026-01-25"}});
  }
  // Remembers what no refused answer may show.
  static std::string Keep(const std::string& id) {
    secrets_.insert(id);
    return id;
  }

  // The records every scenario works on, made by the bootstrap ADMIN.
  static void CreateRecords() {
    for (const char* text :
         {"Majelis Taklim Rahasia Matriks", "PKK Matriks Anggota", "Bapak Pekerja Matriks",
          "Ibu Penerima Matriks", "1606015703480077", "1606011505800077", "1606010101200077",
          "Pelapor Matriks Rahasia", "Ringkasan kasus matriks rahasia", "Rapat Matriks Rahasia"}) {
      secrets_.insert(text);
    }
    institution_ = Keep(Admin("POST", "/v1/institutions",
                              {{"kind", "MAJELIS_TAKLIM"},
                               {"name", "Majelis Taklim Rahasia Matriks"},
                               {"villageCode", kVillage}})
                            .value("id", ""));
    member_ =
        Keep(Admin("POST", "/v1/institutions",
                   {{"kind", "PKK"}, {"name", "PKK Matriks Anggota"}, {"villageCode", kVillage}})
                 .value("id", ""));
    network_ =
        Keep(Admin("POST", "/v1/networks",
                   {{"kind", "VILLAGE"}, {"name", "WKSBM Matriks"}, {"villageCode", kVillage}})
                 .value("id", ""));
    worker_ = Keep(Admin("POST", "/v1/workers",
                         {{"kind", "TKSK"},
                          {"nik", "1606011505800077"},
                          {"fullName", "Bapak Pekerja Matriks"},
                          {"villageCode", kVillage},
                          {"subdistrictCodes", {kSubdistrict}},
                          {"caseloadCap", 25}})
                       .value("id", ""));
    beneficiary_ = Keep(Admin("POST", "/v1/beneficiaries",
                              {{"nik", "1606015703480077"},
                               {"kkNumber", "1606010101200077"},
                               {"fullName", "Ibu Penerima Matriks"},
                               {"sex", "FEMALE"},
                               {"birthDate", "1948-03-17"},
                               {"villageCode", kVillage},
                               {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}})
                            .value("id", ""));
    household_ =
        Keep(Admin("POST", "/v1/households",
                   {{"kkNumber", "1606010101200077"},
                    {"villageCode", kVillage},
                    {"address", "Dusun Matriks"},
                    {"members", {{{"beneficiaryId", beneficiary_}, {"relation", "HEAD"}}}}})
                 .value("id", ""));
    case_ = Keep(Admin("POST", "/v1/cases",
                       {{"villageCode", kVillage},
                        {"category", "LANJUT_USIA_TELANTAR"},
                        {"kind", "INDIVIDUAL"},
                        {"beneficiaryId", beneficiary_},
                        {"reporter", {{"kind", "PUBLIC"}, {"name", "Pelapor Matriks Rahasia"}}},
                        {"summary", "Ringkasan kasus matriks rahasia"}})
                     .value("id", ""));
    conflict_ = Keep(
        Admin("POST", "/v1/cases",
              {{"villageCode", kVillage},
               {"category", "KORBAN_TINDAK_KEKERASAN"},
               {"kind", "SOCIAL_CONFLICT"},
               {"parties", {{{"beneficiaryId", beneficiary_}}, {{"institutionId", institution_}}}},
               {"summary", "Ringkasan kasus matriks rahasia"}})
            .value("id", ""));
    // Held today: its participants' check-in codes are valid until its end.
    auto at = [](absl::Duration from_now) {
      return absl::FormatTime(absl::RFC3339_sec, absl::Now() + from_now, absl::UTCTimeZone());
    };
    event_ = Keep(Admin("POST", "/v1/events",
                        {{"kind", "RAPAT_KOORDINASI"},
                         {"title", "Rapat Matriks Rahasia"},
                         {"regionCode", kSubdistrict},
                         {"startTime", at(-absl::Hours(1))},
                         {"endTime", at(absl::Hours(8))}})
                      .value("id", ""));
    // A second one to cancel: the first is taken through to DONE.
    cancelled_event_ = Keep(Admin("POST", "/v1/events",
                                  {{"kind", "SOSIALISASI"},
                                   {"title", "Sosialisasi Matriks Rahasia"},
                                   {"regionCode", kSubdistrict},
                                   {"startTime", "2026-06-03T02:00:00Z"}})
                                .value("id", ""));
    // A walk-in registered for the first event (PLANNED takes registrations).
    participant_ = Keep(Admin("POST", "/v1/events/" + event_ + "/participants",
                              {{"walkIn",
                                {{"fullName", "Peserta Matriks Rahasia"},
                                 {"nik", "1606010101900077"},
                                 {"affiliation", "Karang Taruna"}}}})
                            .value("id", ""));
    api_key_ =
        Keep(Admin("POST", "/v1/apiKeys",
                   {{"name", "kunci matriks"}, {"role", "VIEWER"}, {"regionScope", kSubdistrict}})
                 .value("key", json::object())
                 .value("id", ""));
  }

  // Every route's scenario, in the order they run: a record's steps in its lifecycle's order,
  // archives and revocations last.
  static std::vector<Scenario> Scenarios() {
    const std::string reg = "wahana.registry.v1.";
    const std::string cs = "wahana.cases.v1.CaseService.";
    const std::string in_sekayu = std::string("?region=") + kSubdistrict;
    auto step = [](const std::string& id, const std::string& suffix, json body) {
      return [id, suffix, body]() mutable {
        body["etag"] = Etag("/v1/cases/" + id);
        return Request{"/v1/cases/" + id + suffix, body.dump()};
      };
    };
    auto get = [](std::string target) { return [target] { return Request{target, ""}; }; };
    auto patch = [](const std::string& collection, const std::string& id, const std::string& mask,
                    json body) {
      return [collection, id, mask, body]() mutable {
        body["etag"] = Etag(collection + "/" + id);
        return Request{collection + "/" + id + "?updateMask=" + mask, body.dump()};
      };
    };
    auto network_step = [](const std::string& suffix, json body) {
      return [suffix, body]() mutable {
        if (suffix == ":recordVisit") LegalizeNetwork();
        body["etag"] = Etag("/v1/networks/" + network_);
        return Request{"/v1/networks/" + network_ + suffix, body.dump()};
      };
    };
    auto post = [](std::string target, json body) {
      return [target, body] { return Request{target, body.dump()}; };
    };
    // An archive (or another step) of a record, with the etag it has when the request is made.
    auto archive = [](const std::string& collection, const std::string& id, json body,
                      const std::string& verb = ":archive") {
      return [collection, id, body, verb]() mutable {
        body["etag"] = Etag(collection + "/" + id);
        return Request{collection + "/" + id + verb, body.dump()};
      };
    };
    return {
        // Reference data and aggregates.
        {reg + "RegistryService.GetRegion", Kind::kReference, get("/v1/regions/16.06.01")},
        {reg + "RegistryService.ListRegions", Kind::kReference, get("/v1/regions?parent=16.06")},
        {"wahana.reporting.v1.ReportingService.GetCaseCounts", Kind::kReport,
         get("/v1/reports/caseCounts" + in_sekayu)},
        {"wahana.reporting.v1.ReportingService.GetCaseReport", Kind::kReport,
         get("/v1/reports/cases" + in_sekayu + "&period=2026&groupBy=category")},
        {"wahana.reporting.v1.ReportingService.GetBeneficiaryReport", Kind::kReport,
         get("/v1/reports/beneficiaries" + in_sekayu + "&groupBy=ageBand")},
        {"wahana.reporting.v1.ReportingService.GetInstitutionReport", Kind::kReport,
         get("/v1/reports/institutions" + in_sekayu + "&groupBy=kind")},
        {"wahana.reporting.v1.ReportingService.GetNetworkReport", Kind::kReport,
         get("/v1/reports/networks" + in_sekayu + "&groupBy=stage")},
        {"wahana.reporting.v1.ReportingService.GetEventReport", Kind::kReport,
         get("/v1/reports/events" + in_sekayu + "&period=2026&groupBy=kind")},
        {"wahana.reporting.v1.ReportingService.GetWorkerReport", Kind::kReport,
         get("/v1/reports/workers" + in_sekayu + "&groupBy=region")},
        {"wahana.reporting.v1.ReportingService.GetSpmReport", Kind::kReport,
         get("/v1/reports/spm" + in_sekayu + "&year=2026")},
        {"wahana.reporting.v1.ReportingService.GetKpiReport", Kind::kReport,
         get("/v1/reports/kpis" + in_sekayu + "&period=2026")},
        // No region asked: every principal sees the consumers' progress, the other region's too.
        {"wahana.reporting.v1.ReportingService.GetReportingStatus", Kind::kReport,
         get("/v1/reports/status"), /*low_status=*/0, /*other_status=*/200},
        // A province's look-up in its districts: in this district deployment the roles that may
        // look NIKs up are told it is a province's (400), the others refused first (403).
        {"wahana.federation.v1.FederationService.LookupBeneficiary", Kind::kRead,
         get("/v1/federation/beneficiaries:lookup?nik=1606015703480077"), 403, 400, "a province",
         400},
        // The links' status, as the consumers': no personal data, no region asked.
        {"wahana.federation.v1.FederationService.GetFederationStatus", Kind::kReport,
         get("/v1/federation/status"), /*low_status=*/0, /*other_status=*/200},
        // Institutions.
        {reg + "InstitutionService.CreateInstitution", Kind::kCreate,
         post("/v1/institutions", {{"kind", "KARANG_TARUNA"},
                                   {"name", "Karang Taruna Matriks Baru"},
                                   {"villageCode", kVillage}})},
        {reg + "InstitutionService.GetInstitution", Kind::kRead,
         get("/v1/institutions/" + institution_)},
        {reg + "InstitutionService.ListInstitutions", Kind::kList,
         get("/v1/institutions" + in_sekayu)},
        {reg + "InstitutionService.UpdateInstitution", Kind::kWrite,
         patch("/v1/institutions", institution_, "memberCount", {{"memberCount", 50}})},
        // Networks.
        {reg + "NetworkService.CreateNetwork", Kind::kCreate,
         post("/v1/networks", {{"kind", "VILLAGE"},
                               {"name", "WKSBM Matriks Baru"},
                               {"villageCode", kOtherVillageInScope}})},
        {reg + "NetworkService.GetNetwork", Kind::kRead, get("/v1/networks/" + network_)},
        {reg + "NetworkService.ListNetworks", Kind::kList, get("/v1/networks" + in_sekayu)},
        {reg + "NetworkService.UpdateNetwork", Kind::kWrite,
         patch("/v1/networks", network_, "name", {{"name", "WKSBM Matriks Diubah"}})},
        {reg + "NetworkService.AdvanceNetwork", Kind::kWrite,
         network_step(":advance", {{"stage", "SOCIALIZED"}, {"date", "2026-01-10"}})},
        {reg + "NetworkService.AddNetworkMember", Kind::kWrite,
         network_step(":addMember", {{"institutionId", member_}})},
        {reg + "NetworkService.RemoveNetworkMember", Kind::kWrite,
         network_step(":removeMember", {{"institutionId", member_}})},
        {reg + "NetworkService.RecordNetworkVisit", Kind::kWrite,
         network_step(
             ":recordVisit",
             {{"visit", {{"date", "2026-02-01"}, {"visitor", "TKSK"}, {"active", true}}}})},
        // Workers.
        {reg + "WorkerService.CreateWorker", Kind::kCreate,
         post("/v1/workers", {{"kind", "TKSK"},
                              {"nik", "1606011505800078"},
                              {"fullName", "Pekerja Matriks Baru"},
                              {"villageCode", kVillage},
                              {"subdistrictCodes", {kSubdistrict}}})},
        {reg + "WorkerService.GetWorker", Kind::kRead, get("/v1/workers/" + worker_)},
        {reg + "WorkerService.ListWorkers", Kind::kList, get("/v1/workers" + in_sekayu)},
        {reg + "WorkerService.UpdateWorker", Kind::kWrite,
         patch("/v1/workers", worker_, "caseloadCap", {{"caseloadCap", 30}})},
        // Beneficiaries.
        {reg + "BeneficiaryService.CreateBeneficiary", Kind::kCreate,
         post("/v1/beneficiaries", {{"nik", "1606015703480078"},
                                    {"fullName", "Penerima Matriks Baru"},
                                    {"sex", "MALE"},
                                    {"birthDate", "1950-01-01"},
                                    {"villageCode", kVillage},
                                    {"ppksCategories", {"FAKIR_MISKIN"}}})},
        {reg + "BeneficiaryService.ImportBeneficiaries", Kind::kCreate,
         post("/v1/beneficiaries:import", {{"rows",
                                            {{{"line", 2},
                                              {"beneficiary",
                                               {{"nik", "1606015703480079"},
                                                {"fullName", "Penerima Matriks Impor"},
                                                {"sex", "MALE"},
                                                {"birthDate", "1951-01-01"},
                                                {"villageCode", kVillage},
                                                {"ppksCategories", {"FAKIR_MISKIN"}}}}}}}}),
         // An import refuses row by row: 200 with the row rejected, nothing created.
         0, 200, R"("created":0)"},
        {reg + "BeneficiaryService.GetBeneficiary", Kind::kRead,
         get("/v1/beneficiaries/" + beneficiary_)},
        // Looking up by NIK is a function of the roles that see personal data: a PROVINCE_VIEWER
        // is refused it (403) whatever the NIK.
        {reg + "BeneficiaryService.LookupBeneficiary", Kind::kRead,
         get("/v1/beneficiaries:lookup?nik=1606015703480077"), 403},
        {reg + "BeneficiaryService.ListPossibleDuplicates", Kind::kRead,
         get("/v1/beneficiaries/" + beneficiary_ + "/duplicates")},
        // The person's data and processing trail (UU 27/2022 art. 32): a read of the record.
        {reg + "BeneficiaryService.ExportPersonalData", Kind::kRead,
         get("/v1/beneficiaries/" + beneficiary_ + ":exportPersonalData")},
        {reg + "BeneficiaryService.ListBeneficiaries", Kind::kList,
         get("/v1/beneficiaries" + in_sekayu)},
        {reg + "BeneficiaryService.UpdateBeneficiary", Kind::kWrite,
         patch("/v1/beneficiaries", beneficiary_, "address", {{"address", "Dusun Matriks 2"}})},
        // Households.
        {reg + "HouseholdService.CreateHousehold", Kind::kCreate,
         post("/v1/households", {{"kkNumber", "1606010101200078"},
                                 {"villageCode", kVillage},
                                 {"address", "Dusun Matriks Baru"}})},
        {reg + "HouseholdService.GetHousehold", Kind::kRead, get("/v1/households/" + household_)},
        {reg + "HouseholdService.ListHouseholds", Kind::kList, get("/v1/households" + in_sekayu)},
        {reg + "HouseholdService.UpdateHousehold", Kind::kWrite,
         patch("/v1/households", household_, "address", {{"address", "Dusun Matriks 3"}})},
        // Cases: the individual case through its lifecycle, the conflict's mediation.
        {cs + "CreateCase", Kind::kCreate,
         post("/v1/cases", {{"villageCode", kVillage},
                            {"category", "ANAK_TELANTAR"},
                            {"kind", "INDIVIDUAL"},
                            {"summary", "Kasus matriks baru"}})},
        {cs + "GetCase", Kind::kRead, get("/v1/cases/" + case_)},
        // The province lists the cases referred to it (none here): 200 and nothing of ours.
        {cs + "ListCases", Kind::kList, get("/v1/cases" + in_sekayu), 200},
        {cs + "GetCaseHistory", Kind::kRead, get("/v1/cases/" + case_ + "/history")},
        {cs + "AssignCase", Kind::kWrite, step(case_, ":assign", {{"workerId", worker_}})},
        {cs + "AssessCase", Kind::kWrite, step(case_, ":assess", {{"problem", "hidup sendiri"}})},
        {cs + "PlanCase", Kind::kWrite,
         step(case_, ":plan", {{"goals", {{{"goal", "permakanan rutin"}}}}})},
        {cs + "ApprovePlan", Kind::kWrite, step(case_, ":approvePlan", json::object())},
        {cs + "RecordService", Kind::kWrite,
         step(case_, ":recordService",
              {{"service",
                {{"spmService", "SPM_LANJUT_USIA_TELANTAR"},
                 {"component", "permakanan"},
                 {"date", "2026-03-01"}}}})},
        {cs + "MonitorCase", Kind::kWrite, step(case_, ":monitor", json::object())},
        {cs + "ResumeIntervention", Kind::kWrite,
         step(case_, ":resumeIntervention", json::object())},
        {cs + "ReferCase", Kind::kWrite,
         step(case_, ":refer",
              {{"target", "REFERRAL_AGENCY"}, {"agency", "Puskesmas"}, {"reason", "periksa"}})},
        {cs + "UpdateReferral", Kind::kWrite,
         step(case_, ":updateReferral", {{"referralNumber", 1}, {"status", "REFERRAL_ACCEPTED"}})},
        // A province's answer to the referral its case came from: a district's case came from
        // none, so the roles that may answer are told so (400), the others refused first.
        {cs + "AnswerReferral", Kind::kWrite,
         step(case_, ":answerReferral", {{"status", "REFERRAL_ACCEPTED"}}), 0, 0, "", 400},
        {cs + "AddCaseNote", Kind::kWrite, step(case_, "/notes", {{"text", "kunjungan"}})},
        {cs + "TerminateCase", Kind::kWrite,
         step(case_, ":terminate", {{"terminationReason", "GOAL_REACHED"}})},
        {cs + "FollowUpCase", Kind::kWrite,
         step(case_, ":followUp", {{"followUpDate", "2026-09-01"}})},
        {cs + "CloseCase", Kind::kWrite, step(case_, ":close", json::object())},
        {cs + "ReopenCase", Kind::kWrite, step(case_, ":reopen", json::object())},
        {cs + "RecordMediationSession", Kind::kWrite,
         step(conflict_, ":recordSession", {{"session", {{"date", "2026-03-02"}}}})},
        {cs + "RecordAgreement", Kind::kWrite,
         step(conflict_, ":recordAgreement", {{"agreement", "damai"}})},
        // The audit trail of a case: SUPERVISOR and ADMIN only (403 for a PROVINCE_VIEWER),
        // within their scope (another region's ADMIN sees nothing: 404).
        {"wahana.audit.v1.AuditService.ListAuditEntries", Kind::kRead,
         get("/v1/audit?subject=cases/" + case_), 403},
        // Events.
        {"wahana.event.v1.EventService.CreateEvent", Kind::kCreate,
         post("/v1/events", {{"kind", "SOSIALISASI"},
                             {"title", "Sosialisasi Matriks Baru"},
                             {"regionCode", kVillage},
                             {"startTime", "2026-06-02T02:00:00Z"}})},
        {"wahana.event.v1.EventService.GetEvent", Kind::kRead, get("/v1/events/" + event_)},
        {"wahana.event.v1.EventService.ListEvents", Kind::kList, get("/v1/events" + in_sekayu)},
        {"wahana.event.v1.EventService.UpdateEvent", Kind::kWrite,
         patch("/v1/events", event_, "venue", {{"venue", "Aula Matriks"}})},
        {"wahana.event.v1.EventService.OpenEvent", Kind::kWrite,
         archive("/v1/events", event_, json::object(), ":open")},
        {"wahana.event.v1.EventService.StartEvent", Kind::kWrite,
         archive("/v1/events", event_, json::object(), ":start")},
        // Participants, while the event is ONGOING. Another region's ADMIN cannot read the
        // event: registering into it or listing it is 404, as for an unknown event.
        {"wahana.event.v1.EventService.RegisterParticipant", Kind::kCreate,
         post("/v1/events/" + event_ + "/participants", {{"walkIn",
                                                          {{"fullName", "Peserta Matriks Baru"},
                                                           {"nik", "1606010101900078"},
                                                           {"affiliation", "PKK"}}}}),
         0, 404},
        {"wahana.event.v1.EventService.GetParticipant", Kind::kRead,
         get("/v1/events/" + event_ + "/participants/" + participant_)},
        {"wahana.event.v1.EventService.ListParticipants", Kind::kList,
         get("/v1/events/" + event_ + "/participants"), 404, 404},
        {"wahana.event.v1.EventService.CheckInParticipant", Kind::kWrite,
         post("/v1/events/" + event_ + "/participants/" + participant_ + ":checkIn",
              json::object())},
        {"wahana.event.v1.EventService.GetCheckInCode", Kind::kRead,
         get("/v1/events/" + event_ + "/participants/" + participant_ + "/checkInCode")},
        {"wahana.event.v1.EventService.GetCheckInQr", Kind::kRead,
         get("/v1/events/" + event_ + "/participants/" + participant_ + "/checkInQr?format=png")},
        // The code names the participant: another region's ADMIN cannot reach it (404).
        {"wahana.event.v1.EventService.CheckInByCode", Kind::kWrite,
         [] {
           const json code = Admin(
               "GET", "/v1/events/" + event_ + "/participants/" + participant_ + "/checkInCode",
               nullptr);
           return Request{"/v1/events/" + event_ + ":checkIn",
                          json{{"code", code.value("code", "")}}.dump()};
         }},
        // The public key that verifies codes: every principal reads it.
        {"wahana.event.v1.EventService.GetCheckInKeys", Kind::kReference,
         get("/.well-known/wahana-check-in-keys.json")},
        {"wahana.event.v1.EventService.GetAttendance", Kind::kRead,
         get("/v1/events/" + event_ + "/attendance")},
        {"wahana.event.v1.EventService.WithdrawParticipant", Kind::kWrite,
         archive("/v1/events/" + event_ + "/participants", participant_, json::object(),
                 ":withdraw")},
        {"wahana.event.v1.EventService.FinishEvent", Kind::kWrite,
         archive("/v1/events", event_, json::object(), ":finish")},
        {"wahana.event.v1.EventService.CancelEvent", Kind::kWrite,
         archive("/v1/events", cancelled_event_, {{"reason", "uji matriks"}}, ":cancel")},
        // API keys (ADMIN only, within its scope).
        // A key's regionScope outside the creator's scope is a bad argument of the key service
        // (400 naming regionScope, tests/auth), not a record outside the scope.
        {"wahana.auth.v1.ApiKeyService.CreateApiKey", Kind::kCreate,
         post("/v1/apiKeys",
              {{"name", "kunci baru"}, {"role", "VIEWER"}, {"regionScope", kVillage}}),
         0, 400},
        {"wahana.auth.v1.ApiKeyService.ListApiKeys", Kind::kKeyList, get("/v1/apiKeys")},
        // Last: archives and revocations end what the others use.
        {reg + "InstitutionService.ArchiveInstitution", Kind::kWrite,
         archive("/v1/institutions", institution_, {{"reason", "uji matriks"}})},
        {reg + "NetworkService.ArchiveNetwork", Kind::kWrite,
         archive("/v1/networks", network_, {{"reason", "uji matriks"}})},
        {reg + "WorkerService.ArchiveWorker", Kind::kWrite,
         archive("/v1/workers", worker_, {{"reason", "uji matriks"}})},
        {reg + "HouseholdService.ArchiveHousehold", Kind::kWrite,
         archive("/v1/households", household_, {{"reason", "uji matriks"}})},
        {reg + "BeneficiaryService.ArchiveBeneficiary", Kind::kWrite,
         archive("/v1/beneficiaries", beneficiary_, {{"reason", "uji matriks"}})},
        {"wahana.event.v1.EventService.ArchiveEvent", Kind::kWrite,
         archive("/v1/events", event_, {{"reason", "uji matriks"}})},
        {"wahana.auth.v1.ApiKeyService.RevokeApiKey", Kind::kWrite, get("/v1/apiKeys/" + api_key_)},
    };
  }

  // The routes the gateway serves: its backend table (the echo service is not configured in the
  // suite, so not served), the in-process API key service and the audit trails' route.
  static RouteTable Routes() {
    std::vector<std::string> services;
    for (const BackendSetting& b : BackendSettings()) {
      if (std::string(b.address_setting) != "WAHANA_ECHO_ADDR") services.push_back(b.service);
    }
    services.push_back("wahana.auth.v1.ApiKeyService");
    // GET /v1/audit: routed per subject to the service keeping the trail (audit_routing.h).
    services.push_back("wahana.audit.v1.AuditService");
    absl::StatusOr<RouteTable> table = RouteTable::Build(services);
    EXPECT_TRUE(table.ok()) << table.status();
    return table.ok() ? *std::move(table) : RouteTable();
  }

  // Fails when a refused answer shows data of a record the request did not name.
  static void ExpectNoLeak(const std::string& who, const std::string& what, const Request& request,
                           const HttpResponse& r) {
    for (const std::string& secret : secrets_) {
      if (secret.empty() || request.target.find(secret) != std::string::npos) continue;
      EXPECT_EQ(r.body.find(secret), std::string::npos)
          << who << " " << what << " leaks \"" << secret << "\": " << r.body;
    }
  }

  static Suite* suite_;
  static bool started_;
  static std::set<std::string> secrets_;
  static std::string institution_, member_, network_, worker_, beneficiary_, household_, case_,
      conflict_, event_, cancelled_event_, participant_, api_key_;
};

Suite* RouteMatrixE2eTest::suite_ = nullptr;
bool RouteMatrixE2eTest::started_ = false;
std::set<std::string> RouteMatrixE2eTest::secrets_;
std::string RouteMatrixE2eTest::institution_, RouteMatrixE2eTest::member_,
    RouteMatrixE2eTest::network_, RouteMatrixE2eTest::worker_, RouteMatrixE2eTest::beneficiary_,
    RouteMatrixE2eTest::household_, RouteMatrixE2eTest::case_, RouteMatrixE2eTest::conflict_,
    RouteMatrixE2eTest::event_, RouteMatrixE2eTest::cancelled_event_,
    RouteMatrixE2eTest::participant_, RouteMatrixE2eTest::api_key_;

TEST_F(RouteMatrixE2eTest, EveryRouteHasAScenarioAndEveryScenarioItsRoute) {
  RouteTable table = Routes();
  ASSERT_FALSE(table.routes().empty());
  std::map<std::string, int> scenarios;
  for (const Scenario& s : Scenarios()) ++scenarios[s.method];
  for (const Route& route : table.routes()) {
    const std::string name = route.method->full_name();
    EXPECT_EQ(scenarios[name], 1) << route.http_method << " " << route.path.text() << " (" << name
                                  << ") needs exactly one scenario in this test";
  }
  for (const Scenario& s : Scenarios()) {
    Request request = s.request();
    const std::string path = request.target.substr(0, request.target.find('?'));
    bool found = false;
    for (const char* verb : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
      RouteTable::Match match = table.Find(verb, path);
      if (match.route != nullptr && match.route->method->full_name() == s.method) found = true;
    }
    EXPECT_TRUE(found) << s.method << ": " << request.target << " is not its route";
  }
}

TEST_F(RouteMatrixE2eTest, EveryRouteAnswersEachPrincipalAsThePolicySays) {
  RouteTable table = Routes();
  const Principal right{"matrix:admin-sekayu", "", Role::kAdmin, kSubdistrict};
  const Principal other{"matrix:admin-lais", "", Role::kAdmin, "16.06.02"};
  const Principal low_read{"matrix:province", "", Role::kProvinceViewer, "16"};
  const Principal low_write{"matrix:viewer", "", Role::kViewer, "16.06"};

  for (const Scenario& s : Scenarios()) {
    // The route's HTTP method, from the table.
    Request request = s.request();
    const std::string path = request.target.substr(0, request.target.find('?'));
    std::string verb;
    for (const Route& route : table.routes()) {
      if (route.method->full_name() == s.method &&
          table.Find(route.http_method, path).route == &route) {
        verb = route.http_method;
      }
    }
    ASSERT_FALSE(verb.empty()) << s.method;
    const std::string what = verb + " " + request.target;
    SCOPED_TRACE(what);

    HttpResponse none = suite_->CallAnonymously(verb, request.target, request.body);
    EXPECT_EQ(none.status, 401) << "no credentials: " << none.body;
    ExpectNoLeak("no credentials", what, request, none);

    int other_status = 0, low_status = 0;
    const Principal* low = &low_write;
    switch (s.kind) {
      case Kind::kRead:
        other_status = 404, low_status = 404, low = &low_read;
        break;
      case Kind::kList:
        other_status = 403, low_status = 403, low = &low_read;
        break;
      case Kind::kCreate:
        other_status = 403, low_status = 403;
        break;
      case Kind::kWrite:
        other_status = 404, low_status = 403;
        break;
      case Kind::kReference:
        other_status = 200, low_status = 200, low = &low_read;
        break;
      case Kind::kReport:
        other_status = 403;  // every role reads aggregates: no role is too low
        break;
      case Kind::kKeyList:
        low_status = 403;  // the other region's admin lists its own keys: nothing to refuse
        break;
    }
    if (s.low_status != 0) low_status = s.low_status;
    if (s.other_status != 0) other_status = s.other_status;

    if (other_status != 0) {
      HttpResponse r = suite_->Call(verb, request.target, request.body, Bearer(other));
      EXPECT_EQ(r.status, other_status) << "another region's ADMIN: " << r.body;
      if (!s.other_body_has.empty()) {
        EXPECT_NE(r.body.find(s.other_body_has), std::string::npos) << r.body;
      }
      if (r.status != 200 || s.kind != Kind::kReference) ExpectNoLeak("other", what, request, r);
    }
    if (low_status != 0) {
      HttpResponse r = suite_->Call(verb, request.target, request.body, Bearer(*low));
      EXPECT_EQ(r.status, low_status) << RoleName(low->role) << ": " << r.body;
      if (s.kind != Kind::kReference)
        ExpectNoLeak(std::string(RoleName(low->role)), what, request, r);
    }
    // Built again: a refused call changed nothing, the etag still holds.
    request = s.request();
    HttpResponse ok = suite_->Call(verb, request.target, request.body, Bearer(right));
    EXPECT_EQ(ok.status, s.right_status) << "the right principal: " << ok.body;
  }
}

// The principals of the step matrix, in the order of a row's expected codes.
enum StepRole { kA, kS, kO, kFwOwn, kFwOther, kV, kPv, kSys, kStepRoles };

struct StepRow {
  std::string name;  // for messages: ":assess", "networks :addMember" ...
  // The record's path (its etag is read there) and the step's target; body without etag.
  std::string record;
  std::string target;
  json body;
  // Per StepRole: 'y' allowed (a stale etag answers 409), '3' 403, '4' 404 (may not read it).
  std::string expect;
  StepRole performer;  // who takes the step for real
  bool before_done = false;
};

TEST_F(RouteMatrixE2eTest, EveryStepAnswersEveryRoleAsTheStepTableSays) {
  // Records of its own: two workers (the case's and another), the cases assigned to the first,
  // a network with a member to be, and registry records to archive.
  auto make_worker = [](const std::string& nik, const std::string& name) {
    return Admin("POST", "/v1/workers",
                 {{"kind", "TKSK"},
                  {"nik", nik},
                  {"fullName", name},
                  {"villageCode", kVillage},
                  {"subdistrictCodes", {kSubdistrict}},
                  {"caseloadCap", 25}})
        .value("id", "");
  };
  const std::string own = make_worker("1606011505800081", "Pekerja Langkah Sendiri");
  const std::string other = make_worker("1606011505800082", "Pekerja Langkah Lain");
  const std::string spare = make_worker("1606011505800083", "Pekerja Langkah Arsip");
  const std::string institution =
      Admin("POST", "/v1/institutions",
            {{"kind", "PKK"}, {"name", "PKK Langkah"}, {"villageCode", kVillage}})
          .value("id", "");
  const std::string network =
      Admin("POST", "/v1/networks",
            // A village of its own: one network per village, the others' may still be live.
            {{"kind", "VILLAGE"}, {"name", "WKSBM Langkah"}, {"villageCode", "16.06.01.2003"}})
          .value("id", "");
  const std::string beneficiary = Admin("POST", "/v1/beneficiaries",
                                        {{"nik", "1606015703480085"},
                                         {"fullName", "Penerima Langkah"},
                                         {"sex", "FEMALE"},
                                         {"birthDate", "1948-03-17"},
                                         {"villageCode", kVillage},
                                         {"ppksCategories", {"LANJUT_USIA_TELANTAR"}}})
                                      .value("id", "");
  const std::string household = Admin("POST", "/v1/households",
                                      {{"kkNumber", "1606010101200085"},
                                       {"villageCode", kVillage},
                                       {"address", "Dusun Langkah"}})
                                    .value("id", "");
  const std::string individual = Admin("POST", "/v1/cases",
                                       {{"villageCode", kVillage},
                                        {"category", "LANJUT_USIA_TELANTAR"},
                                        {"kind", "INDIVIDUAL"},
                                        {"summary", "Kasus langkah"}})
                                     .value("id", "");
  const std::string conflict =
      Admin("POST", "/v1/cases",
            {{"villageCode", kVillage},
             {"category", "KORBAN_TINDAK_KEKERASAN"},
             {"kind", "SOCIAL_CONFLICT"},
             {"parties", {{{"beneficiaryId", beneficiary}}, {{"institutionId", institution}}}},
             {"summary", "Konflik langkah"}})
          .value("id", "");
  auto make_event = [](const std::string& title) {
    return Admin("POST", "/v1/events",
                 {{"kind", "SOSIALISASI"},
                  {"title", title},
                  {"regionCode", kSubdistrict},
                  {"startTime", "2026-07-01T02:00:00Z"}})
        .value("id", "");
  };
  const std::string event = make_event("Sosialisasi Langkah");
  const std::string cancelled = make_event("Sosialisasi Langkah Batal");
  // An open event with two walk-ins: one to withdraw, one to check in.
  const std::string attended = make_event("Sosialisasi Langkah Hadir");
  const std::string h = "/v1/events/" + attended;
  Admin("POST", h + ":open", {{"etag", Etag(h)}});
  auto register_walk_in = [&h](const std::string& nik) {
    return Admin("POST", h + "/participants",
                 {{"walkIn", {{"fullName", "Peserta Langkah"}, {"nik", nik}}}})
        .value("id", "");
  };
  const std::string leaving = register_walk_in("1606010101900091");
  const std::string coming = register_walk_in("1606010101900092");
  for (const std::string* id : {&own, &other, &spare, &institution, &network, &beneficiary,
                                &household, &individual, &conflict, &event, &cancelled}) {
    ASSERT_FALSE(id->empty());
  }
  const std::string c = "/v1/cases/" + individual;
  const std::string k = "/v1/cases/" + conflict;
  Admin("POST", k + ":assign", {{"etag", Etag(k)}, {"workerId", own}});
  const std::string n = "/v1/networks/" + network;
  const std::string e = "/v1/events/" + event;
  const std::string x = "/v1/events/" + cancelled;

  std::vector<Principal> principals(kStepRoles);
  principals[kA] = {"steps:admin", "", Role::kAdmin, kSubdistrict};
  principals[kS] = {"steps:supervisor", "", Role::kSupervisor, kSubdistrict};
  principals[kO] = {"steps:operator", "", Role::kOperator, kSubdistrict};
  principals[kFwOwn] = {"steps:fw-own", "", Role::kFieldWorker, kSubdistrict};
  principals[kFwOwn].worker_id = own;
  principals[kFwOther] = {"steps:fw-other", "", Role::kFieldWorker, kSubdistrict};
  principals[kFwOther].worker_id = other;
  principals[kV] = {"steps:viewer", "", Role::kViewer, kSubdistrict};
  principals[kPv] = {"steps:province", "", Role::kProvinceViewer, "16"};
  principals[kSys] = {"steps:system", "", Role::kSystem, kSubdistrict};
  const char* const kWho[] = {
      "ADMIN",  "SUPERVISOR",      "OPERATOR", "FIELD_WORKER (own)", "FIELD_WORKER (other)",
      "VIEWER", "PROVINCE_VIEWER", "SYSTEM"};

  // The table (columns: ADMIN SUPERVISOR OPERATOR FW-own FW-other VIEWER PROVINCE_VIEWER SYSTEM).
  const std::string manager = "yyy33343", casework = "yyyy3343", approver = "yy333343";
  const std::string registry_step = "yyy33343", worker_archive = "yy333343";
  const std::string event_run = "yyyyy343";
  const json visit = {{"visit", {{"date", "2026-02-01"}, {"visitor", "TKSK"}, {"active", true}}}};
  std::vector<StepRow> rows = {
      {":assign", c, c + ":assign", {{"workerId", own}}, manager, kO},
      {":assign shareEarlierNotes",
       c,
       c + ":assign",
       {{"workerId", own}, {"shareEarlierNotes", true}},
       "yy333343",
       kS},
      {":assess", c, c + ":assess", {{"problem", "hidup sendiri"}}, casework, kFwOwn},
      {":plan", c, c + ":plan", {{"goals", {{{"goal", "permakanan rutin"}}}}}, casework, kFwOwn},
      {":approvePlan", c, c + ":approvePlan", json::object(), approver, kS},
      {":recordService",
       c,
       c + ":recordService",
       {{"service",
         {{"spmService", "SPM_LANJUT_USIA_TELANTAR"},
          {"component", "permakanan"},
          {"date", "2026-03-01"}}}},
       casework,
       kFwOwn},
      {":monitor", c, c + ":monitor", json::object(), casework, kFwOwn},
      {":resumeIntervention", c, c + ":resumeIntervention", json::object(), casework, kFwOwn},
      {":refer",
       c,
       c + ":refer",
       {{"target", "REFERRAL_AGENCY"}, {"agency", "Puskesmas"}, {"reason", "periksa"}},
       casework,
       kFwOwn},
      {":updateReferral",
       c,
       c + ":updateReferral",
       {{"referralNumber", 1}, {"status", "REFERRAL_ACCEPTED"}},
       casework,
       kFwOwn},
      {"/notes",
       c,
       c + "/notes",
       {{"text", "kunjungan"}, {"confidential", true}},
       casework,
       kFwOwn},
      {":terminate",
       c,
       c + ":terminate",
       {{"terminationReason", "GOAL_REACHED"}},
       casework,
       kFwOwn},
      {":followUp", c, c + ":followUp", {{"followUpDate", "2026-09-01"}}, casework, kFwOwn},
      {":close", c, c + ":close", json::object(), manager, kO},
      {":reopen", c, c + ":reopen", json::object(), manager, kS},
      {":recordSession",
       k,
       k + ":recordSession",
       {{"session", {{"date", "2026-03-02"}}}},
       casework,
       kFwOwn},
      {":recordAgreement", k, k + ":recordAgreement", {{"agreement", "damai"}}, casework, kFwOwn},
      {"networks :advance",
       n,
       n + ":advance",
       {{"stage", "SOCIALIZED"}, {"date", "2026-01-10"}},
       registry_step,
       kO},
      {"networks :addMember",
       n,
       n + ":addMember",
       {{"institutionId", institution}},
       registry_step,
       kO},
      {"networks :removeMember",
       n,
       n + ":removeMember",
       {{"institutionId", institution}},
       registry_step,
       kS},
      {"networks :recordVisit", n, n + ":recordVisit", visit, registry_step, kO},
      {"networks :archive", n, n + ":archive", {{"reason", "uji langkah"}}, registry_step, kO},
      {"institutions :archive",
       "/v1/institutions/" + institution,
       "/v1/institutions/" + institution + ":archive",
       {{"reason", "uji langkah"}},
       registry_step,
       kO},
      {"workers :archive",
       "/v1/workers/" + spare,
       "/v1/workers/" + spare + ":archive",
       {{"reason", "uji langkah"}},
       worker_archive,
       kS},
      {"households :archive",
       "/v1/households/" + household,
       "/v1/households/" + household + ":archive",
       {{"reason", "uji langkah"}},
       registry_step,
       kO},
      {"beneficiaries :archive",
       "/v1/beneficiaries/" + beneficiary,
       "/v1/beneficiaries/" + beneficiary + ":archive",
       {{"reason", "uji langkah"}},
       registry_step,
       kO},
      // Events: the office opens and cancels; whoever runs it (a field worker too) starts and
      // finishes it; the province reads no events (404).
      {"events :open", e, e + ":open", json::object(), registry_step, kO},
      {"events :start", e, e + ":start", json::object(), event_run, kFwOther},
      {"events :finish", e, e + ":finish", json::object(), event_run, kFwOwn},
      {"events :cancel", x, x + ":cancel", {{"reason", "uji langkah"}}, registry_step, kS},
      {"events :archive", e, e + ":archive", {{"reason", "uji langkah"}}, registry_step, kO},
      // Whoever registers people at the venue, a field worker too, takes withdrawals.
      {"participants :withdraw", h + "/participants/" + leaving,
       h + "/participants/" + leaving + ":withdraw", json::object(), event_run, kFwOther},
  };

  for (StepRow& row : rows) {
    SCOPED_TRACE(row.name);
    ASSERT_EQ(row.expect.size(), static_cast<size_t>(kStepRoles));
    if (row.name == "networks :recordVisit") {
      // Visits are recorded once the network is LEGALIZED.
      Admin("POST", n + ":advance",
            {{"etag", Etag(n)}, {"stage", "BOARD_FORMED"}, {"date", "2026-01-20"}});
      Admin("PATCH", n + "?updateMask=decree",
            {{"etag", Etag(n)},
             {"decree",
              {{"number", "141/13/SK/SKR/2026"},
               {"date", "2026-01-22"},
               {"issuer", "Kepala Desa"}}}});
      Admin("POST", n + ":advance",
            {{"etag", Etag(n)}, {"stage", "LEGALIZED"}, {"date", "2026-01-25"}});
    }
    const json before = Admin("GET", row.record, nullptr);
    const std::string etag = before.value("etag", "");
    ASSERT_FALSE(etag.empty()) << row.record;
    for (int who = 0; who < kStepRoles; ++who) {
      json body = row.body;
      const char want = row.expect[who];
      // Allowed: a stale etag shows the access passed (409) without taking the step.
      body["etag"] = want == 'y' ? "0" : etag;
      HttpResponse r = suite_->Call("POST", row.target, body.dump(), Bearer(principals[who]));
      // SYSTEM is the suite's own role: a client token claiming it is 401 at the gateway, before
      // any step (the services' step table refuses it too: access_policy_test).
      const int status = who == kSys ? 401 : want == 'y' ? 409 : want == '3' ? 403 : 404;
      EXPECT_EQ(r.status, status) << kWho[who] << " " << row.name << ": " << r.body;
      if (want == '3' && who != kSys) {
        EXPECT_NE(r.body.find(std::string("role ") + std::string(RoleName(principals[who].role))),
                  std::string::npos)
            << kWho[who] << ": " << r.body;
      }
      // Nothing changed: the record reads as before.
      EXPECT_EQ(Admin("GET", row.record, nullptr), before) << kWho[who] << " changed it";
    }
    json body = row.body;
    body["etag"] = etag;
    HttpResponse done =
        suite_->Call("POST", row.target, body.dump(), Bearer(principals[row.performer]));
    EXPECT_EQ(done.status, 200) << kWho[row.performer] << " " << row.name << ": " << done.body;
    EXPECT_NE(Admin("GET", row.record, nullptr).value("etag", ""), etag);
  }

  // A check-in takes no etag (a second one changes nothing): the roles that check people in get
  // 200 with the first check-in time each time; the others 403, or 404 where the event is out of
  // reach.
  std::string first_check_in;
  for (int who = 0; who < kStepRoles; ++who) {
    HttpResponse r = suite_->Call("POST", h + "/participants/" + coming + ":checkIn", "{}",
                                  Bearer(principals[who]));
    const int status = who == kSys             ? 401
                       : event_run[who] == 'y' ? 200
                       : event_run[who] == '3' ? 403
                                               : 404;
    EXPECT_EQ(r.status, status) << kWho[who] << " :checkIn: " << r.body;
    if (r.status != 200) continue;
    const std::string time = Suite::Json(r).value("checkInTime", "");
    if (first_check_in.empty()) first_check_in = time;
    EXPECT_EQ(time, first_check_in) << kWho[who];
  }
  EXPECT_FALSE(first_check_in.empty());

  // The beneficiary import: a create of rows, no etag. The roles that create beneficiaries get
  // 200 with the (invalid) row refused; the others 403. Nothing is created either way.
  const json import = {{"rows",
                        {{{"line", 2},
                          {"beneficiary",
                           {{"nik", "1606015703480000"},
                            {"fullName", "Penerima Impor Langkah"},
                            {"sex", "MALE"},
                            {"birthDate", "1951-01-01"},
                            {"villageCode", kVillage}}}}}}};
  const std::string import_expect = "yyyyy33y";
  for (int who = 0; who < kStepRoles; ++who) {
    HttpResponse r =
        suite_->Call("POST", "/v1/beneficiaries:import", import.dump(), Bearer(principals[who]));
    const int status = who == kSys ? 401 : import_expect[who] == 'y' ? 200 : 403;
    EXPECT_EQ(r.status, status) << kWho[who] << ": " << r.body;
    if (r.status == 200) {
      EXPECT_NE(r.body.find(R"("created":0)"), std::string::npos) << kWho[who] << ": " << r.body;
    }
  }
}

}  // namespace
}  // namespace wahana::testing
