package org.mboxos.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.locks.LockSupport;

/**
 * Baseline (a): the same workloads on virtual threads and {@link ArrayBlockingQueue}s of the
 * same capacity, with no kernel in between. A process is a virtual thread, a box is a queue.
 */
final class Baselines {
    private final Sizes sizes;

    Baselines(Sizes sizes) {
        this.sizes = sizes;
    }

    /** Runs {@code body} on a virtual thread and waits for it (a program's main, say). */
    private static void onVirtualThread(Body body) {
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

    private static Thread start(Body body) {
        return Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void join(Thread t) {
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

    /**
     * W7: rendezvous ping-pong between two virtual threads over two {@link SynchronousQueue}s (a
     * put returns once taken, as a rendezvous mysend does); nanoseconds per batch of
     * {@code sizes.w2Batch()} round trips.
     */
    long[] rendezvous() {
        SynchronousQueue<byte[]> pings = new SynchronousQueue<>();
        SynchronousQueue<byte[]> pongs = new SynchronousQueue<>();
        int warmup = sizes.w7Batches() * sizes.w2Batch() / 10;
        long[] samples = new long[sizes.w7Batches()];
        Thread echo = start(() -> {
            for (int i = 0; i < warmup + samples.length * sizes.w2Batch(); i++) {
                pongs.put(pings.take().clone());
            }
        });
        byte[] ping = new byte[sizes.bytes()];
        onVirtualThread(() -> {
            for (int i = 0; i < warmup; i++) {
                pings.put(ping.clone());
                pongs.take();
            }
            for (int b = 0; b < samples.length; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < sizes.w2Batch(); i++) {
                    pings.put(ping.clone());
                    pongs.take();
                }
                samples[b] = System.nanoTime() - t0;
            }
        });
        join(echo);
        return samples;
    }

    /** W2: a request/reply round trip between two virtual threads over two one-slot queues; ns per batch. */
    long[] roundTrip() {
        ArrayBlockingQueue<Long> requests = new ArrayBlockingQueue<>(1);
        ArrayBlockingQueue<Long> replies = new ArrayBlockingQueue<>(1);
        Thread server = start(() -> {
            long pid = 1;
            while (requests.take() >= 0) {
                replies.put(pid);
            }
        });
        long[] samples = new long[sizes.w2Batches()];
        onVirtualThread(() -> {
            long sum = 0;
            for (int i = 0; i < sizes.w2Warmup(); i++) {
                requests.put(0L);
                sum += replies.take();
            }
            for (int b = 0; b < samples.length; b++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < sizes.w2Batch(); i++) {
                    requests.put(0L);
                    sum += replies.take();
                }
                samples[b] = System.nanoTime() - t0;
            }
            requests.put(-1L);
            if (sum != sizes.w2Warmup() + (long) samples.length * sizes.w2Batch()) {
                throw new IllegalStateException("lost replies");
            }
        });
        join(server);
        return samples;
    }

    /** {@code trip} {@code sizes.w10Warmup()} times, then timed batches of {@code sizes.w2Batch()}; ns per batch. */
    private long[] ipcBatches(Body trip) throws Exception {
        for (int i = 0; i < sizes.w10Warmup(); i++) {
            trip.run();
        }
        long[] samples = new long[sizes.w10Batches()];
        for (int b = 0; b < samples.length; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < sizes.w2Batch(); i++) {
                trip.run();
            }
            samples[b] = System.nanoTime() - t0;
        }
        return samples;
    }

    private int ipcTrips() {
        return sizes.w10Warmup() + sizes.w10Batches() * sizes.w2Batch();
    }

    /**
     * W10: call/reply between two virtual threads over two one-slot queues, as W2's (a), but
     * with a copied message of {@code sizes.bytes()} each way, as the kernel's call and reply
     * copy theirs. Nanoseconds per batch of {@code sizes.w2Batch()} round trips.
     */
    long[] callReply() {
        ArrayBlockingQueue<byte[]> requests = new ArrayBlockingQueue<>(1);
        ArrayBlockingQueue<byte[]> replies = new ArrayBlockingQueue<>(1);
        Thread server = start(() -> {
            for (int i = 0; i < ipcTrips(); i++) {
                replies.put(requests.take().clone());
            }
        });
        byte[] request = new byte[sizes.bytes()];
        long[][] samples = new long[1][];
        onVirtualThread(() -> samples[0] = ipcBatches(() -> {
            requests.put(request.clone());
            replies.take();
        }));
        join(server);
        return samples[0];
    }

    /**
     * W11: the select round trip with no kernel. The waiter puts a copied message in the echo
     * thread's queue, then waits on two queues at once (its inbox and an idle one) the way a
     * hand-written select does: it checks both and parks while both are empty; the echo puts
     * its copy in the inbox and unparks it (a permit left over makes a lost wake-up
     * impossible). Then the waiter takes from the inbox. Nanoseconds per batch of
     * {@code sizes.w2Batch()} round trips.
     */
    long[] select() {
        ArrayBlockingQueue<byte[]> requests = new ArrayBlockingQueue<>(sizes.capacity());
        ArrayBlockingQueue<byte[]> inbox = new ArrayBlockingQueue<>(sizes.capacity());
        ArrayBlockingQueue<byte[]> idle = new ArrayBlockingQueue<>(sizes.capacity());
        byte[] ping = new byte[sizes.bytes()];
        long[][] samples = new long[1][];
        Throwable[] failure = new Throwable[1];
        Thread waiter = Thread.ofVirtual().unstarted(() -> {
            try {
                samples[0] = ipcBatches(() -> {
                    requests.put(ping.clone());
                    while (inbox.isEmpty() && idle.isEmpty()) {
                        LockSupport.park(inbox);
                    }
                    if (inbox.poll() == null) {
                        throw new IllegalStateException("woke for the idle queue");
                    }
                });
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        Thread echo = start(() -> {
            for (int i = 0; i < ipcTrips(); i++) {
                inbox.put(requests.take().clone());
                LockSupport.unpark(waiter);
            }
        });
        waiter.start();
        join(waiter);
        if (failure[0] != null) {
            echo.interrupt(); // it would wait for requests that never come
            throw new IllegalStateException("baseline failed: " + failure[0], failure[0]);
        }
        join(echo);
        return samples[0];
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
    KernelRuns.Scale scale(int n) {
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
        return new KernelRuns.Scale(n, before, blocked, blockNanos, System.nanoTime() - t1);
    }
}
