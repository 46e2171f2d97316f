#pragma once
// What a change of a record changed, for the changed_fields of its stream message: the top-level
// fields whose values differ between the record before and after, in JSON spelling and field
// order ("name", "legalStatus"). The version bookkeeping (etag, updateTime) is left out: it
// changes with every write.
//
// Pure, thread-safe.

#include <string>
#include <vector>

#include "google/protobuf/message.h"

namespace wahana {

// `before` and `after` must be of one type.
std::vector<std::string> ChangedFieldNames(const google::protobuf::Message& before,
                                           const google::protobuf::Message& after);

// The same, sorted by name (the order workers' and households' messages carry).
std::vector<std::string> SortedChangedFieldNames(const google::protobuf::Message& before,
                                                 const google::protobuf::Message& after);

}  // namespace wahana
