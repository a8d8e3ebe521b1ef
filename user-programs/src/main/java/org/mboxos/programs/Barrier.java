package org.mboxos.programs;

import java.util.ArrayList;
import java.util.List;
import org.mboxos.api.Errno;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * Seed 000's test: a barrier built from pid-addressed messages. The parent spawns N members
 * and tells each the others' pids; each announces its arrival to all others, and the first to
 * count N-1 arrivals sends a release to all others.
 */
public final class Barrier extends Ramfile {
    static final String ARRIVE = "arrive";
    static final String RELEASE = "release";

    public Barrier() {
        super("barrier", "barrier [N=5]: N processes meet at a barrier built with mysend/myreceive");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int n = intArg(args, 0, 5);
        if (n < 2) {
            sys.println("barrier: needs at least 2 processes, not " + n);
            return 2;
        }
        List<Long> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(sys.spawn("barrier-member", Long.toString(sys.getpid())));
        }
        String list = String.join(",", members.stream().map(String::valueOf).toList());
        for (long m : members) {
            sys.mysend(m, list.getBytes());
        }
        int failures = 0;
        for (long m : members) {
            failures += sys.waitpid(m) == 0 ? 0 : 1;
        }
        sys.println("barrier: all " + n + " processes passed");
        return failures;
    }

    /** One member of the barrier. */
    public static final class Member extends Ramfile {
        public Member() {
            super("barrier-member", "PARENT: a member of the barrier, spawned by barrier");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            long parent = Long.parseLong(args.get(0));
            long me = sys.getpid();
            List<Long> others = new ArrayList<>();
            for (String p : sys.myreceive(Recv.upTo(4096).from(parent)).text().split(",")) {
                if (Long.parseLong(p) != me) {
                    others.add(Long.parseLong(p));
                }
            }
            sys.println("P" + me + " before barrier");
            for (long o : others) {
                tell(sys, o, ARRIVE);
            }
            int arrivals = 0;
            boolean released = false;
            while (!released && arrivals < others.size()) {
                Message m = sys.myreceive(Recv.upTo(16));
                released = m.text().equals(RELEASE);
                arrivals += released ? 0 : 1;
            }
            sys.println("P" + me + " after barrier");
            if (!released) { // first to count N-1 arrivals: release the others
                for (long o : others) {
                    tell(sys, o, RELEASE);
                }
            }
            return 0;
        }

        /**
         * Sends {@code word} to {@code pid}. A member that has passed the barrier may have left
         * already (ESRCH): it needs neither our arrival nor our release any more.
         */
        private static void tell(Sys sys, long pid, String word) {
            try {
                sys.mysend(pid, word.getBytes());
            } catch (SysError e) {
                if (e.errno() != Errno.ESRCH) {
                    throw e;
                }
            }
        }
    }
}
