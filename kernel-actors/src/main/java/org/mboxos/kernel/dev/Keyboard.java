package org.mboxos.kernel.dev;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import java.time.Duration;
import java.util.ArrayDeque;
import org.mboxos.api.Errno;
import org.mboxos.kernel.ipc.Mailbox;
import org.mboxos.kernel.proc.Syscall;
import org.mboxos.kernel.trace.Trace;

/**
 * The keyboard device, playing the irq1 handler: each key press is one message, and the
 * handler puts the byte into the kernel's mailbox named {@code keyboard} without ever waiting.
 * A key that finds the buffer full is discarded and traced as {@code key-dropped}.
 *
 * <p>Scripted input ({@code --keys}) is typed one key per interval, paced by the kernel
 * {@link Clock} (so that in lottery mode a script runs on simulated time and replays exactly).
 */
public final class Keyboard extends AbstractOnMessageBehavior<Keyboard.Command> {

    public static final String BOX = "keyboard";

    public sealed interface Command {}

    /** An interrupt: one key was pressed. */
    public record Press(byte key) implements Command {}

    /** Type {@code keys}, one every {@code interval}, after any script still being typed. */
    public record Type(byte[] keys, Duration interval) implements Command {}

    /** The Clock's alarm: time to type the script's next key. */
    private record NextKey() implements Command {}

    /** The buffer's answer to a key put into it (the only reply adapted to this actor). */
    private record Stored(Syscall.Result result) implements Command {}

    /** The key of the pacing alarm on the Clock; one script is typed at a time. */
    private record PaceKey() {}

    private final ActorRef<Mailbox.Command> buffer;
    private final ActorRef<Clock.Command> clock;
    private final Trace trace;
    private final ActorRef<Syscall.Result> stored;
    /** Keys handed to the buffer whose answer has not come back yet, in order. */
    private final ArrayDeque<Byte> inFlight = new ArrayDeque<>();
    private final ArrayDeque<Byte> script = new ArrayDeque<>();
    private Duration interval = Duration.ZERO;

    public static Behavior<Command> create(ActorRef<Mailbox.Command> buffer, ActorRef<Clock.Command> clock,
            Trace trace) {
        return Behaviors.setup(ctx -> new Keyboard(ctx, buffer, clock, trace));
    }

    private Keyboard(ActorContext<Command> ctx, ActorRef<Mailbox.Command> buffer, ActorRef<Clock.Command> clock,
            Trace trace) {
        super(ctx);
        this.buffer = buffer;
        this.clock = clock;
        this.trace = trace;
        // One adapter per message class: Akka keeps only the last one registered for a class.
        this.stored = ctx.messageAdapter(Syscall.Result.class, Stored::new);
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Press p -> onPress(p.key());
            case Type t -> onType(t);
            case NextKey n -> onNextKey();
            case Stored s -> onStored(s.result());
        };
    }

    private Behavior<Command> onPress(byte key) {
        trace.detail("key", 0, "keyboard", "key", key & 0xff);
        inFlight.add(key);
        buffer.tell(new Mailbox.Send(0, BOX, new byte[] {key}, false, 0, stored));
        return this;
    }

    private Behavior<Command> onType(Type t) {
        boolean idle = script.isEmpty();
        for (byte b : t.keys()) {
            script.add(b);
        }
        interval = t.interval();
        if (idle) {
            onNextKey();
        }
        return this;
    }

    private Behavior<Command> onNextKey() {
        Byte key = script.poll();
        if (key != null) {
            onPress(key);
        }
        if (!script.isEmpty()) {
            clock.tell(new Clock.Alarm<>(new PaceKey(), interval.toMillis(), getContext().getSelf(), new NextKey()));
        }
        return this;
    }

    private Behavior<Command> onStored(Syscall.Result result) {
        byte key = inFlight.remove();
        if (result instanceof Syscall.Result.Failed f && f.errno() == Errno.EAGAIN) {
            trace.event("key-dropped", 0, "keyboard", "key", key & 0xff, "reason", "buffer full");
        }
        return this;
    }
}
