package org.mboxos.kernel.deadlock;

import akka.actor.typed.ActorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mboxos.kernel.LongMap;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.proc.Pcb;

/**
 * The wait-for graph, as the {@link Detector} has been told it: the processes that exist, the
 * ones blocked and what each waits for, and whether keys can still come; with each process,
 * what the detector needs to confirm a deadlock (its PCB, its box, its report count). Plain
 * state of the detector. Every decision walks the processes in pid order, so that a lottery
 * run decides the same every time.
 *
 * <p>A process is <em>live</em> if it is not blocked (running, in a call the kernel is serving,
 * asleep or in a timed call), or if it is blocked in a wait something live can end: a
 * {@link Wait.ForPid} whose process is live or has ended, a {@link Wait.ForAnyone} while any
 * process is live, a {@link Wait.ForKeyboard} while keys can come. The deadlocked processes are
 * the blocked ones that are not live (the complement of that least fixpoint): no process
 * outside the set, no timer and no key can wake any of them, so the set is stable until a
 * member is killed.
 */
final class WaitForGraph {
    /**
     * One process as the detector knows it, from its announcement or its first report
     * (whichever comes first) until its end: everything the detector keeps about it.
     */
    private static final class Proc {
        /** Null until the process table announces it. */
        String program;
        ActorRef<Pcb.Command> pcb;
        /** What it waits for; null when it is not blocked. */
        Wait wait;
        /** The box it waits in, if it is blocked in one. */
        ActorRef<Mailbox.Command> box;
        /** Reports about it so far: a candidate is void if one comes in while it is confirmed. */
        long version;
    }

    private final LongMap<Proc> procs = new LongMap<>();
    /** The processes announced and not ended. */
    private int announced;
    /** The highest pid the table has announced: a wait reported for a higher one came before its announcement. */
    private long lastSpawned;
    private long keysComing;
    private boolean keyboardOpen = true;

    void spawned(long pid, String program, ActorRef<Pcb.Command> pcb) {
        Proc p = procs.computeIfAbsent(pid, k -> new Proc());
        if (p.program == null) {
            announced++;
        }
        p.program = program;
        p.pcb = pcb;
        p.version++;
        lastSpawned = Math.max(lastSpawned, pid);
    }

    /** {@code pid} is out of the table: it leaves the graph (waits for it end, or their actors say otherwise). */
    void ended(long pid) {
        Proc p = procs.remove(pid);
        if (p != null && p.program != null) {
            announced--;
        }
    }

    /**
     * Records {@code pid}'s wait, in {@code box} if it waits in one; false (and nothing
     * recorded) if {@code pid} has ended. (A new process may report before the table's
     * announcement of it arrives: its wait is kept.)
     */
    boolean blocked(long pid, Wait on, ActorRef<Mailbox.Command> box) {
        Proc p = procs.get(pid);
        if (p == null) {
            if (pid <= lastSpawned) {
                return false;
            }
            p = new Proc();
            procs.put(pid, p);
        }
        p.wait = on;
        p.box = box;
        p.version++;
        return true;
    }

    /** Forgets {@code pid}'s wait; false if it was not recorded as blocked. */
    boolean unblocked(long pid) {
        Proc p = procs.get(pid);
        if (p == null || p.wait == null) {
            return false;
        }
        p.wait = null;
        p.box = null;
        p.version++;
        return true;
    }

    void keysComing(long n) {
        keysComing += n;
    }

    void keyArrived() {
        keysComing--;
    }

    /** From now on keys come only from scripts (no terminal, nobody pressing keys). */
    void closeKeyboard() {
        keyboardOpen = false;
    }

    /** Whether the table has announced {@code pid} and it has not ended. */
    boolean exists(long pid) {
        Proc p = procs.get(pid);
        return p != null && p.program != null;
    }

    String program(long pid) {
        Proc p = procs.get(pid);
        return p == null ? null : p.program;
    }

    /** What {@code pid} waits for; null if it is not blocked. */
    Wait waitOf(long pid) {
        Proc p = procs.get(pid);
        return p == null ? null : p.wait;
    }

    ActorRef<Pcb.Command> pcb(long pid) {
        return procs.get(pid).pcb;
    }

    /** The box {@code pid} waits in; null if it waits in none. */
    ActorRef<Mailbox.Command> box(long pid) {
        Proc p = procs.get(pid);
        return p == null ? null : p.box;
    }

    /** Reports about {@code pid} so far; null once it has ended. */
    Long version(long pid) {
        Proc p = procs.get(pid);
        return p == null ? null : p.version;
    }

    int processes() {
        return announced;
    }

    private boolean keyboardLive() {
        return keyboardOpen || keysComing > 0;
    }

    /** The deadlocked processes: blocked, and not live (see the class comment). */
    TreeSet<Long> deadlocked() {
        TreeSet<Long> stuck = new TreeSet<>();
        procs.forEach((pid, p) -> {
            if (p.wait != null && p.program != null) {
                stuck.add(pid);
            }
        });
        boolean anyLive = stuck.size() < announced;
        boolean changed = true;
        while (changed && !stuck.isEmpty()) {
            changed = false;
            for (var it = stuck.iterator(); it.hasNext(); ) {
                long pid = it.next();
                boolean live = switch (waitOf(pid)) {
                    case Wait.ForPid p -> !exists(p.pid()) || !stuck.contains(p.pid());
                    case Wait.ForEnd e -> !exists(e.pid()) || !stuck.contains(e.pid()) || anyLive;
                    case Wait.ForAnyone a -> anyLive;
                    case Wait.ForKeyboard k -> keyboardLive();
                };
                if (live) {
                    it.remove();
                    anyLive = true;
                    changed = true;
                }
            }
        }
        return stuck;
    }

    /**
     * {@code stuck} (a deadlocked set) split into its independent deadlocks: two members are in
     * the same one when one waits for the other, or when either waits for anyone.
     */
    List<TreeSet<Long>> components(Set<Long> stuck) {
        TreeMap<Long, Long> root = new TreeMap<>();
        stuck.forEach(p -> root.put(p, p));
        Long anyone = null;
        for (long pid : stuck) {
            switch (waitOf(pid)) {
                case Wait.ForPid p -> union(root, pid, p.pid());
                case Wait.ForEnd e -> union(root, pid, e.pid());
                case Wait.ForAnyone a -> {
                    if (anyone != null) {
                        union(root, pid, anyone);
                    }
                    anyone = pid;
                }
                case Wait.ForKeyboard k -> {}
            }
        }
        if (anyone != null) { // waiting for anyone: it depends on every other member
            for (long pid : stuck) {
                union(root, pid, anyone);
            }
        }
        TreeMap<Long, TreeSet<Long>> groups = new TreeMap<>();
        for (long pid : stuck) {
            groups.computeIfAbsent(find(root, pid), r -> new TreeSet<>()).add(pid);
        }
        return new ArrayList<>(groups.values());
    }

    private static void union(Map<Long, Long> root, long a, long b) {
        if (root.containsKey(a) && root.containsKey(b)) {
            long ra = find(root, a);
            long rb = find(root, b);
            if (ra != rb) {
                root.put(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
    }

    private static long find(Map<Long, Long> root, long pid) {
        long r = pid;
        while (root.get(r) != r) {
            r = root.get(r);
        }
        return r;
    }

    /**
     * The cycle of definite waits (and waitpids) that {@code pid} waiting for {@code target} would close, as the
     * list of pids from {@code pid} round to it again; null if it closes none.
     */
    List<Long> cycleThrough(long pid, long target) {
        List<Long> path = new ArrayList<>(List.of(pid));
        long at = target;
        while (path.size() <= announced) {
            if (at == pid) {
                path.add(pid);
                return path;
            }
            path.add(at);
            Wait next = waitOf(at);
            if (next == null || next.target() == 0 || !exists(at)) {
                return null;
            }
            at = next.target();
        }
        return null;
    }
}
