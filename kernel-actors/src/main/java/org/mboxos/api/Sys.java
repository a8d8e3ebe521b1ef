package org.mboxos.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The system calls, as a program sees them. Each call is a message to a kernel actor; the
 * program's thread parks until the reply.
 *
 * <p>Errors are exceptions: a failed call throws {@link SysError} with an {@link Errno} and a
 * message, and leaves the kernel and every other process unharmed. A killed process's thread
 * gets {@link Killed} from the call it is blocked in or from its next call.
 *
 * <p>Timeouts are in milliseconds: {@link #FOREVER} blocks, {@code 0} never blocks (EAGAIN),
 * a positive value blocks at most that long (ETIMEDOUT); any other negative value is EINVAL.
 * A time too long for the kernel clock (about 292 years) means forever. Null arguments are EINVAL.
 */
public interface Sys {

    /** Block until the call can complete. */
    long FOREVER = -1;

    // ---- processes ----------------------------------------------------------------------

    long getpid();

    /** Starts program {@code name}; ENOENT if there is none, EAGAIN if the process table is full. */
    long spawn(String name, String... args);

    /** Ends this process with {@code status}; never returns. Returning from main does the same. */
    void exit(int status);

    /** Ends process {@code pid} at once, whatever it is blocked in. Its exit status is {@link #KILLED}. */
    void kill(long pid);

    /** Blocks until process {@code pid} has ended and returns its exit status. */
    int waitpid(long pid);

    void sleep(long millis);

    /** Gives up the CPU (in lottery mode); a no-op round trip in parallel mode. */
    void yield();

    /** This process's lottery tickets (1 when it starts). */
    int getpriority();

    /** Sets this process's lottery tickets; fewer than 1 is EINVAL. No effect in parallel mode. */
    void setpriority(int tickets);

    /** The process table, for {@code ps}. */
    List<ProcInfo> ps();

    /** Exit status of a killed process. */
    int KILLED = -9;
    /** Exit status of a process whose main threw. */
    int CRASHED = -6;

    /**
     * This process's random generator, seeded from the kernel seed ({@code --seed}) and the pid,
     * so that a replayed run makes the same choices.
     */
    RandomGenerator random();

    // ---- console and keyboard -----------------------------------------------------------

    void print(String text);

    /** {@code text} and a line break; a null text is EINVAL, as for {@link #print}. */
    default void println(String text) {
        print(text == null ? null : text + "\n");
    }

    /** Writes {@code text} at screen row {@code row}, column {@code col} (from 0; EINVAL off screen). */
    void printAt(int row, int col, String text);

    void clearRow(int row);

    /** Blocks until a key is available in the keyboard buffer and returns it (0..255). */
    int getChar();

    // ---- named mailboxes ----------------------------------------------------------------

    /** How {@link #mboxOpen(String, int, Open...)} treats the name. */
    enum Open {
        /** Create the box if it does not exist. */
        CREATE,
        /** With CREATE: fail with EEXIST if it exists. */
        EXCLUSIVE,
        /** A box created with KEEP outlives its last close, until {@link #mboxDestroy}. */
        KEEP,
        /**
         * With CREATE: the box orders messages by priority (highest first, FIFO within one
         * priority), as POSIX message queues do; see {@link #mboxSend(int, byte[], int, long)}.
         * Opening an existing plain box with it is EINVAL.
         */
        PRIORITY
    }

    /** Teaching-kernel open: create the box, or open the existing one; returns a descriptor. */
    default int mboxOpen(String name) {
        return mboxOpen(name, 0, Open.CREATE);
    }

    /**
     * Opens box {@code name}. {@code capacity} (messages) applies when the box is created: 0
     * means {@code kernel.max-mbox-length}, larger values are refused.
     */
    int mboxOpen(String name, int capacity, Open... flags);

    void mboxClose(int fd);

    /** Removes a box that nobody has open (EBUSY otherwise), discarding queued messages. */
    void mboxDestroy(String name);

    /** Blocks while the box is full. */
    default void mboxSend(int fd, byte[] data) {
        mboxSend(fd, data, FOREVER);
    }

    /** Sends {@code text} in UTF-8; a null text is EINVAL, as a null message is. */
    default void mboxSend(int fd, String text) {
        mboxSend(fd, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends with a timeout: 0 is try-send (EAGAIN when full), positive gives ETIMEDOUT. */
    void mboxSend(int fd, byte[] data, long timeoutMillis);

    /** Blocks while the box is empty; returns at most {@code max} bytes of the next message. */
    default byte[] mboxRecv(int fd, int max) {
        return mboxRecv(fd, Recv.upTo(max)).data();
    }

    /** The general receive: see {@link Recv}. */
    Message mboxRecv(int fd, Recv how);

    /** True exactly when a send to this box would block now. */
    boolean mboxIsFull(int fd);

    /** The mailbox table, for the shell's {@code mboxes}. */
    List<MboxInfo> mboxes();

    // ---- synchronisation objects (opened by name; close and exit release them) ---------

    /** Closes any descriptor: a mailbox or a synchronisation object. */
    void close(int fd);

    /** Opens (creating if needed) the lock {@code name}. */
    int lockOpen(String name);

    /**
     * Blocks until this process holds the lock (FIFO). Returns true if the previous owner ended
     * while holding it (POSIX's EOWNERDEAD): the lock is held, but what it guards may be
     * inconsistent.
     */
    boolean lockAcquire(int lock);

    /** EPERM unless this process holds the lock. */
    void lockRelease(int lock);

    /** Opens the semaphore {@code name}, creating it with {@code initial} units (at least 0). */
    int semOpen(String name, int initial);

    void semUp(int sem);

    void semDown(int sem);

    int condOpen(String name);

    /**
     * Releases {@code lock} (EPERM unless held), waits for a signal, and returns holding the
     * lock again; true as for {@link #lockAcquire} if its owner died meanwhile.
     */
    boolean condWait(int cond, int lock);

    void condSignal(int cond);

    void condBroadcast(int cond);

    /** Opens the barrier {@code name}, creating it for {@code parties} processes (at least 1). */
    int barrierOpen(String name, int parties);

    /** Blocks until {@code parties} processes have arrived; then the barrier starts over. */
    void barrierWait(int barrier);

    // ---- messages addressed by pid (the Linux mysend/myreceive project) --------------------

    /** Queued send to {@code pid}'s inbox: returns once queued; blocks while the inbox is full. */
    default void mysend(long pid, byte[] data) {
        mysend(pid, data, false);
    }

    /** With {@code rendezvous}, blocks until the receiver has taken the message. */
    void mysend(long pid, byte[] data, boolean rendezvous);

    /**
     * Blocking receive into {@code buf} from {@code pid} (any sender if negative); returns the
     * number of bytes read. A longer message is truncated to the buffer.
     */
    default int myreceive(long pid, byte[] buf) {
        return myreceive(pid, buf, true);
    }

    /** With {@code block} false, returns 0 at once when nothing is queued (the seed's queued mode). */
    int myreceive(long pid, byte[] buf, boolean block);

    /** The general receive on this process's inbox: see {@link Recv}. */
    Message myreceive(Recv how);

    // ---- beyond the seeds: priorities, select, call/reply, monitors ------------------------

    /**
     * Sends with a priority, 0 (lowest) up to {@code kernel.mbox-priorities} - 1, to a box
     * opened with {@link Open#PRIORITY}: a receive takes the highest priority first, FIFO
     * within one priority (POSIX {@code mq_send}). A plain box takes only priority 0 (EINVAL
     * otherwise). The timeout is as for {@link #mboxSend(int, byte[], long)}. (There is no
     * three-argument form: {@code mboxSend(fd, data, 5)} already means a 5 ms timeout.)
     */
    void mboxSend(int fd, byte[] data, int priority, long timeoutMillis);

    /** For {@link #select}: this process's own inbox, where {@code mysend} and monitors deliver. */
    int INBOX = -1;

    /**
     * Blocks until at least one of the boxes in {@code read} has a message, or one in {@code
     * write} has room (a send would not block), or {@code timeoutMillis} passes ({@link
     * #FOREVER}, or 0 to poll). Descriptors are mailboxes this process opened (the keyboard
     * buffer included) or {@link #INBOX} (read only). Returns the ready ones, which are empty
     * only after a timeout. Nothing is taken from any box: receive from a ready one next.
     */
    Selected select(int[] read, int[] write, long timeoutMillis);

    /** The read-ready descriptors of {@link #select(int[], int[], long)} with nothing to write. */
    default int[] select(int[] read, long timeoutMillis) {
        return select(read, new int[0], timeoutMillis).readable();
    }

    /**
     * Sends {@code request} to {@code pid} and blocks until it answers with {@link #reply}
     * (QNX's MsgSend, Minix's sendrec); the answer is copied into {@code replyBuf} (truncated
     * to it) and its length returned. The server receives the request as a message from this
     * process ({@code myreceive}). ESRCH if {@code pid} does not exist or ends before it
     * replies.
     */
    int call(long pid, byte[] request, byte[] replyBuf);

    /**
     * Answers the call from {@code pid} whose request this process has received. ESRCH if
     * {@code pid} has ended (or was killed while waiting); EINVAL if it is not waiting for an
     * answer from this process.
     */
    void reply(long pid, byte[] data);

    /**
     * From now on, when {@code pid} ends (or at once, if it already has), this process's inbox
     * gets a message from the kernel (sender 0) that {@link Down#of} reads: the pid and its
     * exit status. ESRCH if {@code pid} never existed or ended too long ago to remember.
     * Monitoring a pid twice is the same as once.
     */
    void monitor(long pid);

    /** Cancels {@link #monitor}; a message already delivered stays in the inbox. */
    void demonitor(long pid);
}
