package org.mboxos.programs;

import java.util.Arrays;
import java.util.List;
import org.mboxos.api.Errno;
import org.mboxos.api.MboxInfo;
import org.mboxos.api.ProcInfo;
import org.mboxos.api.Sys;
import org.mboxos.api.SysError;

/**
 * The seed's test_given init: a shell reading lines with get_char. A word that is not a
 * built-in is a program to spawn in the background, with the rest of the line as arguments.
 */
public final class Shell extends Ramfile {
    static final String PROMPT = "$ ";

    public Shell() {
        super("shell", "the shell: spawn programs by name; built-ins ps, kill PID, wait PID, mboxes, exit");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        sys.println("mboxos shell (pid " + sys.getpid() + "). Type help for the commands.");
        while (true) {
            sys.print(PROMPT);
            String[] words = readLine(sys).trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            if (words[0].equals("exit")) {
                return 0;
            }
            try {
                run(sys, words[0], Arrays.asList(words).subList(1, words.length));
            } catch (SysError e) {
                sys.println("*** Error: " + e.getMessage() + " ***");
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                sys.println("*** Error: " + words[0] + " wants a pid ***");
            }
        }
    }

    /** Reads one line from the keyboard, echoing it; backspace deletes. */
    static String readLine(Sys sys) {
        StringBuilder line = new StringBuilder();
        while (true) {
            int c = sys.getChar();
            if (c == '\n' || c == '\r') {
                sys.print("\n");
                return line.toString();
            }
            if (c == 8 || c == 127) {
                if (!line.isEmpty()) {
                    line.setLength(line.length() - 1);
                    sys.print("\b \b");
                }
            } else if (c >= ' ') {
                line.append((char) c);
                sys.print(String.valueOf((char) c));
            }
        }
    }

    private static void run(Sys sys, String command, List<String> args) {
        switch (command) {
            case "ps" -> ps(sys);
            case "mboxes" -> mboxes(sys);
            case "kill" -> {
                long pid = Long.parseLong(args.get(0));
                sys.kill(pid);
                sys.println("Killed process PID=" + pid);
            }
            case "wait" -> {
                long pid = Long.parseLong(args.get(0));
                sys.println("Process " + pid + " exited with status " + sys.waitpid(pid));
            }
            default -> spawn(sys, command, args);
        }
    }

    private static void spawn(Sys sys, String program, List<String> args) {
        try {
            sys.println("Started process PID=" + sys.spawn(program, args.toArray(String[]::new)));
        } catch (SysError e) {
            if (e.errno() == Errno.ENOENT) {
                sys.println("*** Error: " + program + " not found ***");
            } else if (e.errno() == Errno.EAGAIN) {
                sys.println("*** Error: process table full ***");
            } else {
                throw e;
            }
        }
    }

    private static void ps(Sys sys) {
        sys.println(String.format("%5s %5s  %-12s %-8s %s", "PID", "PPID", "PROGRAM", "STATE", "BLOCKED IN"));
        for (ProcInfo p : sys.ps()) {
            sys.println(String.format("%5d %5d  %-12s %-8s %s", p.pid(), p.parent(), p.program(), p.state(), p.blockedIn()));
        }
    }

    private static void mboxes(Sys sys) {
        sys.println(String.format("%-24s %5s %7s %9s %8s %9s", "NAME", "USAGE", "QUEUED", "CAPACITY", "SENDERS",
                "RECEIVERS"));
        for (MboxInfo b : sys.mboxes()) {
            sys.println(String.format("%-24s %5d %7d %9d %8d %9d", b.name(), b.usage(), b.queued(), b.capacity(),
                    b.blockedSenders(), b.blockedReceivers()));
        }
    }
}
