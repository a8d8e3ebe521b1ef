package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** The teaching kernel's consumer: integers out of the box "theMbox", printed as they come. */
public final class Consumer extends Ramfile {

    public Consumer() {
        super("consumer", "consumer [N=forever]: receive integers from the box theMbox and print them");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        long n = longArg(args, 0, Long.MAX_VALUE);
        int box = sys.mboxOpen(Producer.BOX);
        for (long i = 0; i < n; i++) {
            String got = new String(sys.mboxRecv(box, 32), java.nio.charset.StandardCharsets.UTF_8);
            sys.println("consumer: got " + got);
        }
        sys.mboxClose(box);
        return 0;
    }
}
