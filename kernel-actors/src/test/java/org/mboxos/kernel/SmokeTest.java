package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mboxos.api.Program;

class SmokeTest {
    @Test
    void initPrintsAndItsStatusIsTheRunsStatus() {
        Program hello = Program.of("hello", "", (sys, args) -> {
            sys.println("hello from " + sys.getpid());
            return 7;
        });
        try (KernelHarness k = KernelHarness.boot(hello)) {
            assertEquals(7, k.run("hello"));
            assertTrue(k.screen().contains("hello from 1"), k.screen());
        }
    }
}
