package org.mboxos.kernel;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.Message;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * The user-side system-call stubs (xv6's usys): each method packs its arguments into a
 * {@link Syscall}, traps, and unpacks the {@link Syscall.Result}. No checks live here beyond
 * refusing nulls, which cannot be packed; the kernel actors validate everything else.
 */
final class Usys implements Sys {
    private final Trap trap;
    private final RandomGenerator random;

    Usys(Trap trap, long seed, long pid) {
        this.trap = trap;
        this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + pid);
    }

    private Syscall.Result call(Syscall call) {
        Syscall.Result r = trap.call(call);
        if (r instanceof Syscall.Result.Failed f) {
            throw new SysError(f.errno(), call.name() + ": " + f.message());
        }
        return r;
    }

    private long value(Syscall call) {
        return ((Syscall.Result.Value) call(call)).value();
    }

    private static <T> T notNull(T arg, String call, String what) {
        if (arg == null) {
            throw new SysError(Errno.EINVAL, call + ": " + what + " is null");
        }
        return arg;
    }

    @Override
    public long getpid() {
        return value(new Syscall.GetPid());
    }

    @Override
    public long spawn(String name, String... args) {
        notNull(name, "spawn", "program name");
        notNull(args, "spawn", "argument list");
        for (String a : args) {
            notNull(a, "spawn", "an argument");
        }
        return value(new Syscall.Spawn(name, List.of(args)));
    }

    @Override
    public void exit(int status) {
        call(new Syscall.Exit(status));
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
    public List<ProcInfo> ps() {
        return ((Syscall.Result.Processes) call(new Syscall.Ps())).rows();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public void print(String text) {
        call(new Syscall.Print(Objects.toString(text)));
    }

    @Override
    public void printAt(int row, int col, String text) {
        call(new Syscall.PrintAt(row, col, Objects.toString(text)));
    }

    @Override
    public void clearRow(int row) {
        call(new Syscall.ClearRow(row));
    }

    @Override
    public int getChar() {
        return ((Syscall.Result.Received) call(new Syscall.GetChar())).message().data()[0] & 0xff;
    }

    @Override
    public int mboxOpen(String name, int capacity, Open... flags) {
        notNull(name, "mbox_open", "box name");
        Set<Open> set = EnumSet.noneOf(Open.class);
        for (Open f : notNull(flags, "mbox_open", "flags")) {
            set.add(notNull(f, "mbox_open", "a flag"));
        }
        return (int) value(new Syscall.MboxOpen(name, capacity, set));
    }

    @Override
    public void mboxClose(int fd) {
        call(new Syscall.MboxClose(fd));
    }

    @Override
    public void mboxDestroy(String name) {
        call(new Syscall.MboxDestroy(notNull(name, "mbox_destroy", "box name")));
    }

    @Override
    public void mboxSend(int fd, byte[] data, long timeoutMillis) {
        call(new Syscall.MboxSend(fd, notNull(data, "mbox_send", "message").clone(), timeoutMillis));
    }

    @Override
    public Message mboxRecv(int fd, Recv how) {
        return ((Syscall.Result.Received) call(new Syscall.MboxRecv(fd, notNull(how, "mbox_recv", "receive options"))))
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
    public void mysend(long pid, byte[] data, boolean rendezvous) {
        call(new Syscall.MySend(pid, notNull(data, "mysend", "message").clone(), rendezvous));
    }

    @Override
    public int myreceive(long pid, byte[] buf, boolean block) {
        notNull(buf, "myreceive", "buffer");
        Recv how = Recv.upTo(buf.length).from(pid);
        Syscall.Result r = trap.call(new Syscall.MyReceive(block ? how : how.noWait()));
        if (!block && r instanceof Syscall.Result.Failed f && f.errno() == Errno.EAGAIN) {
            return 0; // the seed's queued mode: nothing there reads as zero bytes
        }
        if (r instanceof Syscall.Result.Failed f) {
            throw new SysError(f.errno(), "myreceive: " + f.message());
        }
        byte[] data = ((Syscall.Result.Received) r).message().data();
        System.arraycopy(data, 0, buf, 0, data.length);
        return data.length;
    }

    @Override
    public Message myreceive(Recv how) {
        return ((Syscall.Result.Received) call(new Syscall.MyReceive(notNull(how, "myreceive", "receive options"))))
                .message();
    }
}
