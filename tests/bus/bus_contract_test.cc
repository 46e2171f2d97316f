// The bus contract's keys are the ones the writers use (RecordKeys::Stream of every kind each
// service keeps), carry the region as hash tag, and name the groups the services consume with.

#include "common/bus/bus_contract.h"

#include <gtest/gtest.h>

#include "common/bus/stream_consumer.h"
#include "common/storage/record_keys.h"

namespace wahana {
namespace {

TEST(BusContractTest, StreamKeysAreTheWritersKeys) {
  for (const char* kind : {"beneficiary", "household", "institution", "worker", "network"}) {
    EXPECT_EQ(RegistryStreamKey("16.06"), RecordKeys("registry", kind, "16.06").Stream()) << kind;
  }
  EXPECT_EQ(CaseStreamKey("16.06"), RecordKeys::SoleKind("case", "16.06").Stream());
  EXPECT_EQ(EventStreamKey("16.06"), RecordKeys::SoleKind("event", "16.06").Stream());
  EXPECT_EQ(CaseStreamKey("16.06"), "case:{16.06}:stream");
  EXPECT_EQ(RegistryStreamKey("16"), "registry:{16}:stream");
}

TEST(BusContractTest, DeadLetterStreamSharesTheHashTag) {
  EXPECT_EQ(DeadLetterStreamKey(CaseStreamKey("16.06")), "case:{16.06}:stream:dead");
  EXPECT_EQ(StreamConsumer::DeadLetterStream("case:{16.06}:stream"), "case:{16.06}:stream:dead");
}

TEST(BusContractTest, SubscriptionsNameTheirStreamAndGroup) {
  EXPECT_EQ(kCaseReadsRegistry.StreamKey("16.06"), RegistryStreamKey("16.06"));
  EXPECT_STREQ(kCaseReadsRegistry.group, "case");
  EXPECT_EQ(kReportingReadsCases.StreamKey("16.06"), CaseStreamKey("16.06"));
  EXPECT_STREQ(kReportingReadsCases.group, "reporting");
  EXPECT_EQ(kEventReadsCases.StreamKey("16.06"), CaseStreamKey("16.06"));
  EXPECT_STREQ(kEventReadsCases.group, "event");
  EXPECT_EQ(kReportingReadsRegistry.StreamKey("16.06"), RegistryStreamKey("16.06"));
  EXPECT_STREQ(kReportingReadsRegistry.group, "reporting");
  EXPECT_EQ(kReportingReadsEvents.StreamKey("16.06"), EventStreamKey("16.06"));
  EXPECT_STREQ(kReportingReadsEvents.group, "reporting");
}

}  // namespace
}  // namespace wahana
