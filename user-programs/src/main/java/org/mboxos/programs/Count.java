package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** Counts on a screen row, one step per interval. */
public final class Count extends Ramfile {

    public Count() {
        super("count", "count [N=20] [MS=200] [ROW=10]: count to N on screen row ROW, one step every MS");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int n = intArg(args, 0, 20);
        long ms = longArg(args, 1, 200);
        int row = intArg(args, 2, 10);
        for (int i = 1; i <= n; i++) {
            sys.printAt(row, 0, "count (pid " + sys.getpid() + "): " + i);
            sys.sleep(ms);
        }
        return 0;
    }
}
