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
 * {@link Syscall}, traps, and unpacks the {@link Syscall.Result}. No checks live here: the
 * kernel validates every argument, nulls included, so that every failure is traced alike.
 * Byte arrays are copied, as a kernel copies from user memory.
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

    private Syscall.Result call(Syscall call) {
        Syscall.Result r = trap.call(call);
        if (r instanceof Syscall.Result.Failed f) {
            throw new SysError(f.errno(), call.callName() + ": " + f.message());
        }
        return r;
    }

    private long value(Syscall call) {
        return ((Syscall.Result.Value) call(call)).value();
    }

    private static byte[] copy(byte[] data) {
        return data == null ? null : data.clone();
    }

    @Override
    public long getpid() {
        return value(new Syscall.GetPid());
    }

    @Override
    public long spawn(String name, String... args) {
        return value(new Syscall.Spawn(name, args == null ? null : Collections.unmodifiableList(Arrays.asList(args.clone()))));
    }

    @Override
    public void exit(int status) {
        call(new Syscall.Exit(status, null));
        throw new IllegalStateException("exit returned");
    }

    @Override
    public void kill(long pid) {
        call(new Syscall.Kill(pid));
    }

    @Override
    public int waitpid(long pid) {
        return (int) value(new Syscall.Wait(pid));
    }

    @Override
    public void sleep(long millis) {
        call(new Syscall.Sleep(millis));
    }

    @Override
    public void yield() {
        call(new Syscall.Yield());
    }

    @Override
    public int getpriority() {
        return (int) value(new Syscall.GetPriority());
    }

    @Override
    public void setpriority(int tickets) {
        call(new Syscall.SetPriority(tickets));
    }

    @Override
    public List<ProcInfo> ps() {
        return ((Syscall.Result.Processes) call(new Syscall.Ps())).rows();
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
        call(new Syscall.Print(text));
    }

    @Override
    public void printAt(int row, int col, String text) {
        call(new Syscall.PrintAt(row, col, text));
    }

    @Override
    public void clearRow(int row) {
        call(new Syscall.ClearRow(row));
    }

    /** The next key: the first byte of the next message in the keyboard buffer; a message with no byte is no key. */
    @Override
    public int getChar() {
        while (true) {
            byte[] key = ((Syscall.Result.Received) call(new Syscall.GetChar())).message().data();
            if (key.length > 0) {
                return key[0] & 0xff;
            }
        }
    }

    @Override
    public int mboxOpen(String name, int capacity, Open... flags) {
        return (int) value(new Syscall.MboxOpen(name, capacity, flags == null ? null : new HashSet<>(Arrays.asList(flags))));
    }

    @Override
    public void mboxClose(int fd) {
        call(new Syscall.MboxClose(fd));
    }

    @Override
    public void mboxDestroy(String name) {
        call(new Syscall.MboxDestroy(name));
    }

    @Override
    public void mboxSend(int fd, byte[] data, long timeoutMillis) {
        call(new Syscall.MboxSend(fd, copy(data), 0, timeoutMillis));
    }

    @Override
    public void mboxSend(int fd, byte[] data, int priority, long timeoutMillis) {
        call(new Syscall.MboxSend(fd, copy(data), priority, timeoutMillis));
    }

    @Override
    public Message mboxRecv(int fd, Recv how) {
        return ((Syscall.Result.Received) call(new Syscall.MboxRecv(fd, how)))
                .message();
    }

    @Override
    public boolean mboxIsFull(int fd) {
        return value(new Syscall.MboxIsFull(fd)) != 0;
    }

    @Override
    public List<MboxInfo> mboxes() {
        return ((Syscall.Result.Boxes) call(new Syscall.Mboxes())).rows();
    }

    @Override
    public void close(int fd) {
        call(new Syscall.Close(fd));
    }

    @Override
    public int lockOpen(String name) {
        return (int) value(new Syscall.SyncOpen(name, SyncObject.Kind.LOCK, 0));
    }

    @Override
    public boolean lockAcquire(int lock) {
        return value(new Syscall.SyncOp(lock, Syscall.SyncOperation.LOCK_ACQUIRE)) != 0;
    }

    @Override
    public void lockRelease(int lock) {
        call(new Syscall.SyncOp(lock, Syscall.SyncOperation.LOCK_RELEASE));
    }

    @Override
    public int semOpen(String name, int initial) {
        return (int) value(new Syscall.SyncOpen(name, SyncObject.Kind.SEMAPHORE, initial));
    }

    @Override
    public void semUp(int sem) {
        call(new Syscall.SyncOp(sem, Syscall.SyncOperation.SEM_UP));
    }

    @Override
    public void semDown(int sem) {
        call(new Syscall.SyncOp(sem, Syscall.SyncOperation.SEM_DOWN));
    }

    @Override
    public int condOpen(String name) {
        return (int) value(new Syscall.SyncOpen(name, SyncObject.Kind.CONDITION, 0));
    }

    @Override
    public boolean condWait(int cond, int lock) {
        return value(new Syscall.CondWait(cond, lock)) != 0;
    }

    @Override
    public void condSignal(int cond) {
        call(new Syscall.SyncOp(cond, Syscall.SyncOperation.COND_SIGNAL));
    }

    @Override
    public void condBroadcast(int cond) {
        call(new Syscall.SyncOp(cond, Syscall.SyncOperation.COND_BROADCAST));
    }

    @Override
    public int barrierOpen(String name, int parties) {
        return (int) value(new Syscall.SyncOpen(name, SyncObject.Kind.BARRIER, parties));
    }

    @Override
    public void barrierWait(int barrier) {
        call(new Syscall.SyncOp(barrier, Syscall.SyncOperation.BARRIER_WAIT));
    }

    @Override
    public void mysend(long pid, byte[] data, boolean rendezvous) {
        call(new Syscall.MySend(pid, copy(data), rendezvous));
    }

    @Override
    public int myreceive(long pid, byte[] buf, boolean block) {
        Recv how = buf == null ? null : Recv.upTo(buf.length).from(pid);
        // the seed's queued mode: a poll that finds nothing reads as zero bytes
        Syscall.Result r = call(new Syscall.MyReceive(how == null || block ? how : how.noWait(), !block));
        if (!(r instanceof Syscall.Result.Received got)) {
            return 0;
        }
        byte[] data = got.message().data();
        System.arraycopy(data, 0, buf, 0, data.length);
        return data.length;
    }

    @Override
    public Message myreceive(Recv how) {
        return ((Syscall.Result.Received) call(new Syscall.MyReceive(how, false))).message();
    }

    @Override
    public Selected select(int[] read, int[] write, long timeoutMillis) {
        return ((Syscall.Result.Ready) call(new Syscall.Select(read == null ? null : read.clone(),
                write == null ? null : write.clone(), timeoutMillis))).selected();
    }

    @Override
    public int call(long pid, byte[] request, byte[] replyBuf) {
        Recv answer = replyBuf == null ? null : Recv.upTo(replyBuf.length);
        byte[] data = ((Syscall.Result.Received) call(new Syscall.Call(pid, copy(request), answer))).message().data();
        System.arraycopy(data, 0, replyBuf, 0, data.length);
        return data.length;
    }

    @Override
    public void reply(long pid, byte[] data) {
        call(new Syscall.Reply(pid, copy(data)));
    }

    @Override
    public void monitor(long pid) {
        call(new Syscall.Monitor(pid, true));
    }

    @Override
    public void demonitor(long pid) {
        call(new Syscall.Monitor(pid, false));
    }
}
