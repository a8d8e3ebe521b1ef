package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** A worker for demos and tests: prints a tick every interval and exits with its tick count. */
public final class Worker extends Ramfile {

    public Worker() {
        super("worker", "worker NAME [TICKS=3] [MS=100]: print TICKS ticks MS apart, exit with TICKS");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        String name = args.isEmpty() ? "worker" : args.get(0);
        int ticks = args.size() > 1 ? Integer.parseInt(args.get(1)) : 3;
        long ms = args.size() > 2 ? Long.parseLong(args.get(2)) : 100;
        for (int i = 1; i <= ticks; i++) {
            sys.sleep(ms);
            sys.println(name + "(" + sys.getpid() + "): tick " + i);
        }
        return ticks;
    }
}
