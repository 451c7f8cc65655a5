// Caps how many tests Swift Testing runs at once in this package's test process.
//
// Swift Testing starts every test of the process at the same moment. On a 2-core machine the
// first seconds of `swift test` then queue hundreds of embedded API servers, operators and
// clients onto two cooperative threads, and a task that sleeps 100 ms wakes up to 2 s late; tests
// with a real-time window (an idle-read timeout, a lease, a namespace's lifetime) fail for that
// alone. Swift Testing reads the cap from SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH when its
// entry point starts; this constructor runs before that, when the test bundle loads, and sets it
// unless the environment already does, so `swift test` needs no extra flags and a developer can
// still choose another width.
#include <stdlib.h>
#include "TestParallelism.h"

__attribute__((constructor)) static void roperator_cap_test_parallelism(void) {
    setenv("SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH", ROPERATOR_TEST_PARALLELISM, 0);
}
