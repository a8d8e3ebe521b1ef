package org.mboxos.kernel.deadlock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The wait-for graph, as the {@link Detector} has been told it: the processes that exist, the
 * ones blocked and what each waits for, and whether keys can still come. Plain state of the
 * detector. Every iteration is in pid order, so that a lottery run decides the same every time.
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
    private final TreeMap<Long, String> programs = new TreeMap<>();
    private final TreeMap<Long, Wait> waits = new TreeMap<>();
    /** The highest pid the table has announced: a wait reported for a higher one came before its announcement. */
    private long lastSpawned;
    private long keysComing;
    private boolean keyboardOpen = true;

    void spawned(long pid, String program) {
        programs.put(pid, program);
        lastSpawned = Math.max(lastSpawned, pid);
    }

    /** {@code pid} is out of the table: it leaves the graph (waits for it end, or their actors say otherwise). */
    void ended(long pid) {
        programs.remove(pid);
        waits.remove(pid);
    }

    /**
     * Records {@code pid}'s wait; false (and nothing recorded) if {@code pid} has ended. (A new
     * process may report before the table's announcement of it arrives: its wait is kept.)
     */
    boolean blocked(long pid, Wait on) {
        if (!programs.containsKey(pid) && pid <= lastSpawned) {
            return false;
        }
        waits.put(pid, on);
        return true;
    }

    /** Forgets {@code pid}'s wait; false if it was not recorded as blocked. */
    boolean unblocked(long pid) {
        return waits.remove(pid) != null;
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

    boolean exists(long pid) {
        return programs.containsKey(pid);
    }

    String program(long pid) {
        return programs.get(pid);
    }

    Wait waitOf(long pid) {
        return waits.get(pid);
    }

    int processes() {
        return programs.size();
    }

    private boolean keyboardLive() {
        return keyboardOpen || keysComing > 0;
    }

    /** The deadlocked processes: blocked, and not live (see the class comment). */
    TreeSet<Long> deadlocked() {
        TreeSet<Long> stuck = new TreeSet<>(waits.keySet());
        stuck.retainAll(programs.keySet());
        boolean anyLive = stuck.size() < programs.size();
        boolean changed = true;
        while (changed && !stuck.isEmpty()) {
            changed = false;
            for (var it = stuck.iterator(); it.hasNext(); ) {
                long pid = it.next();
                boolean live = switch (waits.get(pid)) {
                    case Wait.ForPid p -> !programs.containsKey(p.pid()) || !stuck.contains(p.pid());
                    case Wait.ForEnd e -> !programs.containsKey(e.pid()) || !stuck.contains(e.pid()) || anyLive;
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
    static List<TreeSet<Long>> components(Set<Long> stuck, Map<Long, Wait> waitOf) {
        TreeMap<Long, Long> root = new TreeMap<>();
        stuck.forEach(p -> root.put(p, p));
        Long anyone = null;
        for (long pid : stuck) {
            switch (waitOf.get(pid)) {
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

    Map<Long, Wait> waits() {
        return waits;
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
        while (path.size() <= programs.size()) {
            if (at == pid) {
                path.add(pid);
                return path;
            }
            path.add(at);
            Wait next = waits.get(at);
            if (next == null || next.target() == 0 || !programs.containsKey(at)) {
                return null;
            }
            at = next.target();
        }
        return null;
    }
}
