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

    /** Writes {@code text} on screen row {@code row} from column {@code col}. */
    public record PrintAt(long pid, String prog, int row, int col, String text) implements Command {}

    public record ClearRow(long pid, String prog, int row) implements Command {}

    /** Where the console's characters end up: a terminal, a pipe, or a test's buffer. */
    public interface Screen {
        /** Text in the scrolling stream. */
        void write(String text);

        /** Text at a fixed place; the rest of the row stays as it was. */
        void writeAt(int row, int col, String text);

        void clearRow(int row);

        /**
         * For pipes and tests: the stream as it comes, and each row update as one line
         * {@code [row N] CONTENT} showing the whole row after the update.
         */
        static Screen lines(java.util.function.Consumer<String> out) {
            return new LineScreen(out);
        }

        /** For a terminal: rows are drawn in place with ANSI cursor moves. */
        static Screen ansi(java.util.function.Consumer<String> out) {
            return new AnsiScreen(out);
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
            case PrintAt p -> onPrintAt(p);
            case ClearRow c -> onClearRow(c);
        };
    }

    private Behavior<Command> onPrint(Print p) {
        trace.event("print", p.pid(), p.prog(), "text", p.text());
        screen.write(p.text());
        return this;
    }

    private Behavior<Command> onPrintAt(PrintAt p) {
        trace.event("print-at", p.pid(), p.prog(), "row", p.row(), "col", p.col(), "text", p.text());
        screen.writeAt(p.row(), p.col(), p.text());
        return this;
    }

    private Behavior<Command> onClearRow(ClearRow c) {
        trace.event("clear-row", c.pid(), c.prog(), "row", c.row());
        screen.clearRow(c.row());
        return this;
    }
}
