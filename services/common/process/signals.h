#pragma once
// Termination signals are handled by waiting for them on one thread, not in an async handler:
// BlockTerminationSignals() must run first in main(), before any thread starts, so that every
// thread inherits the blocked mask and only WaitForTerminationSignal() ever sees SIGTERM/SIGINT.

namespace wahana {

void BlockTerminationSignals();
// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace wahana
