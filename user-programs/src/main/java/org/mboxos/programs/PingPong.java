package org.mboxos.programs;

import java.util.Arrays;
import java.util.List;
import org.mboxos.api.Sys;

/** The Linux project's calls in miniature: a child echoes N messages back with mysend/myreceive. */
public final class PingPong extends Ramfile {

    public PingPong() {
        super("pingpong", "pingpong [N=3]: a child echoes N messages back (mysend/myreceive)");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int n = intArg(args, 0, 3);
        byte[] buf = new byte[64];
        if (args.size() == 2) { // the child: echo to the parent
            long parent = Long.parseLong(args.get(1));
            for (int i = 0; i < n; i++) {
                int len = sys.myreceive(parent, buf);
                sys.mysend(parent, Arrays.copyOf(buf, len));
            }
            return 0;
        }
        long child = sys.spawn("pingpong", Integer.toString(n), Long.toString(sys.getpid()));
        for (int i = 0; i < n; i++) {
            sys.mysend(child, ("ping " + i).getBytes());
            int len = sys.myreceive(child, buf);
            sys.println("got back: " + new String(buf, 0, len));
        }
        return sys.waitpid(child);
    }
}
