#include "common/grpc/call_scope.h"

#include <gtest/gtest.h>

#include <thread>

namespace wahana {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(CallScopeTest, SetsAndRestoresTheThreadsCurrentCall) {
  EXPECT_EQ(CurrentRequestId(), "");
  EXPECT_EQ(CurrentDeadline(), CallScope::TimePoint::max());
  auto deadline = system_clock::now() + milliseconds(300);
  {
    CallScope outer("req-1", deadline);
    EXPECT_EQ(CurrentRequestId(), "req-1");
    EXPECT_EQ(CurrentDeadline(), deadline);
    {
      CallScope inner("req-2", CallScope::TimePoint::max());
      EXPECT_EQ(CurrentRequestId(), "req-2");
    }
    EXPECT_EQ(CurrentRequestId(), "req-1");
    std::string other_thread = "unset";
    std::thread([&] { other_thread = CurrentRequestId(); }).join();
    EXPECT_EQ(other_thread, "");  // thread-local
  }
  EXPECT_EQ(CurrentRequestId(), "");
}

TEST(CallScopeTest, OutgoingDeadlineIsBoundedByTheIncomingOne) {
  auto before = system_clock::now();
  // No incoming call: our own deadline.
  auto own = OutgoingDeadline(milliseconds(2000));
  EXPECT_GE(own, before + milliseconds(2000));
  // An incoming call ending sooner bounds it.
  auto incoming = before + milliseconds(100);
  {
    CallScope scope("r", incoming);
    EXPECT_EQ(OutgoingDeadline(milliseconds(2000)), incoming);
    // One ending later does not extend ours.
  }
  {
    CallScope scope("r", before + std::chrono::hours(1));
    EXPECT_LT(OutgoingDeadline(milliseconds(2000)), before + milliseconds(3000));
  }
}

TEST(CallScopeTest, RequestIdFromMetadataKeepsOnlySafeIds) {
  std::multimap<grpc::string_ref, grpc::string_ref> metadata;
  EXPECT_EQ(RequestIdFromMetadata(metadata), "");
  metadata.emplace("x-request-id", "01HZX-abc");
  EXPECT_EQ(RequestIdFromMetadata(metadata), "01HZX-abc");

  std::multimap<grpc::string_ref, grpc::string_ref> quoted;
  quoted.emplace("x-request-id", "a\"b");
  EXPECT_EQ(RequestIdFromMetadata(quoted), "");
  std::string long_id(129, 'a');
  std::multimap<grpc::string_ref, grpc::string_ref> too_long;
  too_long.emplace("x-request-id", long_id);
  EXPECT_EQ(RequestIdFromMetadata(too_long), "");
}

}  // namespace
}  // namespace wahana
