package org.mboxos.programs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mboxos.api.Message;
import org.mboxos.api.Recv;
import org.mboxos.api.Sys;

/**
 * A name server on call/reply (QNX's MsgSend/MsgReply): outlaws register their pids under their
 * names and look each other up, each query one system call that returns the answer. The
 * robinhood seed publishes pids through mailboxes; this is the same need served by a server.
 */
public final class NameServer extends Ramfile {

    public NameServer() {
        super("nameserver", "nameserver: Robin Hood and Little John register with a name server and look each"
                + " other up (call/reply)");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        long server = sys.spawn("names");
        long robin = sys.spawn("outlaw", Long.toString(server), "Robin", "John");
        long john = sys.spawn("outlaw", Long.toString(server), "John", "Robin");
        int status = sys.waitpid(robin) | sys.waitpid(john);
        sys.kill(server);
        sys.waitpid(server);
        return status;
    }

    static String ask(Sys sys, long server, String request) {
        byte[] answer = new byte[64];
        int n = sys.call(server, request.getBytes(StandardCharsets.UTF_8), answer);
        return new String(answer, 0, n, StandardCharsets.UTF_8);
    }

    /** The server: "register NAME" (the caller's pid) and "lookup NAME" (a pid, or "unknown"). */
    public static final class Names extends Ramfile {
        public Names() {
            super("names", "names: the name server that nameserver's outlaws call");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            Map<String, Long> names = new HashMap<>();
            while (true) {
                Message m = sys.myreceive(Recv.upTo(64));
                String[] request = m.text().split(" ", 2);
                String answer = switch (request[0]) {
                    case "register" -> {
                        names.put(request[1], m.sender());
                        yield "ok";
                    }
                    case "lookup" -> names.containsKey(request[1]) ? names.get(request[1]).toString() : "unknown";
                    default -> "bad request";
                };
                sys.reply(m.sender(), answer.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** An outlaw: registers, then asks until its friend is known, then greets it by pid. */
    public static final class Outlaw extends Ramfile {
        public Outlaw() {
            super("outlaw", "outlaw SERVER NAME FRIEND: registers with the name server and finds its friend");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            long server = Long.parseLong(args.get(0));
            String me = args.get(1);
            String friend = args.get(2);
            ask(sys, server, "register " + me);
            String pid;
            while ((pid = ask(sys, server, "lookup " + friend)).equals("unknown")) {
                sys.sleep(5);
            }
            sys.println(me + " (pid " + sys.getpid() + "): " + friend + " is pid " + pid);
            return 0;
        }
    }
}
