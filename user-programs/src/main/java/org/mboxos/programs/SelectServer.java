package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;

/**
 * One server, two sources: it waits with select on its inbox (requests from client processes)
 * and on the keyboard buffer at once, and serves whichever is ready. Press q to stop it.
 */
public final class SelectServer extends Ramfile {

    public SelectServer() {
        super("selectserver", "selectserver [CLIENTS=2] [REQUESTS=3]: serves its inbox and the keyboard at once"
                + " (select); q quits");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int clients = intArg(args, 0, 2);
        int requests = intArg(args, 1, 3);
        for (int i = 0; i < clients; i++) {
            sys.spawn("selectclient", Integer.toString(requests));
        }
        int keyboard = sys.mboxOpen("keyboard");
        int[] sources = {keyboard, Sys.INBOX};
        sys.println("selectserver: serving " + clients * requests + " requests and the keyboard (q quits)");
        while (true) {
            for (int ready : sys.select(sources, Sys.FOREVER)) {
                if (ready == Sys.INBOX) {
                    Message m = sys.myreceive(Recv.upTo(64));
                    sys.println("selectserver: request from " + m.sender() + ": " + m.text());
                } else {
                    int key = sys.getChar();
                    sys.println("selectserver: key '" + (char) key + "'");
                    if (key == 'q') {
                        return 0;
                    }
                }
            }
        }
    }

    /** A client: sends its requests to its parent, a little apart. */
    public static final class Client extends Ramfile {
        public Client() {
            super("selectclient", "selectclient [N=3]: sends N requests to its parent (for selectserver)");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            long server = sys.ps().stream().filter(p -> p.pid() == sys.getpid()).findFirst().orElseThrow().parent();
            for (int i = 0; i < intArg(args, 0, 3); i++) {
                sys.mysend(server, ("job " + i).getBytes());
                sys.sleep(10 + sys.random().nextInt(20));
            }
            return 0;
        }
    }
}
