package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** The teaching kernel's producer: integers into the box "theMbox", one per interval. */
public final class Producer extends Ramfile {
    static final String BOX = "theMbox";

    public Producer() {
        super("producer", "producer [N=forever] [MS=1000]: send 0, 1, 2, ... to the box theMbox, one every MS");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        long n = longArg(args, 0, Long.MAX_VALUE);
        long ms = longArg(args, 1, 1000);
        int box = sys.mboxOpen(BOX);
        for (long i = 0; i < n; i++) {
            sys.mboxSend(box, Long.toString(i));
            sys.println("producer: sent " + i);
            sys.sleep(ms);
        }
        sys.mboxClose(box);
        return 0;
    }
}
