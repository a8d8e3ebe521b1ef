package org.mboxos.programs;

import java.util.List;
import org.mboxos.api.Sys;

/** The shell's help: its built-ins and the programs worth trying from it. */
public final class Help extends Ramfile {

    public Help() {
        super("help", "print the shell's commands");
    }

    @Override
    public int main(Sys sys, List<String> args) {
        sys.print("""
                shell built-ins:
                  ps            the process table: pid, parent, program, state, what it is blocked in
                  kill PID      end a process at once
                  wait PID      block until PID ends and print its exit status
                  mboxes        the mailboxes: usage count, queued messages, blocked senders/receivers
                  exit          leave the shell
                any other word spawns the program of that name, e.g.:
                  count [N] [MS] [ROW]     count to N on screen row ROW
                  producer [N] [MS]        send integers to the box theMbox, one per MS
                  consumer [N]             receive integers from theMbox and print them
                  plane [ROW] [PASSES]     fly a plane across a row
                  help                     this text
                """);
        return 0;
    }
}
