#include "registry/networks/network_lifecycle.h"

#include <gtest/gtest.h>

namespace wahana::registry {
namespace {

using wahana::registry::v1::Network;

Network At(Network::Stage stage) {
  Network network;
  network.set_id("01J00000000000000000000000");
  network.set_stage(stage);
  return network;
}

TEST(NetworkLifecycleTest, AdvanceGoesOneStepForwardAtATime) {
  EXPECT_TRUE(CheckAdvance(At(Network::PREPARATION), Network::SOCIALIZED).ok());
  EXPECT_TRUE(CheckAdvance(At(Network::SOCIALIZED), Network::BOARD_FORMED).ok());
  EXPECT_TRUE(CheckAdvance(At(Network::LEGALIZED), Network::ACTIVE).ok());

  absl::Status skip = CheckAdvance(At(Network::PREPARATION), Network::BOARD_FORMED);
  EXPECT_EQ(skip.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(skip.message(),
            "stage: network 01J00000000000000000000000 is at PREPARATION and cannot move to "
            "BOARD_FORMED; allowed next: SOCIALIZED");
  absl::Status back = CheckAdvance(At(Network::LEGALIZED), Network::SOCIALIZED);
  EXPECT_EQ(back.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(back.message().find("allowed next: ACTIVE"), absl::string_view::npos) << back;
  EXPECT_EQ(CheckAdvance(At(Network::SOCIALIZED), Network::SOCIALIZED).code(),
            absl::StatusCode::kFailedPrecondition);
  absl::Status after = CheckAdvance(At(Network::ACTIVE), Network::INACTIVE);
  EXPECT_EQ(after.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(after.message().find(":recordVisit"), absl::string_view::npos) << after;
  EXPECT_TRUE(NextStages(Network::INACTIVE).empty());
}

TEST(NetworkLifecycleTest, LegalizedNeedsTheWholeDecree) {
  Network network = At(Network::BOARD_FORMED);
  absl::Status none = CheckAdvance(network, Network::LEGALIZED);
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.message().rfind("decree.number:", 0), 0u) << none;
  network.mutable_decree()->set_number("141/05/SK/KD-SKR/2026");
  network.mutable_decree()->set_date("2026-02-10");
  EXPECT_EQ(CheckAdvance(network, Network::LEGALIZED).message().rfind("decree.issuer:", 0), 0u);
  network.mutable_decree()->set_issuer("Kepala Desa Sukarami");
  EXPECT_TRUE(CheckAdvance(network, Network::LEGALIZED).ok());
}

TEST(NetworkLifecycleTest, VisitsStartOnceLegalized) {
  EXPECT_EQ(CheckVisitAllowed(At(Network::BOARD_FORMED)).code(),
            absl::StatusCode::kFailedPrecondition);
  for (Network::Stage stage : {Network::LEGALIZED, Network::ACTIVE, Network::INACTIVE}) {
    EXPECT_TRUE(CheckVisitAllowed(At(stage)).ok()) << Network::Stage_Name(stage);
  }
}

}  // namespace
}  // namespace wahana::registry
