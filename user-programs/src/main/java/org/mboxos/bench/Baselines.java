package org.mboxos.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Baseline (a): the same workloads on virtual threads and {@link ArrayBlockingQueue}s of the
 * same capacity, with no kernel in between. A process is a virtual thread, a box is a queue.
 * This class runs the messaging and process workloads (W1, W3, W4, W5, W6 8->1, W8) and holds
 * the thread helpers; {@link BaselineRoundTrips} runs the round trips.
 */
final class Baselines {
    private final Sizes sizes;

    Baselines(Sizes sizes) {
        this.sizes = sizes;
    }

    /** Runs {@code body} on a virtual thread and waits for it (a program's main, say). */
    static void onVirtualThread(Body body) {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        join(t);
        if (failure[0] != null) {
            throw new IllegalStateException("baseline failed: " + failure[0], failure[0]);
        }
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    static Thread start(Body body) {
        return Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** W1: nanoseconds from the sender's first put to the receiver's last take of {@code n} messages. */
    long mailbox(int n) {
        ArrayBlockingQueue<byte[]> q = new ArrayBlockingQueue<>(sizes.capacity());
        byte[] payload = new byte[sizes.bytes()];
        long[] start = new long[1];
        long[] end = new long[1];
        Thread receiver = start(() -> {
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += q.take().length;
            }
            end[0] = System.nanoTime();
            if (bytes != (long) n * payload.length) {
                throw new IllegalStateException("lost bytes");
            }
        });
        Thread sender = start(() -> {
            start[0] = System.nanoTime();
            for (int i = 0; i < n; i++) {
                q.put(payload.clone()); // the kernel copies each message as it is sent
            }
        });
        join(sender);
        join(receiver);
        return end[0] - start[0];
    }

    /**
     * W6 8->1 and W8: {@code queues} independent ABQ(capacity)s, each with {@code senders}
     * sender threads and one receiver thread, {@code n} messages in all split evenly over the
     * queues and their senders. Nanoseconds from the first put to the last take.
     */
    long streams(int queues, int senders, int n) {
        byte[] payload = new byte[sizes.bytes()];
        LongAccumulator first = new LongAccumulator(Math::min, Long.MAX_VALUE);
        LongAccumulator last = new LongAccumulator(Math::max, Long.MIN_VALUE);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < queues; k++) {
            ArrayBlockingQueue<byte[]> q = new ArrayBlockingQueue<>(sizes.capacity());
            int perQueue = n / queues;
            threads.add(start(() -> {
                for (int i = 0; i < perQueue; i++) {
                    q.take();
                }
                last.accumulate(System.nanoTime());
            }));
            for (int s = 0; s < senders; s++) {
                int share = perQueue / senders + (s < perQueue % senders ? 1 : 0);
                threads.add(start(() -> {
                    first.accumulate(System.nanoTime());
                    for (int i = 0; i < share; i++) {
                        q.put(payload.clone());
                    }
                }));
            }
        }
        threads.forEach(Baselines::join);
        return last.get() - first.get();
    }

    /** W3: nanoseconds for the fan-in/fan-out, thread starts included. */
    long fan(int perSender) {
        int perReceiver = sizes.w3Senders() * perSender / sizes.w3Receivers();
        byte[] payload = new byte[sizes.bytes()];
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int b = 0; b < sizes.w3Boxes(); b++) {
            ArrayBlockingQueue<byte[]> q = new ArrayBlockingQueue<>(sizes.capacity());
            for (int r = 0; r < sizes.w3Receivers(); r++) {
                threads.add(start(() -> {
                    for (int i = 0; i < perReceiver; i++) {
                        q.take();
                    }
                }));
            }
            for (int s = 0; s < sizes.w3Senders(); s++) {
                threads.add(start(() -> {
                    for (int i = 0; i < perSender; i++) {
                        q.put(payload.clone());
                    }
                }));
            }
        }
        threads.forEach(Baselines::join);
        return System.nanoTime() - t0;
    }

    /** W4: nanoseconds for virtual-thread start+join cycles, by {@code spawners} virtual threads in parallel. */
    long churn(int spawners, int n) {
        long[] elapsed = new long[1];
        onVirtualThread(() -> {
            long t0 = System.nanoTime();
            List<Thread> parents = new ArrayList<>();
            for (int p = 0; p < spawners; p++) {
                int share = n / spawners + (p < n % spawners ? 1 : 0);
                Body cycle = () -> {
                    for (int i = 0; i < share; i++) {
                        Thread.ofVirtual().start(() -> {}).join();
                    }
                };
                if (spawners == 1) {
                    cycle.run();
                } else {
                    parents.add(start(cycle));
                }
            }
            parents.forEach(Baselines::join);
            elapsed[0] = System.nanoTime() - t0;
        });
        return elapsed[0];
    }

    /** W5: {@code n} virtual threads, each blocked in take() on its own queue, then released. */
    Scale scale(int n) {
        Thread[] threads = new Thread[n];
        List<ArrayBlockingQueue<byte[]>> queues = new ArrayList<>(n);
        AtomicInteger ready = new AtomicInteger();
        byte[] wake = new byte[1];
        long before = Heap.usedAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ArrayBlockingQueue<byte[]> q = new ArrayBlockingQueue<>(sizes.capacity());
            queues.add(q);
            threads[i] = start(() -> {
                ready.incrementAndGet();
                if (q.take().length != 1) {
                    throw new IllegalStateException("wrong message");
                }
            });
        }
        while (ready.get() < n) {
            Heap.settle(5);
        }
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Heap.settle(1);
            }
        }
        long blockNanos = System.nanoTime() - t0;
        long blocked = Heap.usedAfterGc();
        long t1 = System.nanoTime();
        for (ArrayBlockingQueue<byte[]> q : queues) {
            q.add(wake);
        }
        for (Thread t : threads) {
            join(t);
        }
        return new Scale(n, before, blocked, blockNanos, System.nanoTime() - t1);
    }
}
