package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Down;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;

/**
 * Monitors (Erlang's, Akka's watch): a watchdog that is not the workers' parent learns of every
 * worker's end, however it ended, from a message in its inbox.
 */
public final class Watchdog extends Ramfile {

    public Watchdog() {
        super("watchdog", "watchdog: a process that is not their parent learns how three workers ended (monitors)");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        long quick = sys.spawn("worker", "quick", "1", "20");
        long doomed = sys.spawn("worker", "doomed", "100", "20");
        long steady = sys.spawn("worker", "steady", "3", "20");
        long dog = sys.spawn("watchdog-dog", Long.toString(quick), Long.toString(doomed), Long.toString(steady));
        sys.sleep(100);
        sys.kill(doomed);
        sys.waitpid(quick);
        sys.waitpid(steady);
        return sys.waitpid(dog);
    }

    /** Monitors the pids it is given and reports each end. */
    public static final class Dog extends Ramfile {
        public Dog() {
            super("watchdog-dog", "watchdog-dog PID...: monitors the pids and reports how each ended");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            for (String pid : args) {
                sys.monitor(Long.parseLong(pid));
            }
            for (int i = 0; i < args.size(); i++) {
                Down down = Down.of(sys.myreceive(Recv.upTo(64)));
                sys.println("watchdog: pid " + down.pid() + " ended with status " + down.status()
                        + (down.status() == Sys.KILLED ? " (killed)" : ""));
            }
            return 0;
        }
    }
}
