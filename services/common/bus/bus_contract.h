#pragma once
// The message bus's contract, in one place: every stream of a deployment, its key, the messages
// on it, and which service consumes it with which group. Writers name their stream through
// RecordKeys::Stream() (common/storage/record_keys.h), which yields the same key; consumers name
// it here, so no service includes another service's headers to find a stream.
//
// Keys carry the deployment's region as their Redis Cluster hash tag ("{16.06}"), so a record, its
// request key and its message stay in one slot (one atomic write).
//
//   stream (region 16.06)    written by  messages (Envelope.type, wahana.*)          consumed by
//   registry:{16.06}:stream  registry    registry.v1.BeneficiaryChanged,             case
//                                        HouseholdChanged, InstitutionChanged,       (group "case")
//                                        WorkerChanged, NetworkChanged               and reporting
//                                                                                    (group
//                                                                                    "reporting")
//   case:{16.06}:stream      case        cases.v1.CaseChanged                        reporting
//                                                                                    (group
//                                                                                    "reporting"),
//                                                                                    event (group
//                                                                                    "event")
//   event:{16.06}:stream     event       event.v1.EventChanged, ParticipantChanged   reporting
//                                                                                    (group
//                                                                                    "reporting")
//   federation:{16}:stream   federation  federation.v1.InboundAggregates,            reporting
//                                        InboundReferral (a province: what its       (group
//                                        districts delivered)                        "reporting"),
//                                                                                    case (group
//                                                                                    "case")
//
// Federation (services/federation/): a district's services write what they send to the province
// on an outbox stream of their own, "<service>:{16.06}:outbox" (OutboxStreamKey), in the same
// script as the change; the district's federation service relays it (group "federation") and
// acknowledges an entry only once the province has applied it.
//   reporting:{16.06}:outbox reporting   entries "type aggregates moves <JSON>": the leaf cells
//                                        and case tallies one change moved
//                                        (common/federation/aggregate_outbox.h)
// The referrals to the province travel from the case stream itself (written with the change):
// the relay's group "federation" reads it and sends the REFERRAL_PROVINCE referrals.
//
// Every stream has a dead-letter stream "<stream>:dead" (DeadLetterStreamKey): what a group could
// not handle, copied with the reason, the source entry id and the group (stream_consumer.h). A
// message a consumer does not know is acknowledged without effect, so a writer may add types.
// (The registry's region tables travel on "registry:{regions}:stream", RegionsLoaded: read by no
// consumer group, only replayed at start-up.)

#include <string>

#include "absl/strings/string_view.h"

namespace wahana {

// The services that write a stream (the first part of its key).
inline constexpr char kRegistryStreamWriter[] = "registry";
inline constexpr char kCaseStreamWriter[] = "case";
inline constexpr char kEventStreamWriter[] = "event";
inline constexpr char kFederationStreamWriter[] = "federation";

// "<service>:{<region>}:stream": the one stream of `service` (the writer) in deployment `region`.
std::string ServiceStreamKey(absl::string_view service, absl::string_view region);

// The registry's stream: every change of a beneficiary, household, institution, worker or network.
std::string RegistryStreamKey(absl::string_view region);
// The case service's stream: every action on a case (CaseChanged).
std::string CaseStreamKey(absl::string_view region);
// The event service's stream (EventChanged and ParticipantChanged, one per change).
std::string EventStreamKey(absl::string_view region);

// The federation service's stream in a province: what its districts delivered.
std::string FederationStreamKey(absl::string_view region);

// "<service>:{<region>}:outbox": what `service` sends to the province, relayed by the federation
// service's group kFederationRelayGroup.
std::string OutboxStreamKey(absl::string_view service, absl::string_view region);
inline constexpr char kFederationRelayGroup[] = "federation";

// "<stream>:dead": where the consumers of `stream` put what they could not handle.
std::string DeadLetterStreamKey(absl::string_view stream);

// One service's subscription to one stream: the writing service (which names the stream) and the
// consumer group (one per consuming service; its replicas share it).
struct BusSubscription {
  const char* stream_service;
  const char* group;

  // The stream's key in deployment `region`.
  std::string StreamKey(absl::string_view region) const {
    return ServiceStreamKey(stream_service, region);
  }
};

// The case service reads the registry's stream: an archived beneficiary annotates its open cases,
// every change moves the known-subjects projection on (case_logic.h, HandleRegistryMessage).
inline constexpr BusSubscription kCaseReadsRegistry{kRegistryStreamWriter, "case"};
// The reporting service reads the case stream: live case counts (reporting_logic.h).
inline constexpr BusSubscription kReportingReadsCases{kCaseStreamWriter, "reporting"};
// The reporting service reads the registry's stream: beneficiaries, institutions, networks and
// workers counted (reporting/counted_messages.h).
inline constexpr BusSubscription kReportingReadsRegistry{kRegistryStreamWriter, "reporting"};
// The reporting service reads the event stream: events with their participants counted.
inline constexpr BusSubscription kReportingReadsEvents{kEventStreamWriter, "reporting"};
// A province's case service opens a case for each referral its districts sent (InboundReferral).
inline constexpr BusSubscription kCaseReadsFederation{kFederationStreamWriter, "case"};
// A province's reporting service reads what its districts' reports moved (InboundAggregates).
inline constexpr BusSubscription kReportingReadsFederation{kFederationStreamWriter, "reporting"};
// The event service reads the case stream: which cases a mediation event serves
// (event/case_link_handler.h).
inline constexpr BusSubscription kEventReadsCases{kCaseStreamWriter, "event"};

}  // namespace wahana
