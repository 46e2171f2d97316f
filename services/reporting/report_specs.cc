#include "reporting/report_specs.h"

#include "reporting/subject_contributions.h"
#include "wahana/cases/v1/case.pb.h"
#include "wahana/common/v1/ppks.pb.h"
#include "wahana/event/v1/event.pb.h"
#include "wahana/registry/v1/beneficiary.pb.h"
#include "wahana/registry/v1/institution.pb.h"
#include "wahana/registry/v1/network.pb.h"
#include "wahana/registry/v1/worker.pb.h"

namespace wahana {
namespace {

PivotDimension EnumDimension(const char* group_by, const char* field_prefix,
                             const google::protobuf::EnumDescriptor* values) {
  PivotDimension dimension;
  dimension.group_by = group_by;
  dimension.field_prefix = field_prefix;
  dimension.values = values;
  return dimension;
}

PivotSpec RecordSpec(std::vector<PivotDimension> dimensions, std::vector<std::string> sums = {}) {
  PivotSpec spec;
  spec.dimensions = std::move(dimensions);
  spec.count_field = "n";
  spec.sums = std::move(sums);
  return spec;
}

}  // namespace

const std::vector<PivotBand>& AgeBands() {
  static const std::vector<PivotBand> kBands = {{"0-4", "Balita (0-4)"},
                                                {"5-17", "Anak (5-17)"},
                                                {"18-59", "Dewasa (18-59)"},
                                                {"60+", "Lanjut Usia (60+)"},
                                                {"unknown", "Tidak Diketahui"}};
  return kBands;
}

size_t AgeBandOf(int birth_year, const ReportPeriod& period) {
  if (birth_year <= 0) return 4;
  const int age = AgeReachedIn(birth_year, period.last.year());
  if (age < 5) return 0;
  if (age < 18) return 1;
  if (age < 60) return 2;
  return 3;
}

const ReportDefinition& CaseReportDefinition() {
  static const ReportDefinition kCases = [] {
    ReportDefinition definition;
    definition.spec.dimensions = {
        EnumDimension("category", "category", wahana::common::v1::PpksCategory_descriptor()),
        EnumDimension("status", "status", wahana::cases::v1::CaseStatus_descriptor()),
        EnumDimension("kind", "kind", wahana::cases::v1::CaseKind_descriptor())};
    // A case's cell counts it once in each dimension; kind never changes, so it counts the cases.
    definition.spec.count_field = "kind";
    definition.spec.count_field_is_prefix = true;
    definition.fed_by = {kReportingReadsCases};
    definition.resource = Resource::kCase;
    return definition;
  }();
  return kCases;
}

const ReportDefinition& RecordReportDefinition(RecordReportKind kind) {
  static const ReportDefinition kBeneficiaries = [] {
    PivotDimension age;
    age.group_by = "ageBand";
    age.field_prefix = "born";
    age.bands = AgeBands();
    age.band_of = AgeBandOf;
    return ReportDefinition{
        CountedSubject::kBeneficiary,
        RecordSpec(
            {EnumDimension("category", "category", wahana::common::v1::PpksCategory_descriptor()),
             EnumDimension("sex", "sex", wahana::registry::v1::Beneficiary::Sex_descriptor()),
             age}),
        {kReportingReadsRegistry},
        Resource::kBeneficiary};
  }();
  static const ReportDefinition kInstitutions{
      CountedSubject::kInstitution,
      RecordSpec(
          {EnumDimension("kind", "kind", wahana::registry::v1::Institution::Kind_descriptor()),
           EnumDimension("status", "status",
                         wahana::registry::v1::Institution::Status_descriptor())}),
      {kReportingReadsRegistry},
      Resource::kInstitution};
  static const ReportDefinition kNetworks{
      CountedSubject::kNetwork,
      RecordSpec(
          {EnumDimension("stage", "stage", wahana::registry::v1::Network::Stage_descriptor())}),
      {kReportingReadsRegistry},
      Resource::kNetwork};
  static const ReportDefinition kEvents{
      CountedSubject::kEvent,
      RecordSpec({EnumDimension("kind", "kind", wahana::event::v1::EventKind_descriptor()),
                  EnumDimension("status", "status", wahana::event::v1::Event::Status_descriptor())},
                 {"participants", "checkedIn"}),
      {kReportingReadsEvents},
      Resource::kParticipant};
  static const ReportDefinition kWorkers{
      CountedSubject::kWorker,
      RecordSpec({EnumDimension("kind", "kind", wahana::registry::v1::Worker::Kind_descriptor())},
                 {"openCases"}),
      {kReportingReadsRegistry, kReportingReadsCases},
      Resource::kWorker};
  switch (kind) {
    case RecordReportKind::kBeneficiaries:
      return kBeneficiaries;
    case RecordReportKind::kInstitutions:
      return kInstitutions;
    case RecordReportKind::kNetworks:
      return kNetworks;
    case RecordReportKind::kEvents:
      return kEvents;
    case RecordReportKind::kWorkers:
      return kWorkers;
  }
  return kBeneficiaries;
}

}  // namespace wahana
