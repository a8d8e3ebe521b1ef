package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/**
 * Seed 003's test program: mailboxes as resources. Init spawns one child per mailbox; each
 * child creates its box, spawns receivers then senders, and sums their exit statuses (senders
 * exit with what they sent, receivers with minus what they received); init sums the children
 * and succeeds on zero, then destroys the boxes.
 */
public final class DisastrOS extends Ramfile {
    static final String TEXT = "hi I'm writing in the mailbox";

    public DisastrOS() {
        super("disastros", "disastros [MAILBOXES=8] [SENDERS=10] [RECEIVERS=10] [PER_SENDER=130] [PER_RECEIVER=130]"
                + " [CAPACITY=128]: the DisastrOS mailbox test");
    }

    static String boxName(int i) {
        return "mailbox-" + i;
    }

    @Override
    public int main(Sys sys, List<String> args) {
        int boxes = intArg(args, 0, 8);
        int senders = intArg(args, 1, 10);
        int receivers = intArg(args, 2, 10);
        int perSender = intArg(args, 3, 130);
        int perReceiver = intArg(args, 4, 130);
        int capacity = intArg(args, 5, 128);
        if ((long) senders * perSender != (long) receivers * perReceiver) {
            sys.println("disastros: FAILURE: " + senders + " senders x " + perSender + " messages != " + receivers
                    + " receivers x " + perReceiver + " messages; the run would never end");
            return 2;
        }
        long[] children = new long[boxes];
        for (int i = 0; i < boxes; i++) {
            children[i] = sys.spawn("disastros-child", Integer.toString(i), Integer.toString(senders),
                    Integer.toString(receivers), Integer.toString(perSender), Integer.toString(perReceiver),
                    Integer.toString(capacity));
        }
        long total = 0;
        for (long child : children) {
            total += sys.waitpid(child);
        }
        sys.println("TOTAL SCORE " + total + " -> " + (total == 0 ? "SUCCESS :)" : "FAILURE :("));
        for (int i = 0; i < boxes; i++) {
            sys.mboxDestroy(boxName(i));
        }
        return total == 0 ? 0 : 1;
    }

    /** One mailbox's worth: creates it, runs its receivers and senders, reports the balance. */
    public static final class Child extends Ramfile {
        public Child() {
            super("disastros-child", "I SENDERS RECEIVERS PER_SENDER PER_RECEIVER CAPACITY: spawned by disastros");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            String box = boxName(Integer.parseInt(args.get(0)));
            int senders = Integer.parseInt(args.get(1));
            int receivers = Integer.parseInt(args.get(2));
            sys.mboxOpen(box, Integer.parseInt(args.get(5)), Sys.Open.CREATE, Sys.Open.EXCLUSIVE, Sys.Open.KEEP);
            long[] kids = new long[senders + receivers];
            int k = 0;
            for (int i = 0; i < receivers; i++) {
                kids[k++] = sys.spawn("disastros-receiver", box, args.get(4));
            }
            for (int i = 0; i < senders; i++) {
                kids[k++] = sys.spawn("disastros-sender", box, args.get(3));
            }
            int balance = 0;
            for (long kid : kids) {
                balance += sys.waitpid(kid);
            }
            sys.println(box + ": (messages sent - messages received) = " + balance);
            return balance;
        }
    }

    public static final class Sender extends Ramfile {
        public Sender() {
            super("disastros-sender", "BOX N: sends N messages to BOX, exits with N; spawned by disastros");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            int fd = sys.mboxOpen(args.get(0), 0);
            int n = Integer.parseInt(args.get(1));
            for (int i = 0; i < n; i++) {
                sys.mboxSend(fd, TEXT);
            }
            sys.mboxClose(fd);
            return n;
        }
    }

    public static final class Receiver extends Ramfile {
        public Receiver() {
            super("disastros-receiver", "BOX N: receives N messages from BOX, exits with -N; spawned by disastros");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            int fd = sys.mboxOpen(args.get(0), 0);
            int n = Integer.parseInt(args.get(1));
            for (int i = 0; i < n; i++) {
                sys.mboxRecv(fd, TEXT.length());
            }
            sys.mboxClose(fd);
            return -n;
        }
    }
}
