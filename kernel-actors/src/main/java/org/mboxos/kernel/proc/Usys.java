package org.mboxos.kernel.proc;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Message;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Recv;
import org.mboxos.api.Selected;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;
import org.mboxos.kernel.sync.SyncObject;

/**
 * The user-side system-call stubs (xv6's usys): each method packs its arguments into a
 * {@link Syscall}, traps, and unpacks the {@link Syscall.Result} ({@link #checked}). No checks live here: the
 * kernel validates every argument, nulls included, so that every failure is traced alike.
 * Byte arrays are copied, as a kernel copies from user memory. The blocking conveniences of
 * {@link Sys} are stubs here too, for the same reason as {@link #checked}: a default method
 * delegating to the general form would park one frame deeper.
 */
final class Usys implements Sys {
    private final Trap trap;
    /** The seed of this process's {@link #random()}: the kernel's seed, mixed with the pid. */
    private final long seed;
    /** Made at the first {@link #random()}: few programs draw. */
    private RandomGenerator random;

    Usys(Trap trap, long seed, long pid) {
        this.trap = trap;
        this.seed = seed * 0x9E3779B97F4A7C15L + pid;
    }

    /**
     * {@code call}'s result {@code r}, or its failure thrown. Every stub traps itself and checks
     * afterwards, so that no helper's frame lies between the stub and the trap on the stack of a
     * process blocked in the call: a parked stack is most of what a blocked process costs.
     */
    private static Syscall.Result checked(Syscall call, Syscall.Result r) {
        if (r instanceof Syscall.Result.Failed f) {
            throw new SysError(f.errno(), call.callName() + ": " + f.message());
        }
        return r;
    }

    /** The number {@code call} returned as {@code r}, or its failure thrown. */
    private static long value(Syscall call, Syscall.Result r) {
        return ((Syscall.Result.Value) checked(call, r)).value();
    }

    private static byte[] copy(byte[] data) {
        return data == null ? null : data.clone();
    }

    @Override
    public long getpid() {
        Syscall c = new Syscall.GetPid();
        return value(c, trap.call(c));
    }

    @Override
    public long spawn(String name, String... args) {
        Syscall c = new Syscall.Spawn(name,
                args == null ? null : Collections.unmodifiableList(Arrays.asList(args.clone())));
        return value(c, trap.call(c));
    }

    @Override
    public void exit(int status) {
        Syscall c = new Syscall.Exit(status, null);
        checked(c, trap.call(c));
        throw new IllegalStateException("exit returned");
    }

    @Override
    public void kill(long pid) {
        Syscall c = new Syscall.Kill(pid);
        checked(c, trap.call(c));
    }

    @Override
    public int waitpid(long pid) {
        Syscall c = new Syscall.Wait(pid);
        return (int) value(c, trap.call(c));
    }

    @Override
    public void sleep(long millis) {
        Syscall c = new Syscall.Sleep(millis);
        checked(c, trap.call(c));
    }

    @Override
    public void yield() {
        Syscall c = new Syscall.Yield();
        checked(c, trap.call(c));
    }

    @Override
    public int getpriority() {
        Syscall c = new Syscall.GetPriority();
        return (int) value(c, trap.call(c));
    }

    @Override
    public void setpriority(int tickets) {
        Syscall c = new Syscall.SetPriority(tickets);
        checked(c, trap.call(c));
    }

    @Override
    public List<ProcInfo> ps() {
        Syscall c = new Syscall.Ps();
        return ((Syscall.Result.Processes) checked(c, trap.call(c))).rows();
    }

    @Override
    public RandomGenerator random() {
        if (random == null) {
            random = new SplittableRandom(seed);
        }
        return random;
    }

    @Override
    public void print(String text) {
        Syscall c = new Syscall.Print(text);
        checked(c, trap.call(c));
    }

    @Override
    public void printAt(int row, int col, String text) {
        Syscall c = new Syscall.PrintAt(row, col, text);
        checked(c, trap.call(c));
    }

    @Override
    public void clearRow(int row) {
        Syscall c = new Syscall.ClearRow(row);
        checked(c, trap.call(c));
    }

    /** The next key: the first byte of the next message in the keyboard buffer; a message with no byte is no key. */
    @Override
    public int getChar() {
        while (true) {
            Syscall c = new Syscall.GetChar();
            byte[] key = ((Syscall.Result.Received) checked(c, trap.call(c))).message().data();
            if (key.length > 0) {
                return key[0] & 0xff;
            }
        }
    }

    @Override
    public int mboxOpen(String name, int capacity, Open... flags) {
        Syscall c = new Syscall.MboxOpen(name, capacity, flags == null ? null : new HashSet<>(Arrays.asList(flags)));
        return (int) value(c, trap.call(c));
    }

    @Override
    public void mboxClose(int fd) {
        Syscall c = new Syscall.MboxClose(fd);
        checked(c, trap.call(c));
    }

    @Override
    public void mboxDestroy(String name) {
        Syscall c = new Syscall.MboxDestroy(name);
        checked(c, trap.call(c));
    }

    @Override
    public void mboxSend(int fd, byte[] data) {
        Syscall c = new Syscall.MboxSend(fd, copy(data), 0, FOREVER);
        checked(c, trap.call(c));
    }

    @Override
    public void mboxSend(int fd, byte[] data, long timeoutMillis) {
        Syscall c = new Syscall.MboxSend(fd, copy(data), 0, timeoutMillis);
        checked(c, trap.call(c));
    }

    @Override
    public void mboxSend(int fd, byte[] data, int priority, long timeoutMillis) {
        Syscall c = new Syscall.MboxSend(fd, copy(data), priority, timeoutMillis);
        checked(c, trap.call(c));
    }

    @Override
    public byte[] mboxRecv(int fd, int max) {
        Syscall c = new Syscall.MboxRecv(fd, Recv.upTo(max));
        return ((Syscall.Result.Received) checked(c, trap.call(c))).message().data();
    }

    @Override
    public Message mboxRecv(int fd, Recv how) {
        Syscall c = new Syscall.MboxRecv(fd, how);
        return ((Syscall.Result.Received) checked(c, trap.call(c)))
                .message();
    }

    @Override
    public boolean mboxIsFull(int fd) {
        Syscall c = new Syscall.MboxIsFull(fd);
        return value(c, trap.call(c)) != 0;
    }

    @Override
    public List<MboxInfo> mboxes() {
        Syscall c = new Syscall.Mboxes();
        return ((Syscall.Result.Boxes) checked(c, trap.call(c))).rows();
    }

    @Override
    public void close(int fd) {
        Syscall c = new Syscall.Close(fd);
        checked(c, trap.call(c));
    }

    @Override
    public int lockOpen(String name) {
        Syscall c = new Syscall.SyncOpen(name, SyncObject.Kind.LOCK, 0);
        return (int) value(c, trap.call(c));
    }

    @Override
    public boolean lockAcquire(int lock) {
        Syscall c = new Syscall.SyncOp(lock, Syscall.SyncOperation.LOCK_ACQUIRE);
        return value(c, trap.call(c)) != 0;
    }

    @Override
    public void lockRelease(int lock) {
        Syscall c = new Syscall.SyncOp(lock, Syscall.SyncOperation.LOCK_RELEASE);
        checked(c, trap.call(c));
    }

    @Override
    public int semOpen(String name, int initial) {
        Syscall c = new Syscall.SyncOpen(name, SyncObject.Kind.SEMAPHORE, initial);
        return (int) value(c, trap.call(c));
    }

    @Override
    public void semUp(int sem) {
        Syscall c = new Syscall.SyncOp(sem, Syscall.SyncOperation.SEM_UP);
        checked(c, trap.call(c));
    }

    @Override
    public void semDown(int sem) {
        Syscall c = new Syscall.SyncOp(sem, Syscall.SyncOperation.SEM_DOWN);
        checked(c, trap.call(c));
    }

    @Override
    public int condOpen(String name) {
        Syscall c = new Syscall.SyncOpen(name, SyncObject.Kind.CONDITION, 0);
        return (int) value(c, trap.call(c));
    }

    @Override
    public boolean condWait(int cond, int lock) {
        Syscall c = new Syscall.CondWait(cond, lock);
        return value(c, trap.call(c)) != 0;
    }

    @Override
    public void condSignal(int cond) {
        Syscall c = new Syscall.SyncOp(cond, Syscall.SyncOperation.COND_SIGNAL);
        checked(c, trap.call(c));
    }

    @Override
    public void condBroadcast(int cond) {
        Syscall c = new Syscall.SyncOp(cond, Syscall.SyncOperation.COND_BROADCAST);
        checked(c, trap.call(c));
    }

    @Override
    public int barrierOpen(String name, int parties) {
        Syscall c = new Syscall.SyncOpen(name, SyncObject.Kind.BARRIER, parties);
        return (int) value(c, trap.call(c));
    }

    @Override
    public void barrierWait(int barrier) {
        Syscall c = new Syscall.SyncOp(barrier, Syscall.SyncOperation.BARRIER_WAIT);
        checked(c, trap.call(c));
    }

    @Override
    public void mysend(long pid, byte[] data) {
        Syscall c = new Syscall.MySend(pid, copy(data), false);
        checked(c, trap.call(c));
    }

    @Override
    public void mysend(long pid, byte[] data, boolean rendezvous) {
        Syscall c = new Syscall.MySend(pid, copy(data), rendezvous);
        checked(c, trap.call(c));
    }

    @Override
    public int myreceive(long pid, byte[] buf) {
        Syscall c = myreceiveCall(pid, buf, true);
        return copyOut(checked(c, trap.call(c)), buf);
    }

    @Override
    public int myreceive(long pid, byte[] buf, boolean block) {
        Syscall c = myreceiveCall(pid, buf, block);
        return copyOut(checked(c, trap.call(c)), buf);
    }

    /** The seed's myreceive into {@code buf}, from {@code pid} (any sender if negative). */
    private static Syscall myreceiveCall(long pid, byte[] buf, boolean block) {
        Recv how = buf == null ? null : Recv.upTo(buf.length).from(pid);
        return new Syscall.MyReceive(how == null || block ? how : how.noWait(), !block);
    }

    /** The bytes received, copied into {@code buf}; in the seed's queued mode a poll that finds nothing reads 0. */
    private static int copyOut(Syscall.Result r, byte[] buf) {
        if (!(r instanceof Syscall.Result.Received got)) {
            return 0;
        }
        byte[] data = got.message().data();
        System.arraycopy(data, 0, buf, 0, data.length);
        return data.length;
    }

    @Override
    public Message myreceive(Recv how) {
        Syscall c = new Syscall.MyReceive(how, false);
        return ((Syscall.Result.Received) checked(c, trap.call(c))).message();
    }

    @Override
    public int[] select(int[] read, long timeoutMillis) {
        Syscall c = new Syscall.Select(read == null ? null : read.clone(), new int[0], timeoutMillis);
        return ((Syscall.Result.Ready) checked(c, trap.call(c))).selected().readable();
    }

    @Override
    public Selected select(int[] read, int[] write, long timeoutMillis) {
        Syscall c = new Syscall.Select(read == null ? null : read.clone(), write == null ? null : write.clone(),
                timeoutMillis);
        return ((Syscall.Result.Ready) checked(c, trap.call(c))).selected();
    }

    @Override
    public int call(long pid, byte[] request, byte[] replyBuf) {
        Recv answer = replyBuf == null ? null : Recv.upTo(replyBuf.length);
        Syscall c = new Syscall.Call(pid, copy(request), answer);
        byte[] data = ((Syscall.Result.Received) checked(c, trap.call(c))).message().data();
        System.arraycopy(data, 0, replyBuf, 0, data.length);
        return data.length;
    }

    @Override
    public void reply(long pid, byte[] data) {
        Syscall c = new Syscall.Reply(pid, copy(data));
        checked(c, trap.call(c));
    }

    @Override
    public void monitor(long pid) {
        Syscall c = new Syscall.Monitor(pid, true);
        checked(c, trap.call(c));
    }

    @Override
    public void demonitor(long pid) {
        Syscall c = new Syscall.Monitor(pid, false);
        checked(c, trap.call(c));
    }
}
