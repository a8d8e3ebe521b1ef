package org.mboxos.kernel;

import akka.actor.typed.ActorRef;
import org.mboxos.kernel.deadlock.Detector;
import org.mboxos.kernel.dev.Clock;
import org.mboxos.kernel.dev.Console;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.ipc.Registry;
import org.mboxos.kernel.sched.Scheduler;
import org.mboxos.kernel.table.Kernel;
import org.mboxos.kernel.trace.Trace;

/**
 * The kernel actors a PCB talks to, set up once per machine and handed to every PCB.
 * {@code scheduler} is null in parallel mode; {@code deadlocks}, the deadlock detector, is null
 * when kernel.deadlock = off.
 */
public record Services(ActorRef<Kernel.Command> processTable, ActorRef<Registry.Command> registry,
        ActorRef<Console.Command> console, ActorRef<Clock.Command> clock, ActorRef<Mailbox.Command> keyboardBuffer,
        ActorRef<Scheduler.Command> scheduler, ActorRef<Detector.Command> deadlocks, Trace trace,
        KernelSettings settings) {

    /** One simulated CPU with a lottery scheduler (else: processes run in parallel). */
    public boolean lottery() {
        return scheduler != null;
    }
}
