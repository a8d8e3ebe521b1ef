package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/**
 * The seed's robinhoodandlittlejohn, as init: spawns Robin Hood, Little John and the Sheriff,
 * then waits for the Sheriff, who never stops. Durations are arguments so tests can run fast.
 */
public final class RobinHood extends Ramfile {
    static final String ROBIN_BOX = "Robin-Hood-Publish-PID";
    static final String JOHN_BOX = "Little-John-Publish-PID";
    static final int ROBIN_ROW = 1;
    static final int JOHN_ROW = 2;
    static final int SHERIFF_ROW = 3;

    public RobinHood() {
        super("robinhood", "robinhood [PLOT_MS=5000] [AIM_MS=1000] [RESCUE_MS=1000]: Robin Hood and Little John"
                + " outwit the Sheriff forever (spawn, kill, wait and mailboxes)");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        String plot = Long.toString(longArg(args, 0, 5000));
        String aim = Long.toString(longArg(args, 1, 1000));
        String rescue = Long.toString(longArg(args, 2, 1000));
        sys.printAt(0, 0, "Robin Hood and Little John versus the Sheriff of Nottingham");
        sys.spawn("robin", rescue);
        sys.spawn("john", rescue);
        long sheriff = sys.spawn("sheriff", plot, aim);
        return sys.waitpid(sheriff);
    }

    /** Robin Hood and Little John: the same loop, each saving the other. */
    abstract static class Outlaw extends Ramfile {
        private final String who;
        private final String ownBox;
        private final String otherBox;
        private final String otherProgram;
        private final String line;
        private final int row;

        Outlaw(String program, String who, String ownBox, String otherBox, String otherProgram, String line, int row) {
            super(program, "RESCUE_MS: " + who + ", spawned by robinhood");
            this.who = who;
            this.ownBox = ownBox;
            this.otherBox = otherBox;
            this.otherProgram = otherProgram;
            this.line = line;
            this.row = row;
        }

        @Override
        public int main(Sys sys, List<String> args) {
            String rescue = args.get(0);
            long me = sys.getpid();
            int own = sys.mboxOpen(ownBox);
            int other = sys.mboxOpen(otherBox);
            sys.mboxSend(own, Long.toString(me)); // for the other outlaw
            sys.mboxSend(own, Long.toString(me)); // for the Sheriff
            while (true) {
                long friend = Long.parseLong(new String(sys.mboxRecv(other, 16)));
                show(sys, who + "(" + me + "): " + line);
                sys.waitpid(friend);
                show(sys, who + "(" + me + "): I'm coming to save you");
                sys.sleep(Long.parseLong(rescue));
                sys.spawn(otherProgram, rescue);
                sys.mboxSend(own, Long.toString(me)); // for the new other outlaw
            }
        }

        private void show(Sys sys, String text) {
            sys.clearRow(row);
            sys.printAt(row, 0, text);
        }
    }

    public static final class Robin extends Outlaw {
        public Robin() {
            super("robin", "Robin Hood", ROBIN_BOX, JOHN_BOX, "john", "Rob from the rich", ROBIN_ROW);
        }
    }

    public static final class John extends Outlaw {
        public John() {
            super("john", "Little John", JOHN_BOX, ROBIN_BOX, "robin", "and give to the poor!", JOHN_ROW);
        }
    }

    /** The Sheriff: plots, picks a victim (seeded), kills it, and learns who came back. */
    public static final class Sheriff extends Ramfile {
        public Sheriff() {
            super("sheriff", "PLOT_MS AIM_MS: the Sheriff of Nottingham, spawned by robinhood");
        }

        @Override
        public int main(Sys sys, List<String> args) {
            long plot = Long.parseLong(args.get(0));
            long aim = Long.parseLong(args.get(1));
            int robinBox = sys.mboxOpen(ROBIN_BOX);
            int johnBox = sys.mboxOpen(JOHN_BOX);
            long robin = Long.parseLong(new String(sys.mboxRecv(robinBox, 16)));
            long john = Long.parseLong(new String(sys.mboxRecv(johnBox, 16)));
            while (true) {
                sys.clearRow(SHERIFF_ROW);
                sys.printAt(SHERIFF_ROW, 0, "Sheriff: plotting...");
                sys.sleep(plot);
                boolean getRobin = sys.random().nextBoolean();
                long victim = getRobin ? robin : john;
                String name = getRobin ? "Robin Hood" : "Little John";
                sys.printAt(SHERIFF_ROW, 0, "Sheriff: I'm going after " + name + "(" + victim + ")!");
                sys.sleep(aim);
                sys.printAt(getRobin ? ROBIN_ROW : JOHN_ROW, 0, "X".repeat(40));
                sys.kill(victim);
                long reborn = Long.parseLong(new String(sys.mboxRecv(getRobin ? robinBox : johnBox, 16)));
                sys.clearRow(SHERIFF_ROW);
                if (getRobin) {
                    robin = reborn;
                    sys.printAt(SHERIFF_ROW, 0, "Sheriff: Egads! Robin(" + reborn + ") lives!");
                } else {
                    john = reborn;
                    sys.printAt(SHERIFF_ROW, 0, "Sheriff: Blimey! Little John(" + reborn + ") is alive again!");
                }
            }
        }
    }
}
