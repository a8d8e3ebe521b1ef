package org.mboxos.kernel.ipc;

import java.util.ArrayList;
import java.util.List;
import org.mboxos.kernel.proc.Syscall;

/**
 * The selects watching one {@link Mailbox}: each is answered once when it arrives, and once
 * more, then forgotten, when the box becomes readable or writable as it asked. Plain state of
 * the box, touched only on its turns; the box calls {@link #answerReady} after every change.
 */
final class Watchers {
    private final long box;
    private final MessageQueue queue;
    /** The watches not answered a second time yet; null until the first is kept (most boxes are never selected on). */
    private List<Mailbox.Watch> watching;

    Watchers(long box, MessageQueue queue) {
        this.box = box;
        this.queue = queue;
    }

    /** A new watch: answered now with the box's readiness, and kept if it is not ready. */
    void watch(Mailbox.Watch w) {
        if (!answered(w)) {
            w.replyTo().tell(new Syscall.Result.Readiness(w.token(), box, false, false));
            if (watching == null) {
                watching = new ArrayList<>();
            }
            watching.add(w);
        }
    }

    /** Answers (and forgets) every watch that the box's state now satisfies. */
    void answerReady() {
        if (watching != null && !watching.isEmpty()) {
            watching.removeIf(this::answered);
        }
    }

    void drop(long pid) {
        if (watching != null) {
            watching.removeIf(w -> w.pid() == pid);
        }
    }

    void failAll(Syscall.Result.Failed failure) {
        if (watching != null) {
            watching.forEach(w -> w.replyTo().tell(failure));
            watching.clear();
        }
    }

    /** Tells {@code w} this box's readiness if it holds what {@code w} waits for; true if so. */
    private boolean answered(Mailbox.Watch w) {
        boolean readable = w.read() && queue.size() > 0;
        boolean writable = w.write() && !queue.full();
        if (readable || writable) {
            w.replyTo().tell(new Syscall.Result.Readiness(w.token(), box, readable, writable));
        }
        return readable || writable;
    }
}
