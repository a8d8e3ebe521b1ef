package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;

/**
 * Message priorities (POSIX mq_send's): jobs queued at random priorities come out of a box
 * opened with PRIORITY highest first, and in the order they were sent within one priority.
 */
public final class Priorities extends Ramfile {

    public Priorities() {
        super("priorities", "priorities [N=8]: jobs of random priority leave a PRIORITY box highest first");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int n = intArg(args, 0, 8);
        int box = sys.mboxOpen("jobs", n, Sys.Open.CREATE, Sys.Open.PRIORITY);
        for (int i = 0; i < n; i++) {
            int priority = sys.random().nextInt(4);
            sys.mboxSend(box, ("job " + i + " (priority " + priority + ")").getBytes(), priority, Sys.FOREVER);
        }
        for (int i = 0; i < n; i++) {
            sys.println("priorities: " + sys.mboxRecv(box, Recv.upTo(64)).text());
        }
        return 0;
    }
}
