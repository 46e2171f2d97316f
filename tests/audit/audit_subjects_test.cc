// What record an audited call was about, found by reflection (audit_subjects.h), and where the
// gateway sends GET /v1/audit (gateway/audit_routing.h).

#include "common/audit/audit_subjects.h"

#include <gtest/gtest.h>

#include "common/audit/audit_interceptor.h"
#include "gateway/audit_routing.h"
#include "wahana/audit/v1/audit.pb.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/federation/v1/federation.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"

namespace wahana {
namespace {

const AuditedCollection kCases{"cases", "wahana.cases.v1.Case"};
const AuditedCollection kBeneficiaries{"beneficiaries", "wahana.registry.v1.Beneficiary"};

TEST(AuditSubjectsTest, RequestIdNamesTheRecordAndTheResponseItsRegion) {
  AuditSubjects s;
  cases::v1::GetCaseRequest request;
  request.set_id("C1");
  AddRequestSubjects(kCases, request, &s);
  EXPECT_EQ(s.subject, "cases/C1");
  cases::v1::Case response;
  response.set_id("C1");
  response.set_village_code("16.06.01.2001");
  AddResponseSubjects(kCases, response, &s);
  EXPECT_EQ(s.subject, "cases/C1");
  EXPECT_EQ(s.record_region, "16.06.01.2001");
  EXPECT_EQ(s.All(), std::vector<std::string>{"cases/C1"});
}

TEST(AuditSubjectsTest, SignedBytesAreNoFilterAndAFoundMatchIsTheSubject) {
  const AuditedCollection matches{"federation", "wahana.federation.v1.DistrictMatch"};
  AuditSubjects s;
  federation::v1::SignedLookup request;
  request.set_query(std::string("\xff\x00binary", 8));
  request.set_signature(std::string(64, '\x9c'));
  AddRequestSubjects(matches, request, &s);
  EXPECT_EQ(s.subject, "federation") << "no bytes in the trail's text";
  federation::v1::LookupAnswer answer;
  answer.mutable_match()->set_id("B1");
  answer.mutable_match()->set_village_code("16.06.01.2001");
  AddResponseSubjects(matches, answer, &s);
  EXPECT_EQ(s.subject, "federation/B1");
  EXPECT_EQ(s.record_region, "16.06.01.2001");
}

TEST(AuditSubjectsTest, UpdateNamesTheRecordInsideTheRequest) {
  AuditSubjects s;
  registry::v1::UpdateBeneficiaryRequest request;
  request.mutable_beneficiary()->set_id("B1");
  request.mutable_beneficiary()->set_village_code("16.06.02.2001");
  AddRequestSubjects(kBeneficiaries, request, &s);
  EXPECT_EQ(s.subject, "beneficiaries/B1");
  EXPECT_EQ(s.record_region, "16.06.02.2001");
}

TEST(AuditSubjectsTest, CreateIsNamedByItsAnswer) {
  AuditSubjects s;
  cases::v1::CreateCaseRequest request;
  request.mutable_case_()->set_village_code("16.06.01.2001");
  request.set_request_id("r1");
  AddRequestSubjects(kCases, request, &s);
  EXPECT_EQ(s.subject, "cases?request_id=r1");  // a refused create keeps what it asked
  cases::v1::Case response;
  response.set_id("C9");
  AddResponseSubjects(kCases, response, &s);
  EXPECT_EQ(s.subject, "cases/C9");
  EXPECT_EQ(s.record_region, "16.06.01.2001");
}

TEST(AuditSubjectsTest, ListIsItsFilterAndReturnsItsRecords) {
  AuditSubjects s;
  cases::v1::ListCasesRequest request;
  request.set_region("16.06.01");
  request.set_status(cases::v1::INTAKE);
  request.set_overdue(true);
  request.set_page_size(10);
  request.set_page_token("abc");
  AddRequestSubjects(kCases, request, &s);
  EXPECT_EQ(s.subject, "cases?region=16.06.01&status=INTAKE&overdue=true");
  cases::v1::ListCasesResponse response;
  response.add_cases()->set_id("C1");
  response.add_cases()->set_id("C2");
  AddResponseSubjects(kCases, response, &s);
  EXPECT_EQ(s.All(), (std::vector<std::string>{"cases?region=16.06.01&status=INTAKE&overdue=true",
                                               "cases/C1", "cases/C2"}));
}

TEST(AuditSubjectsTest, ListKeepsEachReturnedRecordsRegion) {
  AuditSubjects s;
  cases::v1::ListCasesResponse response;
  cases::v1::Case* c1 = response.add_cases();
  c1->set_id("C1");
  c1->set_village_code("16.06.01.2001");
  response.add_cases()->set_id("C2");  // no village: unknown
  cases::v1::Case* c3 = response.add_cases();
  c3->set_id("C3");
  c3->set_village_code("16.06.02.2002");
  AddResponseSubjects(kCases, response, &s);
  EXPECT_EQ(s.returned, (std::vector<std::string>{"cases/C1", "cases/C2", "cases/C3"}));
  EXPECT_EQ(s.returned_regions, (std::vector<std::string>{"16.06.01.2001", "", "16.06.02.2002"}));
}

TEST(AuditSubjectsTest, PersonalIdentifiersAreRedacted) {
  AuditSubjects s;
  registry::v1::LookupBeneficiaryRequest request;
  request.set_nik("1606015703480077");
  AddRequestSubjects(kBeneficiaries, request, &s);
  EXPECT_EQ(s.subject, "beneficiaries?nik=<redacted>");
  registry::v1::Beneficiary found;
  found.set_id("B7");
  AddResponseSubjects(kBeneficiaries, found, &s);
  EXPECT_EQ(s.subject, "beneficiaries/B7");
}

TEST(AuditSubjectsTest, ReadsFailClosedWritesDoNot) {
  for (const char* read : {"GetCase", "ListCases", "LookupBeneficiary", "ListPossibleDuplicates",
                           "GetCaseHistory", "ExportPersonalData"}) {
    EXPECT_TRUE(IsReadMethod(read)) << read;
  }
  for (const char* write : {"CreateCase", "UpdateBeneficiary", "ArchiveWorker", "AddCaseNote"}) {
    EXPECT_FALSE(IsReadMethod(write)) << write;
  }
}

TEST(AuditRoutingTest, SubjectsCollectionPicksTheBackend) {
  std::vector<std::unique_ptr<Backend>> backends;
  for (const char* service :
       {"wahana.registry.v1.RegistryService", "wahana.registry.v1.BeneficiaryService"}) {
    backends.push_back(std::make_unique<Backend>(service, "127.0.0.1:1"));
  }
  backends.push_back(std::make_unique<Backend>("wahana.event.v1.EventService", "127.0.0.1:3"));
  backends.push_back(std::make_unique<Backend>("wahana.cases.v1.CaseService", "127.0.0.1:2"));
  audit::v1::ListAuditEntriesRequest request;
  auto route = [&](const std::string& subject) {
    request.set_subject(subject);
    return AuditBackendFor(request, backends);
  };
  EXPECT_EQ(*route("cases/C1"), 3u);
  EXPECT_EQ(*route("events/E1"), 2u);
  EXPECT_EQ(*route("beneficiaries/B1"), 1u);
  EXPECT_EQ(*route("households/H1"), 1u);
  EXPECT_EQ(*route("workers/W1"), 1u);
  // Institution and network writes are audited too (79449fe): the registry keeps their trails.
  EXPECT_EQ(*route("institutions/I1"), 1u);
  EXPECT_EQ(*route("networks/N1"), 1u);
  for (const char* bad : {"", "reports/R1", "cases", "cases?region=16.06", "institutions"}) {
    absl::StatusOr<size_t> refused = route(bad);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(refused.status().message().rfind("subject:", 0), 0u) << refused.status();
  }
  backends.pop_back();  // no case service configured
  EXPECT_EQ(route("cases/C1").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(RoutesAudit({"wahana.cases.v1.CaseService"}));
  EXPECT_TRUE(RoutesAudit({"wahana.event.v1.EventService"}));
  EXPECT_FALSE(RoutesAudit({"wahana.reporting.v1.ReportingService"}));
}

}  // namespace
}  // namespace wahana
