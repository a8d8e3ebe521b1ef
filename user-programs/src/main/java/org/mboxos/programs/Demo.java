package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/**
 * The kernel-foundation demo: processes live and die. Spawns three workers, waits for one to
 * finish, kills one while it sleeps, waits for it too (its status says it was killed), and
 * lets the last finish.
 */
public final class Demo extends Ramfile {

    public Demo() {
        super("demo", "spawn, wait and kill three workers; watch them live and die");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        sys.println("demo: I am pid " + sys.getpid());
        long quick = sys.spawn("worker", "quick", "2", "100");
        long doomed = sys.spawn("worker", "doomed", "50", "100");
        long steady = sys.spawn("worker", "steady", "4", "100");
        sys.println("demo: started workers " + quick + ", " + doomed + " and " + steady);
        sys.println("demo: worker " + quick + " exited with status " + sys.waitpid(quick));
        sys.kill(doomed);
        sys.println("demo: killed worker " + doomed + "; its status is " + sys.waitpid(doomed) + " (killed)");
        sys.println("demo: worker " + steady + " exited with status " + sys.waitpid(steady));
        return 0;
    }
}
