#pragma once
// Where a service's audit trail lives in Redis. Every key shares the deployment's hash tag.
//
//   <service>:{<region>}:audit                      stream: seq, prev, hash, entry (+ readable
//                                                   subject, action, who) per call; never trimmed
//   <service>:{<region>}:audit:head                 hash: seq, hash, id of the last entry;
//                                                   claim, claim_until: whose turn is next
//   <service>:{<region>}:audit:subject:<record>     list: stream ids of the entries naming the
//                                                   record, oldest first

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace wahana {

struct AuditKeys {
  AuditKeys(absl::string_view service, absl::string_view region)
      : stream(absl::StrCat(service, ":{", region, "}:audit")), head(stream + ":head") {}

  std::string SubjectIndex(absl::string_view subject) const {
    return absl::StrCat(stream, ":subject:", subject);
  }

  std::string stream;
  std::string head;
};

}  // namespace wahana
