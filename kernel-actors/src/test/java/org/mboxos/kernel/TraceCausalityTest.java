package org.mboxos.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.mboxos.api.Program;
import org.mboxos.api.Sys;
import org.mboxos.kernel.trace.Trace;

/**
 * A trace is causally consistent: what a process does is traced after its {@code spawn} and
 * before its {@code exit}, even in parallel mode where its thread starts at once and a kill
 * withdraws it from boxes other actors own.
 */
class TraceCausalityTest {
    /** Events whose pid names the subject, not the actor: a message's sender, a lock's late owner. */
    private static final Set<String> ABOUT_A_PROCESS = Set.of("discard", "lock-owner-died");

    private final CheckedPrograms checked = new CheckedPrograms();

    @RepeatedTest(3)
    void everyProcessActsBetweenItsSpawnAndItsExit() {
        Program eager = checked.prog("eager", (sys, args) -> {
            sys.println("first thing " + args.get(0)); // the child's very first event
            if (args.get(0).equals("blocked")) {
                int full = sys.mboxOpen("full", 1, Sys.Open.CREATE);
                sys.mboxSend(full, new byte[] {1}, 0);
                sys.mboxSend(full, new byte[] {2}); // blocks until killed
            }
            return 0;
        });
        Program init = checked.prog("init", (sys, args) -> {
            int full = sys.mboxOpen("full", 1, Sys.Open.CREATE);
            for (int i = 0; i < 20; i++) {
                sys.spawn("eager", Integer.toString(i));
            }
            long victim = sys.spawn("eager", "blocked");
            Ps.awaitBlockedIn(sys, victim, "mbox_send(full)");
            sys.kill(victim);
            for (int i = 0; i < 20; i++) {
                sys.waitpid(i + 2);
            }
            sys.mboxClose(full);
            return 0;
        });
        try (KernelHarness k = KernelHarness.boot(init, eager)) {
            checked.run(k);
            List<Trace.Event> events = k.events();
            Map<Long, Long> spawnedAt = new HashMap<>();
            Map<Long, Long> exitedAt = new HashMap<>();
            for (Trace.Event e : events) {
                if (e.ev().equals("spawn")) {
                    spawnedAt.put(e.getLong("child"), e.seq());
                } else if (e.ev().equals("exit")) {
                    exitedAt.put(e.pid(), e.seq());
                }
            }
            assertEquals(22, exitedAt.size(), "init, twenty children and the victim ended");
            for (Trace.Event e : events) {
                if (e.pid() <= 1 || ABOUT_A_PROCESS.contains(e.ev()) || e.ev().equals("spawn")) {
                    continue;
                }
                Long spawned = spawnedAt.get(e.pid());
                Long exited = exitedAt.get(e.pid());
                if (spawned == null || e.seq() < spawned || exited != null && e.seq() > exited) {
                    fail("event " + e.toJson() + " lies outside pid " + e.pid() + "'s life (spawn " + spawned
                            + ", exit " + exited + ")");
                }
            }
            assertTrue(events.stream().anyMatch(e -> e.ev().equals("withdraw")), "the victim was withdrawn from the box");
        }
    }
}
