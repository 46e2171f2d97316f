#pragma once
// The Redis keys of one kind of record. For the case service in the deployment "16.06":
//
//   case:{16.06}:case:<id>          the record: hash {pb: its protobuf bytes, etag: its version}
//   case:{16.06}:request:<rid>      a create's requestId -> the id of the record it made
//   case:{16.06}:stream             every change of the service's records, one message each
//   case:{16.06}:index:case:<name>  an index of the kind's records (lex_index.h), for stores that
//                                   list or look up records (indexed_proto_record_store.h)
//
// Every key carries the deployment's region as its hash tag, so the keys one write touches stay
// in one Redis Cluster slot. The stream is the service's (one per service, whatever the kind):
// its name is the contract with the consumers.
//
// A service that keeps one kind of record names the kind as itself (case, event) and its
// requestIds are the service's: "case:{16.06}:request:<rid>". A service that keeps several kinds
// (the registry: institution, worker, household ...) gives each kind its own requestIds, so one
// requestId used to create two kinds of record makes both: "registry:{16.06}:request:worker:<rid>".

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

class RecordKeys {
 public:
  // Keys of `kind`, one of several kinds of record `service` keeps, in deployment `region`.
  RecordKeys(std::string service, std::string kind, std::string region);
  // Keys of the one kind of record `service` keeps, named as the service.
  static RecordKeys SoleKind(std::string service, std::string region);

  // The record with `id`.
  std::string Record(absl::string_view id) const;
  // The id a create with `request_id` made.
  std::string Request(absl::string_view request_id) const;
  // The service's stream.
  std::string Stream() const;
  // The index `name` of this kind ("live", "unique:nik" ...): the directory key of a chunked
  // index (lex_index.h); its chunks are this key + "|" + a bound.
  std::string Index(absl::string_view name) const;
  // Every record key is this + id.
  std::string RecordPrefix() const;

  const std::string& kind() const { return kind_; }
  const std::string& region() const { return region_; }

 private:
  RecordKeys(std::string service, std::string kind, std::string region, bool kind_requests);

  std::string kind_;
  std::string region_;
  std::string prefix_;          // "<service>:{<region>}:"
  std::string request_prefix_;  // prefix_ + "request:" (+ "<kind>:" when the service has several)
};

}  // namespace wahana
