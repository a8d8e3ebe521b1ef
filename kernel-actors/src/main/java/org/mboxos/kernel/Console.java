package org.mboxos.kernel;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractOnMessageBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;

/**
 * The console device: program output, in the order each process printed it. Writes go to a
 * {@link Screen} (stdout, or a buffer in tests) and to the trace. The Kernel runs this actor on
 * the blocking-I/O dispatcher, since a terminal or a pipe may stall a write.
 */
public final class Console extends AbstractOnMessageBehavior<Console.Command> {

    public sealed interface Command {}

    public record Print(long pid, String prog, String text) implements Command {}

    /** Where the console's characters end up. */
    public interface Screen {
        void write(String text);

        /** Standard output, flushed on every write so that lines appear as they are printed. */
        static Screen stdout() {
            return text -> {
                System.out.print(text);
                System.out.flush();
            };
        }
    }

    private final Screen screen;
    private final Trace trace;

    public static Behavior<Command> create(Screen screen, Trace trace) {
        return Behaviors.setup(ctx -> new Console(ctx, screen, trace));
    }

    private Console(ActorContext<Command> ctx, Screen screen, Trace trace) {
        super(ctx);
        this.screen = screen;
        this.trace = trace;
    }

    @Override
    public Behavior<Command> onMessage(Command msg) {
        return switch (msg) {
            case Print p -> onPrint(p);
        };
    }

    private Behavior<Command> onPrint(Print p) {
        trace.event("print", p.pid(), p.prog(), "text", p.text());
        screen.write(p.text());
        return this;
    }
}
