package org.mboxos.bench;

import static org.mboxos.bench.Baselines.join;
import static org.mboxos.bench.Baselines.onVirtualThread;
import static org.mboxos.bench.Baselines.start;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.locks.LockSupport;
import org.mboxos.bench.Baselines.Body;

/**
 * Baseline (a) for the round-trip workloads, W2, W7, W10 and W11: two virtual threads passing
 * requests and replies over one-slot queues, {@link SynchronousQueue}s, or queues and a park.
 */
final class BaselineRoundTrips {
    private final Sizes sizes;

    BaselineRoundTrips(Sizes sizes) {
        this.sizes = sizes;
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
}
