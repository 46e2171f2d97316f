#pragma once
// What record an audited call was about, found by reflection on its request and response, so no
// handler has to say it (issue 4):
//
//  - the request's `id` (or the `id` of a record-typed request field, as in updates) names the
//    record: "<collection>/<id>";
//  - a response that is the record (or has a record-typed field) names it when the request did
//    not (creates, look-ups) and gives its region (`village_code`);
//  - the records in a response's repeated record-typed fields (lists, duplicate searches) are
//    the returned subjects, each with its region (`village_code`, "" when it has none), so a
//    reader can drop the ones outside its scope without fetching them (audit_reader.h);
//  - a call that names no single record is about the collection and its filter:
//    "cases?region=16.06.01&status=INTAKE" (paging fields left out, personal identifiers such as
//    `nik` written as "<redacted>", bytes fields such as a signed payload left out).

#include <google/protobuf/message.h>

#include <string>
#include <vector>

namespace wahana {

// One audited kind of record.
struct AuditedCollection {
  std::string collection;   // "cases"
  std::string record_type;  // full protobuf name: "wahana.cases.v1.Case"
  // Whether reads leave entries too: true for records holding personal data (UU 27/2022 art.
  // 31), false for those that hold none (institutions, networks), whose writes alone are audited.
  bool reads_audited = true;
};

struct AuditSubjects {
  std::string subject;
  std::vector<std::string> returned;
  std::vector<std::string> returned_regions;  // at the positions of `returned`
  std::string record_region;

  // The subject and every returned record: the names the trail indexes the entry under (read
  // back from the entry itself: audit_index.h).
  std::vector<std::string> All() const;
};

void AddRequestSubjects(const AuditedCollection& audited, const google::protobuf::Message& request,
                        AuditSubjects* subjects);
void AddResponseSubjects(const AuditedCollection& audited,
                         const google::protobuf::Message& response, AuditSubjects* subjects);

}  // namespace wahana
